"""Import schools and mentor companies from CSV files (the formats are in docs/csv-formats.md)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from partners.imports import OrganisationImportRejected, decode_upload, organisations_import


class Command(BaseCommand):
    help = (
        "Import schools and/or companies from CSV files. Rows are matched on name + postcode (schools) and "
        "enterprise number (companies), so importing a file again updates instead of duplicating. Nothing is "
        "written unless every row of every file is valid."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--schools", metavar="FILE", type=Path, help="CSV file with schools")
        parser.add_argument("--companies", metavar="FILE", type=Path, help="CSV file with companies")

    def handle(self, *args: Any, schools: Path | None, companies: Path | None, **options: Any) -> None:
        if schools is None and companies is None:
            raise CommandError("Give --schools FILE, --companies FILE or both.")
        paths = {"schools": schools, "companies": companies}
        texts = {kind: self._read(path) for kind, path in paths.items() if path is not None}
        # Operators read English; the web upload shows the same messages in the user's language.
        with translation.override("en"):
            try:
                result = organisations_import(
                    schools_file=io.StringIO(texts["schools"]) if "schools" in texts else None,
                    companies_file=io.StringIO(texts["companies"]) if "companies" in texts else None,
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
        if companies is not None:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Companies: {result.companies_created} created, {result.companies_updated} updated."
                )
            )

    def _read(self, path: Path) -> str:
        try:
            return decode_upload(path.read_bytes())
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror or exc}") from None
