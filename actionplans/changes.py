"""Recorded changes of a plan made readable: the plan's history page and the table of a refused stale save (who
changed what) show the same rows, whichever page the change was made on.

A change is a dict as services.py records it in PlanEvent.changes (and StalePlan.changes, with "by" and "at"):
{"target": "goal", "id": 7, "label": "Meer meisjes in STEM", "field": "target_value", "old": "10.00", "new": "20.00"}.
Values are shown as the pages show them: dates as "30 juni 2027", decimals without trailing zeros, choices by their
label, key elements, criteria and STEM projects by their name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.formats import date_format, number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from baseline.models import Criterion, KeyElement
from partners.models import StemProject

from . import selectors
from .models import Action, CoolStep, Grade, Signature, TeamMember, Track

#: How a change names the kind of item it is about.
TARGET_LABELS: dict[str, Any] = {
    "plan": gettext_lazy("Action plan"),
    "goal": gettext_lazy("Goal"),
    "milestone": gettext_lazy("Milestone"),
    "action": gettext_lazy("Action"),
    "team_member": gettext_lazy("Teacher Design Team member"),
    "cool_step": gettext_lazy("COOL step"),
    "signature": gettext_lazy("Signature"),
}

#: Fields whose recorded values are choice values, shown with their label.
CHOICE_LABELS: dict[tuple[str, str], Any] = {
    ("goal", "grades"): Grade,
    ("goal", "tracks"): Track,
    ("action", "status"): Action.Status,
    ("cool_step", "status"): CoolStep.Status,
    ("team_member", "kind"): TeamMember.Kind,
    ("signature", "side"): Signature.Side,
}
DATE_FIELDS = frozenset({"start", "end", "date", "due", "extension_until"})
DECIMAL_FIELDS = frozenset({"baseline_value", "target_value", "budget"})
#: Fields that hold ids of other rows, with the model that names them.
NAMED_IDS: dict[str, Any] = {"elements": KeyElement, "criteria": Criterion, "stem_projects": StemProject}

EMPTY = "—"


@dataclass(frozen=True)
class ChangeRow:
    """One recorded change, readable: which item, which field, before and after, by whom and when."""

    subject: str
    field: str
    old: str
    new: str
    by: str = ""
    at: dt.datetime | None = None


class ChangeDescriber:
    """Turns recorded changes into rows people can read. Give it every change it will describe at once: it names
    the key elements, criteria and STEM projects they mention in at most one query per kind (none when no change
    mentions them)."""

    def __init__(self, changes: Iterable[Mapping[str, Any]]) -> None:
        wanted: dict[str, set[int]] = {name: set() for name in NAMED_IDS}
        for change in changes:
            name = change.get("field")
            if name in wanted:
                for value in (change.get("old"), change.get("new")):
                    wanted[name].update(v for v in value or [] if isinstance(v, int))
        self.names: dict[str, dict[int, str]] = {
            name: {row.pk: str(row) for row in NAMED_IDS[name].objects.filter(pk__in=ids)} if ids else {}
            for name, ids in wanted.items()
        }

    def rows(self, changes: Iterable[Mapping[str, Any]]) -> list[ChangeRow]:
        return [self.row(change) for change in changes]

    def row(self, change: Mapping[str, Any]) -> ChangeRow:
        target, name, at = change.get("target", ""), change.get("field", ""), change.get("at")
        return ChangeRow(
            subject=subject(change),
            field=field_name(target, name),
            old=self.value(target, name, change.get("old")),
            new=self.value(target, name, change.get("new")),
            by=str(change.get("by") or ""),
            at=dt.datetime.fromisoformat(at) if isinstance(at, str) else None,
        )

    def value(self, target: str, name: str, value: Any) -> str:
        """A recorded value as the pages show it ("—" for nothing)."""
        if value is None or value == "" or value == []:
            return EMPTY
        if name in self.names and isinstance(value, list):
            return ", ".join(self.names[name].get(v, "?") for v in value)
        choices = CHOICE_LABELS.get((target, name))
        if choices is not None:
            labels = dict(choices.choices)
            values = value if isinstance(value, list) else [value]
            return ", ".join(str(labels.get(v, v)) for v in values)
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        if name in DATE_FIELDS and isinstance(value, str):
            return _date(value)
        if name in DECIMAL_FIELDS and isinstance(value, str):
            return _decimal(value)
        return str(value)


def describe_changes(changes: Iterable[Mapping[str, Any]]) -> list[ChangeRow]:
    """The rows of a list of changes (a refused stale save's StalePlan.changes)."""
    changes = list(changes)
    return ChangeDescriber(changes).rows(changes)


def subject(change: Mapping[str, Any]) -> str:
    """The item a change is about: its kind and, for items, its name as it was ("Doel “Meer meisjes in STEM”")."""
    target = change.get("target", "")
    kind = capfirst(str(TARGET_LABELS.get(target, target)))
    if target == "signature" and change.get("side") in Signature.Side.values:
        return f"{kind} ({Signature.Side(change['side']).label})"
    label = change.get("label") or ""
    if target == "plan" or not label:
        return kind
    return f"{kind} “{label}”"


def field_name(target: str, name: str) -> str:
    """The field a change is about, as the forms name it; "Added"/"Removed" for a whole item."""
    if name == "added":
        return _("Added")
    if name == "removed":
        return _("Removed")
    return capfirst(str(selectors.field_label(target, name)))


def _date(value: str) -> str:
    try:
        return date_format(dt.date.fromisoformat(value), "j F Y")
    except ValueError:
        return value


def _decimal(value: str) -> str:
    try:
        number = Decimal(value)
    except InvalidOperation:
        return value
    return number_format(number, 0 if number == number.to_integral_value() else 2)
