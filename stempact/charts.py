"""Geometry for server-rendered SVG charts (the same markup serves pages and PDFs)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

ROW_HEIGHT = 10
LABEL_WIDTH = 150
BAR_SPACE = 200


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    y: int
    width: float

    @property
    def value_x(self) -> float:
        return LABEL_WIDTH + self.width + 5


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: list[Bar]

    @property
    def height(self) -> int:
        return max(len(self.bars), 1) * ROW_HEIGHT

    @property
    def total(self) -> int:
        return sum(bar.value for bar in self.bars)


def bar_chart(title: str, rows: Sequence[tuple[str, int]]) -> BarChart:
    """Horizontal bars scaled to the largest value; a zero gets no bar but keeps its row and label."""
    largest = max((value for _, value in rows), default=0) or 1
    bars = [
        Bar(label=str(label), value=value, y=i * ROW_HEIGHT, width=round(BAR_SPACE * value / largest, 1))
        for i, (label, value) in enumerate(rows)
    ]
    return BarChart(title=title, bars=bars)
