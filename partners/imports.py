"""CSV import of schools and mentor companies.

Coordinators upload the two files in the web interface; `manage.py import_organisations` calls the same service.
Everything is validated before anything is written: one bad cell rejects the whole import, and the coordinator gets
every problem at once (file, row as a spreadsheet numbers it, column, message) so one round of corrections suffices.
The formats are documented for users in docs/csv-formats.md; keep the two in step.

Reading rules (shared by both files):
- the delimiter is whichever of `,`, `;` or tab occurs most in the header line (Excel in Belgium writes `;`), or the
  one an Excel "sep=;" first line names;
- list cells (study_areas, nace_codes and the list columns of registered handlers) separate their items with `;`, so
  in a `;`-delimited file they must be quoted (Excel does this itself); a row with more cells than the header is
  rejected rather than silently cut short;
- column names are case-insensitive, unknown columns are ignored, cells are trimmed, blank rows are skipped;
- an optional column left out of the header leaves that field untouched on re-import; present but empty clears it.

Editions: given an edition, the schools of the file are registered in it (a Participation, once).

Extension point: other apps add optional columns to the companies file without this module importing them
(imports run partners <- baseline <- matching). An app implements `CompanyColumns` and calls
`register_company_columns()` from its AppConfig.ready(); the import then reads those columns, lets the handler check
every row (its problems join the same all-or-nothing error list) and, once the companies are saved, lets it write
its data in the same transaction. matching/imports.py adds the mentor-profile columns this way.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TextIO

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .enterprise import is_valid_enterprise_number, normalise_enterprise_number
from .models import (
    Company,
    CompanyActivity,
    CompanySite,
    Edition,
    NaceDivision,
    Participation,
    Postcode,
    Region,
    School,
    StudyArea,
    pick_place,
    region_by_key,
    study_areas_by_key,
)

SCHOOLS = "schools"
COMPANIES = "companies"

SCHOOL_REQUIRED_COLUMNS: tuple[str, ...] = ("name", "street", "postcode", "municipality", "region", "study_areas")
SCHOOL_OPTIONAL_COLUMNS: tuple[str, ...] = ("pupils", "website", "email")
COMPANY_REQUIRED_COLUMNS: tuple[str, ...] = (
    "name",
    "enterprise_number",
    "street",
    "postcode",
    "municipality",
    "nace_codes",
)
COMPANY_OPTIONAL_COLUMNS: tuple[str, ...] = ("employees", "website")

LIST_SEPARATOR = ";"
DELIMITERS: tuple[str, ...] = (",", ";", "\t")

# bulk_update writes one CASE WHEN per field and row: the database's work grows with the square of the batch, so
# update in modest batches (the number of queries still grows only with rows / batch, never per row).
_UPDATE_BATCH = 100
# PositiveIntegerField's upper bound on every database Django supports.
_MAX_WHOLE_NUMBER = 2_147_483_647
# "800", "1200", and Belgian thousands notation "1.200" / "1 200".
_WHOLE_NUMBER = re.compile(r"^(?:\d+|\d{1,3}(?:[.\s]\d{3})+)$")
_NACE_CHARACTERS = re.compile(r"^[\d.\s]+$")


# --------------------------------------------------------------------------- public API


@dataclass(frozen=True)
class RowError:
    """One problem in an uploaded file. `row` counts like a spreadsheet: the header is row 1."""

    file: str  # SCHOOLS or COMPANIES
    row: int
    column: str  # "" for a problem with the whole row or file
    message: str


class OrganisationImportRejected(Exception):  # noqa: N818 -- the name the upload view uses
    """The import was refused and nothing was written; `errors` lists every problem found, in file and row order."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"organisation import rejected with {len(errors)} error(s)")
        self.errors = errors


@dataclass(frozen=True)
class ImportResult:
    schools_created: int = 0
    schools_updated: int = 0
    companies_created: int = 0
    companies_updated: int = 0
    #: Schools of the file newly registered in the edition (those already registered are not counted).
    schools_registered: int = 0
    #: One sentence per registered column handler that wrote something, e.g. "Mentor profiles: 2 added, 1 updated."
    notes: tuple[str, ...] = ()


#: A column handler reports a problem as (row number, column, translated message).
ReportCellError = Callable[[int, str, str], None]


class CompanyColumns[T](Protocol):
    """Optional extra columns of the companies file that another app reads and writes.

    `validate` sees every data row (also rows with other problems, so every problem is reported at once) and returns
    its parsed data per row number; a row it has nothing for is left out. Any reported problem rejects the whole
    import. `apply` runs after the companies, their main sites and NACE activities are saved, inside the import's
    transaction, with the saved company of each row `validate` returned data for. It returns one sentence for the
    summary, or None when it wrote nothing.
    """

    #: A unique name, e.g. "mentor_profile".
    name: str
    #: The lower-case column names it reads; they must not be the import's own columns or another handler's.
    columns: tuple[str, ...]

    def validate(
        self,
        rows: Sequence[tuple[int, Mapping[str, str]]],
        *,
        edition: Edition | None,
        present: frozenset[str],
        report: ReportCellError,
    ) -> dict[int, T]:
        """Check each row's cells of `present` (the handler's columns in the file header; cells are trimmed)."""
        ...

    def apply(
        self, rows: Sequence[tuple[Company, T]], *, edition: Edition | None, present: frozenset[str]
    ) -> str | None:
        """Write the parsed data of the saved companies."""
        ...


_company_columns: dict[str, CompanyColumns[Any]] = {}


def register_company_columns(handler: CompanyColumns[Any]) -> None:
    """Add a handler's optional columns to the companies file (call from AppConfig.ready(); repeating is harmless)."""
    taken = set(COMPANY_REQUIRED_COLUMNS) | set(COMPANY_OPTIONAL_COLUMNS)
    for other in _company_columns.values():
        if other.name != handler.name:
            taken |= set(other.columns)
    if clash := taken & set(handler.columns):
        raise ImproperlyConfigured(f"Company import columns {sorted(clash)} of {handler.name!r} are already taken.")
    _company_columns[handler.name] = handler


def company_extra_columns() -> tuple[str, ...]:
    """The optional company columns the registered handlers add, in registration order."""
    return tuple(column for handler in _company_columns.values() for column in handler.columns)


def split_list(value: str) -> list[str]:
    """The items of a list cell (separated by `;`), trimmed, empty items dropped."""
    return [item.strip() for item in value.split(LIST_SEPARATOR) if item.strip()]


def decode_upload(data: bytes) -> str:
    """Text of an uploaded CSV: UTF-8 (with or without BOM), UTF-16 with a BOM, else Windows-1252 (Excel on Windows)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; replace them rather than fail on an otherwise readable file.
        return data.decode("cp1252", errors="replace")


@transaction.atomic
def organisations_import(
    *,
    schools_file: TextIO | None = None,
    companies_file: TextIO | None = None,
    edition: Edition | None = None,
) -> ImportResult:
    """Create or update schools and companies from CSV files; all or nothing.

    Schools are matched on (name, postcode), companies on their enterprise number, so importing the same file again
    updates instead of duplicating. Given an edition, the file's schools are registered in it (once) and the registered
    column handlers attach their data to it. Raises OrganisationImportRejected, having written nothing, when any row
    is wrong.
    """
    errors: list[RowError] = []
    handlers = list(_company_columns.values())
    school_table = (
        _read_table(schools_file, file=SCHOOLS, required=SCHOOL_REQUIRED_COLUMNS, optional=SCHOOL_OPTIONAL_COLUMNS)
        if schools_file is not None
        else None
    )
    company_table = (
        _read_table(
            companies_file,
            file=COMPANIES,
            required=COMPANY_REQUIRED_COLUMNS,
            optional=(*COMPANY_OPTIONAL_COLUMNS, *company_extra_columns()),
        )
        if companies_file is not None
        else None
    )
    for table in (school_table, company_table):
        if table is not None:
            errors.extend(table.errors)

    places = _places_for(table for table in (school_table, company_table) if table is not None)
    schools = _validate_schools(school_table, places, errors) if school_table and school_table.readable else []
    companies: list[_CompanyData] = []
    extras: dict[str, dict[int, Any]] = {}
    if company_table and company_table.readable:
        companies = _validate_companies(company_table, places, errors)
        extras = _validate_company_columns(handlers, company_table, edition, errors)
    if errors:
        order = (SCHOOLS, COMPANIES)
        raise OrganisationImportRejected(sorted(errors, key=lambda e: (order.index(e.file), e.row)))

    schools_created = schools_updated = companies_created = companies_updated = registered = 0
    notes: list[str] = []
    if school_table is not None:
        schools_created, schools_updated, saved_schools = _save_schools(schools, columns=school_table.columns)
        if edition is not None:
            registered = _register_schools(saved_schools, edition)
    if company_table is not None:
        companies_created, companies_updated, saved = _save_companies(companies, columns=company_table.columns)
        for handler in handlers:
            if handler.name in extras:
                rows = [
                    (company, extras[handler.name][data.row])
                    for company, data in saved
                    if data.row in extras[handler.name]
                ]
                note = handler.apply(rows, edition=edition, present=company_table.columns & set(handler.columns))
                if note:
                    notes.append(note)
    return ImportResult(
        schools_created=schools_created,
        schools_updated=schools_updated,
        companies_created=companies_created,
        companies_updated=companies_updated,
        schools_registered=registered,
        notes=tuple(notes),
    )


def _validate_company_columns(
    handlers: list[CompanyColumns[Any]], table: _Table, edition: Edition | None, errors: list[RowError]
) -> dict[str, dict[int, Any]]:
    """Each handler whose columns are in the file checks every row: its data per handler name and row number."""

    def report(row: int, column: str, message: str) -> None:
        errors.append(RowError(COMPANIES, row, column, message))

    parsed: dict[str, dict[int, Any]] = {}
    for handler in handlers:
        present = table.columns & set(handler.columns)
        if not present:
            continue
        rows = [(number, {c: cells[c] for c in present}) for number, cells in table.rows]
        parsed[handler.name] = handler.validate(rows, edition=edition, present=present, report=report)
    return parsed


def _register_schools(schools: list[School], edition: Edition) -> int:
    """Register the schools in the edition; a school already registered keeps its participation and status."""
    wanted = {school.pk: school for school in schools}
    already = set(
        Participation.objects.filter(edition=edition, school_id__in=wanted).values_list("school_id", flat=True)
    )
    new = [Participation(edition=edition, school=school) for pk, school in wanted.items() if pk not in already]
    Participation.objects.bulk_create(new)
    return len(new)


# --------------------------------------------------------------------------- reading CSV


@dataclass
class _Table:
    """The data rows of one file as {column: trimmed cell}, keyed by their spreadsheet row number."""

    file: str
    columns: frozenset[str] = frozenset()
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    # False when the file or its header is broken: checking the rows one by one would only repeat that problem.
    readable: bool = True

    def reject(self, row: int, message: str, *, column: str = "", readable: bool = True) -> None:
        self.errors.append(RowError(self.file, row, column, message))
        self.readable = self.readable and readable


_EXCEL_SEPARATOR_HINT = re.compile(r"sep=(.)\r?")


def _sniff_delimiter(text: str) -> tuple[str, str]:
    """The delimiter, and the text without Excel's "sep=;" first line if it has one (Excel hides that line).

    Otherwise the delimiter is the one that occurs most in the header line (column names contain none); ',' if none.
    """
    first_line, _newline, rest = text.partition("\n")
    if hint := _EXCEL_SEPARATOR_HINT.fullmatch(first_line):
        return hint[1], rest
    header = next((line for line in text.splitlines() if line.strip()), "")
    best = max(DELIMITERS, key=header.count)
    return (best if header.count(best) else ","), text


def _read_table(handle: TextIO, *, file: str, required: tuple[str, ...], optional: tuple[str, ...]) -> _Table:
    table = _Table(file=file)
    data: str | bytes = handle.read()
    text = (decode_upload(data) if isinstance(data, bytes) else data).removeprefix("\ufeff")
    delimiter, text = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    positions: dict[str, int] | None = None  # known column -> index, once the header is read
    header_width = 0
    number = 0
    try:
        # csv.reader yields one record per spreadsheet row (a blank line is an empty record, a quoted cell may span
        # lines), so counting records gives the row numbers a coordinator sees when opening the file in Excel.
        for number, record in enumerate(reader, start=1):
            if not any(cell.strip() for cell in record):
                continue
            if positions is None:
                positions = _read_header(table, record, number, required=required, optional=optional)
                if not table.readable:
                    return table
                header_width = len(record)
                continue
            found = len(record)
            while found > header_width and not record[found - 1].strip():
                found -= 1
            if found > header_width:
                table.reject(
                    number,
                    _(
                        "this row has more cells (%(found)d) than the header (%(expected)d): put a cell that "
                        "contains the delimiter, such as a list separated by semicolons, in double quotes"
                    )
                    % {"found": found, "expected": header_width},
                )
                continue
            cells = {name: record[index].strip() if index < len(record) else "" for name, index in positions.items()}
            table.rows.append((number, cells))
    except csv.Error as exc:
        table.reject(number + 1, _("the file could not be read as CSV: %(reason)s") % {"reason": exc}, readable=False)
        return table
    if positions is None:
        table.reject(1, _("the file is empty: it needs a header row with the column names"), readable=False)
    return table


def _read_header(
    table: _Table, record: list[str], number: int, *, required: tuple[str, ...], optional: tuple[str, ...]
) -> dict[str, int]:
    known = (*required, *optional)
    positions: dict[str, int] = {}
    for index, cell in enumerate(record):
        name = cell.strip().casefold()
        if name not in known:
            continue  # unknown columns are ignored: people keep their own notes beside the data
        if name in positions:
            table.reject(
                number,
                _("the column %(column)s appears more than once") % {"column": name},
                column=name,
                readable=False,
            )
        positions[name] = index
    for name in required:
        if name not in positions:
            table.reject(
                number, _("the required column %(column)s is missing") % {"column": name}, column=name, readable=False
            )
    table.columns = frozenset(positions)
    return positions


# --------------------------------------------------------------------------- checking cells


class InvalidCellError(ValueError):
    """A cell's value is not acceptable; `message` (translated) says why, quoting the value."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def shown_value(value: str) -> str:
    """A cell value as quoted back in a message, cut short so one absurd cell cannot flood the error list."""
    return value if len(value) <= 60 else value[:57] + "..."


def _fold(name: str) -> str:
    """Names that differ only in case or spacing are the same organisation."""
    return " ".join(name.split()).casefold()


def whole_number(value: str) -> int:
    if not _WHOLE_NUMBER.match(value) or int(re.sub(r"[.\s]", "", value)) > _MAX_WHOLE_NUMBER:
        raise InvalidCellError(_("%(value)s is not a whole number of zero or more") % {"value": shown_value(value)})
    return int(re.sub(r"[.\s]", "", value))


_validate_url = URLValidator(schemes=["http", "https"])


def _website(value: str) -> str:
    """A web address; "www.school.be" gets https:// in front, as people type it that way."""
    url = value if "://" in value else f"https://{value}"
    try:
        if len(url) > School._meta.get_field("website").max_length:
            raise ValidationError("too long")
        _validate_url(url)
    except ValidationError:
        raise InvalidCellError(_("%(value)s is not a valid web address") % {"value": shown_value(value)}) from None
    return url


def _email(value: str) -> str:
    try:
        if len(value) > School._meta.get_field("email").max_length:
            raise ValidationError("too long")
        validate_email(value)
    except ValidationError:
        raise InvalidCellError(_("%(value)s is not a valid e-mail address") % {"value": shown_value(value)}) from None
    return value


def _enterprise_number(value: str) -> str:
    digits = normalise_enterprise_number(value)
    if not is_valid_enterprise_number(digits):
        raise InvalidCellError(_("%(value)s is not a valid Belgian enterprise number") % {"value": shown_value(value)})
    return digits


def normalise_nace_code(value: str) -> str:
    """A NACE-BEL code as stored: "20" or "20.141" (a dot after the two-digit division); accepts "20141", "20.14.1".

    Raises ValueError (with a translated message) for anything else.
    """
    digits = re.sub(r"[.\s]", "", value)
    if "." in value and len(value.split(".")[0].strip()) == 1:
        # "1.11": a spreadsheet read 01.110 as a number. Guessing "11.1" would file it under the wrong division.
        raise InvalidCellError(
            _(
                "%(value)s is not a NACE-BEL code: the division needs two digits (a spreadsheet may have dropped "
                "a leading zero; format the cells as text)"
            )
            % {"value": shown_value(value)}
        )
    if not _NACE_CHARACTERS.match(value) or not 2 <= len(digits) <= 5:
        raise InvalidCellError(
            _("%(value)s is not a NACE-BEL code (two to five digits, for example 20.141)")
            % {"value": shown_value(value)}
        )
    return digits if len(digits) == 2 else f"{digits[:2]}.{digits[2:]}"


def _keyed[T](keyed: dict[str, T], message: str) -> Callable[[str], T]:
    def lookup(value: str) -> T:
        try:
            return keyed[value.casefold()]
        except KeyError:
            raise InvalidCellError(message % {"value": shown_value(value)}) from None

    return lookup


class _Row:
    """One data row under validation; every problem goes to the shared error list and marks the row as not ok."""

    def __init__(self, file: str, number: int, cells: dict[str, str], errors: list[RowError]) -> None:
        self.file = file
        self.number = number
        self.cells = cells
        self.errors = errors
        self.ok = True

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.file, self.number, column, message))
        self.ok = False

    def _required(self, column: str) -> None:
        self.error(column, _("a value is required"))

    def text(self, column: str, model: type[models.Model], *, required: bool = False) -> str:
        value = self.cells.get(column, "")
        max_length = model._meta.get_field(column).max_length
        if required and not value:
            self._required(column)
        elif max_length is not None and len(value) > max_length:
            self.error(column, _("at most %(max)d characters are allowed") % {"max": max_length})
        return value

    def parsed[T](self, column: str, parse: Callable[[str], T], *, required: bool = False) -> T | None:
        value = self.cells.get(column, "")
        if not value:
            if required:
                self._required(column)
            return None
        try:
            return parse(value)
        except InvalidCellError as exc:
            self.error(column, exc.message)
            return None

    def items[T](self, column: str, parse: Callable[[str], T]) -> list[T]:
        """A required list cell: every item is checked, so each unknown one is reported; duplicates are dropped."""
        values = split_list(self.cells.get(column, ""))
        if not values:
            self._required(column)
        result: list[T] = []
        for value in values:
            try:
                item = parse(value)
            except InvalidCellError as exc:
                self.error(column, exc.message)
                continue
            if item not in result:
                result.append(item)
        return result

    def place(self, places: dict[str, list[Postcode]]) -> tuple[str, str, Postcode | None]:
        """Postcode, municipality as written, and the place whose coordinates the organisation gets."""
        postcode = self.cells.get("postcode", "")
        if not postcode:
            self._required("postcode")
        elif postcode not in places:
            self.error("postcode", _("unknown postcode %(value)s") % {"value": shown_value(postcode)})
        municipality = self.text("municipality", School, required=True)
        place = pick_place(places.get(postcode, []), municipality)
        return postcode, municipality, place


def _places_for(tables: Iterable[_Table]) -> dict[str, list[Postcode]]:
    """The places of every postcode the files mention, in one query."""
    codes = {cells.get("postcode", "") for table in tables for _number, cells in table.rows} - {""}
    places: dict[str, list[Postcode]] = defaultdict(list)
    if codes:
        for place in Postcode.objects.filter(code__in=codes).order_by("id"):
            places[place.code].append(place)
    return dict(places)


# --------------------------------------------------------------------------- schools


@dataclass(frozen=True)
class _SchoolData:
    name: str
    street: str
    postcode: str
    municipality: str
    place: Postcode
    region: Region
    study_areas: list[StudyArea]
    pupils: int | None
    website: str
    email: str


def _validate_schools(table: _Table, places: dict[str, list[Postcode]], errors: list[RowError]) -> list[_SchoolData]:
    regions = _keyed(region_by_key(Region.objects.all()), _("unknown region %(value)s"))
    study_areas = _keyed(study_areas_by_key(), _("unknown study area %(value)s"))
    first_row: dict[tuple[str, str], int] = {}
    valid: list[_SchoolData] = []
    for number, cells in table.rows:
        row = _Row(SCHOOLS, number, cells, errors)
        name = row.text("name", School, required=True)
        street = row.text("street", School, required=True)
        postcode, municipality, place = row.place(places)
        region = row.parsed("region", regions, required=True)
        areas = row.items("study_areas", study_areas)
        pupils = row.parsed("pupils", whole_number)
        website = row.parsed("website", _website) or ""
        email = row.parsed("email", _email) or ""
        if name and postcode:
            key = (_fold(name), postcode)
            if key in first_row:
                row.error(
                    "",
                    _("the same school (name and postcode) is also on row %(row)d") % {"row": first_row[key]},
                )
            first_row.setdefault(key, number)
        if row.ok and place is not None and region is not None:
            valid.append(
                _SchoolData(name, street, postcode, municipality, place, region, areas, pupils, website, email)
            )
    return valid


def _save_schools(rows: list[_SchoolData], *, columns: frozenset[str]) -> tuple[int, int, list[School]]:
    by_name: dict[tuple[str, str], School] = {}
    by_folded_name: dict[tuple[str, str], School] = {}
    for school in School.objects.filter(postcode__in={r.postcode for r in rows}).order_by("id"):
        by_name[(school.name, school.postcode)] = school
        by_folded_name.setdefault((_fold(school.name), school.postcode), school)

    created: list[School] = []
    matched: list[School] = []
    changed: dict[int, School] = {}
    saved: list[tuple[School, _SchoolData]] = []
    for data in rows:
        values: dict[str, object] = {
            "name": data.name,
            "street": data.street,
            "postcode": data.postcode,
            "municipality": data.municipality,
            "latitude": data.place.latitude,
            "longitude": data.place.longitude,
            "region_id": data.region.pk,
        }
        values.update({column: getattr(data, column) for column in SCHOOL_OPTIONAL_COLUMNS if column in columns})
        school = by_name.get((data.name, data.postcode)) or by_folded_name.get((_fold(data.name), data.postcode))
        if school is None:
            school = School(**values)
            created.append(school)
        else:
            matched.append(school)
            if _assign(school, values):
                changed[school.pk] = school
        saved.append((school, data))

    # The file is the truth for the study areas offered: replace them where they differ.
    through = School.study_areas.through
    current: dict[int, set[int]] = defaultdict(set)
    for school_id, area_id in through.objects.filter(school_id__in=[s.pk for s in matched]).values_list(
        "school_id", "studyarea_id"
    ):
        current[school_id].add(area_id)
    replace = [
        school
        for school, data in saved
        if school.pk is None or current[school.pk] != {area.pk for area in data.study_areas}
    ]
    reset_ids = [school.pk for school in replace if school.pk is not None]
    changed.update({school.pk: school for school in replace if school.pk is not None})

    School.objects.bulk_create(created)
    fields = ["name", "street", "postcode", "municipality", "latitude", "longitude", "region"]
    _bulk_update(School, changed.values(), [*fields, *(c for c in SCHOOL_OPTIONAL_COLUMNS if c in columns)])
    through.objects.filter(school_id__in=reset_ids).delete()
    areas = {school.pk: data.study_areas for school, data in saved}
    through.objects.bulk_create(
        [through(school_id=school.pk, studyarea_id=area.pk) for school in replace for area in areas[school.pk]]
    )
    return len(created), len(matched), [school for school, _data in saved]


def _assign(instance: models.Model, values: dict[str, object]) -> bool:
    """Set the fields (by attribute name); True when any of them changed."""
    changed = False
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


def _bulk_update[M: models.Model](model: type[M], instances: Iterable[M], fields: list[str]) -> None:
    """Write the changed rows, stamping updated_at ourselves as bulk_update skips auto_now."""
    instances = list(instances)
    if not instances:
        return
    now = timezone.now()
    for instance in instances:
        instance.updated_at = now  # type: ignore[attr-defined]
    model._default_manager.bulk_update(instances, [*fields, "updated_at"], batch_size=_UPDATE_BATCH)


# --------------------------------------------------------------------------- companies


@dataclass(frozen=True)
class _CompanyData:
    row: int
    name: str
    enterprise_number: str
    street: str
    postcode: str
    municipality: str
    place: Postcode
    nace_codes: list[str]
    employees: int | None
    website: str


def _validate_companies(table: _Table, places: dict[str, list[Postcode]], errors: list[RowError]) -> list[_CompanyData]:
    first_row: dict[str, int] = {}
    valid: list[_CompanyData] = []
    for number, cells in table.rows:
        row = _Row(COMPANIES, number, cells, errors)
        name = row.text("name", Company, required=True)
        enterprise_number = row.parsed("enterprise_number", _enterprise_number, required=True)
        street = row.text("street", CompanySite, required=True)
        postcode, municipality, place = row.place(places)
        codes = row.items("nace_codes", normalise_nace_code)
        employees = row.parsed("employees", whole_number)
        website = row.parsed("website", _website) or ""
        if enterprise_number:
            if enterprise_number in first_row:
                row.error(
                    "enterprise_number",
                    _("the same enterprise number is also on row %(row)d") % {"row": first_row[enterprise_number]},
                )
            first_row.setdefault(enterprise_number, number)
        if row.ok and enterprise_number and place is not None:
            valid.append(
                _CompanyData(
                    number, name, enterprise_number, street, postcode, municipality, place, codes, employees, website
                )
            )
    return valid


def _save_companies(
    rows: list[_CompanyData], *, columns: frozenset[str]
) -> tuple[int, int, list[tuple[Company, _CompanyData]]]:
    existing = {
        company.enterprise_number: company
        for company in Company.objects.filter(enterprise_number__in=[r.enterprise_number for r in rows])
    }
    created: list[Company] = []
    matched: list[Company] = []
    changed: dict[int, Company] = {}
    saved: list[tuple[Company, _CompanyData]] = []
    for data in rows:
        values: dict[str, object] = {"name": data.name}
        values.update({column: getattr(data, column) for column in COMPANY_OPTIONAL_COLUMNS if column in columns})
        company = existing.get(data.enterprise_number)
        if company is None:
            company = Company(enterprise_number=data.enterprise_number, **values)
            created.append(company)
        else:
            matched.append(company)
            if _assign(company, values):
                changed[company.pk] = company
        saved.append((company, data))

    # The file's address is the main site's; other sites (added in the app) are left alone.
    matched_ids = [company.pk for company in matched]
    main_sites: dict[int, CompanySite] = {}
    for site in CompanySite.objects.filter(company_id__in=matched_ids, is_main=True).order_by("id"):
        main_sites.setdefault(site.company_id, site)
    new_sites: list[CompanySite] = []
    changed_sites: list[CompanySite] = []
    for company, data in saved:
        address = {
            "street": data.street,
            "postcode": data.postcode,
            "municipality": data.municipality,
            "latitude": data.place.latitude,
            "longitude": data.place.longitude,
        }
        site = main_sites.get(company.pk) if company.pk is not None else None
        if site is None:
            new_sites.append(CompanySite(company=company, is_main=True, **address))
        elif _assign(site, address):
            changed_sites.append(site)
            changed[company.pk] = company

    # The file is the truth for the activities: replace them where they differ. A division outside the mapping
    # (NaceDivision) is no error: the activity is kept without one.
    divisions = {division.code: division.pk for division in NaceDivision.objects.all()}
    current: dict[int, set[tuple[str, int | None]]] = defaultdict(set)
    for company_id, code, division_id in CompanyActivity.objects.filter(company_id__in=matched_ids).values_list(
        "company_id", "nace_code", "division_id"
    ):
        current[company_id].add((code, division_id))
    wanted = {id(company): {(code, divisions.get(code[:2])) for code in data.nace_codes} for company, data in saved}
    replace = [company for company, _data in saved if company.pk is None or current[company.pk] != wanted[id(company)]]
    reset_ids = [company.pk for company in replace if company.pk is not None]
    changed.update({company.pk: company for company in replace if company.pk is not None})

    Company.objects.bulk_create(created)
    _bulk_update(Company, changed.values(), ["name", *(c for c in COMPANY_OPTIONAL_COLUMNS if c in columns)])
    CompanySite.objects.bulk_create(new_sites)  # company_id is taken from the companies created just above
    CompanySite.objects.bulk_update(
        changed_sites, ["street", "postcode", "municipality", "latitude", "longitude"], batch_size=_UPDATE_BATCH
    )
    CompanyActivity.objects.filter(company_id__in=reset_ids).delete()
    CompanyActivity.objects.bulk_create(
        [
            CompanyActivity(company=company, nace_code=code, division_id=division_id)
            for company in replace
            for code, division_id in sorted(wanted[id(company)])
        ]
    )
    return len(created), len(matched), saved
