"""`manage.py assign_mentors --edition <slug> [--region <slug>] [--fairness] [--json] [--apply]`."""

from __future__ import annotations

import json
import time
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from matching.decisions import assignment_accept
from matching.services import assignment_proposal
from partners.models import Edition


class Command(BaseCommand):
    help = (
        "Propose a mentor company for every school of an edition (or region) without an active match: maximal total "
        "score, capacities respected, pinned pairs kept, excluded pairs left out. Writes nothing without --apply; "
        "with --apply the pairs are recorded as proposals exactly as on the assignment page (a school's open proposal "
        "of another company is superseded, every step is in the match's history)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--edition", required=True, help="Edition slug.")
        parser.add_argument("--region", help="Region slug.")
        parser.add_argument("--fairness", action="store_true", help="First raise the worst-off school's score.")
        parser.add_argument("--json", action="store_true", help="Print JSON instead of a table.")
        parser.add_argument(
            "--apply",
            action="store_true",
            help="Record the proposal as proposed matches (as the assignment page does).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        edition = Edition.objects.filter(slug=options["edition"]).first()
        if edition is None:
            raise CommandError(f"No edition {options['edition']!r}.")
        started = time.perf_counter()
        proposal = assignment_proposal(edition=edition, region=options["region"], fairness=options["fairness"])
        seconds = time.perf_counter() - started
        rows = [
            {
                "school_id": p.participation.school_id,
                "school": p.participation.school.name,
                "company_id": p.company.pk if p.company else None,
                "company": p.company.name if p.company else None,
                "score": round(p.score, 4) if p.score is not None else None,
                "parts": {k: round(v, 4) for k, v in p.parts.items()},
            }
            for p in proposal
        ]
        recorded = None
        if options["apply"]:
            try:
                recorded = assignment_accept(pairs=proposal, by=None)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
        if options["json"]:
            self.stdout.write(json.dumps({"edition": edition.slug, "assignment": rows}, ensure_ascii=False, indent=2))
        else:
            for row in rows:
                self.stdout.write(f"{row['school']} -> {row['company'] or '—'} ({row['score']})")
            total = sum(r["score"] or 0 for r in rows)
            self.stdout.write(f"{len(rows)} schools, total score {total:.3f}, computed in {seconds:.2f} s.")
        if recorded is not None:
            self.stderr.write(f"Recorded {len(recorded)} new proposed matches.")
