"""A clearing account's id is a contract: the ledger opens it under the id every reader computes
(the gateway names it as a partner network in statements)."""

from __future__ import annotations

from contracts import ledger as lg
from ledger import federation


def test_readers_compute_the_ledgers_clearing_account_ids() -> None:
    for network, partner in (("troc-actif", "agri-echange"), ("agri-echange", "troc-actif")):
        assert lg.clearing_account_id(network, partner) == federation.clearing_account_id(
            network, partner
        )
    assert lg.clearing_account_id("a", "b") != lg.clearing_account_id("b", "a")
