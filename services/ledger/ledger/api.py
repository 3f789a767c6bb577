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
from chassis.lists import (
    EVENTS_OLDER_SHAPE,
    LIST_SHAPE_PARAMETERS,
    event_log_page,
    legacy_response,
    list_shape_doc,
    wants_legacy_shape,
)
from chassis.lists import page as list_page
from chassis.metrics import register_outbox_collector
from chassis.money import format_cents
from chassis.schemas import EventPageSchema, PageQuery, events_query, page_of
from chassis.spreadsheet import SafeWriter
from chassis.tenancy import current_identity, require_event_reader, require_role, require_tenant
from contracts import DEFAULT_EVENT_LOG, EVENT_LOGS
from ledger import db as store
from ledger import domain
from ledger.bootstrap import LedgerApp, bootstrap
from ledger.db import ApprovalRequired, UnitOfWork, outbox_sequence_table, outbox_table
from ledger.domain import Outcome, TransferKind, TransferRequest
from ledger.fastinput import fast_json_arguments, load_transfer
from ledger.federation_api import ERRORS as FEDERATION_ERRORS
from ledger.federation_api import federation_blp
from ledger.metrics import TRANSFERS, count_transfers
from ledger.schemas import (
    AccountListQuery,
    AccountMoveInSchema,
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
    FeeAccountQuery,
    FeeAccountSchema,
    FeeTransferInSchema,
    MaxBalanceInSchema,
    StatementQuery,
    TenantStatusInSchema,
    TenantStatusSchema,
    TransferInSchema,
    TransferSchema,
    VoidInSchema,
    transfer_json,
)
from ledger.settings import LedgerSettings

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
    domain.AwaitingApproval: (409, "awaiting_approval"),
    domain.ApprovalNotRequired: (409, "approval_not_required"),
    domain.SameApprover: (403, "same_approver"),
    domain.MemberBusy: (409, "member_busy"),
    domain.TenantClosed: (409, "tenant_closed"),
}


def _tenant_network(ledger: LedgerApp, tenant: str) -> str | None:
    """The network of a tenant's accounts (a network-scoped API key reaches its tenants)."""
    with ledger.engine.connect() as conn:
        return ledger.store.network_of_tenant(conn, tenant)


def ledger_app() -> LedgerApp:
    """The ledger on the database of the books of the caller's network (an operator's: of the
    path's tenant, when some networks keep their books in databases of their own)."""
    app: LedgerApp = current_app.extensions["ledger"]
    identity = current_identity.get()
    network = identity.network if identity is not None else None
    tenant = (request.view_args or {}).get("tenant")
    if network is None and app.shards and isinstance(tenant, str):
        network = app.network_of_tenant(tenant)
    return app.for_network(network)


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


@blp.route("/accounts", parameters=LIST_SHAPE_PARAMETERS)
class Accounts(MethodView):
    @blp.arguments(AccountListQuery(), location="query")
    @blp.response(200, page_of(AccountSchema))
    @blp.doc(**list_shape_doc("a bare array of accounts"))
    def get(self, query: dict[str, Any], tenant: str) -> Any:
        """List the tenant's accounts, oldest first"""
        _reader(tenant)
        legacy = wants_legacy_shape()
        app = ledger_app()
        page, per_page = query["page"], query["per_page"]
        with app.engine.connect() as conn:
            found = app.store.list_accounts(
                conn, tenant, limit=per_page, offset=(page - 1) * per_page
            )
            total = app.store.count_accounts(conn, tenant)
        views = [_account_view(account) for account in found]
        if legacy:
            return legacy_response(AccountSchema(many=True).dump(views))
        return list_page(views, page, per_page, total)


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


@blp.route("/accounts/<uuid:member_id>/transfers", parameters=LIST_SHAPE_PARAMETERS)
class Statement(MethodView):
    @blp.arguments(StatementQuery(), location="query")
    @blp.response(200, page_of(TransferSchema), content_type="application/json")
    @blp.alt_response(
        200,
        description="The same statement as CSV (Accept: text/csv)",
        content_type="text/csv",
        success=True,
    )
    @blp.doc(
        **list_shape_doc(
            "a bare array of transfers with the headers `X-Total-Count`, `X-Page` and `X-Per-Page`"
        )
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
        legacy = wants_legacy_shape()
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
        if legacy:
            return legacy_response(
                [transfer_json(t) for t in items],
                {"X-Total-Count": str(total), "X-Page": str(page), "X-Per-Page": str(per_page)},
            )
        return list_page(items, page, per_page, total)


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
                try:
                    outcome = app.statements.manual_transfer(
                        transfer_request,
                        actor=identity.subject,
                        role=_staff_role(identity),
                        action="transfer_made",
                        check_approval=_approval_applies(transfer_request),
                    )
                except ApprovalRequired:
                    return _transfer_response(
                        _held_for_approval(app, transfer_request, identity, tenant)
                    )
            else:
                if _needs_approval(app, transfer_request, tenant):
                    return _transfer_response(
                        _held_for_approval(app, transfer_request, identity, tenant)
                    )
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


def _approval_applies(request: TransferRequest) -> bool:
    """Four eyes apply to manual transfers that move money at once (not holds, not reversals)."""
    return not request.hold and request.kind in (TransferKind.DIRECT, TransferKind.CORRECTION)


def _needs_approval(app: LedgerApp, request: TransferRequest, tenant: str) -> bool:
    """Four eyes: a manual transfer (not a hold, not a reversal) above the network's threshold.

    The threshold is read from the database, not the settings cache: a threshold just set
    applies to the very next transfer.
    """
    if not _approval_applies(request):
        return False
    network = request.network or _account_in(tenant, request.payer).network
    with app.engine.connect() as conn:
        net = app.store.get_network(conn, network)
    return net is not None and net.needs_approval(request.amount)


def _held_for_approval(
    app: LedgerApp, request: TransferRequest, identity: Identity, tenant: str
) -> Outcome:
    """Place the transfer as a hold on the payer, flagged for a second animator, attributed
    and audited in one transaction (a replay answers the first result)."""
    held = replace(
        request,
        hold=True,
        expires_at=_default_hold_expiry(app, request.network, request.payer, tenant),
    )

    def operation(uow: UnitOfWork) -> Outcome:
        outcome = uow.ledger.transfer(held)
        if not outcome.replayed and not outcome.refused:
            store.mark_approval_required(_conn(uow), outcome.transfer.id)
            outcome = replace(outcome, transfer=replace(outcome.transfer, approval_required=True))
        return _attributed(uow, outcome, identity, tenant, "transfer_made")

    try:
        outcome = _run(operation, single_statement=False)
    except domain.TransferRefused as exc:
        TRANSFERS.inc("api", "refused", exc.code)
        raise
    count_transfers("api", [outcome])
    return outcome


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
            approval_required=record.approval_required,
        )
    return replace(outcome, transfer=record)


def _conn(uow: UnitOfWork) -> Connection:
    assert uow.conn is not None, "inside the unit of work"
    return uow.conn


def _staff_role(identity: Identity) -> str:
    """The role an audit entry names for a staff user."""
    return OPERATOR if identity.has_role(OPERATOR) else ANIMATOR


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
    store.record_audit(
        _conn(uow),
        actor=identity.subject,
        role=_staff_role(identity),
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
        _ensure_not_awaiting_approval(_transfer_in(tenant, transfer_id))
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
        _ensure_not_awaiting_approval(_transfer_in(tenant, transfer_id))
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


def _ensure_not_awaiting_approval(record: domain.TransferRecord) -> None:
    if record.approval_required and record.status is domain.TransferStatus.PENDING:
        raise domain.AwaitingApproval(
            f"transfer {record.id} waits for a second animator: approve or reject it"
        )


# --- four eyes ----------------------------------------------------------------------------------


def _decide(tenant: str, transfer_id: UUID, *, approve: bool, reason: str = "") -> Any:
    """Approve (post) or reject (void) a transfer held for four eyes, as another animator of
    the payer's tenant. Idempotent: the same decision again answers the transfer as it is."""
    identity = _animator(tenant)
    record = _transfer_in(tenant, transfer_id)
    if record.payer_tenant != tenant:
        raise domain.TransferNotFound(f"unknown transfer {transfer_id}")
    if not domain.check_decision(record, identity.subject, approve=approve):
        return _transfer_response(Outcome(record, replayed=True), 200)
    if approve:
        for account_id in (record.payer, record.payee):
            account = _account_of(account_id)
            if account is not None:
                account.ensure_can_move()
    action = "transfer_approved" if approve else "transfer_rejected"

    def operation(uow: UnitOfWork) -> Outcome:
        outcome = uow.ledger.settle(transfer_id, post=approve, reason=reason or "rejected")
        if outcome.replayed or outcome.expired:
            return outcome
        store.record_decision(_conn(uow), transfer_id, identity.subject, approve=approve)
        decided = replace(
            outcome.transfer,
            approval_required=True,
            initiated_by=record.initiated_by,
            approved_by=identity.subject if approve else None,
            rejected_by=None if approve else identity.subject,
        )
        _audit(
            uow,
            identity,
            action,
            "transfer",
            transfer_id,
            tenant,
            decided.network,
            initiated_by=record.initiated_by,
            payer=decided.payer,
            payee=decided.payee,
            amount=format_cents(decided.amount),
            status=decided.status.value,
            reason=reason,
        )
        return replace(outcome, transfer=decided)

    outcome = _run(operation, single_statement=False)
    if outcome.expired:
        raise domain.HoldExpired(f"the transfer {transfer_id} expired and was voided")
    if outcome.replayed:  # decided meanwhile by someone else: answer it as it is now
        current = _transfer_in(tenant, transfer_id)
        domain.check_decision(current, identity.subject, approve=approve)
        outcome = Outcome(current, replayed=True)
    return _transfer_response(outcome, 200)


def _account_of(account_id: UUID) -> domain.Account | None:
    app = ledger_app()
    with app.engine.connect() as conn:
        return app.store.get_account(conn, account_id)


@blp.route("/transfers/<uuid:transfer_id>/approve")
class ApproveTransfer(MethodView):
    @blp.response(200, TransferSchema())
    def post(self, tenant: str, transfer_id: UUID) -> Any:
        """Approve a manual transfer held for four eyes: it is posted (another animator only)"""
        return _decide(tenant, transfer_id, approve=True)


@blp.route("/transfers/<uuid:transfer_id>/reject")
class RejectTransfer(MethodView):
    @blp.arguments(VoidInSchema())
    @blp.response(200, TransferSchema())
    def post(self, body: dict[str, Any], tenant: str, transfer_id: UUID) -> Any:
        """Reject a manual transfer held for four eyes: it is voided (another animator only)"""
        return _decide(tenant, transfer_id, approve=False, reason=body["reason"])


@blp.route("/transfer-approvals")
class TransferApprovals(MethodView):
    @blp.arguments(PageQuery(), location="query")
    @blp.response(200, page_of(TransferSchema))
    def get(self, query: dict[str, Any], tenant: str) -> dict[str, Any]:
        """The tenant's manual transfers waiting for a second animator, oldest first"""
        _animator(tenant)
        app = ledger_app()
        page, per_page = query["page"], query["per_page"]
        with app.engine.connect() as conn:
            items, total = store.awaiting_approval(
                conn, tenant, limit=per_page, offset=(page - 1) * per_page
            )
        return {"items": items, "page": page, "per_page": per_page, "total": total}


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


@blp.route("/events", parameters=LIST_SHAPE_PARAMETERS)
class Events(MethodView):
    @blp.arguments(events_query(EVENT_LOGS, DEFAULT_EVENT_LOG)(), location="query")
    @blp.response(200, EventPageSchema())
    @blp.doc(
        description="Each producer's per-tenant log, gap-free: `source` chooses whose (the "
        "gateway sends `invoices` and `listings` to their services, which serve the same "
        "operation); an unknown source is refused (422). Cursor paging: pass `next_after` as "
        "`after` to read on. Every event is the CloudEvents document the bus and the webhooks "
        "carried, its `sequence` the zero-padded position in the log of its `source` "
        "(`/t/<tenant>/<service>`). " + list_shape_doc(EVENTS_OLDER_SHAPE)["description"]
    )
    def get(self, query: dict[str, Any], tenant: str) -> Any:
        """A tenant's event log (ledger, invoices or listings) after a position, in order"""
        require_event_reader(tenant)
        app = ledger_app()
        envelopes = []
        if query["source"] == "ledger":
            with app.engine.connect() as conn:
                envelopes = app.store.events_after(conn, tenant, query["after"], query["limit"])
        return event_log_page("ledger", query, envelopes)


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


# --- the operator's changes of tenancy (asked by the gateway with the operator's token) -------

admin_blp = Blueprint(
    "ledger_tenancy",
    __name__,
    description="Closing a tenant and moving an account between tenants (for the gateway)",
)


@admin_blp.route("/tenants/<tenant>/status")
class TenantStatus(MethodView):
    @admin_blp.arguments(TenantStatusInSchema())
    @admin_blp.response(200, TenantStatusSchema())
    def put(self, body: dict[str, Any], tenant: str) -> dict[str, Any]:
        """Close a tenant (its member accounts are frozen) or reopen it (they thaw); idempotent"""
        identity = require_role(OPERATOR)
        closing = body["status"] == "closed"
        app = ledger_app()
        with app.uow() as uow:
            network = body["network"] or uow.ledger.network_of_tenant(tenant)
            if closing:
                changed = uow.ledger.close_tenant(tenant, network)
            else:
                changed = uow.ledger.reopen_tenant(tenant)
            if changed or closing != uow.ledger.tenant_closed(tenant):
                _audit(
                    uow,
                    identity,
                    "tenant_closed" if closing else "tenant_reopened",
                    "tenant",
                    tenant,
                    tenant,
                    network,
                    accounts=[str(a) for a in changed],
                )
            uow.commit()
        return {"tenant": tenant, "status": body["status"], "accounts_changed": len(changed)}


@admin_blp.route("/accounts/<uuid:member_id>/move")
class MoveAccount(MethodView):
    @admin_blp.arguments(AccountMoveInSchema())
    @admin_blp.response(200, AccountSchema())
    def post(self, body: dict[str, Any], member_id: UUID) -> dict[str, Any]:
        """Move a member's account (balance, holds, history) to another tenant; idempotent.

        Refused with 409 ``member_busy`` while a hold is pending on it, ``tenant_closed`` into
        a closed tenant.
        """
        identity = require_role(OPERATOR)
        source, target = body["from_tenant"], body["tenant"]
        app = ledger_app()
        with app.uow() as uow:
            account, moved = uow.ledger.move_account(member_id, source, target)
            if moved:
                for tenant in (source, target):
                    _audit(
                        uow,
                        identity,
                        "account_moved",
                        "account",
                        member_id,
                        tenant,
                        account.network,
                        from_tenant=source,
                        to_tenant=target,
                        balance=format_cents(account.balance),
                    )
            uow.commit()
        return _account_view(account)


# --- the application ---------------------------------------------------------------------------


def create_app(settings: Settings | None = None, *, ledger: LedgerApp | None = None) -> Flask:
    """Create the ledger's WSGI application."""
    settings = settings or LedgerSettings.from_env()
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
    api.register_blueprint(admin_blp)
    for exc, (status, code) in FEDERATION_ERRORS.items():
        api.register_error(exc, status, code)
    api.register_blueprint(federation_blp)
    return app
