"""`manage.py rank_companies --school "<name or id>" [--limit 10] [--json]`: the best mentor companies for a school."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from matching.services import ranking_for
from partners.models import Edition, Participation


class Command(BaseCommand):
    help = "Rank the mentor companies of an edition for one school, with the parts of each score."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--school", required=True, help="School id or (part of) its name.")
        parser.add_argument("--edition", help="Edition slug (default: the current edition).")
        parser.add_argument("--limit", type=int, default=10)
        parser.add_argument("--max-distance", type=float, default=None, help="Leave out companies farther (km).")
        parser.add_argument("--json", action="store_true", help="Print JSON instead of a table.")

    def handle(self, *args: Any, **options: Any) -> None:
        edition = (
            Edition.objects.filter(slug=options["edition"]).first() if options["edition"] else Edition.objects.current()
        )
        if edition is None:
            raise CommandError("No such edition.")
        participations = Participation.objects.filter(edition=edition).select_related("school", "edition")
        key = options["school"]
        found = list(participations.filter(school_id=int(key))) if key.isdigit() else []
        found = found or list(participations.filter(school__name__icontains=key)[:2])
        if len(found) != 1:
            raise CommandError(
                f"{'No' if not found else 'More than one'} school in {edition.slug} matches {key!r}; give its id."
            )
        result = ranking_for(participation=found[0], limit=options["limit"], max_distance_km=options["max_distance"])
        rows = [
            {
                "rank": i,
                "company_id": r.company.pk,
                "company": r.company.name,
                "score": round(r.total, 4),
                "distance_km": round(r.distance_km, 1),
                "parts": {k: round(v, 4) for k, v in r.parts.items()},
                "explanation": r.sentence,
            }
            for i, r in enumerate(result.rows, start=1)
        ]
        payload = {
            "school": found[0].school.name,
            "edition": edition.slug,
            "need_is_neutral": result.need_is_neutral,
            "ranking": rows,
            "left_out": [{"company": x.company.name, "reason": x.reason} for x in result.left_out],
        }
        if options["json"]:
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{payload['school']} ({edition.slug})")
        if result.need_is_neutral:
            self.stdout.write("No finalised baseline yet: the need part is neutral.")
        for row in rows:
            self.stdout.write(f"{row['rank']:>3}. {row['score']:.3f}  {row['company']}  – {row['explanation']}")
