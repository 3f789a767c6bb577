"""The tenant's activity for its animators: volume traded and active members per month, and the
credit in use, as server-drawn SVG charts with the same figures in a table; and the network's
links with partner networks, with the position of each clearing account."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Final

from flask import render_template, request
from flask.typing import ResponseReturnValue

from gateway.web import charts
from gateway.web.blueprint import bp, page
from gateway.web.client import ApiError
from gateway.web.formatting import MONTHS, SHORT_MONTHS, number
from gateway.web.session import api, tenant_path

PERIODS: Final = (6, 12, 24)


def month_label(key: str, *, short: bool = False) -> str:
    """``2026-11`` -> ``novembre 2026`` (or ``nov.`` for a chart's axis)."""
    year, month = key.split("-")
    if short:
        return SHORT_MONTHS[int(month) - 1]
    return f"{MONTHS[int(month) - 1]} {year}"


def _whole(value: Decimal) -> str:
    return number(value, 0)


def activity_charts(months: list[dict[str, Any]]) -> dict[str, Any]:
    """The two bar charts of the page (volume traded, active members) and their axis labels.

    Bars carry the full month name (their tooltip); the axis names every month up to 12 bars,
    every other one beyond, so that the labels never overlap on a phone.
    """
    names = [month_label(m["month"]) for m in months]
    step = 1 if len(months) <= 12 else 2
    axis = [
        month_label(m["month"], short=True) if (len(months) - 1 - i) % step == 0 else ""
        for i, m in enumerate(months)
    ]
    volume = charts.bar_chart(
        [(n, Decimal(m["volume"])) for n, m in zip(names, months, strict=True)], value_label=_whole
    )
    active = charts.bar_chart(
        [(n, Decimal(m["active_members"])) for n, m in zip(names, months, strict=True)],
        value_label=_whole,
        min_step=Decimal(1),
    )
    return {"volume": volume, "active": active, "axis": axis}


def network_links() -> list[dict[str, Any]] | None:
    """The links of the tenant's network (``GET /t/<tenant>/federation/links``); None when the
    gateway cannot tell them now: the rest of the page is still shown."""
    try:
        return list(api().get(tenant_path("/federation/links"))["items"])
    except ApiError:
        return None


@bp.get("/app/activite")
@page("animator")
def activity() -> ResponseReturnValue:
    try:
        period = int(request.args.get("mois", "12"))
    except ValueError:
        period = 12
    if period not in PERIODS:
        period = 12
    data = api().get(tenant_path("/activity"), months=period)
    months = list(data["months"])
    total = sum((Decimal(m["volume"]) for m in months), Decimal(0))
    trades = sum(int(m["transfers"]) for m in months)
    return render_template(
        "animator/activity.html",
        data=data,
        months=months,
        charts=activity_charts(months),
        period=period,
        periods=PERIODS,
        total=total,
        trades=trades,
        month_label=month_label,
        first=month_label(months[0]["month"]),
        last=month_label(months[-1]["month"]),
        links=network_links(),
    )
