"""What the ledger does with the messages of trade between networks (the ``federation`` handlers).

They run outside the worker's batch transaction: a saga's step works on one network's books in
their own database, then records itself in the ledger's (``ledger.sagas``).
"""

from __future__ import annotations

from chassis.messages import MessageMeta as Meta
from chassis.money import parse_cents
from contracts import gateway as gw
from contracts import ledger as lg
from ledger.federation import Link, LinkStatus, parse_rate
from ledger.sagas import FederationSagas, TransferOrder


def on_link_changed(
    message: gw.FederationLinkSettings, meta: Meta, federation: FederationSagas
) -> None:
    federation.apply_link(
        Link(
            id=message.link_id,
            network_a=message.network_a,
            network_b=message.network_b,
            rate=parse_rate(message.rate),
            limit_a=parse_cents(message.limit_a, allow_zero=True),
            limit_b=parse_cents(message.limit_b, allow_zero=True),
            status=LinkStatus(message.status),
        ),
        message_id=meta.message_id,
    )


def start_federated_transfer(
    message: lg.StartFederatedTransfer, meta: Meta, federation: FederationSagas
) -> None:
    federation.start(
        TransferOrder(
            saga_id=message.saga_id,
            link_id=message.link_id,
            payer_network=message.payer_network,
            payer=message.payer,
            payee=message.payee,
            amount=parse_cents(message.amount),
            reference=message.reference,
            requested_by=message.requested_by,
            rate=message.rate,
            converted_amount=(
                None if message.converted_amount is None else parse_cents(message.converted_amount)
            ),
        )
    )


def advance_federated_transfer(
    message: lg.AdvanceFederatedTransfer, meta: Meta, federation: FederationSagas
) -> None:
    federation.advance(message.saga_id)
