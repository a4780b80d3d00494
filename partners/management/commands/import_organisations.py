"""Import schools and mentor companies from CSV files (the formats are in docs/csv-formats.md)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from partners.imports import OrganisationImportRejected, decode_upload, organisations_import
from partners.models import Edition


class Command(BaseCommand):
    help = (
        "Import schools and/or companies from CSV files. Rows are matched on name + postcode (schools) and "
        "enterprise number (companies), so importing a file again updates instead of duplicating. Nothing is "
        "written unless every row of every file is valid. The imported schools are registered in the edition "
        "(--edition, default the current one) and mentor-profile columns of the companies file are attached to it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--schools", metavar="FILE", type=Path, help="CSV file with schools")
        parser.add_argument("--companies", metavar="FILE", type=Path, help="CSV file with companies")
        parser.add_argument(
            "--edition",
            metavar="SLUG",
            help="edition to register the schools in and attach the mentor profiles to (default: the current one)",
        )

    def handle(
        self, *args: Any, schools: Path | None, companies: Path | None, edition: str | None, **options: Any
    ) -> None:
        if schools is None and companies is None:
            raise CommandError("Give --schools FILE, --companies FILE or both.")
        target = self._edition(edition)
        paths = {"schools": schools, "companies": companies}
        texts = {kind: self._read(path) for kind, path in paths.items() if path is not None}
        # Operators read English; the web upload shows the same messages in the user's language.
        with translation.override("en"):
            try:
                result = organisations_import(
                    schools_file=io.StringIO(texts["schools"]) if "schools" in texts else None,
                    companies_file=io.StringIO(texts["companies"]) if "companies" in texts else None,
                    edition=target,
                )
            except OrganisationImportRejected as rejected:
                for error in rejected.errors:
                    where = f"{paths[error.file]}: row {error.row}"
                    if error.column:
                        where += f", column {error.column}"
                    self.stderr.write(f"{where}: {error.message}")
                raise CommandError(
                    f"Import rejected: {len(rejected.errors)} error(s) found; nothing was imported."
                ) from None
        if schools is not None:
            self.stdout.write(
                self.style.SUCCESS(f"Schools: {result.schools_created} created, {result.schools_updated} updated.")
            )
            if target is not None:
                self.stdout.write(
                    self.style.SUCCESS(
                        f"Edition {target.slug}: {result.schools_registered} school(s) newly registered."
                    )
                )
            else:
                self.stderr.write("No edition exists yet: the schools were not registered in an edition.")
        if companies is not None:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Companies: {result.companies_created} created, {result.companies_updated} updated."
                )
            )
        for note in result.notes:
            self.stdout.write(self.style.SUCCESS(note))

    def _edition(self, slug: str | None) -> Edition | None:
        """The edition named by --edition, else the current one (None when no edition exists at all)."""
        if slug is None:
            return Edition.objects.current()
        edition = Edition.objects.filter(slug=slug).first()
        if edition is None:
            known = ", ".join(Edition.objects.order_by("-starts_on").values_list("slug", flat=True)) or "none"
            raise CommandError(f"Unknown edition {slug!r}. Known editions: {known}.")
        return edition

    def _read(self, path: Path) -> str:
        try:
            return decode_upload(path.read_bytes())
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror or exc}") from None
