"""HTTP API of the invoices: drafts, the saga's transitions, the queue, documents and exports.

Views are thin: they say who may act (a ``check`` judged on the locked invoice, inside the
use case's transaction), call the use case, and shape the answer. A tenant sees the invoices of
its sellers and, read only, those sent to its buyers from another tenant; a member sees its own;
another tenant's invoice is a 404, a visible one the caller may not change a 403.
``gunicorn "invoices.api:create_app()"``.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from flask import Flask, Response
from flask.views import MethodView
from flask_smorest import Blueprint

from chassis.audit import audit_blueprint
from chassis.auth import ANIMATOR, INTEGRATOR, MEMBER, OPERATOR, Forbidden, Identity, NotFound
from chassis.bus import is_amqp
from chassis.config import Settings
from chassis.http import broker_check, create_base_app, database_check
from chassis.lists import (
    EVENTS_OLDER_SHAPE,
    LIST_SHAPE_PARAMETERS,
    event_log_page,
    list_shape_doc,
)
from chassis.metrics import register_outbox_collector, register_scrape_gauge
from chassis.money import format_rate
from chassis.outbox import events_after
from chassis.schemas import EventPageSchema, events_query
from chassis.spreadsheet import SafeWriter
from chassis.tenancy import require_event_reader, require_tenant
from contracts import DEFAULT_EVENT_LOG, EVENT_LOGS
from invoices import db, handlers, payments_api
from invoices.access import invoices_app, party_view, reader, refusal_view, staff, wants_csv
from invoices.bootstrap import InvoicesApp, bootstrap
from invoices.domain import errors
from invoices.domain.model import Invoice, Kind, Status, waiting_days
from invoices.domain.money import format_cents, format_quantity
from invoices.handlers import PARIS, DraftRequest
from invoices.schemas import (
    BulkValidateInSchema,
    BulkValidateOutSchema,
    DraftInSchema,
    EuroPaymentInSchema,
    InvoicePageSchema,
    InvoiceSchema,
    ListQuery,
    MonthQuery,
    OptionalReasonInSchema,
    PeriodQuery,
    ReasonInSchema,
)

blp = Blueprint(
    "invoices",
    __name__,
    url_prefix="/t/<tenant>/invoices",
    description="Invoices, credit notes and their settlement in the network's unit",
)

#: Domain errors and their HTTP answers: the one table of the service.
ERRORS: dict[type[Exception], tuple[int, str]] = {
    errors.InvalidInvoice: (422, "invalid_invoice"),
    errors.InvalidAmount: (422, "invalid_amount"),
    errors.InvalidQuantity: (422, "invalid_quantity"),
    errors.InvalidVatRate: (422, "invalid_vat_rate"),
    errors.PaymentModeNotAllowed: (422, "payment_mode_not_allowed"),
    errors.UnknownMember: (422, "unknown_member"),
    errors.MemberNotActive: (422, "member_not_active"),
    errors.SameParty: (422, "same_party"),
    errors.MissingMention: (422, "missing_mention"),
    errors.UnknownNetwork: (409, "unknown_network"),
    errors.InvoiceNotFound: (404, "not_found"),
    errors.InvalidTransition: (409, "invalid_transition"),
    errors.NotIssued: (409, "not_issued"),
    errors.DirectPaymentsOff: (403, "direct_payments_off"),
    errors.PaymentNotFound: (404, "not_found"),
    errors.FeeNotFound: (404, "not_found"),
    errors.IdempotencyConflict: (409, "idempotency_conflict"),
    errors.IdempotencyKeyRequired: (400, "idempotency_key_required"),
}


def _tenant_network(invoices: InvoicesApp, tenant: str) -> str | None:
    """The network of a tenant, from the directory's events (network-scoped API keys)."""
    with invoices.uow() as uow:
        return db.network_of_tenant(uow.session, tenant)


# --- who may see and do what ---------------------------------------------------------------------


def _visible(identity: Identity, tenant: str, invoice: Invoice) -> bool:
    if tenant not in (invoice.seller.tenant, invoice.buyer.tenant):
        return False
    if staff(identity) or identity.has_role(INTEGRATOR):
        return invoice.status is not Status.DRAFT or invoice.seller.tenant == tenant
    if identity.member_id == invoice.seller.member_id:
        return True
    return identity.member_id == invoice.buyer.member_id and invoice.status is not Status.DRAFT


def _ensure_visible(identity: Identity, tenant: str, invoice: Invoice) -> None:
    if not _visible(identity, tenant, invoice):
        raise NotFound(message="No such invoice in this tenant.")


def _role_check(
    identity: Identity, tenant: str, allowed: Callable[[Invoice], bool]
) -> Callable[[Invoice], None]:
    """Judge the actor on the locked invoice: 404 if it cannot see it, 403 if it may not act."""

    def check(invoice: Invoice) -> None:
        _ensure_visible(identity, tenant, invoice)
        if identity.has_role(INTEGRATOR) and not identity.has_role(MEMBER, ANIMATOR, OPERATOR):
            raise Forbidden(message="API keys read invoices; they never change them.")
        if not allowed(invoice):
            raise Forbidden()

    return check


def _as_seller(identity: Identity, tenant: str) -> Callable[[Invoice], None]:
    """The seller member, or its tenant's animators acting for it."""
    return _role_check(
        identity,
        tenant,
        lambda inv: (
            (identity.has_role(MEMBER) and identity.member_id == inv.seller.member_id)
            or (staff(identity) and tenant == inv.seller.tenant)
        ),
    )


def _as_buyer(identity: Identity, tenant: str) -> Callable[[Invoice], None]:
    """The buyer member only: accepting or disputing is the buyer's own decision."""
    return _role_check(
        identity,
        tenant,
        lambda inv: (
            identity.has_role(MEMBER)
            and identity.member_id == inv.buyer.member_id
            and tenant == inv.buyer.tenant
        ),
    )


def _as_animator(identity: Identity, tenant: str) -> Callable[[Invoice], None]:
    """The animators (and operators) of the seller's tenant: they validate, reject."""
    return _role_check(
        identity, tenant, lambda inv: staff(identity) and tenant == inv.seller.tenant
    )


def _load(tenant: str, invoice_id: UUID, identity: Identity) -> Invoice:
    with invoices_app().uow() as uow:
        invoice = uow.invoices.get(invoice_id)
    if invoice is None:
        raise NotFound(message="No such invoice in this tenant.")
    _ensure_visible(identity, tenant, invoice)
    return invoice


# --- answers -------------------------------------------------------------------------------------


def view(invoice: Invoice, tenant: str, queue: dict[str, Any] | None = None) -> dict[str, Any]:
    """The API's representation of an invoice, as seen from ``tenant``."""
    commission = invoice.commission()
    return {
        "id": invoice.id,
        "kind": invoice.kind.value,
        "number": invoice.number,
        "status": invoice.status.value,
        "network": invoice.network,
        "tenant": invoice.seller.tenant,
        "buyer_tenant": invoice.buyer.tenant,
        "read_only": tenant != invoice.seller.tenant,
        "seller_member_id": invoice.seller.member_id,
        "buyer_member_id": invoice.buyer.member_id,
        "seller": party_view(invoice.seller),
        "buyer": party_view(invoice.buyer),
        "payment_mode": invoice.payment_mode,
        "vat_settlement": invoice.vat_settlement,
        "unit": {
            "code": invoice.unit_code,
            "name": invoice.unit_name,
            "symbol": invoice.unit_symbol,
        },
        "lines": [
            {
                "description": line.description,
                "quantity": format_quantity(line.quantity),
                "unit_price": line.unit_price,
                "vat_rate": format_rate(line.vat_rate),
                "total_excl_vat": line.total_excl_vat,
                "vat": line.vat,
            }
            for line in invoice.lines
        ],
        "vat_breakdown": [
            {"vat_rate": format_rate(g.rate), "base": g.base, "vat": g.vat}
            for g in invoice.totals.breakdown
        ],
        "delivery_date": invoice.delivery_date,
        "issue_date": invoice.issue_date,
        "total_excl_vat": invoice.totals.total_excl_vat,
        "total_vat": invoice.totals.total_vat,
        "total_incl_vat": invoice.totals.total_incl_vat,
        "unit_part": invoice.parts.unit_part,
        "euro_part": invoice.parts.euro_part,
        "euro_payment": {"status": invoice.euro_status, "paid_on": invoice.euro_paid_on},
        "transfer_id": invoice.transfer_id,
        "attempt": invoice.attempt,
        "hold_expires_at": invoice.hold_expires_at,
        "last_refusal": refusal_view(invoice.refusal),
        "dispute_reason": invoice.dispute_reason,
        "rejection_reason": invoice.rejection_reason,
        "cancel_reason": invoice.cancel_reason,
        "listing_id": invoice.listing_id,
        "buyer_reference": invoice.buyer_reference,
        "note": invoice.note,
        "acceptance_required": invoice.acceptance_required,
        **_buyer_side_view(invoice),
        "commission": (
            {
                "rate": format_rate(commission.rate),
                "base": commission.base,
                "amount": commission.amount,
                "charged_in": commission.charged_in,
            }
            if commission
            else None
        ),
        "credit_note_id": invoice.credit_note_id,
        "credited_invoice_id": invoice.credited_invoice_id,
        "credited_invoice_number": invoice.credited_invoice_number,
        "reversal_transfer_id": invoice.reversal_transfer_id,
        "reversal_status": invoice.reversal_status,
        "queue": queue,
        "created_at": invoice.created_at,
        "issued_at": invoice.issued_at,
        "accepted_at": invoice.accepted_at,
        "awaiting_since": invoice.awaiting_since,
        "validated_at": invoice.validated_at,
        "settled_at": invoice.settled_at,
        "closed_at": invoice.closed_at,
    }


def _buyer_side_view(invoice: Invoice) -> dict[str, Any]:
    """The buyer's side of a cross-network invoice (its network, unit, rate, converted amount);
    for an invoice within one network, its network and nulls."""
    cross = invoice.federation
    if cross is None:
        return {
            "buyer_network": invoice.network,
            "buyer_unit": None,
            "exchange_rate": None,
            "buyer_unit_part": None,
            "federation_link_id": None,
            "rate_frozen": None,
            "buyer_commission": None,
        }
    commission = invoice.buyer_commission()
    return {
        "buyer_network": cross.buyer_network,
        "buyer_unit": {
            "code": cross.buyer_unit,
            "name": cross.buyer_unit_name,
            "symbol": cross.buyer_unit_symbol,
        },
        "exchange_rate": format_rate(cross.exchange_rate),
        "buyer_unit_part": cross.buyer_unit_part,
        "federation_link_id": cross.link_id,
        "rate_frozen": not invoice.is_draft,
        "buyer_commission": (
            {
                "rate": format_rate(commission.rate),
                "base": commission.base,
                "amount": commission.amount,
                "charged_in": commission.charged_in,
            }
            if commission
            else None
        ),
    }


# --- the collection ------------------------------------------------------------------------------


@blp.route("")
class Invoices(MethodView):
    @blp.arguments(ListQuery(), location="query")
    @blp.response(200, InvoicePageSchema(), content_type="application/json")
    @blp.alt_response(
        200,
        description="The same list as CSV (Accept: text/csv), every page",
        content_type="text/csv",
        success=True,
    )
    def get(self, query: dict[str, Any], tenant: str) -> Any:
        """List the invoices the caller may see; ``status=awaiting_validation`` is the queue"""
        identity = reader(tenant)
        app = invoices_app()
        statuses = list(query["status"])
        queue = statuses == [Status.AWAITING_VALIDATION.value] and staff(identity)
        member = query["member_id"]
        if identity.has_role(MEMBER) and not staff(identity):
            member = identity.member_id
        page, per_page = query["page"], query["per_page"]
        options = {
            "tenant": tenant,
            "member_id": member,
            "statuses": statuses,
            "kinds": [query["kind"]] if query["kind"] else [],
            "since": query["since"],
            "until": query["until"],
            "role": query["role"],
            "queue": queue,
        }
        if wants_csv():
            with app.uow() as uow:
                rows, _ = db.list_invoices(uow.session, **options)
                everything = [db.invoice_of(r) for r in rows]
            return _csv_response(everything, f"invoices-{tenant}.csv")
        with app.uow() as uow:
            rows, total = db.list_invoices(
                uow.session, **options, limit=per_page, offset=(page - 1) * per_page
            )
            invoices = [db.invoice_of(r) for r in rows]
            available = uow.accounts.available(i.buyer.member_id for i in invoices) if queue else {}
        now = app.now()
        items = []
        for invoice in invoices:
            info = None
            if queue:
                info = {
                    "buyer_available": available.get(invoice.buyer.member_id),
                    "waiting_days": waiting_days(invoice.awaiting_since, now),
                    "waiting_since": invoice.awaiting_since,
                }
            items.append(view(invoice, tenant, info))
        return {"items": items, "page": page, "per_page": per_page, "total": total}

    @blp.arguments(DraftInSchema())
    @blp.response(201, InvoiceSchema())
    def post(self, body: dict[str, Any], tenant: str) -> dict[str, Any]:
        """Draft an invoice: the seller is the caller's member (animators name it)"""
        identity = require_tenant(tenant)
        if identity.has_role(MEMBER) and not staff(identity):
            seller = identity.member_id
            if body["seller_member_id"] not in (None, seller):
                raise Forbidden(message="A member drafts its own invoices only.")
        elif staff(identity):
            seller = body["seller_member_id"]
            if seller is None:
                raise errors.InvalidInvoice(
                    "name the seller (seller_member_id)", field="seller_member_id"
                )
        else:
            raise Forbidden(message="API keys read invoices; they never change them.")
        assert seller is not None
        request_ = DraftRequest(
            seller_member_id=seller,
            buyer_member_id=body["buyer_member_id"],
            lines=tuple(body["lines"]),
            payment_mode=body["payment_mode"],
            delivery_date=body["delivery_date"],
            listing_id=body["listing_id"],
            buyer_reference=body["buyer_reference"].strip(),
            note=body["note"].strip(),
            vat_exemption_reason=body["vat_exemption_reason"].strip(),
            seller_address=body["seller_address"],
            buyer_address=body["buyer_address"],
            created_by=identity.subject,
        )
        app = invoices_app()
        invoice = handlers.create_draft(app.uow(), request_, tenant=tenant, now=app.now())
        return view(invoice, tenant)


@blp.route("/<uuid:invoice_id>")
class InvoiceView(MethodView):
    @blp.response(200, InvoiceSchema())
    def get(self, tenant: str, invoice_id: UUID) -> dict[str, Any]:
        """Show an invoice (read only from the buyer's tenant)"""
        identity = reader(tenant)
        return view(_load(tenant, invoice_id, identity), tenant)


# --- the transitions -----------------------------------------------------------------------------


def _answer(result: tuple[Any, ...], tenant: str) -> Any:
    invoice, change = result[0], result[-1]
    headers = {"Idempotent-Replayed": "true"} if change.replayed else {}
    return view(invoice, tenant), 200, headers


@blp.route("/<uuid:invoice_id>/issue")
class Issue(MethodView):
    @blp.response(200, InvoiceSchema())
    def post(self, tenant: str, invoice_id: UUID) -> Any:
        """Issue a draft: its number, and (if the network needs no acceptance) the hold"""
        identity = require_tenant(tenant)
        app = invoices_app()
        return _answer(
            handlers.issue(app.uow(), invoice_id, now=app.now, check=_as_seller(identity, tenant)),
            tenant,
        )


@blp.route("/<uuid:invoice_id>/accept")
class Accept(MethodView):
    @blp.response(200, InvoiceSchema())
    def post(self, tenant: str, invoice_id: UUID) -> Any:
        """The buyer accepts: the ledger is asked to hold its unit part"""
        identity = require_tenant(tenant)
        app = invoices_app()
        return _answer(
            handlers.accept(
                app.uow(), invoice_id, now=app.now(), check=_as_buyer(identity, tenant)
            ),
            tenant,
        )


@blp.route("/<uuid:invoice_id>/dispute")
class Dispute(MethodView):
    @blp.arguments(ReasonInSchema())
    @blp.response(200, InvoiceSchema())
    def post(self, body: dict[str, Any], tenant: str, invoice_id: UUID) -> Any:
        """The buyer disputes the invoice, with a reason (until the animator decides)"""
        identity = require_tenant(tenant)
        app = invoices_app()
        return _answer(
            handlers.dispute(
                app.uow(),
                invoice_id,
                body["reason"],
                now=app.now(),
                check=_as_buyer(identity, tenant),
            ),
            tenant,
        )


@blp.route("/<uuid:invoice_id>/validate")
class Validate(MethodView):
    @blp.response(200, InvoiceSchema())
    def post(self, tenant: str, invoice_id: UUID) -> Any:
        """An animator of the seller's tenant validates: the ledger posts the unit part"""
        identity = require_tenant(tenant)
        app = invoices_app()
        return _answer(
            handlers.validate(
                app.uow(),
                invoice_id,
                by=identity.subject,
                now=app.now(),
                check=_as_animator(identity, tenant),
                actor=identity,
            ),
            tenant,
        )


@blp.route("/<uuid:invoice_id>/reject")
class Reject(MethodView):
    @blp.arguments(ReasonInSchema())
    @blp.response(200, InvoiceSchema())
    def post(self, body: dict[str, Any], tenant: str, invoice_id: UUID) -> Any:
        """An animator of the seller's tenant rejects, with a reason: the hold is voided"""
        identity = require_tenant(tenant)
        app = invoices_app()
        return _answer(
            handlers.reject(
                app.uow(),
                invoice_id,
                body["reason"],
                now=app.now(),
                check=_as_animator(identity, tenant),
                actor=identity,
            ),
            tenant,
        )


@blp.route("/<uuid:invoice_id>/cancel")
class Cancel(MethodView):
    @blp.arguments(OptionalReasonInSchema())
    @blp.response(200, InvoiceSchema())
    def post(self, body: dict[str, Any], tenant: str, invoice_id: UUID) -> Any:
        """Cancel: a draft outright, an issued invoice by a credit note (reversing a settlement)"""
        identity = require_tenant(tenant)
        app = invoices_app()
        return _answer(
            handlers.cancel(
                app.uow(),
                invoice_id,
                body["reason"],
                now=app.now,
                check=_as_seller(identity, tenant),
            ),
            tenant,
        )


@blp.route("/<uuid:invoice_id>/euro-payment")
class EuroPayment(MethodView):
    @blp.arguments(EuroPaymentInSchema())
    @blp.response(200, InvoiceSchema())
    def post(self, body: dict[str, Any], tenant: str, invoice_id: UUID) -> Any:
        """The seller records whether the euro part (paid outside the platform) is paid"""
        identity = require_tenant(tenant)
        app = invoices_app()
        invoice = handlers.record_euro_payment(
            app.uow(),
            invoice_id,
            paid=body["paid"],
            paid_on=body["paid_on"],
            now=app.now(),
            check=_as_seller(identity, tenant),
        )
        return view(invoice, tenant)


@blp.route("/bulk/validate")
class BulkValidate(MethodView):
    @blp.arguments(BulkValidateInSchema())
    @blp.response(200, BulkValidateOutSchema())
    def post(self, body: dict[str, Any], tenant: str) -> dict[str, Any]:
        """Validate several invoices of the queue; each succeeds or fails on its own"""
        identity = require_tenant(tenant)
        if not staff(identity):
            raise Forbidden()
        app = invoices_app()
        results = handlers.bulk_validate(
            app.uow,
            body["invoice_ids"],
            by=identity.subject,
            now=app.now,
            check=_as_animator(identity, tenant),
            actor=identity,
        )
        out = []
        for invoice_id, invoice, exc in results:
            if exc is None:
                assert invoice is not None
                out.append(
                    {
                        "invoice_id": invoice_id,
                        "status": invoice.status.value,
                        "code": None,
                        "detail": None,
                    }
                )
                continue
            code = getattr(exc, "code", None) or "error"
            if isinstance(exc, NotFound | errors.InvoiceNotFound):
                code = "not_found"
            elif not isinstance(exc, errors.InvoiceError | Forbidden):
                raise exc
            out.append(
                {
                    "invoice_id": invoice_id,
                    "status": None,
                    "code": code,
                    "detail": getattr(exc, "message", str(exc)),
                }
            )
        return {"results": out, "validated": sum(1 for r in out if r["code"] is None)}


# --- documents -----------------------------------------------------------------------------------


@blp.route("/<uuid:invoice_id>/pdf")
class Pdf(MethodView):
    @blp.response(
        200,
        description="The invoice as Factur-X (PDF/A-3 with its CII XML)",
        content_type="application/pdf",
    )
    def get(self, tenant: str, invoice_id: UUID) -> Response:
        """The invoice (or credit note) as a Factur-X PDF, EN 16931 profile"""
        identity = reader(tenant)
        invoice = _load(tenant, invoice_id, identity)
        if invoice.number is None:
            raise errors.NotIssued("a draft has no document yet: issue it first")
        pdf, _xml = invoices_app().document(invoice)
        name = f"{invoice.number}.pdf"
        return Response(
            pdf,
            mimetype="application/pdf",
            headers={
                "Content-Disposition": f'inline; filename="{name}"',
                "Cache-Control": "private, max-age=3600",
            },
        )


# --- exports -------------------------------------------------------------------------------------

CSV_COLUMNS = (
    "type",
    "number",
    "status",
    "issue_date",
    "settled_at",
    "seller_member_id",
    "seller_name",
    "seller_siret",
    "seller_tenant",
    "buyer_member_id",
    "buyer_name",
    "buyer_siret",
    "buyer_tenant",
    "payment_mode",
    "total_excl_vat",
    "total_vat",
    "total_incl_vat",
    "unit",
    "unit_part",
    "euro_part",
    "euro_payment",
    "commission",
    "transfer_id",
    "credited_invoice_number",
    "invoice_id",
    "buyer_network",
    "buyer_unit",
    "exchange_rate",
    "buyer_unit_part",
)


def _csv_row(invoice: Invoice) -> list[Any]:
    sign = -1 if invoice.kind is Kind.CREDIT_NOTE else 1
    commission = invoice.commission() if invoice.status is Status.SETTLED else None
    cross = invoice.federation
    return [
        "avoir" if invoice.kind is Kind.CREDIT_NOTE else "facture",
        invoice.number or "",
        invoice.status.value,
        invoice.issue_date.isoformat() if invoice.issue_date else "",
        invoice.settled_at.isoformat() if invoice.settled_at else "",
        invoice.seller.member_id,
        invoice.seller.name,
        invoice.seller.siret,
        invoice.seller.tenant,
        invoice.buyer.member_id,
        invoice.buyer.name,
        invoice.buyer.siret,
        invoice.buyer.tenant,
        invoice.payment_mode,
        format_cents(sign * invoice.totals.total_excl_vat),
        format_cents(sign * invoice.totals.total_vat),
        format_cents(sign * invoice.totals.total_incl_vat),
        invoice.unit_code,
        format_cents(sign * invoice.parts.unit_part),
        format_cents(sign * invoice.parts.euro_part),
        invoice.euro_status,
        format_cents(commission.amount) if commission else "",
        invoice.reversal_transfer_id or invoice.transfer_id or "",
        invoice.credited_invoice_number or "",
        invoice.id,
        cross.buyer_network if cross else invoice.network,
        cross.buyer_unit if cross else "",
        format_rate(cross.exchange_rate) if cross else "",
        format_cents(sign * cross.buyer_unit_part) if cross else "",
    ]


def _csv_response(invoices: Iterable[Invoice], filename: str) -> Response:
    buffer = io.StringIO()
    writer = SafeWriter(buffer)
    writer.writerow(CSV_COLUMNS)
    for invoice in invoices:
        writer.writerow(_csv_row(invoice))
    return Response(
        buffer.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=PARIS).astimezone(UTC)


@blp.route("/statement")
class Statement(MethodView):
    @blp.arguments(PeriodQuery(), location="query")
    @blp.response(
        200, description="A member's invoices of a period, as CSV", content_type="text/csv"
    )
    def get(self, query: dict[str, Any], tenant: str) -> Response:
        """A member's invoices and credit notes issued in a period (CSV)"""
        identity = reader(tenant)
        member = query["member_id"]
        if identity.has_role(MEMBER) and not staff(identity):
            if member not in (None, identity.member_id):
                raise NotFound(message="No such member in this tenant.")
            member = identity.member_id
        if member is None:
            raise errors.InvalidInvoice("name the member (member_id)", field="member_id")
        with invoices_app().uow() as uow:
            rows, _ = db.list_invoices(
                uow.session,
                tenant=tenant,
                member_id=member,
                since=query["since"],
                until=query["until"],
            )
            invoices = [db.invoice_of(r) for r in rows if r.status != Status.DRAFT.value]
        invoices.sort(key=lambda i: (i.issue_date or date.min, i.number or ""))
        return _csv_response(invoices, f"invoices-{member}-{query['since']}.csv")


@blp.route("/accounting-export")
class AccountingExport(MethodView):
    @blp.arguments(PeriodQuery(), location="query")
    @blp.response(
        200,
        description="Settled invoices and credit notes of a period, as CSV",
        content_type="text/csv",
    )
    def get(self, query: dict[str, Any], tenant: str) -> Response:
        """The tenant's accounting export: one line per settled invoice or credit note (CSV)"""
        identity = require_tenant(tenant)
        if not (
            staff(identity)
            or (identity.has_role(INTEGRATOR) and identity.has_scope("invoices:read"))
        ):
            raise Forbidden()
        with invoices_app().uow() as uow:
            rows = db.settled_between(
                uow.session,
                tenant=tenant,
                since=_start_of(query["since"]),
                until=_start_of(query["until"]),
            )
            invoices = [db.invoice_of(r) for r in rows]
        return _csv_response(invoices, f"accounting-{tenant}-{query['since']}.csv")


@blp.route("/commissions")
class Commissions(MethodView):
    @blp.arguments(MonthQuery(), location="query")
    @blp.response(
        200, description="The network's commissions of a month, as CSV", content_type="text/csv"
    )
    def get(self, query: dict[str, Any], tenant: str) -> Response:
        """The commissions of the month on the tenant's sales (operators: all tenants), CSV"""
        identity = require_tenant(tenant)
        if not staff(identity):
            raise Forbidden()
        year, month = (int(part) for part in query["month"].split("-"))
        first = date(year, month, 1)
        following = (first + timedelta(days=32)).replace(day=1)
        with invoices_app().uow() as uow:
            network = db.network_of_tenant(uow.session, tenant) or identity.network
            if network is None:
                raise NotFound(message="Unknown tenant.")
            scope = None if query["all_tenants"] and identity.is_operator else tenant
            rows = db.commissions_between(
                uow.session,
                network=network,
                tenant=scope,
                since=_start_of(first),
                until=_start_of(following),
            )
            lines = [
                (
                    row.settled_at.isoformat(),
                    row.tenant,
                    row.seller_member_id,
                    row.invoice_number,
                    format_cents(row.base),
                    row.rate,
                    format_cents(row.amount),
                    row.charged_in,
                    row.status,
                    row.transfer_id or "",
                    row.invoice_id,
                    row.side,
                )
                for row in rows
            ]
        buffer = io.StringIO()
        writer = SafeWriter(buffer)
        writer.writerow(
            (
                "settled_at",
                "tenant",
                "seller_member_id",
                "invoice_number",
                "base",
                "rate",
                "amount",
                "charged_in",
                "status",
                "transfer_id",
                "invoice_id",
                "side",
            )
        )
        writer.writerows(lines)
        filename = f"commissions-{network}-{query['month']}.csv"
        return Response(
            buffer.getvalue(),
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )


# --- the event log -------------------------------------------------------------------------------

events_blp = Blueprint(
    "invoices_events",
    __name__,
    url_prefix="/t/<tenant>",
    description="The tenant's log of the invoices' events",
)


@events_blp.route("/events", parameters=LIST_SHAPE_PARAMETERS)
class Events(MethodView):
    @events_blp.arguments(events_query(EVENT_LOGS, DEFAULT_EVENT_LOG)(), location="query")
    @events_blp.response(200, EventPageSchema())
    @events_blp.doc(**list_shape_doc(EVENTS_OLDER_SHAPE))
    def get(self, query: dict[str, Any], tenant: str) -> Any:
        """The tenant's invoices events after a position, in order (``source=invoices``)"""
        require_event_reader(tenant)
        envelopes = []
        if query["source"] == "invoices":
            with invoices_app().engine.connect() as conn:
                envelopes = events_after(
                    conn, db.outbox_table, tenant, query["after"], query["limit"]
                )
        return event_log_page("invoices", query, envelopes)


# --- the application -----------------------------------------------------------------------------


def create_app(settings: Settings | None = None, *, invoices: InvoicesApp | None = None) -> Flask:
    """Create the invoices' WSGI application."""
    invoices = invoices or bootstrap(settings)
    settings = invoices.settings
    checks = {"database": database_check(invoices.engine)}
    if is_amqp(settings.broker_url):
        checks["broker"] = broker_check(settings.broker_url)
    app, api = create_base_app(settings, title="Troc Actif invoices", version="1.0", checks=checks)
    app.extensions["invoices"] = invoices
    api.tenant_networks = functools.partial(_tenant_network, invoices)
    register_outbox_collector(app, invoices.engine, db.outbox_table, db.outbox_sequence_table)
    register_scrape_gauge(
        app,
        "troc_invoices",
        "Invoices by state, counted when scraped",
        ["state"],
        lambda: _invoices_by_state(invoices),
    )
    for exc, (status, code) in ERRORS.items():
        api.register_error(exc, status, code)
    _field_errors(app)
    api.register_blueprint(blp)
    api.register_blueprint(events_blp)
    api.register_blueprint(audit_blueprint("invoices", lambda: invoices.engine, db.audit_entries))
    for blueprint in (payments_api.requests_blp, payments_api.payments_blp, payments_api.fees_blp):
        api.register_blueprint(blueprint)
    return app


def _invoices_by_state(invoices: InvoicesApp) -> list[tuple[list[str], int]]:
    """One GROUP BY on the invoices table, for the ``troc_invoices`` gauge."""
    with invoices.engine.connect() as conn:
        counts = db.count_by_status(conn)
    return [([state.value], counts.get(state.value, 0)) for state in Status]


def _field_errors(app: Flask) -> None:
    """A refusal naming a field answers like a validation error: ``errors`` holds the field."""
    from chassis.http import problem

    def handle(exc: errors.InvoiceError) -> Response:
        status, code = ERRORS.get(type(exc), (422, exc.code))
        field_errors = {exc.field: [exc.message]} if exc.field else None
        # Ids missing from this service's copies of other services' data (lag, or absence:
        # the gateway, which owns the directory, tells them apart).
        unknown = getattr(exc, "unknown_id", None)
        extra = {"unknown_ids": [unknown]} if unknown else None
        return problem(status, code, detail=exc.message, errors=field_errors, extra=extra)

    for exc in ERRORS:
        app.register_error_handler(exc, handle)
