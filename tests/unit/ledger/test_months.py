"""The calendar months of a tenant's activity: across a year's end, and the first instant."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ledger.domain import first_month, month_keys


@pytest.mark.parametrize(
    ("now", "months", "keys"),
    [
        (datetime(2026, 1, 15, 8, tzinfo=UTC), 3, ["2025-11", "2025-12", "2026-01"]),
        (datetime(2026, 11, 30, 23, 59, tzinfo=UTC), 1, ["2026-11"]),
        (
            datetime(2026, 12, 1, tzinfo=UTC),
            13,
            [f"2025-{m:02d}" for m in range(12, 13)] + [f"2026-{m:02d}" for m in range(1, 13)],
        ),
    ],
)
def test_the_months_end_with_the_current_one(now: datetime, months: int, keys: list[str]) -> None:
    assert month_keys(now, months) == keys
    start = first_month(now, months)
    assert f"{start:%Y-%m}" == keys[0]
    assert (start.day, start.hour, start.minute, start.second, start.microsecond) == (1, 0, 0, 0, 0)
    assert start.tzinfo is UTC
