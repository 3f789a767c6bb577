"""A link between two networks, in the gateway's domain: its rate, its limits, its status."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from chassis.money import format_rate
from gateway.domain.errors import ValidationErrors
from gateway.domain.model.federation import FederationLink, LinkStatus, side_of

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


class TestSide:
    def test_network_a_sees_the_rate_and_its_own_clearing_account(self) -> None:
        made = link(rate="2", limit_a=500_000)
        side = side_of(made, "troc-actif", "Agri-échange", (-120_000, 240_000))
        assert (side.partner_network, side.partner_network_name) == ("agri-echange", "Agri-échange")
        assert (side.rate, side.limit, side.clearing_balance) == (Decimal(2), 500_000, -120_000)
        assert side.available == 380_000

    def test_network_b_sees_the_inverse_rate_and_its_own_clearing_account(self) -> None:
        made = link(rate="3", limit_b=250_000)
        side = side_of(made, "agri-echange", "Troc Actif", (-120_000, 240_000))
        assert side.partner_network == "troc-actif"
        assert side.rate == Decimal("0.33333333")
        assert (side.limit, side.clearing_balance, side.available) == (250_000, 240_000, 490_000)

    def test_an_unknown_balance_leaves_the_room_unknown(self) -> None:
        side = side_of(link(), "troc-actif", "Agri-échange", (None, None))
        assert side.clearing_balance is None and side.available is None

    def test_a_network_not_of_the_link_has_no_side(self) -> None:
        with pytest.raises(ValueError):
            side_of(link(), "autre", "Autre", (0, 0))
