"""Scores of a measurement: per key element, overall, the indicative STEM School Label level, and growth.

Pure computation on plain data (no ORM), so it is unit- and property-tested without a database.

Rules (documented in docs/baseline.md):
- Only criteria the edition measures count; a measured criterion without a level yet counts in neither the points
  nor the maximum (the measurement is incomplete, the progress bar says how much).
- Element score = sum of levels of its answered criteria; element percentage = score / (MAX_LEVEL x answered).
- Overall percentage = all points / all possible points of the answered criteria (a points total, like the label).
- Indicative level: the highest threshold the overall percentage reaches (thresholds set per edition).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .scale import MAX_LEVEL

NO_LABEL = "no_label"
COMPETENT = "competent"
PROFICIENT = "proficient"
EXPERT = "expert"
LABEL_LEVELS = (NO_LABEL, COMPETENT, PROFICIENT, EXPERT)


@dataclass(frozen=True)
class Rating:
    """One criterion of a measurement: its key element (number), whether the edition measures it, its level."""

    criterion: int
    element: int
    level: int | None
    measured: bool = True

    def __post_init__(self) -> None:
        if self.level is not None and not 0 <= self.level <= MAX_LEVEL:
            raise ValueError(f"level {self.level} is outside 0..{MAX_LEVEL}")


@dataclass(frozen=True)
class Thresholds:
    """Overall percentages from which a level is reached (indicative: the official thresholds are not public)."""

    competent: float = 40.0
    proficient: float = 60.0
    expert: float = 80.0

    def __post_init__(self) -> None:
        if not 0 <= self.competent <= self.proficient <= self.expert <= 100:
            raise ValueError("thresholds must rise: 0 <= competent <= proficient <= expert <= 100")


@dataclass(frozen=True)
class ElementScore:
    element: int
    points: int
    max_points: int
    answered: int
    measured: int

    @property
    def percentage(self) -> float | None:
        return round(100 * self.points / self.max_points, 1) if self.max_points else None


@dataclass(frozen=True)
class ScoreCard:
    elements: tuple[ElementScore, ...]
    points: int
    max_points: int
    answered: int
    measured: int
    level: str

    @property
    def percentage(self) -> float | None:
        return round(100 * self.points / self.max_points, 1) if self.max_points else None

    @property
    def progress(self) -> float:
        """Share of measured criteria that have a level (0-100), for the progress bar."""
        return round(100 * self.answered / self.measured, 1) if self.measured else 0.0

    def element(self, number: int) -> ElementScore | None:
        return next((e for e in self.elements if e.element == number), None)


def indicative_level(percentage: float | None, thresholds: Thresholds) -> str:
    if percentage is None:
        return NO_LABEL
    if percentage >= thresholds.expert:
        return EXPERT
    if percentage >= thresholds.proficient:
        return PROFICIENT
    if percentage >= thresholds.competent:
        return COMPETENT
    return NO_LABEL


def score(ratings: Iterable[Rating], thresholds: Thresholds, elements: Sequence[int] = ()) -> ScoreCard:
    """Score a measurement. `elements` lists key elements to report even when none of their criteria is measured."""
    per_element: dict[int, list[Rating]] = {number: [] for number in elements}
    for rating in ratings:
        if rating.measured:
            per_element.setdefault(rating.element, []).append(rating)
    element_scores = []
    for number in sorted(per_element):
        answered = [r.level for r in per_element[number] if r.level is not None]
        element_scores.append(
            ElementScore(
                element=number,
                points=sum(answered),  # type: ignore[arg-type]
                max_points=MAX_LEVEL * len(answered),
                answered=len(answered),
                measured=len(per_element[number]),
            )
        )
    points = sum(e.points for e in element_scores)
    max_points = sum(e.max_points for e in element_scores)
    percentage = round(100 * points / max_points, 1) if max_points else None
    return ScoreCard(
        elements=tuple(element_scores),
        points=points,
        max_points=max_points,
        answered=sum(e.answered for e in element_scores),
        measured=sum(e.measured for e in element_scores),
        level=indicative_level(percentage, thresholds),
    )


@dataclass(frozen=True)
class Growth:
    element: int
    before: float | None
    after: float | None

    @property
    def delta(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return round(self.after - self.before, 1)


def growth(before: ScoreCard, after: ScoreCard) -> tuple[Growth, ...]:
    """Per key element, the percentage at the baseline and at the end measurement."""
    numbers = sorted({e.element for e in before.elements} | {e.element for e in after.elements})
    rows = []
    for number in numbers:
        b, a = before.element(number), after.element(number)
        rows.append(Growth(number, b.percentage if b else None, a.percentage if a else None))
    return tuple(rows)
