"""Forms of the measuring pages: one key element of a measurement, the adviser's conversation, evidence.

The forms only validate and translate to `services.MeasurementInput`; the services do the writing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import EVIDENCE_EXTENSIONS, EVIDENCE_MAX_BYTES, CriterionAssessment, Evidence, KeyElement, Measurement
from .scale import DESCRIPTORS, Level
from .services import ASSESSMENT_FIELDS, MEETING_FIELDS, MeasurementInput

#: The CSS classes the htmx triggers of the measuring forms listen to (see templates/baseline/measure/*.html).
AUTOSAVE = "autosave"
AUTOSAVE_TYPING = "autosave autosave-typing"


def _normalise_newlines(text: str) -> str:
    """Browsers send CRLF from a textarea, API clients LF: store LF so the history shows only real changes."""
    return text.replace("\r\n", "\n")


@dataclass
class LevelOption:
    value: int
    label: str
    descriptor: str
    checked: bool


@dataclass
class CriterionRow:
    """One criterion as the element form shows it: the values to show (posted ones win) and its errors."""

    assessment: CriterionAssessment
    prefix: str
    levels: list[LevelOption]
    practice: str
    improvement: str
    errors: list[str]
    evidence_form: EvidenceForm | None = field(default=None)

    @property
    def criterion(self) -> Any:
        return self.assessment.criterion

    @property
    def chosen(self) -> LevelOption | None:
        return next((level for level in self.levels if level.checked), None)


class ElementForm(forms.Form):
    """Level, current practice (Toepassing) and improvement point (Werkpunt) of the criteria of one key element.

    A save sends only the fields present in the request, so it never touches other key elements, nor a level
    nobody chose yet (an unchosen radio group sends nothing).
    """

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, assessments: Sequence[CriterionAssessment], version: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.assessments = list(assessments)
        self.initial.setdefault("version", version)
        for assessment in self.assessments:
            prefix = self.criterion_prefix(assessment)
            self.fields[f"{prefix}-level"] = forms.TypedChoiceField(
                label=assessment.criterion.label,
                choices=Level.choices,
                coerce=int,
                empty_value=None,
                required=False,
            )
            self.fields[f"{prefix}-practice"] = forms.CharField(
                label=_("Current practice (Toepassing)"), required=False
            )
            self.fields[f"{prefix}-improvement"] = forms.CharField(
                label=_("Improvement point (Werkpunt)"), required=False
            )
            self.initial.setdefault(f"{prefix}-level", assessment.level)
            self.initial.setdefault(f"{prefix}-practice", assessment.practice)
            self.initial.setdefault(f"{prefix}-improvement", assessment.improvement)

    @staticmethod
    def criterion_prefix(assessment: CriterionAssessment) -> str:
        return f"c{assessment.criterion_id}"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for name, value in cleaned.items():
            if isinstance(value, str):
                cleaned[name] = _normalise_newlines(value)
        return cleaned

    def shown_value(self, name: str) -> Any:
        """What the page shows: the posted value when the field was posted (nothing typed is lost), else initial."""
        if self.is_bound and name in self.data:
            return self.data.get(name)
        return self.initial.get(name)

    def rows(self) -> list[CriterionRow]:
        rows = []
        for assessment in self.assessments:
            prefix = self.criterion_prefix(assessment)
            level = self.shown_value(f"{prefix}-level")
            level = "" if level is None else str(level)
            errors = [str(e) for name in ASSESSMENT_FIELDS for e in self.errors.get(f"{prefix}-{name}", [])]
            rows.append(
                CriterionRow(
                    assessment=assessment,
                    prefix=prefix,
                    levels=[
                        LevelOption(value, label, str(DESCRIPTORS[value]), str(value) == level)
                        for value, label in Level.choices
                    ],
                    practice=self.shown_value(f"{prefix}-practice") or "",
                    improvement=self.shown_value(f"{prefix}-improvement") or "",
                    errors=errors,
                )
            )
        return rows

    def to_input(self) -> MeasurementInput:
        assessments: dict[int, dict[str, Any]] = {}
        for assessment in self.assessments:
            prefix = self.criterion_prefix(assessment)
            values = {
                name: self.cleaned_data[f"{prefix}-{name}"]
                for name in ASSESSMENT_FIELDS
                if f"{prefix}-{name}" in self.data
            }
            if values:
                assessments[assessment.criterion_id] = values
        return MeasurementInput(assessments=assessments)

    @property
    def criterion_ids(self) -> set[int]:
        return {a.criterion_id for a in self.assessments}


class ReviewForm(forms.Form):
    """The adviser's part of the baseline report: the conversation, advice per key element and overall, the focus
    key elements the school chose (at most the edition's cap)."""

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    meeting_date = forms.DateField(
        label=_("Date of the conversation"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": AUTOSAVE}, format="%Y-%m-%d"),
    )
    present_director = forms.CharField(
        label=_("Director (directie)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"class": AUTOSAVE_TYPING}),
    )
    present_tac = forms.CharField(
        label=_("Technical adviser-coordinator (TAC)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"class": AUTOSAVE_TYPING}),
    )
    present_adviser = forms.CharField(
        label=_("Voka adviser"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"class": AUTOSAVE_TYPING}),
    )
    present_others = forms.CharField(
        label=_("Others present"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": AUTOSAVE_TYPING}),
    )
    advice = forms.CharField(
        label=_("Advice of the Voka coach"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "class": AUTOSAVE_TYPING}),
    )
    focus_elements = forms.TypedMultipleChoiceField(
        label=_("Focus key elements"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": AUTOSAVE}),
    )

    def __init__(
        self,
        *args: Any,
        measurement: Measurement,
        elements: Sequence[KeyElement],
        advice: dict[int, str],
        max_focus: int,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.elements = list(elements)
        self.max_focus = max_focus
        self.fields["focus_elements"].choices = [(e.pk, e.label) for e in self.elements]
        self.fields["focus_elements"].help_text = ngettext(
            "Choose at most %(cap)d key element the school will work on.",
            "Choose at most %(cap)d key elements the school will work on.",
            max_focus,
        ) % {"cap": max_focus}
        self.initial.setdefault("version", measurement.version)
        for name in MEETING_FIELDS:
            self.initial.setdefault(name, getattr(measurement, name))
        self.initial.setdefault("focus_elements", [e.pk for e in measurement.focus_elements.all()])
        for element in self.elements:
            name = self.advice_field(element)
            self.fields[name] = forms.CharField(
                label=_("Advice for %(element)s") % {"element": element.label},
                required=False,
                widget=forms.Textarea(attrs={"rows": 3, "class": AUTOSAVE_TYPING}),
            )
            self.initial.setdefault(name, advice.get(element.pk, ""))

    @staticmethod
    def advice_field(element: KeyElement) -> str:
        return f"advice-{element.pk}"

    def advice_fields(self) -> dict[int, forms.BoundField]:
        return {element.pk: self[self.advice_field(element)] for element in self.elements}

    def clean_focus_elements(self) -> list[int]:
        chosen: list[int] = self.cleaned_data["focus_elements"]
        if len(chosen) > self.max_focus:
            raise forms.ValidationError(
                ngettext(
                    "Choose at most %(cap)d focus key element for this edition.",
                    "Choose at most %(cap)d focus key elements for this edition.",
                    self.max_focus,
                )
                % {"cap": self.max_focus}
            )
        return chosen

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for name, value in cleaned.items():
            if isinstance(value, str):
                cleaned[name] = _normalise_newlines(value)
        return cleaned

    def to_input(self) -> MeasurementInput:
        return MeasurementInput(
            meeting={name: self.cleaned_data[name] for name in MEETING_FIELDS},
            element_advice={e.pk: self.cleaned_data[self.advice_field(e)] for e in self.elements},
            focus_element_ids=self.cleaned_data["focus_elements"],
        )


class EvidenceForm(forms.Form):
    """A link or a file as evidence for one criterion. Its fields sit inside the element form on the page and point
    to their own (empty) <form> with the HTML `form` attribute, because forms cannot be nested."""

    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Evidence.Kind.choices, initial=Evidence.Kind.PRACTICE)
    url = forms.URLField(label=_("Link"), required=False)
    file = forms.FileField(label=_("File"), required=False)

    def __init__(self, *args: Any, html_form: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.html_form = html_form
        for form_field in self.fields.values():
            form_field.widget.attrs["form"] = html_form
        self.fields["file"].widget.attrs["accept"] = ",".join(f".{ext}" for ext in EVIDENCE_EXTENSIONS)
        self.fields["file"].help_text = _("%(types)s; at most %(size)d MB.") % {
            "types": ", ".join(EVIDENCE_EXTENSIONS),
            "size": EVIDENCE_MAX_BYTES // (1024 * 1024),
        }

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if not upload:
            return upload
        extension = Path(upload.name).suffix.lower().lstrip(".")
        if extension not in EVIDENCE_EXTENSIONS:
            raise forms.ValidationError(
                _("Files of type “%(extension)s” are not accepted. Upload one of: %(types)s.")
                % {"extension": extension or "?", "types": ", ".join(EVIDENCE_EXTENSIONS)}
            )
        if upload.size > EVIDENCE_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)d MB. Upload a smaller file or add a link instead.")
                % {"size": EVIDENCE_MAX_BYTES // (1024 * 1024)}
            )
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        has_url, has_file = bool(cleaned.get("url")), bool(cleaned.get("file"))
        if not has_url and not has_file and not self.has_error("url") and not self.has_error("file"):
            raise forms.ValidationError(_("Add a link or a file."))
        if has_url and has_file:
            raise forms.ValidationError(_("Add either a link or a file, not both."))
        return cleaned
