"""HTTP API of the ledger: accounts, statements, credit limits, transfers and the event log.

Views are thin: check who may act, turn the request into a domain request, run it in a unit of
work, shape the answer. ``gunicorn "ledger.api:create_app()"``.
"""

from __future__ import annotations

import functools
import io
import uuid
from collections.abc import Iterator
from dataclasses import asdict, replace
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from flask import Flask, Response, current_app, jsonify, request, stream_with_context
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

from chassis.auth import ANIMATOR, INTEGRATOR, MEMBER, OPERATOR, Forbidden, Identity, NotFound
from chassis.bus import is_amqp
from chassis.config import Settings
from chassis.db import utcnow
from chassis.http import broker_check, create_base_app, database_check
from chassis.metrics import register_outbox_collector
from chassis.money import format_cents
from chassis.schemas import PageQuery, page_of
from chassis.spreadsheet import SafeWriter
from chassis.tenancy import require_role, require_tenant
from ledger import db as store
from ledger import domain
from ledger.bootstrap import LedgerApp, bootstrap
from ledger.db import UnitOfWork, outbox_sequence_table, outbox_table
from ledger.domain import Outcome, TransferKind, TransferRequest
from ledger.fastinput import fast_json_arguments, load_transfer
from ledger.metrics import TRANSFERS, count_transfers
from ledger.schemas import (
    AccountListQuery,
    AccountSchema,
    ActivityQuery,
    ActivitySchema,
    AuditPageSchema,
    AuditQuery,
    CommissionsQuery,
    CommissionsSchema,
    CreditLimitChangeSchema,
    CreditLimitInSchema,
    CreditLineDueSchema,
    CreditReviewsQuery,
    EventsPageSchema,
    EventsQuery,
    FeeAccountQuery,
    FeeAccountSchema,
    FeeTransferInSchema,
    MaxBalanceInSchema,
    StatementQuery,
    TransferInSchema,
    TransferSchema,
    VoidInSchema,
    transfer_json,
)

blp = Blueprint(
    "ledger",
    __name__,
    url_prefix="/t/<tenant>",
    description="Accounts, transfers and the event log of a tenant",
)

#: Transfer ids derived from a tenant's Idempotency-Key live in this namespace.
IDEMPOTENCY_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://trocactif.org/ledger/idempotency")

#: Domain errors and their HTTP answers: the one table of the service.
ERRORS: dict[type[Exception], tuple[int, str]] = {
    domain.TransferRefused: (422, "transfer_refused"),
    **{refusal: (422, code) for code, refusal in domain.REFUSALS.items()},
    domain.NonPositiveAmount: (422, "non_positive_amount"),
    domain.IdempotencyConflict: (409, "idempotency_conflict"),
    domain.TransferNotFound: (404, "transfer_not_found"),
    domain.AccountNotFound: (404, "account_not_found"),
    domain.NetworkNotFound: (404, "network_not_found"),
    domain.InvalidTransferState: (409, "invalid_transfer_state"),
    domain.HoldExpired: (409, "hold_expired"),
    domain.CreditLimitTooLow: (422, "credit_limit_too_low"),
    domain.InvalidCreditLineDates: (422, "invalid_credit_line_dates"),
    domain.MaxBalanceTooLow: (422, "max_balance_too_low"),
}


def _tenant_network(ledger: LedgerApp, tenant: str) -> str | None:
    """The network of a tenant's accounts (a network-scoped API key reaches its tenants)."""
    with ledger.engine.connect() as conn:
        return ledger.store.network_of_tenant(conn, tenant)


def ledger_app() -> LedgerApp:
    app: LedgerApp = current_app.extensions["ledger"]
    return app


# --- who may do what ---------------------------------------------------------------------------


def _reader(tenant: str, member_id: UUID | None = None) -> Identity:
    """Animators and operators; integrators with ``ledger:read``; a member for its own account."""
    identity = require_tenant(tenant)
    if identity.has_role(ANIMATOR, OPERATOR):
        return identity
    if identity.has_role(INTEGRATOR) and identity.has_scope("ledger:read"):
        return identity
    if identity.has_role(MEMBER) and member_id is not None and identity.member_id == member_id:
        return identity
    if identity.has_role(MEMBER) and member_id is not None:
        raise NotFound()  # another member's account: as if it did not exist
    raise Forbidden()


def _animator(tenant: str) -> Identity:
    identity = require_tenant(tenant)
    if not identity.has_role(ANIMATOR, OPERATOR):
        raise Forbidden()
    return identity


def _account_in(tenant: str, member_id: UUID) -> domain.Account:
    app = ledger_app()
    with app.engine.connect() as conn:
        account = app.store.get_account(conn, member_id)
    if account is None or account.tenant != tenant:
        raise NotFound(message="No such account in this tenant.")
    return account


def _account_view(account: domain.Account) -> dict[str, Any]:
    network = ledger_app().networks.get(account.network)
    return {
        "id": account.id,
        "network": account.network,
        "tenant": account.tenant,
        "kind": account.kind,
        "unit": network.unit_code if network else "",
        "balance": account.balance,
        "available": account.available,
        "pending_debits": account.pending_debits,
        "pending_credits": account.pending_credits,
        "credit_limit": account.credit_limit,
        "max_balance": account.max_balance,
        "status": account.status.value,
        "category": account.category,
        "credit_limit_expires_on": account.credit_limit_expires_on,
        "credit_limit_review_on": account.credit_limit_review_on,
        "over_limit": account.available < 0,
    }


# --- accounts ----------------------------------------------------------------------------------


@blp.route("/accounts")
class Accounts(MethodView):
    @blp.arguments(AccountListQuery(), location="query")
    @blp.response(200, AccountSchema(many=True))
    def get(self, query: dict[str, Any], tenant: str) -> list[dict[str, Any]]:
        """List the tenant's accounts"""
        _reader(tenant)
        app = ledger_app()
        per_page = query["per_page"]
        with app.engine.connect() as conn:
            found = app.store.list_accounts(
                conn, tenant, limit=per_page, offset=(query["page"] - 1) * per_page
            )
        return [_account_view(account) for account in found]


@blp.route("/accounts/<uuid:member_id>")
class AccountView(MethodView):
    @blp.response(200, AccountSchema())
    def get(self, tenant: str, member_id: UUID) -> dict[str, Any]:
        """Show a member's balance, available credit, pending amounts and credit limit"""
        _reader(tenant, member_id)
        return _account_view(_account_in(tenant, member_id))


@blp.route("/accounts/<uuid:member_id>/credit-limit")
class CreditLimit(MethodView):
    @blp.arguments(CreditLimitInSchema())
    @blp.response(200, AccountSchema())
    def put(self, body: dict[str, Any], tenant: str, member_id: UUID) -> dict[str, Any]:
        """Change a member's credit limit, for good or until ``expires_on`` (refused below what
        the account already uses)"""
        identity = _animator(tenant)
        _account_in(tenant, member_id)
        domain.ensure_credit_line_dates(
            body["expires_on"], body["review_on"], domain.local_date(utcnow())
        )
        app = ledger_app()
        role = OPERATOR if identity.has_role(OPERATOR) else ANIMATOR
        with app.uow() as uow:
            before = uow.ledger.get_account(member_id)
            account = uow.ledger.set_credit_limit(
                member_id,
                body["credit_limit"],
                changed_by=identity.subject,
                changed_by_role=role,
                reason=body["reason"],
                expires_on=body["expires_on"],
                review_on=body["review_on"],
            )
            _audit(
                uow,
                identity,
                "credit_limit_changed",
                "account",
                member_id,
                tenant,
                account.network,
                old_credit_limit=format_cents(before.credit_limit) if before else None,
                credit_limit=format_cents(account.credit_limit),
                reason=body["reason"],
                expires_on=body["expires_on"],
                review_on=body["review_on"],
            )
            uow.commit()
        return _account_view(account)


@blp.route("/accounts/<uuid:member_id>/max-balance")
class MaxBalance(MethodView):
    @blp.arguments(MaxBalanceInSchema())
    @blp.response(200, AccountSchema())
    def put(self, body: dict[str, Any], tenant: str, member_id: UUID) -> dict[str, Any]:
        """Set a member's maximum balance (null clears it; refused below what it already holds)"""
        identity = _animator(tenant)
        _account_in(tenant, member_id)
        with ledger_app().uow() as uow:
            before, account = uow.ledger.set_max_balance(member_id, body["max_balance"])
            _audit(
                uow,
                identity,
                "max_balance_changed",
                "account",
                member_id,
                tenant,
                account.network,
                old_max_balance=_cents_or_none(before.max_balance),
                max_balance=_cents_or_none(account.max_balance),
            )
            uow.commit()
        return _account_view(account)


def _cents_or_none(cents: int | None) -> str | None:
    return None if cents is None else format_cents(cents)


@blp.route("/credit-reviews")
class CreditReviews(MethodView):
    @blp.arguments(CreditReviewsQuery(), location="query")
    @blp.response(200, page_of(CreditLineDueSchema))
    def get(self, query: dict[str, Any], tenant: str) -> dict[str, Any]:
        """Credit lines due for review or expiry within ``days`` (30), soonest first; a review
        past its date stays listed until the line is changed"""
        identity = _animator(tenant)
        app = ledger_app()
        today = domain.local_date(utcnow())
        horizon = today + timedelta(days=query["days"])
        with app.engine.connect() as conn:
            found = app.store.credit_lines(conn, tenant, horizon)
            names = app.store.member_names(conn, [a.id for a in found])
            network = identity.network or app.store.network_of_tenant(conn, tenant)
        net = app.networks.get(network) if network else None
        due = domain.credit_lines_due(found, net, today, query["days"])
        page, per_page = query["page"], query["per_page"]
        return {
            "items": [_line_view(d, names) for d in due[(page - 1) * per_page : page * per_page]],
            "page": page,
            "per_page": per_page,
            "total": len(due),
        }


def _line_view(due: domain.CreditLineDue, names: dict[UUID, tuple[str, str]]) -> dict[str, Any]:
    account = due.account
    return {
        "member_id": account.id,
        "name": names.get(account.id, ("", ""))[0],
        "kind": due.kind,
        "due_on": due.due_on,
        "category": account.category,
        "balance": account.balance,
        "available": account.available,
        "credit_limit": account.credit_limit,
        "standing_credit_limit": due.standing_credit_limit,
        "credit_limit_expires_on": account.credit_limit_expires_on,
        "credit_limit_review_on": account.credit_limit_review_on,
    }


@blp.route("/accounts/<uuid:member_id>/credit-limit/history")
class CreditLimitHistory(MethodView):
    @blp.arguments(PageQuery(), location="query")
    @blp.response(200, page_of(CreditLimitChangeSchema))
    def get(self, query: dict[str, Any], tenant: str, member_id: UUID) -> dict[str, Any]:
        """A member's credit limits, newest first: who changed them, when, from what to what"""
        _reader(tenant, member_id)
        _account_in(tenant, member_id)
        app = ledger_app()
        page, per_page = query["page"], query["per_page"]
        with app.engine.connect() as conn:
            items, total = app.store.credit_limit_history(
                conn, member_id, limit=per_page, offset=(page - 1) * per_page
            )
        return {"items": items, "page": page, "per_page": per_page, "total": total}


@blp.route("/accounts/<uuid:member_id>/transfers")
class Statement(MethodView):
    @blp.arguments(StatementQuery(), location="query")
    @blp.response(200, TransferSchema(many=True), content_type="application/json")
    @blp.alt_response(
        200,
        description="The same statement as CSV (Accept: text/csv)",
        content_type="text/csv",
        success=True,
    )
    def get(self, query: dict[str, Any], tenant: str, member_id: UUID) -> Any:
        """A member's statement, newest first; CSV with ``Accept: text/csv``"""
        _reader(tenant, member_id)
        _account_in(tenant, member_id)
        app = ledger_app()
        statuses = query["status"] or ("posted", "pending", "voided")
        page, per_page = query["page"], query["per_page"]
        wants_csv = (
            request.accept_mimetypes.best_match(["application/json", "text/csv"]) == "text/csv"
        )
        if wants_csv:
            return _statement_csv(app, member_id, statuses, query)
        with app.engine.connect() as conn:
            items, total = app.store.statement(
                conn,
                member_id,
                limit=per_page,
                offset=(page - 1) * per_page,
                statuses=statuses,
                since=query["since"],
                until=query["until"],
            )
        return (
            items,
            200,
            {"X-Total-Count": str(total), "X-Page": str(page), "X-Per-Page": str(per_page)},
        )


def _statement_csv(
    app: LedgerApp, member_id: UUID, statuses: Any, query: dict[str, Any]
) -> Response:
    """Stream the whole statement (every page) as CSV, signed from the member's side."""

    def rows() -> Iterator[str]:
        buffer = io.StringIO()
        writer = SafeWriter(buffer)
        writer.writerow(
            [
                "date",
                "transfer_id",
                "status",
                "kind",
                "counterparty",
                "counterparty_name",
                "counterparty_siret",
                "debit",
                "credit",
                "reference",
            ]
        )
        offset, size = 0, 500
        while True:
            with app.engine.connect() as conn:
                items, _ = app.store.statement(
                    conn,
                    member_id,
                    limit=size,
                    offset=offset,
                    statuses=statuses,
                    since=query["since"],
                    until=query["until"],
                )
                names = app.store.member_names(
                    conn, [t.payee if t.payer == member_id else t.payer for t in items]
                )
            for t in items:
                outgoing = t.payer == member_id
                counterparty = t.payee if outgoing else t.payer
                name, siret = names.get(counterparty, ("", ""))
                writer.writerow(
                    [
                        (t.posted_at or t.created_at).isoformat(),
                        t.id,
                        t.status.value,
                        t.kind.value,
                        counterparty,
                        name,
                        siret,
                        format_cents(t.amount) if outgoing else "",
                        "" if outgoing else format_cents(t.amount),
                        t.reference,
                    ]
                )
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            if len(items) < size:
                return
            offset += size

    return Response(
        stream_with_context(rows()),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="statement-{member_id}.csv"'},
    )


# --- transfers ---------------------------------------------------------------------------------


def _transfer_response(outcome: Outcome, created_status: int = 201) -> Any:
    outcome.raise_if_refused()
    headers = {"Idempotent-Replayed": "true"} if outcome.replayed else {}
    return jsonify(transfer_json(outcome.transfer)), created_status, headers


@blp.route("/transfers")
class Transfers(MethodView):
    @fast_json_arguments(blp, TransferInSchema(), load_transfer)
    @blp.response(201, TransferSchema())
    @blp.doc(
        parameters=[
            {
                "in": "header",
                "name": "Idempotency-Key",
                "required": True,
                "schema": {"type": "string", "maxLength": 200},
                "description": "Chosen by the caller; a replay returns the first "
                "result and moves nothing twice.",
            }
        ]
    )
    def post(self, body: dict[str, Any], tenant: str) -> Any:
        """Make a manual transfer, reversal or hold between members of the network"""
        identity = _animator(tenant)
        key = _idempotency_key()
        app = ledger_app()
        # Only the payer's own tenant may debit it: the store refuses another tenant's account
        # as unknown, in the same statement as the transfer.
        network = identity.network or ""
        expires_at = body["expires_at"]
        if body["hold"] and expires_at is None:
            expires_at = _default_hold_expiry(app, network, body["payer"], tenant)
        transfer_request = TransferRequest(
            id=uuid.uuid5(IDEMPOTENCY_NAMESPACE, f"{tenant}:{key}"),
            network=network,
            payer=body["payer"],
            payee=body["payee"],
            amount=body["amount"],
            kind=TransferKind.HOLD if body["hold"] else TransferKind(body["kind"]),
            reference=body["reference"],
            hold=body["hold"],
            expires_at=expires_at,
            reverses=body["reverses"],
            tenant=tenant,
            payer_tenant=tenant,
        )
        try:
            if app.statements is not None:  # PostgreSQL: the worker's own pooled connection
                fast = app.statements.transfer(transfer_request)
                # Attributed and audited right after, in a short transaction of its own (the
                # money statement stays one round trip); a replay repairs a missing attribution.
                outcome = _run(
                    lambda uow: _attributed(uow, fast, identity, tenant, "transfer_made"),
                    single_statement=False,
                )
            else:
                outcome = _run(
                    lambda uow: _attributed(
                        uow,
                        uow.ledger.transfer(transfer_request),
                        identity,
                        tenant,
                        "transfer_made",
                    ),
                    single_statement=False,
                )
        except domain.TransferRefused as exc:  # refused before any record (another tenant's)
            TRANSFERS.inc("api", "refused", exc.code)
            raise
        count_transfers("api", [outcome])
        return _transfer_response(outcome)


#: Audit actions of the transfers a staff user makes (attributed to them).
MANUAL_TRANSFERS = frozenset({"transfer_made", "fee_account_transfer_made"})


def _idempotency_key() -> str:
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key or len(key) > 200:
        abort(
            400,
            code="idempotency_key_required",
            message="Send an Idempotency-Key header (1 to 200 characters).",
        )
    return key


def _attributed(
    uow: UnitOfWork, outcome: Outcome, identity: Identity, tenant: str, action: str
) -> Outcome:
    """Name the staff user who made a manual transfer and audit it, in the same transaction.

    A replay changes nothing: the first call's initiator stays.
    """
    record = outcome.transfer
    fresh = not outcome.replayed
    manual = action in MANUAL_TRANSFERS
    if outcome.replayed and manual:
        record = uow.ledger.get_transfer(record.id) or record
        # Attributed by the first call, unless it stopped between its two transactions.
        fresh = record.initiated_by is None and not outcome.refused
    if fresh and manual:
        store.set_initiated_by(_conn(uow), record.id, identity.subject)
        record = replace(record, initiated_by=identity.subject)
    if fresh and not outcome.refused:
        _audit(
            uow,
            identity,
            action,
            "transfer",
            record.id,
            tenant,
            record.network,
            payer=record.payer,
            payee=record.payee,
            amount=format_cents(record.amount),
            kind=record.kind.value,
            status=record.status.value,
            reference=record.reference,
        )
    return replace(outcome, transfer=record)


def _conn(uow: UnitOfWork) -> Connection:
    assert uow.conn is not None, "inside the unit of work"
    return uow.conn


def _audit(
    uow: UnitOfWork,
    identity: Identity,
    action: str,
    target_type: str,
    target_id: Any,
    tenant: str,
    network: str | None,
    **details: Any,
) -> None:
    role = OPERATOR if identity.has_role(OPERATOR) else ANIMATOR
    store.record_audit(
        _conn(uow),
        actor=identity.subject,
        role=role,
        action=action,
        target_type=target_type,
        target_id=target_id,
        network=network,
        tenant=tenant,
        **details,
    )


def _default_hold_expiry(app: LedgerApp, network: str, payer: UUID, tenant: str) -> datetime:
    """The network's hold expiry from now (an operator's token names no network)."""
    if not network:
        network = _account_in(tenant, payer).network
    net = app.networks.get(network)
    if net is None:
        raise domain.NetworkNotFound(f"unknown network {network!r}")
    return net.hold_expiry(utcnow())


def _run(operation: Any, *, single_statement: bool = True) -> Outcome:
    """Run one money command as a single statement (or, for staff commands that are also
    attributed and audited, as one transaction).

    A deadlock victim or a connection found dead (the database restarted: pooled connections
    are not pinged on this path) is retried: the command is idempotent by its transfer id.
    """
    app = ledger_app()
    for attempt in range(3):
        try:
            with app.uow(single_statement=single_statement) as uow:
                outcome: Outcome = operation(uow)
                uow.commit()
                return outcome
        except DBAPIError as exc:
            code = getattr(exc.orig, "sqlstate", None)
            retryable = exc.connection_invalidated or code in {"40P01", "40001"}
            if not retryable or attempt == 2:
                raise
    raise AssertionError("unreachable")


def _transfer_in(tenant: str, transfer_id: UUID) -> domain.TransferRecord:
    app = ledger_app()
    with app.engine.connect() as conn:
        record = app.store.get_transfer(conn, transfer_id)
    if record is None or tenant not in {record.payer_tenant, record.payee_tenant}:
        raise domain.TransferNotFound(f"unknown transfer {transfer_id}")
    return record


@blp.route("/transfers/<uuid:transfer_id>")
class TransferView(MethodView):
    @blp.response(200, TransferSchema())
    def get(self, tenant: str, transfer_id: UUID) -> domain.TransferRecord:
        """Show a transfer of the tenant"""
        identity = require_tenant(tenant)
        record = _transfer_in(tenant, transfer_id)
        if identity.has_role(MEMBER) and not identity.has_role(ANIMATOR, OPERATOR):
            if identity.member_id not in {record.payer, record.payee}:
                raise domain.TransferNotFound(f"unknown transfer {transfer_id}")
        else:
            _reader(tenant)
        return record


@blp.route("/transfers/<uuid:transfer_id>/post")
class PostHold(MethodView):
    @blp.response(200, TransferSchema())
    def post(self, tenant: str, transfer_id: UUID) -> Any:
        """Post a pending transfer (a hold): the reserved amount moves"""
        identity = _animator(tenant)
        _transfer_in(tenant, transfer_id)
        outcome = _run(
            lambda uow: _attributed(
                uow, uow.ledger.settle(transfer_id, post=True), identity, tenant, "hold_posted"
            ),
            single_statement=False,
        )
        if outcome.expired:
            raise domain.HoldExpired(f"the hold {transfer_id} expired and was voided")
        return _transfer_response(outcome, 200)


@blp.route("/transfers/<uuid:transfer_id>/void")
class VoidHold(MethodView):
    @blp.arguments(VoidInSchema())
    @blp.response(200, TransferSchema())
    def post(self, body: dict[str, Any], tenant: str, transfer_id: UUID) -> Any:
        """Void a pending transfer: the reservation is released"""
        identity = _animator(tenant)
        _transfer_in(tenant, transfer_id)
        outcome = _run(
            lambda uow: _attributed(
                uow,
                uow.ledger.settle(transfer_id, post=False, reason=body["reason"]),
                identity,
                tenant,
                "hold_voided",
            ),
            single_statement=False,
        )
        return _transfer_response(outcome, 200)


# --- the tenant's activity ----------------------------------------------------------------------


@blp.route("/activity")
class Activity(MethodView):
    @blp.arguments(ActivityQuery(), location="query")
    @blp.response(200, ActivitySchema())
    def get(self, query: dict[str, Any], tenant: str) -> dict[str, Any]:
        """The tenant's volume traded, trades and active members per month, and credit in use"""
        identity = _animator(tenant)
        app = ledger_app()
        with app.engine.connect() as conn:
            activity = app.store.activity(conn, tenant, now=utcnow(), months=query["months"])
            network = identity.network or app.store.network_of_tenant(conn, tenant)
        net = app.networks.get(network) if network else None
        return {**asdict(activity), "unit": net.unit_code if net else ""}


# --- event log ---------------------------------------------------------------------------------


@blp.route("/events")
class Events(MethodView):
    @blp.arguments(EventsQuery(), location="query")
    @blp.response(200, EventsPageSchema())
    def get(self, query: dict[str, Any], tenant: str) -> dict[str, Any]:
        """The tenant's ledger events after a sequence number, in order (replayable)"""
        identity = require_tenant(tenant)
        if not (
            identity.has_role(ANIMATOR, OPERATOR)
            or (identity.has_role(INTEGRATOR) and identity.has_scope("events:read"))
        ):
            raise Forbidden()
        app = ledger_app()
        with app.engine.connect() as conn:
            envelopes = app.store.events_after(conn, tenant, query["after"], query["limit"])
        import json

        return {
            "events": [json.loads(e.to_json()) for e in envelopes],
            "next_after": envelopes[-1].sequence if envelopes else query["after"],
        }


# --- a network's fee account (the operator's) -----------------------------------------------------

network_blp = Blueprint(
    "ledger_network",
    __name__,
    url_prefix="/networks/<network>",
    description="A network's fee account: balance, statement, commissions, transfers out",
)


def _network_of_operator(network: str) -> tuple[Identity, domain.Network]:
    identity = require_role(OPERATOR)
    net = ledger_app().networks.get(network)
    if net is None:
        raise domain.NetworkNotFound(f"unknown network {network!r}")
    return identity, net


@network_blp.route("/fee-account")
class FeeAccount(MethodView):
    @network_blp.arguments(FeeAccountQuery(), location="query")
    @network_blp.response(200, FeeAccountSchema())
    def get(self, query: dict[str, Any], network: str) -> dict[str, Any]:
        """The network's fee account: its balance and its statement, newest first"""
        _, net = _network_of_operator(network)
        app = ledger_app()
        fees = domain.fees_account_id(network)
        page, per_page = query["page"], query["per_page"]
        with app.engine.connect() as conn:
            account = app.store.get_account(conn, fees)
            items, total = app.store.statement(
                conn, fees, limit=per_page, offset=(page - 1) * per_page
            )
        return {
            "account_id": fees,
            "network": network,
            "unit": net.unit_code,
            "balance": account.balance if account else 0,
            "items": items,
            "page": page,
            "per_page": per_page,
            "total": total,
        }


@network_blp.route("/commissions")
class Commissions(MethodView):
    @network_blp.arguments(CommissionsQuery(), location="query")
    @network_blp.response(200, CommissionsSchema())
    def get(self, query: dict[str, Any], network: str) -> dict[str, Any]:
        """Commissions the fee account received, by tenant and month, less those reversed"""
        _, net = _network_of_operator(network)
        app = ledger_app()
        with app.engine.connect() as conn:
            rows = app.store.commissions(conn, network, since=query["since"])
        items = [
            {"tenant": tenant, "month": month, "amount": amount, "transfers": count}
            for tenant, month, amount, count in rows
        ]
        return {
            "network": network,
            "unit": net.unit_code,
            "total": sum(i["amount"] for i in items),
            "items": items,
        }


@network_blp.route("/fee-account/transfers")
class FeeAccountTransfers(MethodView):
    @network_blp.arguments(FeeTransferInSchema())
    @network_blp.response(201, TransferSchema())
    @network_blp.doc(
        parameters=[
            {
                "in": "header",
                "name": "Idempotency-Key",
                "required": True,
                "schema": {"type": "string", "maxLength": 200},
                "description": "Chosen by the caller; a replay returns the first "
                "result and moves nothing twice.",
            }
        ]
    )
    def post(self, body: dict[str, Any], network: str) -> Any:
        """Pay a member from the network's fee account (refused beyond its balance)"""
        identity, _ = _network_of_operator(network)
        key = _idempotency_key()
        tenant = body["tenant"]
        payee = _account_in(tenant, body["payee_member_id"])
        if payee.network != network:
            raise NotFound(message="No such account in this tenant.")
        transfer_request = TransferRequest(
            id=uuid.uuid5(IDEMPOTENCY_NAMESPACE, f"network:{network}:{key}"),
            network=network,
            payer=domain.fees_account_id(network),
            payee=payee.id,
            amount=body["amount"],
            kind=TransferKind.DIRECT,
            reference=body["reference"],
            tenant=tenant,
        )
        outcome = _run(
            lambda uow: _attributed(
                uow,
                uow.ledger.transfer(transfer_request),
                identity,
                tenant,
                "fee_account_transfer_made",
            ),
            single_statement=False,
        )
        count_transfers("api", [outcome])
        return _transfer_response(outcome)


# --- the audit log (read by the gateway, which merges every service's) ------------------------

audit_blp = Blueprint(
    "ledger_audit", __name__, description="The staff actions the ledger performed (for the gateway)"
)


@audit_blp.route("/audit")
class Audit(MethodView):
    @audit_blp.arguments(AuditQuery(), location="query")
    @audit_blp.response(200, AuditPageSchema())
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """The ledger's audit entries, newest first: a tenant's (its animators) or all"""
        tenant = query["tenant"]
        if tenant is not None:
            _animator(tenant)
        else:
            require_role(OPERATOR)
        app = ledger_app()
        with app.engine.connect() as conn:
            items, total = store.audit_page(
                conn,
                tenant=tenant,
                action=query["action"],
                actor=query["actor"],
                since=query["since"],
                limit=query["per_page"],
                offset=(query["page"] - 1) * query["per_page"],
            )
        return {
            "items": items,
            "page": query["page"],
            "per_page": query["per_page"],
            "total": total,
        }


# --- the application ---------------------------------------------------------------------------


def create_app(settings: Settings | None = None, *, ledger: LedgerApp | None = None) -> Flask:
    """Create the ledger's WSGI application."""
    settings = settings or Settings.from_env("ledger")
    ledger = ledger or bootstrap(settings)
    checks = {"database": database_check(ledger.engine)}
    if is_amqp(settings.broker_url):
        checks["broker"] = broker_check(settings.broker_url)
    app, api = create_base_app(settings, title="Troc Actif ledger", version="1.0", checks=checks)
    app.extensions["ledger"] = ledger
    api.tenant_networks = functools.partial(_tenant_network, ledger)
    register_outbox_collector(app, ledger.engine, outbox_table, outbox_sequence_table)
    for exc, (status, code) in ERRORS.items():
        api.register_error(exc, status, code)
    api.register_blueprint(blp)
    api.register_blueprint(audit_blp)
    api.register_blueprint(network_blp)
    return app
