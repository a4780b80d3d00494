"""What every form that writes part of a plan shares: the plan `version` it was read from, and sending only what
the person changed.

Plans are written by two sides at once, so a form that sends every field would overwrite (or, since the services
refuse that, be blocked by) a colleague's change to a field this person never touched. A `ChangedFieldsForm`
therefore compares each posted value with the value the person started from: the value at the version their page
showed, read from the plan's history. After a refused stale save it is shown again with the current values, and the
person's own changes on top (`rebased_data`), so saving again keeps what the others changed elsewhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.db import models
from django.http import QueryDict

from .models import ActionPlan, PlanEvent


class DateInput(forms.DateInput):
    """A native date picker; the value travels as ISO yyyy-mm-dd whatever the language (a localised value such as
    31-05-2027 would leave the picker empty)."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def normalise_newlines(text: str) -> str:
    """Browsers send CRLF from a textarea, API clients LF: compare and store LF so only real changes count."""
    return text.replace("\r\n", "\n")


def comparable(value: Any) -> Any:
    """A value as the plan's history stores it (services._jsonable), so posted, stored and recorded values compare:
    decimals with two decimals, dates as ISO text, text with LF, lists of ids or choices sorted."""
    if isinstance(value, bool) or value is None or isinstance(value, int):
        return value
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return normalise_newlines(value)
    if isinstance(value, Iterable):
        items = [item.pk if isinstance(item, models.Model) else item for item in value]
        try:
            return sorted(int(item) for item in items)
        except (TypeError, ValueError):
            return sorted(str(item) for item in items)
    return value


def values_at_version(plan: ActionPlan, version: int, target: str, pk: int | None) -> dict[str, Any]:
    """For each field of one item (the plan, a goal, a milestone, ...) that was changed after `version`: its value
    at `version`, i.e. the old value of the first change after it. Reads the plan's history (prefetched or not)."""
    seen: dict[str, Any] = {}
    for event in sorted(plan.events.all(), key=lambda e: e.pk):
        if event.action != PlanEvent.Action.SAVED:
            continue
        for change in event.changes:
            if change.get("version", 0) > version and (change.get("target"), change.get("id")) == (target, pk):
                seen.setdefault(change.get("field", ""), change.get("old"))
    return seen


def as_post_value(field: forms.Field, value: Any) -> list[str]:
    """A stored value as the browser would post it (to put it back into a bound form)."""
    if isinstance(field, forms.BooleanField):
        return ["on"] if value else []
    if isinstance(field, forms.ModelMultipleChoiceField):
        return [str(pk) for pk in comparable(value)]
    if isinstance(field, forms.MultipleChoiceField):
        return [str(item) for item in value or []]
    if isinstance(value, dt.date):
        return [value.isoformat()]
    return ["" if value is None else str(value)]


class ChangedFieldsForm(forms.Form):
    """A form for some fields of one item of a plan, carrying the plan version the page showed; it sends the
    services only the fields the person changed."""

    #: The fields sent to the service (all but "version").
    field_names: tuple[str, ...] = ()

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for name, value in cleaned.items():
            if isinstance(value, str):
                cleaned[name] = normalise_newlines(value)
        return cleaned

    def started_from(self, current: Mapping[str, Any], seen: Mapping[str, Any]) -> dict[str, Any]:
        """The values this person's page showed: the recorded value at their version, else the current one."""
        return {name: comparable(seen[name] if name in seen else current[name]) for name in self.field_names}

    def changed_fields(self, started: Mapping[str, Any]) -> list[str]:
        """The fields this person changed (valid form): the posted value differs from what they started from."""
        return [name for name in self.field_names if comparable(self.cleaned_data[name]) != started[name]]

    def touched(self, plan: ActionPlan, *, target: str, pk: int | None, current: Mapping[str, Any]) -> list[str]:
        """The fields this person changed compared with the plan at their version (valid form)."""
        seen = values_at_version(plan, self.cleaned_data["version"], target, pk)
        return self.changed_fields(self.started_from(current, seen))

    def service_data(self, names: Iterable[str]) -> dict[str, Any]:
        """The cleaned values of `names` as the services take them (catalogue choices as ids)."""
        data = {}
        for name in names:
            value = self.cleaned_data[name]
            if isinstance(self.fields[name], forms.ModelMultipleChoiceField):
                value = [item.pk for item in value]
            data[name] = value
        return data

    def rebased_data(self, current: Mapping[str, Any], touched: Iterable[str], version: int) -> QueryDict:
        """What the form shows after a refused stale save: the current values, with this person's changes on top
        and the version they have now seen (so saving again overwrites only what they changed)."""
        data = QueryDict(mutable=True)
        touched = set(touched)
        for name in self.field_names:
            field = self.fields[name]
            key = self.add_prefix(name)
            if name in touched:
                data.setlist(key, self.data.getlist(key) if hasattr(self.data, "getlist") else [self.data.get(key)])
            else:
                data.setlist(key, as_post_value(field, current[name]))
        data[self.add_prefix("version")] = str(version)
        return data
