"""Forms of the learning-network pages: plan a session, and register one school's or company's attendance."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from partners.models import Edition

from .models import LearningNetworkSession

#: How a row of the attendance grid is named in a form: "school-<participation id>" or "company-<company id>".
PARTY_PATTERN = r"^(school|company)-[0-9]+$"


def _long_date(day: dt.date) -> str:
    return date_format(day, "j F Y")


class SessionForm(forms.Form):
    """Plan or change a session. The date lies inside the edition's learning-network period (Edition.networks_*):
    the date picker proposes that period, and the service (session_create/session_update) refuses a date outside it
    next to the field."""

    kind = forms.ChoiceField(label=_("Session"), choices=LearningNetworkSession.Kind.choices)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    place = forms.CharField(
        label=_("Place"),
        max_length=300,
        required=False,
        help_text=_("The address, or “online” with the link."),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For coordinators and advisers: the programme, the speaker, what to bring."),
    )

    def __init__(self, *args: Any, edition: Edition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.edition = edition
        start, end = edition.networks_start_on, edition.networks_end_on
        widget = self.fields["date"].widget
        widget.attrs.update({"min": start.isoformat(), "max": end.isoformat()})
        self.fields["date"].help_text = _("The learning networks of %(edition)s run from %(start)s to %(end)s.") % {
            "edition": edition,
            "start": _long_date(start),
            "end": _long_date(end),
        }


class AttendanceForm(forms.Form):
    """One row of the attendance grid: present or not (an unchecked box sends nothing, which means not present)."""

    party = forms.RegexField(regex=PARTY_PATTERN, widget=forms.HiddenInput)
    present = forms.BooleanField(label=_("Present"), required=False)

    def party_key(self) -> tuple[str, int]:
        """("school", participation id) or ("company", company id); call after is_valid()."""
        side, pk = self.cleaned_data["party"].split("-")
        return side, int(pk)
