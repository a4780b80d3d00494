"""Mentor-profile columns of the companies CSV import (registered in MatchingConfig.ready()).

The companies file may carry the optional columns capacity, hours_per_month, staff, multi_year, offers and
expertise_elements, so an edition's mentor companies load in one go (docs/csv-formats.md). A row with any of them
filled creates or updates the company's MentorProfile in the import's edition; a row with all of them empty leaves
the profile alone. On a profile that already exists, a column left out of the file keeps its value and a column
present but empty on such a row gets its default, as for the import's other optional columns. A new profile gets the
study areas of the company's NACE codes (the default mapping); an existing one keeps its study areas.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from partners.imports import (
    InvalidCellError,
    ReportCellError,
    shown_value,
    split_list,
    whole_number,
)

from .models import MentorProfile, Offer
from .profiles import MAX_CAPACITY, MAX_SMALL_NUMBER, key_elements_for, nace_study_area_ids

if TYPE_CHECKING:
    from partners.models import Company, Edition

CAPACITY = "capacity"
HOURS = "hours_per_month"
STAFF = "staff"
MULTI_YEAR = "multi_year"
OFFERS = "offers"
ELEMENTS = "expertise_elements"

#: The columns in the order they are checked (and documented).
COLUMNS: tuple[str, ...] = (CAPACITY, HOURS, STAFF, MULTI_YEAR, OFFERS, ELEMENTS)
#: The value an empty cell stands for (the model's defaults).
DEFAULTS: dict[str, object] = {CAPACITY: 1, HOURS: 0, STAFF: 0, MULTI_YEAR: False, OFFERS: []}

YES = frozenset({"ja", "yes", "1", "true"})
NO = frozenset({"nee", "no", "0", "false"})

_UPDATE_BATCH = 100


@dataclass(frozen=True)
class ProfileCells:
    """One row's mentor-profile data: the present columns' values (empty cell: default) by model field name."""

    fields: dict[str, object]
    element_ids: list[int] | None  # None when the expertise_elements column is not in the file


def _bounded(maximum: int) -> Callable[[str], int]:
    def parse(value: str) -> int:
        try:
            number = whole_number(value)
        except InvalidCellError:
            number = maximum + 1
        if number > maximum:
            raise InvalidCellError(
                _("%(value)s is not a whole number from 0 to %(max)d") % {"value": shown_value(value), "max": maximum}
            )
        return number

    return parse


def _yes_no(value: str) -> bool:
    folded = value.casefold()
    if folded in YES:
        return True
    if folded in NO:
        return False
    raise InvalidCellError(
        _("%(value)s is not yes or no (write ja, nee, yes, no, 1, 0, true or false)") % {"value": shown_value(value)}
    )


def _offer_keys() -> dict[str, str]:
    """Offer slugs keyed by slug, Dutch label and English label, case-folded."""
    keys: dict[str, str] = {}
    for offer in Offer:
        keys[offer.value.casefold()] = offer.value
        for language in ("nl", "en"):
            with translation.override(language):
                keys[str(offer.label).casefold()] = offer.value
    return keys


def _element_keys(edition: Edition | None) -> dict[str, int]:
    """Key element ids of the edition's framework keyed by number and by (short) Dutch and English name."""
    keys: dict[str, int] = {}
    for element in key_elements_for(edition):
        for key in (str(element.number), element.name, element.short_name, element.name_en, element.short_name_en):
            if key:
                keys[key.casefold()] = element.pk
    return keys


class MentorProfileColumns:
    """The CompanyColumns handler for mentor profiles (see partners.imports)."""

    name: str = "mentor_profile"
    columns: tuple[str, ...] = COLUMNS

    def validate(
        self,
        rows: Sequence[tuple[int, Mapping[str, str]]],
        *,
        edition: Edition | None,
        present: frozenset[str],
        report: ReportCellError,
    ) -> dict[int, ProfileCells]:
        offers = _offer_keys()
        elements = _element_keys(edition)
        scalar: dict[str, Callable[[str], object]] = {
            CAPACITY: _bounded(MAX_CAPACITY),
            HOURS: _bounded(MAX_SMALL_NUMBER),
            STAFF: _bounded(MAX_SMALL_NUMBER),
            MULTI_YEAR: _yes_no,
        }
        parsed: dict[int, ProfileCells] = {}
        for number, cells in rows:
            filled = [column for column in COLUMNS if cells.get(column)]
            if not filled:
                continue
            if edition is None:
                report(number, filled[0], _("there is no edition to attach the mentor profile to: create one first"))
                continue
            ok = True
            fields: dict[str, object] = {}
            for column in (c for c in COLUMNS if c in present and c in scalar):
                value = cells[column]
                try:
                    fields[column] = scalar[column](value) if value else DEFAULTS[column]
                except InvalidCellError as exc:
                    report(number, column, exc.message)
                    ok = False
            if OFFERS in present:
                chosen, good = _items(cells[OFFERS], offers, _("unknown offer %(value)s"), number, OFFERS, report)
                fields[OFFERS] = [offer.value for offer in Offer if offer.value in chosen]
                ok = ok and good
            element_ids = None
            if ELEMENTS in present:
                message = _("unknown key element %(value)s (give its number, 1 to 7, or its name)")
                found, good = _items(cells[ELEMENTS], elements, message, number, ELEMENTS, report)
                element_ids = sorted(found)
                ok = ok and good
            if ok:
                parsed[number] = ProfileCells(fields=fields, element_ids=element_ids)
        return parsed

    def apply(
        self, rows: Sequence[tuple[Company, ProfileCells]], *, edition: Edition | None, present: frozenset[str]
    ) -> str | None:
        if not rows or edition is None:
            return None
        existing = {
            profile.company_id: profile
            for profile in MentorProfile.objects.filter(edition=edition, company_id__in=[c.pk for c, _cells in rows])
        }
        created: list[MentorProfile] = []
        changed: dict[int, MentorProfile] = {}
        saved: list[tuple[MentorProfile, ProfileCells]] = []
        for company, cells in rows:
            profile = existing.get(company.pk)
            if profile is None:
                profile = MentorProfile(company=company, edition=edition, **cells.fields)
                created.append(profile)
            elif _assign(profile, cells.fields):
                changed[profile.pk] = profile
            saved.append((profile, cells))

        # The file is the truth for the key elements when it has the column: replace them where they differ.
        through = MentorProfile.expertise_elements.through
        current: dict[int, set[int]] = defaultdict(set)
        for profile_id, element_id in through.objects.filter(
            mentorprofile_id__in=[p.pk for p in existing.values()]
        ).values_list("mentorprofile_id", "keyelement_id"):
            current[profile_id].add(element_id)
        replace = [
            (profile, cells.element_ids)
            for profile, cells in saved
            if cells.element_ids is not None and (profile.pk is None or current[profile.pk] != set(cells.element_ids))
        ]
        changed.update({profile.pk: profile for profile, _ids in replace if profile.pk is not None})

        MentorProfile.objects.bulk_create(created)
        now = timezone.now()
        for profile in changed.values():
            profile.updated_at = now  # bulk_update skips auto_now; the matching cache watches this stamp
        MentorProfile.objects.bulk_update(
            changed.values(), [*(c for c in DEFAULTS if c in present), "updated_at"], batch_size=_UPDATE_BATCH
        )
        existing_ids = {p.pk for p in existing.values()}
        through.objects.filter(mentorprofile_id__in=[p.pk for p, _ids in replace if p.pk in existing_ids]).delete()
        through.objects.bulk_create(
            [through(mentorprofile_id=profile.pk, keyelement_id=pk) for profile, ids in replace for pk in ids or ()]
        )
        areas = nace_study_area_ids(profile.company_id for profile in created)
        area_through = MentorProfile.study_areas.through
        area_through.objects.bulk_create(
            [
                area_through(mentorprofile_id=profile.pk, studyarea_id=area_id)
                for profile in created
                for area_id in sorted(areas.get(profile.company_id, ()))
            ]
        )
        return _("Mentor profiles for %(edition)s: %(added)d added, %(updated)d updated.") % {
            "edition": edition,
            "added": len(created),
            "updated": len(rows) - len(created),
        }


def _items[T](
    cell: str, keys: dict[str, T], message: str, row: int, column: str, report: ReportCellError
) -> tuple[set[T], bool]:
    """The known items of a list cell, and whether all of them were known (each unknown one is reported)."""
    found: set[T] = set()
    ok = True
    for item in split_list(cell):
        if item.casefold() in keys:
            found.add(keys[item.casefold()])
        else:
            report(row, column, message % {"value": shown_value(item)})
            ok = False
    return found, ok


def _assign(profile: MentorProfile, fields: dict[str, object]) -> bool:
    changed = False
    for name, value in fields.items():
        if getattr(profile, name) != value:
            setattr(profile, name, value)
            changed = True
    return changed
