"""Template context shared by every page: the navigation a user's roles allow."""

from django.http import HttpRequest

from partners.permissions import navigation_for


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    return {"nav_items": navigation_for(user)}
