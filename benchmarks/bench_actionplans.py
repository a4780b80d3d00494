"""Benchmark of the action plan page (issue 5): a plan with 10 goals and 50 actions, as the school and the adviser.

Run from the project root:  .venv/bin/python benchmarks/bench_actionplans.py [--profile]

It uses a throwaway SQLite database and media folder under /tmp (removed afterwards), migrates it and builds, through
the services as school and company would:
- a plan with 10 SMART goals linked to the school's focus, 3 milestones and 5 actions each (50 actions), a Teacher
  Design Team and the mentor company's contribution (about 100 history events from building it);
- a second, small plan (1 goal, 5 actions) of another school with another company, to compare the number of queries.
Then it measures `/actieplan/<id>/` through django.test.Client (server time, median of 20 requests, and the queries per
request) as a school member (who edits) and as the region's adviser (who reads), first as built, then with a long
history (500 more saves, i.e. PlanEvents) and 30 comments.

Goal (issue 5): the plan page with 10 goals and 50 actions under 100 ms server time with a constant number of queries.
`--profile` adds a cProfile of 20 requests of the big plan as the school member.
"""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORKDIR = Path(tempfile.mkdtemp(prefix="stempact-bench-actionplans-", dir="/tmp"))

# Before Django reads its settings: a database and media of our own, eager Celery, quiet logs.
os.environ["DATABASE_URL"] = f"sqlite:///{WORKDIR / 'bench.sqlite3'}"
os.environ["MEDIA_ROOT"] = str(WORKDIR / "media")
os.environ["LOG_LEVEL"] = "WARNING"
os.environ["ALLOWED_HOSTS"] = "testserver"  # django.test.Client's host
os.environ.pop("CELERY_BROKER_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stempact.settings")
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

import datetime as dt  # noqa: E402
from decimal import Decimal  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

RUNS = 20
GOALS = 10
MILESTONES_PER_GOAL = 3
ACTIONS_PER_GOAL = 5
EXTRA_SAVES = 500
COMMENTS = 30

#: (title, indicator, unit, baseline, target) of the goals, in the spirit of the source document's examples.
GOAL_TEXTS = [
    ("Meer leerlingen kiezen STEM in de tweede graad", "leerlingen in een STEM-richting", "leerlingen", 40, 60),
    ("Meer meisjes in de STEM-richtingen", "meisjes in STEM-wetenschappen", "leerlingen", 12, 20),
    ("Een geïntegreerd STEM-project per graad", "graden met een STEM-project", "graden", 1, 3),
    ("Leerkrachten volgen een STEM-nascholing", "leerkrachten met een STEM-nascholing", "leerkrachten", 2, 8),
    ("Bedrijfsbezoeken in elke graad", "bedrijfsbezoeken per schooljaar", "bezoeken", 1, 4),
    ("Gastlessen door ingenieurs van het mentorbedrijf", "gastlessen per schooljaar", "gastlessen", 0, 6),
    ("Eindwerk met een echte bedrijfsvraag", "eindwerken met een bedrijfsvraag", "eindwerken", 2, 10),
    ("Samenwerking met de hogeschool verankeren", "gezamenlijke activiteiten", "activiteiten", 1, 3),
    ("Ouders informeren over de STEM-richtingen", "ouders op de infoavond", "ouders", 80, 150),
    ("Een STEM-leerlijn met de basisscholen", "basisscholen in de leerlijn", "scholen", 1, 3),
]
ACTION_TEXTS = [
    ("Bedrijfsbezoek met de leerkrachten plannen", "Jan Janssens"),
    ("Projectopdracht uitschrijven", "An Peeters"),
    ("Materiaal bestellen (sensorkits)", "Bram Claes"),
    ("Evaluatierubric opstellen", "Dina Wouters"),
    ("Terugkoppeling aan het STEM-team", "An Peeters"),
]


def _goal_data(number: int, start: dt.date, element_id: int, criterion_id: int) -> dict:
    title, indicator, unit, baseline, target = GOAL_TEXTS[number % len(GOAL_TEXTS)]
    return {
        "title": title,
        "grades": ["2", "3"] if number % 2 else ["1"],
        "tracks": ["transition", "double"] if number % 2 else ["a_stream"],
        "programme": "STEM-wetenschappen",
        "subjects": "wiskunde, fysica, chemie, techniek",
        "indicator": indicator,
        "unit": unit,
        "baseline_value": Decimal(baseline),
        "target_value": Decimal(target),
        "fit": "Interdisciplinair project met een echte uitdaging van het mentorbedrijf, in lijn met de focus.",
        "owner_school": "An Peeters (TAC)",
        "owner_company": "Jan Janssens (HR)",
        "company_hours": 20 + number,
        "company_staff": 2,
        "material": "Sensorkits, 3D-printer van het bedrijf",
        "budget": Decimal(500 + 100 * number),
        "start": start,
        "end": start + dt.timedelta(days=150),
        "elements": [element_id],
        "criteria": [criterion_id],
    }


def build_plan(edition, school_name: str, company_name: str, goals: int, *, adviser):  # type: ignore[no-untyped-def]
    """A plan of a new school and company with `goals` SMART goals, each with milestones and actions."""
    from actionplans import services
    from baseline.tests.factories import filled_measurement
    from matching.models import Match
    from partners.tests import factories as f

    school = f.SchoolFactory(name=school_name)
    participation = f.ParticipationFactory(edition=edition, school=school)
    company = f.CompanyFactory(name=company_name)
    match = Match.objects.create(participation=participation, company=company, status=Match.Status.ACTIVE)
    school_user, company_user = f.school_member(school), f.company_member(company)
    for user, first, last in ((school_user, "An", "Peeters"), (company_user, "Jan", "Janssens")):
        user.first_name, user.last_name = first, last
        user.save()
    measurement = filled_measurement(participation, by=adviser, focus=(1, 2, 4, 6))
    focus = list(measurement.focus_elements.prefetch_related("criteria").order_by("number"))
    plan = services.plan_get_or_create(match=match, by=school_user)
    start = edition.starts_on + dt.timedelta(days=120)
    for number in range(goals):
        element = focus[number % len(focus)]
        criterion = element.criteria.all()[0]
        author = school_user if number % 2 else company_user
        goal = services.goal_add(
            plan=plan, by=author, data=_goal_data(number, start + dt.timedelta(days=number), element.pk, criterion.pk)
        )
        for step in range(MILESTONES_PER_GOAL):
            services.milestone_add(
                goal=goal,
                by=author,
                data={
                    "date": start + dt.timedelta(days=30 * (step + 1)),
                    "description": f"Tussentijdse stap {step + 1}",
                },
            )
        for index in range(ACTIONS_PER_GOAL):
            title, owner = ACTION_TEXTS[index % len(ACTION_TEXTS)]
            services.action_add(
                goal=goal,
                by=author,
                data={"title": title, "owner": owner, "due": start + dt.timedelta(days=10 + 25 * index)},
            )
    for name, kind in (("An Peeters", "teacher"), ("Bram Claes", "teacher"), ("Jan Janssens", "company_expert")):
        services.team_member_add(plan=plan, by=school_user, data={"name": name, "kind": kind, "expertise": "STEM"})
    plan.refresh_from_db()
    services.plan_update(
        plan=plan,
        by=company_user,
        version=plan.version,
        data={
            "contribution_curriculum": "Realistische casussen uit de productie voor de lessen chemie.",
            "contribution_hours": 120,
            "contribution_staff": 4,
            "project_theme": "Duurzame energie",
        },
    )
    plan.refresh_from_db()
    return plan, school_user, company_user


def add_history_and_comments(plan, school_user, company_user, adviser) -> None:  # type: ignore[no-untyped-def]
    """EXTRA_SAVES more saves (each a PlanEvent: action statuses and owners going back and forth) and COMMENTS."""
    from actionplans import services
    from actionplans.models import Action, ActionPlan

    actions = list(Action.objects.filter(goal__plan=plan).order_by("id"))
    statuses = ["doing", "done", "todo"]
    for number in range(EXTRA_SAVES):
        action = actions[number % len(actions)]
        version = ActionPlan.objects.values_list("version", flat=True).get(pk=plan.pk)
        by = school_user if number % 2 else company_user
        services.action_update(
            action=action, by=by, version=version, data={"status": statuses[(number // len(actions)) % 3]}
        )
    for number in range(COMMENTS):
        author = (school_user, company_user, adviser)[number % 3]
        services.comment_add(plan=plan, by=author, text=f"Opmerking {number + 1}: kunnen we dit bespreken?")


def measure(client: Client, url: str) -> tuple[float, float, float, float, int]:
    """Of RUNS requests after a warm-up: (median, min, max) server time in ms, the median CPU time of this process in
    ms (what the request costs without waiting for the CPU on a busy machine), and the queries of one request."""
    first = client.get(url)
    assert first.status_code == 200, first.status_code
    times, cpu, counts = [], [], set()
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as queries:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            times.append(1000 * (time.perf_counter() - started))
            cpu.append(1000 * (time.process_time() - started_cpu))
        assert response.status_code == 200
        counts.add(len(queries))
    assert len(counts) == 1, counts
    return statistics.median(times), min(times), max(times), statistics.median(cpu), counts.pop()


def profile(client: Client, url: str) -> None:
    """cProfile of RUNS requests: the project's own functions by cumulative time, then everything by own time."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(RUNS):
        client.get(url)
    profiler.disable()
    print(f"\ncProfile of {RUNS} requests of {url}: the action plan code by cumulative time (top 30)")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(r"actionplans/", 30)
    print("Everything by own time (top 15)")
    pstats.Stats(profiler).sort_stats("tottime").print_stats(15)


def main() -> None:
    from actionplans.models import Action, Milestone, PlanEvent
    from partners.tests import factories as f

    print(f"Setting up a throwaway database in {WORKDIR} ...", flush=True)
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    edition = f.EditionFactory()
    adviser = f.adviser("antwerpen-waasland")
    big, school_user, company_user = build_plan(
        edition, "GO! Koninklijk Atheneum Antwerpen", "BASF Antwerpen", GOALS, adviser=adviser
    )
    small, small_school_user, _small_company_user = build_plan(
        edition, "Technicum Antwerpen", "Umicore", 1, adviser=adviser
    )
    print(f"setup: {time.perf_counter() - started:.1f} s", flush=True)

    clients = {}
    for role, user in (("school member", school_user), ("adviser", adviser), ("small school", small_school_user)):
        clients[role] = Client(raise_request_exception=True)
        clients[role].force_login(user)
    url, small_url = (reverse("actionplans:plan-detail", args=[plan.pk]) for plan in (big, small))

    def size() -> str:
        milestones = Milestone.objects.filter(goal__plan=big).count()
        actions = Action.objects.filter(goal__plan=big).count()
        events = PlanEvent.objects.filter(plan=big).count()
        return f"{big.goals.count()} goals, {milestones} milestones, {actions} actions, {events} events"

    rows: list[tuple[str, str, str]] = []
    small_counts = {
        "school member": measure(clients["small school"], small_url)[-1],
        "adviser": measure(clients["adviser"], small_url)[-1],
    }
    for label in ("as built", "long history"):
        if label == "long history":
            add_history_and_comments(big, school_user, company_user, adviser)
        rows.append((f"plan {url}: {size()}, {big.comments.count()} comments", "", ""))
        for role in ("school member", "adviser"):
            median, low, high, cpu, count = measure(clients[role], url)
            rows.append(
                (
                    f"  {label}, as {role}: server time (median of {RUNS}); CPU time",
                    f"{median:.1f} ms (min {low:.1f}, max {high:.1f}); {cpu:.1f} ms",
                    f"< 100 ms {'OK' if median < 100 else 'MISSED'}",
                )
            )
            same = count == small_counts[role]
            rows.append(
                (
                    f"  {label}, as {role}: queries (1 goal / 5 actions: {small_counts[role]})",
                    str(count),
                    f"constant {'OK' if same else 'MISSED'}",
                )
            )

    print()
    print(
        f"STEMpact action plan page benchmark — {dt.date.today().isoformat()} · {platform.system()} "
        f"{platform.machine()} · {os.cpu_count()} CPUs · Python {platform.python_version()} · "
        f"Django {django.get_version()} · SQLite"
    )
    width = max(len(r[0]) for r in rows)
    value_width = max(len(r[1]) for r in rows)
    for name, value, goal in rows:
        print(f"{name.ljust(width)}  {value.ljust(value_width)}  {goal}")
    if "--profile" in sys.argv:
        profile(clients["school member"], url)


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(WORKDIR, ignore_errors=True)
