"""Results pages: scores, radar chart, baseline vs end, edition settings and averages."""

urlpatterns: list = []
