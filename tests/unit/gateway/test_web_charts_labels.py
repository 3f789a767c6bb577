"""What the pages print of amounts and balances: no « -0 », a posted transfer « Effectué »."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from gateway.web import formatting
from gateway.web.charts import line_chart


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        ("-0.4", 0, "0"),
        ("-0.00", 2, "0,00"),
        ("-0.004", 2, "0,00"),
        ("-0.6", 0, "-1"),
        ("-1234.5", 2, "-1\u202f234,50"),
        ("0", 0, "0"),
    ],
)
def test_what_rounds_to_zero_has_no_sign(value: str, decimals: int, text: str) -> None:
    assert formatting.number(Decimal(value), decimals) == text


@pytest.mark.parametrize(
    "values", [["-0.00", "-0.00"], ["-0.40", "0.00"], ["0.00", "0.30"], ["-300.00", "0.00"]]
)
def test_a_balance_axis_never_reads_minus_zero_nor_twice_the_same(values: list[str]) -> None:
    series = [(datetime(2026, 1, day + 1, tzinfo=UTC), Decimal(v)) for day, v in enumerate(values)]
    chart = line_chart(
        series,
        value_label=lambda v: formatting.number(v, 0),
        date_label=formatting.date_fr,
        min_step=Decimal(1),
    )
    assert chart is not None
    labels = [tick.label for tick in chart.y_ticks]
    assert "-0" not in labels
    assert len(set(labels)) == len(labels)
    assert "0" in labels


def test_a_posted_transfer_reads_done() -> None:
    assert formatting.LABELS["transfer_status"]["posted"] == "Effectué"
