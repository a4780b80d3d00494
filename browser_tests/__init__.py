"""Browser journeys: Playwright drives Debian's Chromium against pytest-django's live server."""
