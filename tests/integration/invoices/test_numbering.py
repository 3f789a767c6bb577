"""Gap-free numbering under concurrency: 50 drafts of one seller issued at once get 1..50, each
once, in the order of their issue instants (PostgreSQL row lock; SQLite's single writer)."""

from __future__ import annotations

import contextlib
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from invoices import handlers
from invoices.handlers import DraftRequest, local_date

from .conftest import World, address


def test_fifty_concurrent_issues_of_one_seller_are_numbered_1_to_50(world: World) -> None:
    lines = ({"description": "Prestation", "quantity": "1", "unit_price": 10000, "vat_rate": "20"},)
    drafts = []
    for _ in range(50):
        invoice = handlers.create_draft(
            world.app.uow(),
            DraftRequest(
                seller_member_id=world.seller,
                buyer_member_id=world.buyer,
                lines=lines,
                payment_mode=100,
                delivery_date=datetime.now(UTC).date(),
                seller_address=address(),
                buyer_address=address(),
                invoice_id=uuid.uuid4(),
            ),
            tenant=world.tenant_a,
            now=datetime.now(UTC),
        )
        drafts.append(invoice.id)
    start = threading.Barrier(10)

    def issue(invoice_id: uuid.UUID) -> Any:
        with contextlib.suppress(threading.BrokenBarrierError):
            start.wait(timeout=5)
        invoice, _change = handlers.issue(
            world.app.uow(), invoice_id, now=lambda: datetime.now(UTC)
        )
        return invoice

    with ThreadPoolExecutor(max_workers=10) as pool:
        issued = list(pool.map(issue, drafts))
    year = local_date(datetime.now(UTC)).year
    numbers = sorted(i.number for i in issued)
    assert numbers == [f"F{year}-{n:06d}" for n in range(1, 51)]
    # Chronological: a later number never carries an earlier issue instant.
    by_number = sorted(issued, key=lambda i: i.number)
    instants = [i.issued_at for i in by_number]
    assert instants == sorted(instants)
