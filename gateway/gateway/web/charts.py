"""Server-rendered SVG charts: the geometry is computed here, ``_charts.html`` draws it.

No JavaScript and no chart library: a chart is a small dataclass of coordinates in a fixed
``viewBox`` that scales with the page. Values are ``Decimal`` (amounts) turned into coordinates
only at the end.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

WIDTH = 640
HEIGHT = 240
LEFT, RIGHT, TOP, BOTTOM = 72, 16, 16, 32


@dataclass(frozen=True, slots=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True, slots=True)
class LineChart:
    width: int
    height: int
    points: str
    area: str
    zero_y: float | None
    y_ticks: tuple[Tick, ...]
    x_ticks: tuple[Tick, ...]
    last: tuple[float, float]


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: Decimal
    negative: bool


@dataclass(frozen=True, slots=True)
class BarChart:
    width: int
    height: int
    bars: tuple[Bar, ...]
    zero_y: float
    y_ticks: tuple[Tick, ...]


def _nice_step(span: Decimal) -> Decimal:
    """A round step (1, 2 or 5 × 10^n) giving about four intervals over ``span``."""
    if span <= 0:
        return Decimal(1)
    raw = span / 4
    magnitude = max(Decimal(10) ** raw.adjusted(), Decimal("0.01"))
    for factor in (1, 2, 5, 10):
        if magnitude * factor >= raw:
            return magnitude * factor
    return magnitude * 10


def _scale(
    values: Sequence[Decimal], min_step: Decimal | None = None
) -> tuple[Decimal, Decimal, Decimal]:
    low = min(min(values), Decimal(0))
    high = max(max(values), Decimal(0))
    step = _nice_step(high - low)
    if min_step is not None:
        step = max(step, min_step)
    # ``+ 0`` turns a negative zero (a balance of -0.00) into zero: no « -0 » on the axis.
    low = (low / step).to_integral_value(rounding="ROUND_FLOOR") * step + 0
    high = (high / step).to_integral_value(rounding="ROUND_CEILING") * step + 0
    if high == low:
        high = low + step
    return low, high, step


def _y(value: Decimal, low: Decimal, high: Decimal) -> float:
    inner = HEIGHT - TOP - BOTTOM
    return round(TOP + inner * float((high - value) / (high - low)), 1)


def _y_ticks(low: Decimal, high: Decimal, step: Decimal, fmt: object) -> tuple[Tick, ...]:
    ticks = []
    value = low
    while value <= high:
        ticks.append(Tick(_y(value, low, high), fmt(value)))  # type: ignore[operator]
        value += step
    return tuple(ticks)


def line_chart(
    series: Sequence[tuple[datetime, Decimal]],
    *,
    value_label: object,
    date_label: object,
    min_step: Decimal | None = None,
) -> LineChart | None:
    """A step line of ``series`` (time, value), oldest first; None when there is nothing.

    ``min_step``: the smallest step between the value axis' ticks (1 when they show no
    decimals, so that two ticks never read the same).
    """
    if not series:
        return None
    low, high, step = _scale([value for _, value in series], min_step)
    start, end = series[0][0], series[-1][0]
    seconds = max((end - start).total_seconds(), 1.0)
    inner_w = WIDTH - LEFT - RIGHT

    def x(when: datetime) -> float:
        return round(LEFT + inner_w * (when - start).total_seconds() / seconds, 1)

    coords: list[tuple[float, float]] = []
    for when, value in series:
        px, py = x(when), _y(value, low, high)
        if coords:
            coords.append((px, coords[-1][1]))  # a balance holds until the next movement
        coords.append((px, py))
    if len(coords) == 1:
        coords.append((float(WIDTH - RIGHT), coords[0][1]))
    points = " ".join(f"{px},{py}" for px, py in coords)
    zero = _y(Decimal(0), low, high)
    area = f"{coords[0][0]},{zero} {points} {coords[-1][0]},{zero}"
    x_ticks = (
        Tick(float(LEFT), date_label(start)),  # type: ignore[operator]
        Tick(float(WIDTH - RIGHT), date_label(end)),
    )  # type: ignore[operator]
    return LineChart(
        WIDTH,
        HEIGHT,
        points,
        area,
        zero if low < 0 < high else None,
        _y_ticks(low, high, step, value_label),
        x_ticks,
        coords[-1],
    )


def bar_chart(
    bars: Sequence[tuple[str, Decimal]], *, value_label: object, min_step: Decimal | None = None
) -> BarChart | None:
    """Vertical bars of ``(label, value)``, left to right; None when there is nothing.

    ``min_step``: the smallest step between the value axis' ticks (1 for counts).
    """
    if not bars:
        return None
    low, high, step = _scale([value for _, value in bars], min_step)
    inner_w = WIDTH - LEFT - RIGHT
    slot = inner_w / len(bars)
    zero = _y(Decimal(0), low, high)
    shapes = []
    for index, (text, value) in enumerate(bars):
        top = _y(value, low, high)
        shapes.append(
            Bar(
                round(LEFT + slot * index + slot * 0.15, 1),
                min(top, zero),
                round(slot * 0.7, 1),
                round(abs(zero - top), 1),
                text,
                value,
                value < 0,
            )
        )
    return BarChart(WIDTH, HEIGHT, tuple(shapes), zero, _y_ticks(low, high, step, value_label))
