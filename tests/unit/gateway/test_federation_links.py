"""A link between two networks, in the gateway's domain: its rate, its limits, its status."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from gateway.domain.errors import ValidationErrors
from gateway.domain.model.federation import FederationLink, LinkStatus, format_rate

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


def link(**changes: object) -> FederationLink:
    values: dict[str, object] = {
        "id": uuid.uuid4(),
        "network_a": "troc-actif",
        "network_b": "agri-echange",
        "rate": "1",
        "limit_a": 500_000,
        "limit_b": 250_000,
        "now": NOW,
    }
    values.update(changes)
    return FederationLink.create(**values)  # type: ignore[arg-type]


class TestCreate:
    def test_a_new_link_is_active_with_its_rate_and_limits(self) -> None:
        made = link(rate="0.75")
        assert (made.rate, made.limit_a, made.limit_b) == (Decimal("0.75"), 500_000, 250_000)
        assert made.status is LinkStatus.ACTIVE
        assert format_rate(made.rate) == "0.75"

    def test_every_bad_field_is_named_at_once(self) -> None:
        with pytest.raises(ValidationErrors) as refused:
            link(network_b="troc-actif", rate="0", limit_a=-1)
        assert set(refused.value.fields) == {"network_b", "rate", "limit_a"}

    @pytest.mark.parametrize(
        "rate", ["-1", "abc", "1.123456789", "NaN", 1.5, True, "10000000.5", None]
    )
    def test_a_rate_is_a_positive_decimal_string_with_at_most_eight_decimals(
        self, rate: object
    ) -> None:
        with pytest.raises(ValidationErrors) as refused:
            link(rate=rate)
        assert refused.value.fields == ("rate",)


class TestChange:
    def test_limits_rate_and_status_change(self) -> None:
        later = NOW + timedelta(hours=1)
        changed = link().with_changes({"limit_b": 100, "rate": "1.1", "status": "suspended"}, later)
        assert (changed.limit_b, changed.rate, changed.status) == (
            100,
            Decimal("1.1"),
            LinkStatus.SUSPENDED,
        )
        assert changed.updated_at == later and changed.created_at == NOW

    def test_the_networks_of_a_link_never_change(self) -> None:
        with pytest.raises(ValidationErrors) as refused:
            link().with_changes({"network_a": "other", "status": "closed"}, NOW)
        assert set(refused.value.fields) == {"network_a", "status"}
