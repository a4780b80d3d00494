from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = _("Matching")

    def ready(self) -> None:
        # partners may not import matching: the companies import learns the mentor-profile columns from here.
        from partners.imports import register_company_columns

        from .imports import MentorProfileColumns

        register_company_columns(MentorProfileColumns())
