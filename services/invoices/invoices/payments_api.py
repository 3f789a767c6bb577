"""HTTP API of the payments without an invoice and of the membership fees.

``/t/<t>/payment-requests``: the payee (seller) asks, the payer accepts (the hold is placed) or
declines; ``/t/<t>/payments``: the payer pays directly, with an ``Idempotency-Key``. Both are then
validated or rejected by the animators of the payee's tenant, like invoices, unless the amount
is below the network's ``direct_payments_validation_threshold``. The counterpart may be a member
of a network linked by an active link: the amount is in the caller's unit (the payee's for a
request, the payer's for a direct payment), the response shows it converted (``exchange_rate``,
``converted_amount``, frozen at creation), and the ledger's saga settles both sides at
validation. A payment is visible from the
payee's and the payer's tenants; a member sees its own. ``/t/<t>/fees``: the animators' list of
the membership fees (CSV for the accounting), and the recording of a fee paid in euros.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any
from uuid import UUID

from flask import Response, request
from flask.views import MethodView
from flask_smorest import Blueprint

from chassis import lists
from chassis.auth import Forbidden, Identity, NotFound
from chassis.money import format_rate
from chassis.spreadsheet import SafeWriter
from chassis.tenancy import require_tenant
from invoices import db, payflows
from invoices.access import (
    invoices_app,
    member_of,
    party_view,
    reader,
    refusal_view,
    staff,
    wants_csv,
)
from invoices.domain import errors
from invoices.domain.fees import FeeStatus, MembershipFee
from invoices.domain.model import Change
from invoices.domain.money import format_cents
from invoices.domain.payments import Payment, PaymentKind
from invoices.schemas import (
    DirectPaymentInSchema,
    FeeListQuery,
    FeePageSchema,
    FeePaidInSchema,
    FeeSchema,
    OptionalReasonInSchema,
    PaymentListQuery,
    PaymentPageSchema,
    PaymentRequestInSchema,
    PaymentSchema,
    ReasonInSchema,
)

requests_blp = Blueprint(
    "payment_requests",
    __name__,
    url_prefix="/t/<tenant>/payment-requests",
    description="Payment requests without an invoice: the payee asks, the payer accepts",
)
payments_blp = Blueprint(
    "payments",
    __name__,
    url_prefix="/t/<tenant>/payments",
    description="Direct payments without an invoice, by the payer",
)
fees_blp = Blueprint(
    "fees",
    __name__,
    url_prefix="/t/<tenant>/fees",
    description="Membership fees: charged in the unit, or in euros collected by the association",
)

IDEMPOTENCY_HEADER = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": True,
    "schema": {"type": "string", "maxLength": 200},
    "description": "Chosen by the payer; a replay returns the first payment, paying nothing twice.",
}


# --- who may see and do what ---------------------------------------------------------------------


def _visible(identity: Identity, tenant: str, payment: Payment) -> bool:
    if tenant not in (payment.payee.tenant, payment.payer.tenant):
        return False
    member = member_of(identity)
    if member is None:
        return True
    return member in (payment.payer.member_id, payment.payee.member_id)


def _check(
    identity: Identity, tenant: str, kind: PaymentKind, allowed: Callable[[Payment], bool]
) -> Callable[[Payment], None]:
    """Judge the actor on the locked payment: 404 if it cannot see it, 403 if it may not act."""

    def check(payment: Payment) -> None:
        if payment.kind is not kind or not _visible(identity, tenant, payment):
            raise NotFound(message="No such payment in this tenant.")
        if not allowed(payment):
            raise Forbidden()

    return check


def _as_payer(identity: Identity, tenant: str, kind: PaymentKind) -> Callable[[Payment], None]:
    return _check(
        identity,
        tenant,
        kind,
        lambda p: member_of(identity) == p.payer.member_id and tenant == p.payer.tenant,
    )


def _as_animator(identity: Identity, tenant: str, kind: PaymentKind) -> Callable[[Payment], None]:
    """The animators (and operators) of the payee's tenant validate and reject."""
    return _check(identity, tenant, kind, lambda p: staff(identity) and tenant == p.payee.tenant)


def _load(tenant: str, payment_id: UUID, identity: Identity, kind: PaymentKind) -> Payment:
    with invoices_app().uow() as uow:
        payment = uow.payments.get(payment_id)
    if payment is None or payment.kind is not kind or not _visible(identity, tenant, payment):
        raise NotFound(message="No such payment in this tenant.")
    return payment


def _creator(identity: Identity, named: UUID | None, field: str) -> UUID:
    """The member a payment is made for: a member's own token, or the member its tenant's
    animators name (``field``); API keys never pay."""
    member = member_of(identity)
    if member is not None:
        if named not in (None, member):
            raise Forbidden(message="A member makes its own payments and payment requests.")
        return member
    if not staff(identity):
        raise Forbidden(message="API keys read payments; they never make them.")
    if named is None:
        raise errors.InvalidInvoice(f"name the member ({field})", field=field)
    return named


# --- answers -------------------------------------------------------------------------------------


def view(payment: Payment) -> dict[str, Any]:
    return {
        "id": payment.id,
        "kind": payment.kind.value,
        "status": payment.status.value,
        "network": payment.network,
        "tenant": payment.payee.tenant,
        "payer_tenant": payment.payer.tenant,
        "payer_member_id": payment.payer.member_id,
        "payee_member_id": payment.payee.member_id,
        "payer": party_view(payment.payer),
        "payee": party_view(payment.payee),
        "amount": payment.amount,
        "unit": payment.unit_code,
        **_other_side_view(payment),
        "description": payment.description,
        "validation_required": not payment.validation_waived,
        "transfer_id": payment.transfer_id,
        "attempt": payment.attempt,
        "hold_expires_at": payment.hold_expires_at,
        "last_refusal": refusal_view(payment.refusal),
        "decline_reason": payment.decline_reason,
        "rejection_reason": payment.rejection_reason,
        "created_at": payment.created_at,
        "accepted_at": payment.accepted_at,
        "awaiting_since": payment.awaiting_since,
        "validated_at": payment.validated_at,
        "settled_at": payment.settled_at,
        "closed_at": payment.closed_at,
    }


def _other_side_view(payment: Payment) -> dict[str, Any]:
    """Both networks of a payment and, between two linked networks, the other side: the
    amount converted to the counterpart's unit at the rate frozen at creation (nulls within one
    network)."""
    cross = payment.federation
    return {
        "payer_network": payment.payer_network,
        "payee_network": payment.payee_network,
        "exchange_rate": None if cross is None else format_rate(cross.exchange_rate),
        "converted_amount": None if cross is None else cross.converted_amount,
        "converted_unit": None if cross is None else cross.unit,
        "federation_link_id": None if cross is None else cross.link_id,
        "rate_frozen": None if cross is None else True,
    }


def _answer(result: tuple[Payment, Change], status: int = 200) -> Any:
    payment, change = result
    headers = {"Idempotent-Replayed": "true"} if change.replayed else {}
    return view(payment), (200 if change.replayed else status), headers


def _list(query: dict[str, Any], tenant: str, kind: PaymentKind) -> dict[str, Any]:
    identity = reader(tenant)
    member = member_of(identity) or query["member_id"]
    page, per_page = query["page"], query["per_page"]
    with invoices_app().uow() as uow:
        payments, total = db.list_payments(
            uow.session,
            tenant=tenant,
            kind=kind.value,
            member_id=member,
            statuses=list(query["status"]),
            limit=per_page,
            offset=(page - 1) * per_page,
        )
    return lists.page([view(p) for p in payments], page, per_page, total)


# --- payment requests ----------------------------------------------------------------------------


@requests_blp.route("")
class PaymentRequests(MethodView):
    @requests_blp.arguments(PaymentListQuery(), location="query")
    @requests_blp.response(200, PaymentPageSchema())
    def get(self, query: dict[str, Any], tenant: str) -> dict[str, Any]:
        """List the payment requests the caller may see (a member: its own)"""
        return _list(query, tenant, PaymentKind.REQUEST)

    @requests_blp.arguments(PaymentRequestInSchema())
    @requests_blp.response(201, PaymentSchema())
    def post(self, body: dict[str, Any], tenant: str) -> Any:
        """The payee (a member) asks another member of the network, or of a linked network, to
        pay it (the amount in the payee's unit)"""
        identity = require_tenant(tenant)
        app = invoices_app()
        order = payflows.PaymentOrder(
            kind=PaymentKind.REQUEST,
            caller_member_id=_creator(identity, body["payee_member_id"], "payee_member_id"),
            counterpart_member_id=body["payer_member_id"],
            amount=body["amount"],
            description=body["description"],
            created_by=identity.subject,
        )
        return _answer(payflows.create_payment(app.uow(), order, tenant=tenant, now=app.now()), 201)


@requests_blp.route("/<uuid:payment_id>")
class PaymentRequestView(MethodView):
    @requests_blp.response(200, PaymentSchema())
    def get(self, tenant: str, payment_id: UUID) -> dict[str, Any]:
        """Show a payment request"""
        identity = reader(tenant)
        return view(_load(tenant, payment_id, identity, PaymentKind.REQUEST))


@requests_blp.route("/<uuid:payment_id>/accept")
class AcceptRequest(MethodView):
    @requests_blp.response(200, PaymentSchema())
    def post(self, tenant: str, payment_id: UUID) -> Any:
        """The payer accepts: its amount is held (accepting again changes nothing)"""
        identity = require_tenant(tenant)
        app = invoices_app()
        return _answer(
            payflows.accept(
                app.uow(),
                payment_id,
                now=app.now(),
                check=_as_payer(identity, tenant, PaymentKind.REQUEST),
            )
        )


@requests_blp.route("/<uuid:payment_id>/decline")
class DeclineRequest(MethodView):
    @requests_blp.arguments(OptionalReasonInSchema())
    @requests_blp.response(200, PaymentSchema())
    def post(self, body: dict[str, Any], tenant: str, payment_id: UUID) -> Any:
        """The payer declines the request"""
        identity = require_tenant(tenant)
        app = invoices_app()
        return _answer(
            payflows.decline(
                app.uow(),
                payment_id,
                body["reason"],
                now=app.now(),
                check=_as_payer(identity, tenant, PaymentKind.REQUEST),
            )
        )


def _validate(tenant: str, payment_id: UUID, kind: PaymentKind) -> Any:
    identity = require_tenant(tenant)
    app = invoices_app()
    return _answer(
        payflows.validate(
            app.uow(),
            payment_id,
            by=identity.subject,
            now=app.now(),
            check=_as_animator(identity, tenant, kind),
        )
    )


def _reject(tenant: str, payment_id: UUID, reason: str, kind: PaymentKind) -> Any:
    identity = require_tenant(tenant)
    app = invoices_app()
    return _answer(
        payflows.reject(
            app.uow(),
            payment_id,
            reason,
            now=app.now(),
            check=_as_animator(identity, tenant, kind),
        )
    )


@requests_blp.route("/<uuid:payment_id>/validate")
class ValidateRequest(MethodView):
    @requests_blp.response(200, PaymentSchema())
    def post(self, tenant: str, payment_id: UUID) -> Any:
        """An animator of the payee's tenant validates: the ledger posts the held amount"""
        return _validate(tenant, payment_id, PaymentKind.REQUEST)


@requests_blp.route("/<uuid:payment_id>/reject")
class RejectRequest(MethodView):
    @requests_blp.arguments(ReasonInSchema())
    @requests_blp.response(200, PaymentSchema())
    def post(self, body: dict[str, Any], tenant: str, payment_id: UUID) -> Any:
        """An animator of the payee's tenant rejects, with a reason: the hold is voided"""
        return _reject(tenant, payment_id, body["reason"], PaymentKind.REQUEST)


# --- direct payments -----------------------------------------------------------------------------


@payments_blp.route("")
class Payments(MethodView):
    @payments_blp.arguments(PaymentListQuery(), location="query")
    @payments_blp.response(200, PaymentPageSchema())
    def get(self, query: dict[str, Any], tenant: str) -> dict[str, Any]:
        """List the direct payments the caller may see (a member: its own)"""
        return _list(query, tenant, PaymentKind.DIRECT)

    @payments_blp.arguments(DirectPaymentInSchema())
    @payments_blp.response(201, PaymentSchema())
    @payments_blp.alt_response(
        200,
        schema=PaymentSchema(),
        description="A replay of the Idempotency-Key: the first payment, as it is now "
        "(header Idempotent-Replayed: true)",
        success=True,
    )
    @payments_blp.doc(parameters=[IDEMPOTENCY_HEADER])
    def post(self, body: dict[str, Any], tenant: str) -> Any:
        """The payer (a member) pays another member of the network (its amount is held), or of a
        linked network (the amount in the payer's unit; the saga holds both sides at validation)"""
        identity = require_tenant(tenant)
        payer = _creator(identity, body["payer_member_id"], "payer_member_id")
        key = request.headers.get("Idempotency-Key", "").strip()
        if not key or len(key) > 200:
            raise errors.IdempotencyKeyRequired(
                "send an Idempotency-Key header (1 to 200 characters)", field="Idempotency-Key"
            )
        app = invoices_app()
        order = payflows.PaymentOrder(
            kind=PaymentKind.DIRECT,
            caller_member_id=payer,
            counterpart_member_id=body["payee_member_id"],
            amount=body["amount"],
            description=body["description"],
            created_by=identity.subject,
            idempotency_key=key,
        )
        return _answer(payflows.create_payment(app.uow(), order, tenant=tenant, now=app.now()), 201)


@payments_blp.route("/<uuid:payment_id>")
class PaymentView(MethodView):
    @payments_blp.response(200, PaymentSchema())
    def get(self, tenant: str, payment_id: UUID) -> dict[str, Any]:
        """Show a direct payment"""
        identity = reader(tenant)
        return view(_load(tenant, payment_id, identity, PaymentKind.DIRECT))


@payments_blp.route("/<uuid:payment_id>/validate")
class ValidatePayment(MethodView):
    @payments_blp.response(200, PaymentSchema())
    def post(self, tenant: str, payment_id: UUID) -> Any:
        """An animator of the payee's tenant validates: the ledger posts the held amount"""
        return _validate(tenant, payment_id, PaymentKind.DIRECT)


@payments_blp.route("/<uuid:payment_id>/reject")
class RejectPayment(MethodView):
    @payments_blp.arguments(ReasonInSchema())
    @payments_blp.response(200, PaymentSchema())
    def post(self, body: dict[str, Any], tenant: str, payment_id: UUID) -> Any:
        """An animator of the payee's tenant rejects, with a reason: the hold is voided"""
        return _reject(tenant, payment_id, body["reason"], PaymentKind.DIRECT)


# --- membership fees -----------------------------------------------------------------------------


def _fee_unit(fee: MembershipFee) -> str:
    """What a fee is counted in: euros, or the network's unit."""
    return "EUR" if fee.charged_in == "euro" else fee.unit_code


def _fee_view(fee: MembershipFee) -> dict[str, Any]:
    return {
        "id": fee.id,
        "key": fee.key,
        "network": fee.network,
        "tenant": fee.tenant,
        "member_id": fee.member_id,
        "member_name": fee.member_name,
        "period": fee.period,
        "amount": fee.amount,
        "charged_in": fee.charged_in,
        "unit": _fee_unit(fee),
        "due_on": fee.due_on,
        "status": fee.status,
        "transfer_id": fee.transfer_id,
        "refusal_reason": fee.refusal_reason,
        "paid_on": fee.paid_on,
        "overdue": fee.overdue_notified_at is not None
        and fee.status in (FeeStatus.DUE, FeeStatus.REFUSED),
        "created_at": fee.created_at,
    }


FEE_CSV_COLUMNS = (
    "period",
    "member_id",
    "member_name",
    "amount",
    "currency",
    "charged_in",
    "due_on",
    "status",
    "paid_on",
    "transfer_id",
    "fee_id",
)


def _staff_of(tenant: str) -> Identity:
    identity = require_tenant(tenant)
    if not staff(identity):
        raise Forbidden(message="The membership fees are the animators' to follow.")
    return identity


@fees_blp.route("")
class Fees(MethodView):
    @fees_blp.arguments(FeeListQuery(), location="query")
    @fees_blp.response(200, FeePageSchema(), content_type="application/json")
    @fees_blp.alt_response(
        200,
        description="The same list as CSV (Accept: text/csv), every page: the accounting export",
        content_type="text/csv",
        success=True,
    )
    def get(self, query: dict[str, Any], tenant: str) -> Any:
        """The tenant's membership fees (status=due: to collect, status=paid: collected)"""
        _staff_of(tenant)
        app = invoices_app()
        page, per_page = query["page"], query["per_page"]
        csv = wants_csv()
        with app.uow() as uow:
            fees, total = db.list_fees(
                uow.session,
                tenant=tenant,
                statuses=list(query["status"]),
                member_id=query["member_id"],
                limit=None if csv else per_page,
                offset=0 if csv else (page - 1) * per_page,
            )
        if csv:
            buffer = io.StringIO()
            writer = SafeWriter(buffer)
            writer.writerow(FEE_CSV_COLUMNS)
            for fee in fees:
                writer.writerow(
                    (
                        fee.period,
                        fee.member_id,
                        fee.member_name,
                        format_cents(fee.amount),
                        _fee_unit(fee),
                        fee.charged_in,
                        fee.due_on.isoformat(),
                        fee.status,
                        fee.paid_on.isoformat() if fee.paid_on else "",
                        fee.transfer_id or "",
                        fee.id,
                    )
                )
            return Response(
                buffer.getvalue(),
                mimetype="text/csv",
                headers={"Content-Disposition": f'attachment; filename="fees-{tenant}.csv"'},
            )
        return lists.page([_fee_view(fee) for fee in fees], page, per_page, total)


@fees_blp.route("/<uuid:fee_id>/paid")
class FeePaid(MethodView):
    @fees_blp.arguments(FeePaidInSchema())
    @fees_blp.response(200, FeeSchema())
    def post(self, body: dict[str, Any], tenant: str, fee_id: UUID) -> Any:
        """An animator records that a fee in euros was paid (recording it again changes nothing)"""
        identity = _staff_of(tenant)
        app = invoices_app()

        def check(fee: MembershipFee) -> None:
            if fee.tenant != tenant:
                raise NotFound(message="No such membership fee in this tenant.")

        fee, changed = payflows.mark_fee_paid(
            app.uow(),
            fee_id,
            by=identity.subject,
            paid_on=body["paid_on"],
            now=app.now(),
            check=check,
        )
        headers = {} if changed else {"Idempotent-Replayed": "true"}
        return _fee_view(fee), 200, headers
