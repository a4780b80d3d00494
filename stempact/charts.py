"""Geometry for server-rendered SVG charts (the same markup serves pages and PDFs)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

ROW_HEIGHT = 10
LABEL_WIDTH = 150
BAR_SPACE = 200


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
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
    def total(self) -> float:
        return sum(bar.value for bar in self.bars)


def bar_chart(title: str, rows: Sequence[tuple[str, float]], scale_to: float | None = None) -> BarChart:
    """Horizontal bars scaled to `scale_to` (e.g. 100 for percentages), else to the largest value.

    A zero gets no bar but keeps its row and label; a value beyond `scale_to` is drawn full width.
    """
    largest = scale_to or max((value for _, value in rows), default=0) or 1
    bars = [
        Bar(label=str(label), value=value, y=i * ROW_HEIGHT, width=round(BAR_SPACE * min(value, largest) / largest, 1))
        for i, (label, value) in enumerate(rows)
    ]
    return BarChart(title=title, bars=bars)


# --------------------------------------------------------------------------- radar chart

RADAR_SIZE = 400
RADAR_CENTRE = RADAR_SIZE / 2
RADAR_RADIUS = 130
RADAR_RINGS = (25, 50, 75, 100)
#: Series colours (first: baseline, second: end measurement), both with AA contrast on white.
RADAR_COLOURS = ("#0b5d8c", "#b4410b", "#4b6b1f")


@dataclass(frozen=True)
class RadarAxis:
    label: str
    x: float  # end of the axis line (100 %)
    y: float
    label_x: float
    label_y: float
    anchor: str  # SVG text-anchor


@dataclass(frozen=True)
class RadarSeries:
    name: str
    values: tuple[float | None, ...]
    points: str  # SVG polygon points; a missing value is drawn at the centre
    css_class: str
    colour: str


@dataclass(frozen=True)
class RadarChart:
    title: str
    axes: tuple[RadarAxis, ...]
    rings: tuple[tuple[int, str], ...]  # (percentage, polygon points)
    series: tuple[RadarSeries, ...]
    size: int = RADAR_SIZE
    centre: float = RADAR_CENTRE

    @property
    def rows(self) -> list[tuple[str, list[float | None]]]:
        """Per axis, the value of every series: the chart's numbers as a table."""
        return [(axis.label, [s.values[i] for s in self.series]) for i, axis in enumerate(self.axes)]


def _radar_point(index: int, count: int, share: float) -> tuple[float, float]:
    # Axis 0 points straight up; axes go clockwise.
    angle = -math.pi / 2 + 2 * math.pi * index / count
    return (
        round(RADAR_CENTRE + RADAR_RADIUS * share * math.cos(angle), 1),
        round(RADAR_CENTRE + RADAR_RADIUS * share * math.sin(angle), 1),
    )


def _polygon(count: int, shares: Sequence[float]) -> str:
    return " ".join(f"{x},{y}" for x, y in (_radar_point(i, count, s) for i, s in enumerate(shares)))


def radar_chart(title: str, axes: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]]) -> RadarChart:
    """A radar (spider) chart of percentages 0-100, one axis per label, one polygon per series."""
    count = len(axes)
    if count < 3:
        raise ValueError("a radar chart needs at least three axes")
    axis_rows = []
    for i, label in enumerate(axes):
        x, y = _radar_point(i, count, 1.0)
        lx, ly = _radar_point(i, count, 1.18)
        anchor = "middle" if abs(lx - RADAR_CENTRE) < 10 else ("start" if lx > RADAR_CENTRE else "end")
        axis_rows.append(RadarAxis(str(label), x, y, lx, ly + 4, anchor))
    rings = tuple((ring, _polygon(count, [ring / 100] * count)) for ring in RADAR_RINGS)
    drawn = []
    for n, (name, values) in enumerate(series):
        if len(values) != count:
            raise ValueError("every series needs one value per axis")
        shares = [min(max((v or 0) / 100, 0), 1) for v in values]
        colour = RADAR_COLOURS[n % len(RADAR_COLOURS)]
        drawn.append(RadarSeries(str(name), tuple(values), _polygon(count, shares), f"series-{n}", colour))
    return RadarChart(title=title, axes=tuple(axis_rows), rings=rings, series=tuple(drawn))
