"""Recorded changes made readable, the same on the history page and in the table of a refused save: dates as the
page writes them, numbers without trailing zeros, choices and linked items by name."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from actionplans.changes import ChangeDescriber, ChangeRow, describe_changes
from actionplans.tests.factories import criterion, element
from partners.models import StemProject

pytestmark = pytest.mark.django_db


def rows(*changes: dict) -> list[tuple[str, str, str, str]]:
    return [(r.subject, r.field, r.old, r.new) for r in describe_changes(changes)]


def test_dates_decimals_and_choices_read_as_on_the_page():
    assert rows(
        {"target": "goal", "label": "Doel", "field": "end", "old": "2027-06-15", "new": "2027-06-30"},
        {"target": "goal", "label": "Doel", "field": "target_value", "old": "40.00", "new": "12.50"},
        {"target": "goal", "label": "Doel", "field": "grades", "old": ["2"], "new": ["2", "3"]},
        {"target": "action", "label": "Bezoek", "field": "status", "old": "todo", "new": "done"},
        {"target": "plan", "field": "extension_until", "old": None, "new": "2027-05-14"},
        {"target": "plan", "field": "istem_coaching", "old": False, "new": True},
        {"target": "team_member", "label": "Piet", "field": "removed", "old": "Piet", "new": None},
    ) == [
        ("Doel “Doel”", "Einddatum", "15 juni 2027", "30 juni 2027"),
        ("Doel “Doel”", "Streefwaarde", "40", "12,50"),
        ("Doel “Doel”", "Graden", "Tweede graad", "Tweede graad, Derde graad"),
        ("Actie “Bezoek”", "Status", "Te doen", "Klaar"),
        ("Actieplan", "Uitstel tot", "—", "14 mei 2027"),
        ("Actieplan", "Begeleid door iSTEM", "Nee", "Ja"),
        ("Lid van het Teacher Design Team “Piet”", "Verwijderd", "Piet", "—"),
    ]


def test_linked_items_are_named_in_one_query_per_kind():
    lego = StemProject.objects.get(name="FIRST LEGO League")
    changes = [
        {"target": "goal", "label": "Doel", "field": "elements", "old": [], "new": [element(2).pk]},
        {"target": "goal", "label": "Doel", "field": "criteria", "old": [criterion(5).pk], "new": []},
        {"target": "plan", "field": "stem_projects", "old": [], "new": [lego.pk]},
    ]
    with CaptureQueriesContext(connection) as queries:
        described = ChangeDescriber(changes).rows(changes)
    assert len(queries) == 3
    assert [(r.old, r.new) for r in described] == [
        ("—", str(element(2))),
        (str(criterion(5)), "—"),
        ("—", "FIRST LEGO League"),
    ]
    with CaptureQueriesContext(connection) as none:
        describe_changes([{"target": "goal", "label": "Doel", "field": "title", "old": "A", "new": "B"}])
    assert len(none) == 0


def test_a_stale_change_says_who_and_when():
    at = timezone.now()
    [row] = describe_changes(
        [
            {
                "target": "goal",
                "label": "Doel",
                "field": "title",
                "old": "A",
                "new": "B",
                "by": "An",
                "at": at.isoformat(),
            }
        ]
    )
    assert row == ChangeRow("Doel “Doel”", "Titel", "A", "B", "An", at)
    assert isinstance(row.at, dt.datetime)
