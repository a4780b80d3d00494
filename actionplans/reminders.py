"""Which action plans get a deadline reminder on a given day: pure computation on plain data (no ORM).

Reminders go out 14 and 3 days before a plan's deadline: the edition's plan deadline, or a later extension a
coordinator granted for that plan (the same rule as ActionPlan.deadline). They go to both sides of every active match
whose plan is not submitted, also while the plan has not been started. Each reminder goes out once per school and
deadline (PlanReminder keeps the log): a rerun the same day, or a day the task runs twice, sends nothing again, while
a later deadline (an extension granted, or the edition's deadline moved, after the reminders went out) gets its own.

The reminder is sent on the day itself: a day the task did not run is not made up later, so a reminder never
announces "14 days" when fewer are left. actionplans/tasks.py loads the candidates, calls `reminders_due` and mails.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

#: Days before the deadline -> the reminder's kind (PlanReminder.Kind values), earliest first.
REMINDER_DAYS: dict[int, str] = {14: "14_days", 3: "3_days"}


@dataclass(frozen=True)
class Candidate:
    """A school's participation with an active match, as the selection sees it."""

    participation_id: int
    edition_deadline: dt.date
    #: An extension granted for the plan (None without a plan or without an extension).
    extension_until: dt.date | None = None
    submitted: bool = False
    #: The reminders already sent for this school, as (kind, deadline announced).
    sent: frozenset[tuple[str, dt.date]] = frozenset()

    @property
    def deadline(self) -> dt.date:
        """The last day to submit: the edition's deadline, or a later extension."""
        if self.extension_until and self.extension_until > self.edition_deadline:
            return self.extension_until
        return self.edition_deadline


@dataclass(frozen=True)
class DueReminder:
    participation_id: int
    kind: str
    deadline: dt.date
    days_left: int


@dataclass(frozen=True)
class PlanState:
    """What a reminder says is still missing before the plan can be submitted."""

    has_plan: bool
    hard_count: int = 0  # SMART points that still fail (hard failures, the plan-level rule included)
    school_signed: bool = False
    company_signed: bool = False

    @property
    def ready_to_submit(self) -> bool:
        """Nothing missing: only the submission itself is left."""
        return self.has_plan and self.hard_count == 0 and self.school_signed and self.company_signed


def deadlines_due(today: dt.date) -> list[dt.date]:
    """The deadlines that get a reminder today (to select the candidates with)."""
    return [today + dt.timedelta(days=days) for days in REMINDER_DAYS]


def reminders_due(candidates: Iterable[Candidate], today: dt.date) -> list[DueReminder]:
    """The reminders to send today: a plan not submitted whose deadline is exactly 14 or 3 days away, and whose
    reminder of that kind was not sent before for that deadline. In the order of the candidates."""
    due = []
    for candidate in candidates:
        if candidate.submitted:
            continue
        days_left = (candidate.deadline - today).days
        kind = REMINDER_DAYS.get(days_left)
        if kind is None or (kind, candidate.deadline) in candidate.sent:
            continue
        due.append(DueReminder(candidate.participation_id, kind, candidate.deadline, days_left))
    return due
