"""The in-app feed: who is told what, once; read/unread and pages; tenant isolation."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

from contracts import invoices as inv
from contracts import ledger as lg
from contracts import listings as ls
from tests.integration.notifications.conftest import World


def issued(
    seller: uuid.UUID,
    buyer: uuid.UUID,
    *,
    acceptance: bool = True,
    invoice_id: uuid.UUID | None = None,
) -> inv.InvoiceIssued:
    return inv.InvoiceIssued(
        invoice_id=invoice_id or uuid.uuid4(),
        number="F-2026-0001",
        seller_member_id=seller,
        buyer_member_id=buyer,
        issue_date=date(2026, 11, 20),
        payment_mode=100,
        total_excl_vat=Decimal("100.00"),
        total_vat=Decimal("20.00"),
        total_incl_vat=Decimal("120.00"),
        unit_part=Decimal("120.00"),
        euro_part=Decimal("0.00"),
        unit="ACT",
        acceptance_required=acceptance,
    )


def settled(seller: uuid.UUID, buyer: uuid.UUID, invoice_id: uuid.UUID) -> inv.InvoiceSettled:
    return inv.InvoiceSettled(
        invoice_id=invoice_id,
        number="F-2026-0001",
        seller_member_id=seller,
        buyer_member_id=buyer,
        transfer_id=uuid.uuid4(),
        unit_part=Decimal("120.00"),
        euro_part=Decimal("0.00"),
        unit="ACT",
        settled_at=datetime.now(UTC),
    )


class TestInvoices:
    def test_an_issued_invoice_asks_the_buyer_to_accept(self, world: World) -> None:
        seller, buyer = world.admit(), world.admit()
        world.deliver(issued(seller, buyer))
        feed = world.feed(world.member(buyer))
        assert [i["kind"] for i in feed["items"]] == ["invoice_to_accept"]
        assert feed["unread"] == 1
        assert "120.00 ACT" in feed["items"][0]["body"]
        assert world.kinds(world.member(seller)) == []
        assert world.kinds(world.animator()) == []

    def test_without_acceptance_the_animators_validate_once(self, world: World) -> None:
        seller, buyer = world.admit(), world.admit()
        invoice_id = uuid.uuid4()
        world.deliver(issued(seller, buyer, acceptance=False, invoice_id=invoice_id))
        world.deliver(
            inv.InvoiceAwaitingValidation(
                invoice_id=invoice_id,
                number="F-2026-0001",
                seller_member_id=seller,
                buyer_member_id=buyer,
                transfer_id=uuid.uuid4(),
                unit_part=Decimal("120.00"),
                unit="ACT",
            )
        )
        assert world.kinds(world.animator()) == ["invoice_to_validate"]
        assert world.kinds(world.member(buyer)) == []

    def test_settled_tells_both_and_refusals_tell_the_seller(self, world: World) -> None:
        seller, buyer = world.admit(), world.admit()
        invoice_id = uuid.uuid4()
        world.deliver(settled(seller, buyer, invoice_id))
        world.deliver(
            inv.InvoiceRejected(
                invoice_id=uuid.uuid4(),
                number="F-2",
                reason="non",
                seller_member_id=seller,
                buyer_member_id=buyer,
            )
        )
        world.deliver(
            inv.InvoiceDisputed(
                invoice_id=uuid.uuid4(),
                number="F-3",
                reason="pas livré",
                seller_member_id=seller,
                buyer_member_id=buyer,
            )
        )
        assert world.kinds(world.member(seller)) == [
            "invoice_disputed",
            "invoice_rejected",
            "invoice_settled",
        ]
        assert world.kinds(world.member(buyer)) == ["invoice_settled"]

    def test_only_the_sellers_animators_are_asked_to_validate(self, world: World) -> None:
        seller, buyer = world.admit(), world.admit(tenant=world.tenant_b)
        invoice_id = uuid.uuid4()
        awaiting = inv.InvoiceAwaitingValidation(
            invoice_id=invoice_id,
            number="F-2026-0009",
            seller_member_id=seller,
            buyer_member_id=buyer,
            transfer_id=uuid.uuid4(),
            unit_part=Decimal("50.00"),
            unit="ACT",
        )
        # The invoices service publishes the event in both tenants of a cross-tenant trade.
        for tenant in (world.tenant_a, world.tenant_b):
            world.deliver(
                issued(seller, buyer, acceptance=False, invoice_id=invoice_id), tenant=tenant
            )
            world.deliver(awaiting, tenant=tenant)
        assert world.kinds(world.animator()) == ["invoice_to_validate"]
        assert world.kinds(world.animator(world.tenant_b), world.tenant_b) == []

    def test_a_cross_tenant_buyer_reads_it_in_its_own_tenant(self, world: World) -> None:
        seller, buyer = world.admit(), world.admit(tenant=world.tenant_b)
        world.deliver(issued(seller, buyer))
        assert world.kinds(world.member(buyer, world.tenant_b), world.tenant_b) == [
            "invoice_to_accept"
        ]
        assert world.kinds(world.member(buyer)) == []


class TestListingsAndLedger:
    def test_contacts_and_matches_reach_the_other_party(self, world: World) -> None:
        author, requester = world.admit(), world.admit()
        thread, listing = uuid.uuid4(), uuid.uuid4()
        world.deliver(
            ls.ContactRequested(
                thread_id=thread,
                message_id=uuid.uuid4(),
                listing_id=listing,
                listing_title="Flyers",
                from_member_id=requester,
                to_member_id=author,
                message="Bonjour",
            ),
            source="listings",
        )
        world.deliver(
            ls.ContactReplied(
                thread_id=thread,
                message_id=uuid.uuid4(),
                listing_id=listing,
                listing_title="Flyers",
                from_member_id=author,
                to_member_id=requester,
                message="Avec plaisir",
            ),
            source="listings",
        )
        world.deliver(
            ls.MatchFound(
                match_id=uuid.uuid4(),
                member_id=author,
                listing_id=listing,
                listing_kind="offer",
                listing_title="Flyers",
                counterpart_listing_id=uuid.uuid4(),
                counterpart_member_id=requester,
                counterpart_title="Besoin de flyers",
                category="autre",
                score=80,
            ),
            source="listings",
        )
        assert world.kinds(world.member(author)) == ["contact_received", "match_found"]
        assert world.kinds(world.member(requester)) == ["contact_replied"]

    def test_credit_limit_and_low_available_credit(self, world: World) -> None:
        member, payee = world.admit(), world.admit()
        world.deliver(
            lg.AccountOpened(
                account_id=member, unit="ACT", kind="member", credit_limit=Decimal("1000.00")
            ),
            source="ledger",
        )

        def posted(balance: str) -> lg.TransferPosted:
            return lg.TransferPosted(
                transfer_id=uuid.uuid4(),
                payer=member,
                payee=payee,
                amount=Decimal("10.00"),
                unit="ACT",
                kind="direct",
                reference="",
                posted_at=datetime.now(UTC),
                payer_balance=Decimal(balance),
                payee_balance=Decimal("0.00"),
            )

        world.deliver(posted("-850.00"), source="ledger")  # 150 available of 1000: fine
        assert world.kinds(world.member(member)) == []
        world.deliver(posted("-950.00"), source="ledger")  # 50 available: low
        feed = world.feed(world.member(member))
        assert [i["kind"] for i in feed["items"]] == ["low_available_credit"]
        assert "50.00 ACT" in feed["items"][0]["body"]
        world.deliver(
            lg.CreditLimitChanged(
                account_id=member,
                unit="ACT",
                old_credit_limit=Decimal("1000.00"),
                credit_limit=Decimal("2000.00"),
            ),
            source="ledger",
        )
        world.deliver(posted("-950.00"), source="ledger")  # 1050 of 2000: fine again
        assert world.kinds(world.member(member)) == ["credit_limit_changed", "low_available_credit"]

    def test_an_expired_credit_line_is_told_to_the_animators_flagged_when_short(
        self, world: World
    ) -> None:
        within, short = world.admit(), world.admit()
        for member, over_limit, balance in ((within, False, "-100.00"), (short, True, "-900.00")):
            world.deliver(
                lg.CreditLimitChanged(
                    account_id=member,
                    unit="ACT",
                    old_credit_limit=Decimal("5000.00"),
                    credit_limit=Decimal("300.00"),
                    reason="expired",
                    balance=Decimal(balance),
                    over_limit=over_limit,
                ),
                source="ledger",
            )
        items = world.feed(world.animator())["items"]
        expired = {i["title"]: i for i in items if i["kind"] == "credit_limit_expired"}
        assert set(expired) == {
            "Découvert temporaire échu",
            "Découvert temporaire échu — solde sous la limite",
        }
        flagged = expired["Découvert temporaire échu — solde sous la limite"]
        assert "-900.00 ACT" in flagged["body"] and "ne peut plus payer" in flagged["body"]
        # the member is told of its new limit, as of any change
        assert world.kinds(world.member(short)) == ["credit_limit_changed"]
        # a change by an animator is not an expiry: nothing more for the animators
        world.deliver(
            lg.CreditLimitChanged(
                account_id=within,
                unit="ACT",
                old_credit_limit=Decimal("300.00"),
                credit_limit=Decimal("400.00"),
                reason="croissance",
            ),
            source="ledger",
        )
        assert len(world.feed(world.animator())["items"]) == len(items)

    def test_a_credit_line_due_is_told_to_the_animators_only_once_per_date(
        self, world: World
    ) -> None:
        member = world.admit(name="Ferme des Prés")

        def due(on: date, days_left: int, expires_on: date | None) -> lg.CreditLineDue:
            return lg.CreditLineDue(
                member_id=member,
                unit="ACT",
                credit_limit=Decimal("3000.00"),
                due_on=on,
                days_left=days_left,
                review_on=date(2027, 1, 5),
                expires_on=expires_on,
            )

        envelope = world.deliver(due(date(2027, 1, 5), 30, None), source="ledger")
        world.deliver(None, envelope=envelope)  # redelivered: told once
        world.deliver(due(date(2027, 1, 5), 30, None), source="ledger")  # a second copy
        [review] = world.feed(world.animator())["items"]
        assert (review["kind"], review["title"]) == ("credit_line_due", "Ligne de crédit à revoir")
        assert "3000.00 ACT" in review["body"] and "Ferme des Prés" in review["body"]
        assert "05/01/2027" in review["body"]
        assert review["data"]["link"] == "/app/revisions-credit"
        assert review["data"]["member_id"] == str(member)

        world.deliver(due(date(2027, 2, 1), 30, date(2027, 2, 1)), source="ledger")
        titles = [i["title"] for i in world.feed(world.animator())["items"]]
        assert sorted(titles) == [
            "Ligne de crédit arrivant à échéance le 01/02/2027",
            "Ligne de crédit à revoir",
        ]
        assert world.kinds(world.member(member)) == []
        assert world.kinds(world.animator(world.tenant_b), world.tenant_b) == []


class TestFeed:
    def test_a_redelivered_event_adds_nothing(self, world: World) -> None:
        seller, buyer = world.admit(), world.admit()
        envelope = world.deliver(issued(seller, buyer))
        world.deliver(None, envelope=envelope)
        assert world.feed(world.member(buyer))["total"] == 1

    def test_pages_unread_count_and_read(self, world: World) -> None:
        seller, buyer = world.admit(), world.admit()
        for _ in range(3):
            world.deliver(issued(seller, buyer))
        page = world.feed(world.member(buyer), per_page=2)
        assert (len(page["items"]), page["total"], page["unread"]) == (2, 3, 3)
        entry = page["items"][0]["id"]
        done = world.client.post(
            f"/t/{world.tenant_a}/notifications/{entry}/read", headers=world.member(buyer)
        )
        assert done.status_code == 200 and done.json["read"] is True
        assert world.feed(world.member(buyer))["unread"] == 2
        assert world.feed(world.member(buyer), unread=True)["total"] == 2
        other = world.client.post(
            f"/t/{world.tenant_a}/notifications/{entry}/read", headers=world.member(seller)
        )
        assert other.status_code == 404

    def test_tenant_b_never_reads_tenant_a(self, world: World) -> None:
        seller, buyer = world.admit(), world.admit()
        world.deliver(issued(seller, buyer, acceptance=False))
        entry = world.feed(world.animator())["items"][0]["id"]
        assert world.kinds(world.animator(world.tenant_b), world.tenant_b) == []
        refused = world.client.get(
            f"/t/{world.tenant_a}/notifications", headers=world.animator(world.tenant_b)
        )
        assert refused.status_code == 404
        read = world.client.post(
            f"/t/{world.tenant_b}/notifications/{entry}/read",
            headers=world.animator(world.tenant_b),
        )
        assert read.status_code == 404
        # a member of A naming tenant B in the path is refused too
        assert (
            world.client.get(
                f"/t/{world.tenant_b}/notifications", headers=world.member(buyer)
            ).status_code
            == 404
        )

    def test_integrators_have_no_feed(self, world: World) -> None:
        response = world.client.get(
            f"/t/{world.tenant_a}/notifications", headers=world.integrator()
        )
        assert response.status_code == 403
