"""`manage.py seed_demo [--scale large]`: load the demo setup (and, for benchmarks, a large generated data set).

Lives in the project package because it strings the apps' own demo builders together (partners, then baseline),
and apps only import "downwards" (DESIGN.md).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from actionplans.demo import build_demo_plans
from baseline.demo import build_demo_measurements, build_large_baselines
from matching.demo import build_demo_matches, build_demo_profiles
from partners.demo import LARGE_COMPANIES, LARGE_SCHOOLS, SeedReport, build_demo, build_large

if TYPE_CHECKING:
    from argparse import ArgumentParser


class Command(BaseCommand):
    help = (
        "Create or update the STEMpact demo data: editions 2025-2026 and 2026-2027, the first edition's schools and "
        "mentor companies, participations and one login per role (password printed at the end). Safe to run again. "
        "--scale large adds about 1,000 schools and 18,000 companies for benchmarks (--schools/--companies to change)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--scale",
            choices=["demo", "large"],
            default="demo",
            help="demo (default): the curated demo setup; large: also generated schools and companies.",
        )
        parser.add_argument(
            "--schools",
            type=int,
            default=LARGE_SCHOOLS,
            help=f"With --scale large: how many generated schools (default {LARGE_SCHOOLS:,}).",
        )
        parser.add_argument(
            "--companies",
            type=int,
            default=LARGE_COMPANIES,
            help=f"With --scale large: how many generated companies (default {LARGE_COMPANIES:,}).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even when DEBUG is off. The demo logins share a published password: never on production.",
        )

    def handle(self, *args: Any, scale: str, schools: int, companies: int, force: bool, **options: Any) -> None:
        if schools < 0 or companies < 0:
            raise CommandError("--schools and --companies cannot be negative.")
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off, so this looks like a production database. The demo logins share a published "
                "password; pass --force if you really want demo data here."
            )
        started = time.perf_counter()
        demo = build_demo()
        self._summary("Demo setup", demo)
        measurements = build_demo_measurements()
        self.stdout.write(
            f"Measurements: {measurements.created} created, {measurements.existing} already there "
            "(finalised baselines; end measurements for the previous edition)"
        )
        if scale == "large":
            self.stdout.write(f"Generating {schools:,} schools and {companies:,} companies ...")
            large = build_large(schools=schools, companies=companies)
            self._summary("Generated data (--scale large)", large)
            baselines = build_large_baselines()
            self.stdout.write(f"Finalised baselines of generated schools: {baselines:,} created")
        profiles = build_demo_profiles()
        self.stdout.write(f"Mentor profiles in the current edition: {profiles} created")
        matches = build_demo_matches()
        self.stdout.write(f"Active matches of the demo pairs: {matches} created")
        plans = build_demo_plans()
        self.stdout.write(f"Action plans: {plans.plans} draft, {plans.submitted} submitted")
        self.stdout.write(f"Learning-network sessions: {plans.sessions} planned")
        self._credentials(demo)
        self.stdout.write(self.style.SUCCESS(f"Done in {time.perf_counter() - started:.1f} s."))

    def _summary(self, title: str, report: SeedReport) -> None:
        self.stdout.write(self.style.MIGRATE_HEADING(f"{title} ({report.seconds:.1f} s)"))
        rows = [(label, report.created[label], report.updated[label], report.skipped[label]) for label in report.labels]
        width = max([len("what"), *(len(label) for label, *_ in rows)])
        self.stdout.write(f"  {'what':<{width}}  {'created':>8}  {'updated':>8}  {'skipped':>8}")
        for label, created, updated, skipped in rows:
            self.stdout.write(f"  {label:<{width}}  {created:>8,}  {updated:>8,}  {skipped:>8,}")

    def _credentials(self, report: SeedReport) -> None:
        self.stdout.write(self.style.MIGRATE_HEADING("Demo logins (sign in with the e-mail address)"))
        header = ("role", "e-mail", "name", "scope", "password")
        rows = [(c.role, c.email, c.name, c.scope, c.password) for c in report.credentials]
        widths = [max(len(str(row[i])) for row in (header, *rows)) for i in range(len(header))]
        line = "  +" + "+".join("-" * (w + 2) for w in widths) + "+"
        self.stdout.write(line)
        self.stdout.write("  | " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |")
        self.stdout.write(line)
        for row in rows:
            self.stdout.write("  | " + " | ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) + " |")
        self.stdout.write(line)
        if report.credentials:
            self.stdout.write(f"  Shared demo password: {report.credentials[0].password}")
