"""The SMART check of an action plan's goals: pure computation on plain data (dataclasses in, dataclasses out).

No ORM here: `selectors.plan_check(plan)` turns a loaded plan into `GoalInput`s and calls `check_plan`, so the check
runs on every save at no query cost and is unit- and property-tested without a database.

SMART as the source (DESIGN.md) defines it: Specifiek (which grade, track, programme, subject), Meetbaar (for the
evaluation: number of pupils, teachers involved), Acceptabel (fits the STEMpact frame), Realistisch (the plan can be
carried out), Tijdsgebonden (a step plan with dates): a goal needs at least one dated step, a milestone or an action.

Every goal gets one result per letter: pass, soft warning (stays visible, does not block) or hard failure (the plan
cannot be signed or submitted). Each finding carries a code, the form field it is about (so a form can name the bad
input), optionally the milestone or action it is about, and a concrete hint in the user's language.

Rules (code: H = hard failure, W = soft warning):

S  Specifiek
   s_no_grade              H  no grade (graad) chosen: the target group is missing
   s_no_programme          W  no track, programme or subject named
M  Meetbaar
   m_no_indicator          H  no indicator (what is counted)
   m_no_unit               H  no unit for the indicator
   m_no_target             H  no target value
   m_negative              H  a negative starting or target value (counts are never negative)
   m_target_is_baseline    H  the target equals the starting value (nothing to improve)
   m_no_baseline           W  no starting value (0 is a value; without one progress cannot be shown)
A  Acceptabel
   a_no_link               H  linked to no key element and no criterion of the school's focus
   a_outside_focus         W  linked to a key element or criterion outside the school's focus (GoalInput.focus;
                              the links stay, e.g. made before the focus was agreed, but the jury looks at the focus)
   a_no_fit                W  no explanation why the goal fits STEMpact
R  Realistisch
   r_negative              H  negative resources (company hours, staff, budget)
   r_no_owner_school       W  nobody at the school owns the goal
   r_no_owner_company      W  nobody at the mentor company owns the goal
   r_no_resources          W  no resources from the company (hours, staff, material or budget)
   r_no_actions            W  no actions planned
   r_action_no_owner       W  an action without an owner (one finding per action)
T  Tijdsgebonden
   t_no_start / t_no_end   H  no start date / no end date
   t_end_before_start      H  the end date is before the start date (the same day is allowed)
   t_starts_before_edition H  the goal starts before the edition starts
   t_ends_after_edition    H  the goal ends after the edition ends
   t_milestone_no_date     H  a milestone without a date
   t_milestone_before_start H a milestone before the goal's start date (one finding per milestone)
   t_milestone_after_end   H  a milestone after the goal's end date (one finding per milestone)
   t_no_dated_step         H  no milestones and no action with a due date: no step plan with dates at all
   t_no_milestones         W  no milestones, but actions with due dates (a step plan of actions only)
   t_action_no_due         W  an action without a due date
   t_action_after_end      W  an action due after the goal's end date

Plan level (not a letter): plan_no_goals H, a plan needs at least one goal.

Results are deterministic: findings come in the order of the letters, then of the rules above, then of the
milestones and actions as given. Dates in the hints read as on the page ("30 juni 2027").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Number = Decimal | int | float

LETTERS: tuple[str, ...] = ("S", "M", "A", "R", "T")

#: How the hints write a date: as the plan page does ("30 juni 2027").
HINT_DATE_FORMAT = "j F Y"

LETTER_LABELS: dict[str, Promise] = {
    "S": _("Specific"),
    "M": _("Measurable"),
    "A": _("Acceptable"),
    "R": _("Realistic"),
    "T": _("Time-bound"),
}

HINTS: dict[str, Promise] = {
    "s_no_grade": _("Specific: choose the grade(s) the goal is for"),
    "s_no_programme": _("Specific: name the track, programme or subjects"),
    "m_no_indicator": _("Measurable: name an indicator (what you count)"),
    "m_no_unit": _("Measurable: give the unit of the indicator"),
    "m_no_target": _("Measurable: give a target value"),
    "m_negative": _("Measurable: a count cannot be negative"),
    "m_target_is_baseline": _("Measurable: the target value equals the starting value"),
    "m_no_baseline": _("Measurable: give the starting value (0 is a value too)"),
    "a_no_link": _("Acceptable: link the goal to a key element or criterion of your focus"),
    "a_outside_focus": _("Acceptable: the goal is linked to a key element or criterion outside your focus"),
    "a_no_fit": _("Acceptable: explain why the goal fits STEMpact"),
    "r_negative": _("Realistic: resources cannot be negative"),
    "r_no_owner_school": _("Realistic: name who owns the goal at the school"),
    "r_no_owner_company": _("Realistic: name who owns the goal at the mentor company"),
    "r_no_resources": _("Realistic: say what the mentor company puts in (hours, staff, material or budget)"),
    "r_no_actions": _("Realistic: plan at least one action"),
    "r_action_no_owner": _("Realistic: action “%(action)s” has no owner"),
    "t_no_start": _("Time-bound: give a start date"),
    "t_no_end": _("Time-bound: give an end date"),
    "t_end_before_start": _("Time-bound: the end date is before the start date"),
    "t_starts_before_edition": _("Time-bound: the goal starts before the edition (%(date)s)"),
    "t_ends_after_edition": _("Time-bound: the goal ends after the edition (%(date)s)"),
    "t_milestone_no_date": _("Time-bound: give milestone “%(milestone)s” a date"),
    "t_milestone_before_start": _("Time-bound: milestone before the start date: %(milestone)s"),
    "t_milestone_after_end": _("Time-bound: milestone after the end date: %(milestone)s"),
    "t_no_dated_step": _("Time-bound: plan at least one milestone or action with a date"),
    "t_no_milestones": _("Time-bound: add milestones with dates (a step plan)"),
    "t_action_no_due": _("Time-bound: action “%(action)s” has no due date"),
    "t_action_after_end": _("Time-bound: action “%(action)s” is due after the end date"),
    "plan_no_goals": _("Add at least one goal"),
}


class Severity(StrEnum):
    HARD = "hard"
    SOFT = "soft"


class Status(StrEnum):
    """The result of one letter: the worst finding wins."""

    PASS = "pass"  # noqa: S105 -- a check result, not a password
    SOFT = "soft"
    HARD = "hard"


# --------------------------------------------------------------------------- input


@dataclass(frozen=True)
class MilestoneInput:
    date: dt.date | None
    description: str = ""
    id: int | None = None


@dataclass(frozen=True)
class ActionInput:
    title: str
    owner: str = ""
    due: dt.date | None = None
    id: int | None = None


@dataclass(frozen=True)
class Focus:
    """The school's focus from its baseline: the ids of the agreed key elements and of their criteria."""

    elements: frozenset[int] = frozenset()
    criteria: frozenset[int] = frozenset()


@dataclass(frozen=True)
class GoalInput:
    """One goal as the check sees it. `elements` and `criteria` are the ids of the linked key elements/criteria;
    `focus` is the school's focus (None while none is agreed: then any key element fits)."""

    id: int | None = None
    title: str = ""
    grades: tuple[str, ...] = ()
    tracks: tuple[str, ...] = ()
    programme: str = ""
    subjects: str = ""
    indicator: str = ""
    unit: str = ""
    baseline_value: Number | None = None
    target_value: Number | None = None
    fit: str = ""
    owner_school: str = ""
    owner_company: str = ""
    company_hours: Number | None = None
    company_staff: Number | None = None
    material: str = ""
    budget: Number | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    elements: tuple[int, ...] = ()
    criteria: tuple[int, ...] = ()
    milestones: tuple[MilestoneInput, ...] = ()
    actions: tuple[ActionInput, ...] = ()
    focus: Focus | None = None


@dataclass(frozen=True)
class Period:
    """The edition's school year: goals must lie inside it."""

    start: dt.date
    end: dt.date


# --------------------------------------------------------------------------- output


@dataclass(frozen=True)
class Finding:
    letter: str  # S, M, A, R, T; "" for a plan-level finding
    severity: Severity
    code: str
    field: str = ""  # the form field the finding is about
    item: int | None = None  # the milestone or action id, for per-item findings
    params: tuple[tuple[str, str | dt.date], ...] = ()

    @property
    def hint(self) -> str:
        """The concrete hint, in the active language (dates formatted for it)."""
        values = {k: date_format(v, HINT_DATE_FORMAT) if isinstance(v, dt.date) else v for k, v in self.params}
        text = str(HINTS[self.code])
        return text % values if values else text

    @property
    def is_hard(self) -> bool:
        return self.severity == Severity.HARD


@dataclass(frozen=True)
class LetterResult:
    letter: str
    findings: tuple[Finding, ...]

    @property
    def status(self) -> Status:
        if any(f.is_hard for f in self.findings):
            return Status.HARD
        return Status.SOFT if self.findings else Status.PASS

    @property
    def label(self) -> str:
        return str(LETTER_LABELS[self.letter])


@dataclass(frozen=True)
class GoalCheck:
    goal_id: int | None
    letters: tuple[LetterResult, ...]

    @property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(f for letter in self.letters for f in letter.findings)

    @property
    def has_hard_failure(self) -> bool:
        return any(f.is_hard for f in self.findings)

    @property
    def hard(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.is_hard)

    @property
    def soft(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if not f.is_hard)

    def letter(self, letter: str) -> LetterResult:
        return next(result for result in self.letters if result.letter == letter)

    def for_field(self, name: str) -> tuple[Finding, ...]:
        """Findings about one form field, to show beside it."""
        return tuple(f for f in self.findings if f.field == name)


@dataclass(frozen=True)
class PlanCheck:
    goals: tuple[GoalCheck, ...]
    findings: tuple[Finding, ...] = ()

    @property
    def has_hard_failure(self) -> bool:
        return any(f.is_hard for f in self.findings) or any(g.has_hard_failure for g in self.goals)

    @property
    def hard_count(self) -> int:
        return sum(f.is_hard for f in self.findings) + sum(len(g.hard) for g in self.goals)

    @property
    def soft_count(self) -> int:
        return sum(not f.is_hard for f in self.findings) + sum(len(g.soft) for g in self.goals)

    def goal(self, goal_id: int) -> GoalCheck | None:
        return next((g for g in self.goals if g.goal_id == goal_id), None)


# --------------------------------------------------------------------------- rules


def _hard(letter: str, code: str, field_name: str = "", item: int | None = None, **params: str | dt.date) -> Finding:
    return Finding(letter, Severity.HARD, code, field_name, item, tuple(params.items()))


def _soft(letter: str, code: str, field_name: str = "", item: int | None = None, **params: str | dt.date) -> Finding:
    return Finding(letter, Severity.SOFT, code, field_name, item, tuple(params.items()))


def _blank(text: str) -> bool:
    return not text.strip()


def _negative(value: Number | None) -> bool:
    return value is not None and value < 0


def _given(value: Number | None) -> bool:
    """A resource counts as given when it is more than nothing."""
    return value is not None and value > 0


def _milestone_label(milestone: MilestoneInput) -> str:
    date = date_format(milestone.date, HINT_DATE_FORMAT) if milestone.date else ""
    description = milestone.description.strip()
    return f"{description} ({date})" if description and date else description or date


def _specific(goal: GoalInput) -> list[Finding]:
    found = []
    if not goal.grades:
        found.append(_hard("S", "s_no_grade", "grades"))
    if not goal.tracks and _blank(goal.programme) and _blank(goal.subjects):
        found.append(_soft("S", "s_no_programme", "programme"))
    return found


def _measurable(goal: GoalInput) -> list[Finding]:
    found = []
    if _blank(goal.indicator):
        found.append(_hard("M", "m_no_indicator", "indicator"))
    if _blank(goal.unit):
        found.append(_hard("M", "m_no_unit", "unit"))
    if goal.target_value is None:
        found.append(_hard("M", "m_no_target", "target_value"))
    if _negative(goal.baseline_value):
        found.append(_hard("M", "m_negative", "baseline_value"))
    if _negative(goal.target_value):
        found.append(_hard("M", "m_negative", "target_value"))
    if goal.target_value is not None and goal.baseline_value is not None and goal.target_value == goal.baseline_value:
        found.append(_hard("M", "m_target_is_baseline", "target_value"))
    if goal.baseline_value is None:
        found.append(_soft("M", "m_no_baseline", "baseline_value"))
    return found


def _acceptable(goal: GoalInput) -> list[Finding]:
    found = []
    if not goal.elements and not goal.criteria:
        found.append(_hard("A", "a_no_link", "elements"))
    elif goal.focus is not None:
        outside_elements = set(goal.elements) - goal.focus.elements
        outside_criteria = set(goal.criteria) - goal.focus.criteria
        if outside_elements or outside_criteria:
            found.append(_soft("A", "a_outside_focus", "elements" if outside_elements else "criteria"))
    if _blank(goal.fit):
        found.append(_soft("A", "a_no_fit", "fit"))
    return found


def _realistic(goal: GoalInput) -> list[Finding]:
    found = [
        _hard("R", "r_negative", name)
        for name in ("company_hours", "company_staff", "budget")
        if _negative(getattr(goal, name))
    ]
    if _blank(goal.owner_school):
        found.append(_soft("R", "r_no_owner_school", "owner_school"))
    if _blank(goal.owner_company):
        found.append(_soft("R", "r_no_owner_company", "owner_company"))
    if not (_given(goal.company_hours) or _given(goal.company_staff) or _given(goal.budget) or goal.material.strip()):
        found.append(_soft("R", "r_no_resources", "company_hours"))
    if not goal.actions:
        found.append(_soft("R", "r_no_actions", "actions"))
    found.extend(
        _soft("R", "r_action_no_owner", "actions", action.id, action=action.title)
        for action in goal.actions
        if _blank(action.owner)
    )
    return found


def _time_bound(goal: GoalInput, edition: Period) -> list[Finding]:
    found = []
    start, end = goal.start, goal.end
    if start is None:
        found.append(_hard("T", "t_no_start", "start"))
    if end is None:
        found.append(_hard("T", "t_no_end", "end"))
    if start is not None and end is not None and end < start:
        found.append(_hard("T", "t_end_before_start", "end"))
    if start is not None and start < edition.start:
        found.append(_hard("T", "t_starts_before_edition", "start", date=edition.start))
    if end is not None and end > edition.end:
        found.append(_hard("T", "t_ends_after_edition", "end", date=edition.end))
    for milestone in goal.milestones:
        if milestone.date is None:
            found.append(_hard("T", "t_milestone_no_date", "milestones", milestone.id, milestone=milestone.description))
            continue
        if start is not None and milestone.date < start:
            found.append(
                _hard(
                    "T", "t_milestone_before_start", "milestones", milestone.id, milestone=_milestone_label(milestone)
                )
            )
        if end is not None and milestone.date > end:
            found.append(
                _hard("T", "t_milestone_after_end", "milestones", milestone.id, milestone=_milestone_label(milestone))
            )
    if not goal.milestones:
        if any(action.due is not None for action in goal.actions):
            found.append(_soft("T", "t_no_milestones", "milestones"))
        else:
            found.append(_hard("T", "t_no_dated_step", "milestones"))
    for action in goal.actions:
        if action.due is None:
            found.append(_soft("T", "t_action_no_due", "actions", action.id, action=action.title))
        elif end is not None and action.due > end:
            found.append(_soft("T", "t_action_after_end", "actions", action.id, action=action.title))
    return found


def check_goal(goal: GoalInput, edition: Period) -> GoalCheck:
    """The SMART result of one goal, per letter."""
    per_letter = {
        "S": _specific(goal),
        "M": _measurable(goal),
        "A": _acceptable(goal),
        "R": _realistic(goal),
        "T": _time_bound(goal, edition),
    }
    return GoalCheck(goal.id, tuple(LetterResult(letter, tuple(per_letter[letter])) for letter in LETTERS))


def check_plan(goals: Sequence[GoalInput], edition: Period) -> PlanCheck:
    """The SMART result of every goal of a plan, plus the plan-level rule (at least one goal)."""
    findings = () if goals else (_hard("", "plan_no_goals", "goals"),)
    return PlanCheck(tuple(check_goal(goal, edition) for goal in goals), findings)
