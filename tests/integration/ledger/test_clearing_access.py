"""Who may read a link's clearing balances at the ledger: the operator, and the animators of
either linked network (the gateway asks with the caller's own token), nobody else."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from chassis.auth import ANIMATOR, MEMBER, OPERATOR
from chassis.testing.tokens import TokenFactory
from ledger.api import create_app
from ledger.bootstrap import LedgerApp
from ledger.domain import Network

PARTNER = "partner-net"


@pytest.fixture
def client(ledger_app: LedgerApp, token_factory: TokenFactory) -> FlaskClient:
    return create_app(token_factory.settings(ledger_app.settings), ledger=ledger_app).test_client()


@pytest.mark.parametrize(
    ("role", "claim", "status"),
    [
        (OPERATOR, None, 200),
        (ANIMATOR, "own", 200),
        (ANIMATOR, PARTNER, 200),
        (ANIMATOR, "elsewhere", 403),
        (MEMBER, "own", 403),
    ],
)
def test_the_clearing_of_a_link_is_shown_to_its_two_networks_staff_only(
    client: FlaskClient,
    token_factory: TokenFactory,
    network: Network,
    role: str,
    claim: str | None,
    status: int,
) -> None:
    own = network.slug if claim == "own" else claim
    headers = token_factory.headers(role, tenant=None if role == OPERATOR else "pie", network=own)
    shown = client.get(
        "/federation/clearing",
        query_string={"network_a": network.slug, "network_b": PARTNER},
        headers=headers,
    )
    assert shown.status_code == status, shown.json
    if status == 200:
        assert shown.json["network_a"] == network.slug
        assert shown.json["clearing_balance_a"] is None  # no link opened these accounts
