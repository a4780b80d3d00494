"""Template context shared by every page: the navigation a user's roles allow."""

from django.http import HttpRequest

from actionplans.permissions import navigation_for as actionplans_navigation
from baseline.permissions import navigation_for as baseline_navigation
from matching.permissions import navigation_for as matching_navigation
from partners.permissions import navigation_for as partners_navigation

#: The app menus follow the organisation lists (dashboard, schools, companies), before the management entries.
APP_MENU_POSITION = 3


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = partners_navigation(user)
    items[APP_MENU_POSITION:APP_MENU_POSITION] = (
        baseline_navigation(user) + matching_navigation(user) + actionplans_navigation(user)
    )
    return {"nav_items": items}
