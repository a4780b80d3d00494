"""URLs of the action plans: contributions, the integrated STEM project (COOL), comments, and the engagement
declaration with signing, submission, extension and reopening (included from actionplans/urls.py under
/actieplan/). Every path takes the plan's pk; a side in a path is "school" or "bedrijf"."""

from django.urls import path

from . import views_submit as views

urlpatterns = [
    path("<int:pk>/bijdragen/", views.plan_contributions, name="plan-contributions"),
    path("<int:pk>/stem-project/", views.plan_project, name="plan-project"),
    path("<int:pk>/stem-project/team/", views.plan_team_add, name="plan-team-add"),
    path("<int:pk>/stem-project/team/<int:member_id>/", views.plan_team_edit, name="plan-team-edit"),
    path("<int:pk>/stem-project/team/<int:member_id>/verwijderen/", views.plan_team_remove, name="plan-team-remove"),
    path("<int:pk>/stem-project/stap/<int:step_id>/", views.plan_cool_step, name="plan-cool-step"),
    path("<int:pk>/opmerkingen/", views.plan_comments, name="plan-comments"),
    path(
        "<int:pk>/opmerkingen/<int:comment_id>/verwijderen/",
        views.plan_comment_remove,
        name="plan-comment-remove",
    ),
    path("<int:pk>/indienen/", views.plan_submit, name="plan-submit"),
    path("<int:pk>/ondertekenen/<slug:side>/", views.plan_sign, name="plan-sign"),
    path("<int:pk>/ondertekenen/<slug:side>/intrekken/", views.plan_signature_withdraw, name="plan-sign-withdraw"),
    path("<int:pk>/uitstel/", views.plan_extension, name="plan-extension"),
    path("<int:pk>/heropenen/", views.plan_reopen, name="plan-reopen"),
]
