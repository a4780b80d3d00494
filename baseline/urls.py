"""URLs of the baseline app: the measuring pages (urls_measure) and the results pages (urls_results)."""

from . import urls_measure, urls_results

app_name = "baseline"

urlpatterns = [*urls_measure.urlpatterns, *urls_results.urlpatterns]
