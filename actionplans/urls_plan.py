"""URLs of the action plans: plan pages (included from actionplans/urls.py under /actieplan/).

The list, starting a plan, the plan page, its history, and its goals, milestones and actions (each form URL answers
GET with the form and POST with the save; `?annuleren=1` gives back the piece as it reads).
"""

from django.urls import path

from . import views_plan

urlpatterns = [
    path("", views_plan.plan_list, name="plan-list"),
    path("starten/<int:match_id>/", views_plan.plan_start, name="plan-start"),
    path("<int:pk>/", views_plan.plan_detail, name="plan-detail"),
    path("<int:pk>/geschiedenis/", views_plan.plan_history, name="plan-history"),
    path("<int:pk>/doelen/nieuw/", views_plan.goal_add, name="goal-add"),
    path("<int:pk>/doelen/<int:goal_id>/bewerken/", views_plan.goal_edit, name="goal-edit"),
    path("<int:pk>/doelen/<int:goal_id>/verwijderen/", views_plan.goal_remove, name="goal-remove"),
    path("<int:pk>/doelen/<int:goal_id>/mijlpalen/nieuw/", views_plan.milestone_add, name="milestone-add"),
    path("<int:pk>/mijlpalen/<int:item_id>/bewerken/", views_plan.milestone_edit, name="milestone-edit"),
    path("<int:pk>/mijlpalen/<int:item_id>/verwijderen/", views_plan.milestone_remove, name="milestone-remove"),
    path("<int:pk>/doelen/<int:goal_id>/acties/nieuw/", views_plan.action_add, name="action-add"),
    path("<int:pk>/acties/<int:item_id>/bewerken/", views_plan.action_edit, name="action-edit"),
    path("<int:pk>/acties/<int:item_id>/verwijderen/", views_plan.action_remove, name="action-remove"),
]
