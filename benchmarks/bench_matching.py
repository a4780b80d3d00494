"""Benchmark of the ranking page on the large demo data (seed_demo --scale large: ~18,000 mentor companies).

Run from the project root:  .venv/bin/python benchmarks/bench_matching.py

It builds a throwaway SQLite database under /tmp (removed afterwards): migrate, seed_demo --scale large (mentor
profiles for every company in the current edition), then measures as the Antwerpen-Waasland adviser:
- the first ranking page request (builds and caches the edition's company features),
- the ranking page afterwards (median of 20 requests; features come from the in-process cache),
- the number of queries of that page.
Goal (issue 4): the HTTP ranking page under 150 ms server time, company features cached, not rebuilt per request.
The engine itself (rank < 2 ms, assignment < 3 s, memory) is measured by bench_matching_engine.py.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORKDIR = Path(tempfile.mkdtemp(prefix="stempact-bench-matching-", dir="/tmp"))
os.environ["DATABASE_URL"] = f"sqlite:///{WORKDIR / 'bench.sqlite3'}"
os.environ["MEDIA_ROOT"] = str(WORKDIR / "media")
os.environ["LOG_LEVEL"] = "WARNING"
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ.pop("CELERY_BROKER_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stempact.settings")
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

RUNS = 20


def main() -> None:
    try:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        call_command("seed_demo", scale="large", force=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
        print(f"setup (migrate + seed_demo --scale large): {time.perf_counter() - started:.1f} s")

        from matching.models import MentorProfile
        from partners.demo import ADVISER_EMAIL
        from partners.models import Edition, Participation, User

        edition = Edition.objects.current()
        participation = (
            Participation.objects.filter(edition=edition, school__region__slug="antwerpen-waasland")
            .order_by("school__name")
            .first()
        )
        client = Client()
        client.force_login(User.objects.get(email=ADVISER_EMAIL))
        url = reverse("matching:school-ranking", args=[participation.pk])

        t0 = time.perf_counter()
        first = client.get(url)
        cold_ms = 1000 * (time.perf_counter() - t0)
        assert first.status_code == 200, first.status_code
        times = []
        for _ in range(RUNS):
            t0 = time.perf_counter()
            response = client.get(url)
            times.append(1000 * (time.perf_counter() - t0))
            assert response.status_code == 200
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        profiles = MentorProfile.objects.filter(edition=edition).count()
        print(f"mentor profiles ranked: {profiles:,}")
        print(f"ranking page, first request (builds the feature cache): {cold_ms:.0f} ms")
        print(
            f"ranking page, cached (median of {RUNS}): {statistics.median(times):.1f} ms "
            f"(min {min(times):.1f}, max {max(times):.1f}); goal < 150 ms"
        )
        print(f"ranking page queries: {len(queries)}")
        measure_assignment(edition)
    finally:
        shutil.rmtree(WORKDIR, ignore_errors=True)


def measure_assignment(edition: object) -> None:
    """The global assignment of the whole edition as the service computes it (what the page and the CLI call)."""
    import resource
    import tracemalloc

    from matching import services
    from partners.models import Participation

    schools = Participation.objects.filter(edition=edition).count()
    timings = []
    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            t0 = time.perf_counter()
            proposal = services.assignment_proposal(edition=edition)
            timings.append(time.perf_counter() - t0)
    assigned = [pair for pair in proposal if pair.company is not None]
    scores = [pair.score for pair in assigned]
    print(f"assignment proposal, {schools:,} registered schools: median {statistics.median(timings):.2f} s of 3")
    print(f"  (min {min(timings):.2f}, max {max(timings):.2f}); goal < 3 s; {len(queries)} queries")
    print(f"  assigned {len(assigned):,}, lowest score {min(scores):.3f}, total {sum(scores):.1f}")
    t0 = time.perf_counter()
    fair = services.assignment_proposal(edition=edition, fairness=True)
    fair_scores = [pair.score for pair in fair if pair.company is not None]
    print(f"  with fairness: {time.perf_counter() - t0:.2f} s, lowest score {min(fair_scores):.3f}")
    tracemalloc.start()
    services.assignment_proposal(edition=edition)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"  peak memory allocated by one assignment proposal (tracemalloc): {peak / 2**20:.0f} MB")
    process_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak memory of the whole process (seeding included): {process_mb:.0f} MB")


if __name__ == "__main__":
    main()
