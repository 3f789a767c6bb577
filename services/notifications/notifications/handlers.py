"""What each consumed event does: copies of members and credit limits, and feed entries.

Every handler takes the contract instance, its ``Meta`` (tenant, network, time of the envelope)
and a ``Context`` bound to the consumer's transaction. Entries are written once per recipient
and subject (a unique key), so a replayed event adds nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from uuid import UUID

from chassis.audit import record_audit
from chassis.auth import Identity
from chassis.db import utcnow
from chassis.messages import MessageMeta as Meta
from chassis.money import format_cents
from chassis.uow import ConnectionUnitOfWork
from contracts import gateway as gw
from contracts import invoices as inv
from contracts import ledger as lg
from contracts import listings as ls
from notifications import db
from notifications.delivery import redeliver, redeliver_after
from notifications.domain import (
    Entry,
    Kind,
    Recipient,
    ValidationMail,
    Viewer,
    low_available_credit,
)

if TYPE_CHECKING:
    from sqlalchemy import Connection


@dataclass
class Context:
    conn: Connection
    #: Called with the entries a handler added (the e-mail outbox); none: no e-mail.
    on_added: Callable[[Connection, list[tuple[UUID, Entry]]], object] | None = None
    #: Queues an account e-mail (template name, the gateway's link, meta); none: no e-mail.
    account_mail: Callable[[Connection, str, gw.AccountLink, Meta], object] | None = None


def cents(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


def _amount(amount: Decimal, unit: str) -> str:
    return f"{format_cents(cents(amount))} {unit}".strip()


def _tenant_of(ctx: Context, member_id: UUID, meta: Meta) -> str | None:
    """The member's tenant as the gateway told it, else the event's own."""
    row = db.get_member(ctx.conn, member_id)
    if row is not None and row.tenant:
        return str(row.tenant)
    return meta.tenant


def _to_member(
    ctx: Context,
    meta: Meta,
    member_id: UUID,
    kind: Kind,
    title: str,
    body: str,
    subject: UUID | str,
    **data: Any,
) -> list[Entry]:
    tenant = _tenant_of(ctx, member_id, meta)
    if tenant is None:
        return []
    return [
        Entry(
            Recipient.member(tenant, member_id),
            kind,
            title,
            body,
            str(subject),
            meta.network,
            meta.time,
            {k: str(v) for k, v in data.items()},
        )
    ]


def _to_animators(
    meta: Meta, kind: Kind, title: str, body: str, subject: UUID | str, **data: Any
) -> list[Entry]:
    if meta.tenant is None:
        return []
    return [
        Entry(
            Recipient.animators(meta.tenant),
            kind,
            title,
            body,
            str(subject),
            meta.network,
            meta.time,
            {k: str(v) for k, v in data.items()},
        )
    ]


def _to_validators(
    ctx: Context,
    meta: Meta,
    seller_member_id: UUID,
    kind: Kind,
    title: str,
    body: str,
    subject: UUID | str,
    **data: Any,
) -> list[Entry]:
    """« À valider » entries: for the seller's animators only, who alone validate.

    A cross-tenant invoice's events reach the buyer's tenant too; its animators cannot act on
    it, so they get no entry.
    """
    if _tenant_of(ctx, seller_member_id, meta) != meta.tenant:
        return []
    return _to_animators(meta, kind, title, body, subject, **data)


def _write(ctx: Context, entries: list[Entry]) -> None:
    added = db.add_entries(ctx.conn, entries)
    if added and ctx.on_added is not None:
        ctx.on_added(ctx.conn, added)


# --- the gateway: accounts ---------------------------------------------------------------------


def on_password_reset_requested(
    message: gw.PasswordResetRequested, meta: Meta, ctx: Context
) -> None:
    if ctx.account_mail is not None:
        ctx.account_mail(ctx.conn, "password_reset", message, meta)


def on_user_invited(message: gw.UserInvited, meta: Meta, ctx: Context) -> None:
    if ctx.account_mail is not None:
        ctx.account_mail(ctx.conn, "invitation", message, meta)


def on_user_changed(message: gw.UserChanged, meta: Meta, ctx: Context) -> None:
    """Keep the tenant's staff: the validation e-mails go to its active animators."""
    if meta.tenant is None:
        return
    db.upsert_staff_user(
        ctx.conn,
        str(message.user_id),
        tenant=meta.tenant,
        network=meta.network,
        email=message.email,
        role=message.role,
        status=message.status,
        updated_at=meta.time,
    )


# --- the gateway: networks ---------------------------------------------------------------------


def on_network_changed(
    message: gw.NetworkCreated | gw.NetworkUpdated, meta: Meta, ctx: Context
) -> None:
    """Keep the network's name: webhooks of cross-network transfers name the partner network."""
    db.upsert_network(
        ctx.conn, message.slug, name=message.name, unit=message.unit.name, updated_at=meta.time
    )


# --- the gateway: members ----------------------------------------------------------------------


def on_member_admitted(message: gw.MemberAdmitted, meta: Meta, ctx: Context) -> None:
    db.upsert_member(
        ctx.conn,
        message.member_id,
        network=meta.network,
        tenant=meta.tenant or "",
        name=message.name,
        email=message.email,
        status="active",
    )


def on_member_updated(message: gw.MemberUpdated, meta: Meta, ctx: Context) -> None:
    db.upsert_member(
        ctx.conn,
        message.member_id,
        network=meta.network,
        tenant=meta.tenant or "",
        name=message.name,
        email=message.email,
    )


def on_member_suspended(message: gw.MemberSuspended, meta: Meta, ctx: Context) -> None:
    db.upsert_member(ctx.conn, message.member_id, tenant=meta.tenant or "", status="suspended")


def on_member_reinstated(message: gw.MemberReinstated, meta: Meta, ctx: Context) -> None:
    db.upsert_member(ctx.conn, message.member_id, tenant=meta.tenant or "", status="active")


def on_member_left(message: gw.MemberLeft, meta: Meta, ctx: Context) -> None:
    db.upsert_member(ctx.conn, message.member_id, tenant=meta.tenant or "", status="left")


# --- invoices ----------------------------------------------------------------------------------


def on_invoice_issued(message: inv.InvoiceIssued, meta: Meta, ctx: Context) -> None:
    amount = _amount(message.unit_part, message.unit)
    data = {"invoice_id": message.invoice_id, "number": message.number}
    if message.acceptance_required:
        entries = _to_member(
            ctx,
            meta,
            message.buyer_member_id,
            Kind.INVOICE_TO_ACCEPT,
            f"Facture {message.number} à accepter",
            f"Une facture de {amount} vous attend : acceptez-la ou contestez-la.",
            message.invoice_id,
            **data,
        )
    else:
        entries = _to_validators(
            ctx,
            meta,
            message.seller_member_id,
            Kind.INVOICE_TO_VALIDATE,
            f"Facture {message.number} à valider",
            f"Une facture de {amount} attend votre validation.",
            message.invoice_id,
            **data,
        )
    _write(ctx, entries)


def on_invoice_awaiting_validation(
    message: inv.InvoiceAwaitingValidation, meta: Meta, ctx: Context
) -> None:
    """The « à valider » entry of the seller's animators, and the invoice noted as waiting
    (what their digests list and, two days before the hold expires, their reminder)."""
    if _tenant_of(ctx, message.seller_member_id, meta) == meta.tenant and meta.tenant:
        db.open_validation(
            ctx.conn,
            message.invoice_id,
            tenant=meta.tenant,
            network=meta.network,
            number=message.number,
            seller_member_id=message.seller_member_id,
            buyer_member_id=message.buyer_member_id,
            unit_part=cents(message.unit_part),
            unit=message.unit,
            expires_at=message.expires_at,
            waiting_since=meta.time,
        )
    _write(
        ctx,
        _to_validators(
            ctx,
            meta,
            message.seller_member_id,
            Kind.INVOICE_TO_VALIDATE,
            f"Facture {message.number} à valider",
            f"Une facture de {_amount(message.unit_part, message.unit)} attend votre validation.",
            message.invoice_id,
            invoice_id=message.invoice_id,
            number=message.number,
        ),
    )


def on_invoice_closed(
    message: inv.InvoiceValidated | inv.InvoiceExpired | inv.InvoiceCancelled,
    meta: Meta,
    ctx: Context,
) -> None:
    """The invoice no longer waits for the animators (validated, expired, cancelled)."""
    db.close_validation(ctx.conn, message.invoice_id, meta.time)


def on_invoice_settled(message: inv.InvoiceSettled, meta: Meta, ctx: Context) -> None:
    db.close_validation(ctx.conn, message.invoice_id, meta.time)
    amount = _amount(message.unit_part, message.unit)
    data = {"invoice_id": message.invoice_id, "number": message.number}
    _write(
        ctx,
        [
            *_to_member(
                ctx,
                meta,
                message.seller_member_id,
                Kind.INVOICE_SETTLED,
                f"Facture {message.number} réglée",
                f"Votre compte est crédité de {amount}.",
                message.invoice_id,
                **data,
            ),
            *_to_member(
                ctx,
                meta,
                message.buyer_member_id,
                Kind.INVOICE_SETTLED,
                f"Facture {message.number} réglée",
                f"Votre compte est débité de {amount}.",
                message.invoice_id,
                **data,
            ),
        ],
    )


def on_invoice_rejected(message: inv.InvoiceRejected, meta: Meta, ctx: Context) -> None:
    db.close_validation(ctx.conn, message.invoice_id, meta.time)
    _write(
        ctx,
        _to_member(
            ctx,
            meta,
            message.seller_member_id,
            Kind.INVOICE_REJECTED,
            f"Facture {message.number} refusée",
            message.reason or "L'animateur a refusé la facture.",
            message.invoice_id,
            invoice_id=message.invoice_id,
            number=message.number,
        ),
    )


def on_invoice_disputed(message: inv.InvoiceDisputed, meta: Meta, ctx: Context) -> None:
    db.close_validation(ctx.conn, message.invoice_id, meta.time)
    _write(
        ctx,
        _to_member(
            ctx,
            meta,
            message.seller_member_id,
            Kind.INVOICE_DISPUTED,
            f"Facture {message.number} contestée",
            message.reason or "L'acheteur conteste la facture.",
            message.invoice_id,
            invoice_id=message.invoice_id,
            number=message.number,
        ),
    )


# --- payments without an invoice, membership fees ----------------------------------------------


def _payment_data(message: inv.PaymentFacts) -> dict[str, Any]:
    return {"payment_id": message.payment_id, "payment_kind": message.kind}


def _payment_label(message: inv.PaymentFacts) -> str:
    return "Demande de paiement" if message.kind == "request" else "Paiement"


def _side_amount(message: inv.PaymentFacts, member_id: UUID) -> str:
    """What ``member_id`` pays or receives, in its own unit: between two linked networks the
    counterpart of the member who wrote the amount sees it converted (frozen at creation)."""
    writer = message.payee_member_id if message.kind == "request" else message.payer_member_id
    if member_id == writer or message.converted_amount is None or not message.converted_unit:
        return _amount(message.amount, message.unit)
    return _amount(message.converted_amount, message.converted_unit)


def on_payment_requested(message: inv.PaymentRequested, meta: Meta, ctx: Context) -> None:
    _write(
        ctx,
        _to_member(
            ctx,
            meta,
            message.payer_member_id,
            Kind.PAYMENT_REQUESTED,
            f"Demande de paiement de {_side_amount(message, message.payer_member_id)}",
            f"« {message.description} » : acceptez ou refusez la demande.",
            message.payment_id,
            **_payment_data(message),
        ),
    )


def on_payment_awaiting_validation(
    message: inv.PaymentAwaitingValidation, meta: Meta, ctx: Context
) -> None:
    _write(
        ctx,
        _to_validators(
            ctx,
            meta,
            message.payee_member_id,
            Kind.PAYMENT_TO_VALIDATE,
            f"{_payment_label(message)} de {_side_amount(message, message.payee_member_id)} "
            "à valider",
            f"« {message.description} » attend votre validation.",
            message.payment_id,
            **_payment_data(message),
        ),
    )


def on_payment_settled(message: inv.PaymentSettled, meta: Meta, ctx: Context) -> None:
    credited = _side_amount(message, message.payee_member_id)
    debited = _side_amount(message, message.payer_member_id)
    _write(
        ctx,
        [
            *_to_member(
                ctx,
                meta,
                message.payee_member_id,
                Kind.PAYMENT_SETTLED,
                f"{_payment_label(message)} de {credited} effectué",
                f"Votre compte est crédité de {credited} : « {message.description} ».",
                message.payment_id,
                **_payment_data(message),
            ),
            *_to_member(
                ctx,
                meta,
                message.payer_member_id,
                Kind.PAYMENT_SETTLED,
                f"{_payment_label(message)} de {debited} effectué",
                f"Votre compte est débité de {debited} : « {message.description} ».",
                message.payment_id,
                **_payment_data(message),
            ),
        ],
    )


def on_payment_not_made(
    message: inv.PaymentDeclined | inv.PaymentRejected | inv.PaymentHoldRefused,
    meta: Meta,
    ctx: Context,
) -> None:
    """A declined request (to the payee), a rejected payment or a refused hold (to both)."""
    if isinstance(message, inv.PaymentDeclined):
        title, body = "Demande de paiement de {} refusée", "Le payeur a refusé la demande."
        recipients = [message.payee_member_id]
    elif isinstance(message, inv.PaymentRejected):
        title = f"{_payment_label(message)} de {{}} refusé"
        body = message.reason or "L'animateur a refusé le paiement."
        recipients = [message.payee_member_id, message.payer_member_id]
    else:
        title = f"{_payment_label(message)} de {{}} impossible"
        body = f"Le paiement n'a pas pu être réservé : {message.reason}"
        recipients = [message.payer_member_id, message.payee_member_id]
    entries: list[Entry] = []
    for member in recipients:
        entries += _to_member(
            ctx,
            meta,
            member,
            Kind.PAYMENT_NOT_MADE,
            title.format(_side_amount(message, member)),
            body,
            f"{message.payment_id}:{type(message).__name__}",
            **_payment_data(message),
        )
    _write(ctx, entries)


def _fee_amount(message: inv.MembershipFeeFacts) -> str:
    if message.charged_in == "euro":
        return f"{format_cents(cents(message.amount))} €"
    return _amount(message.amount, message.unit)


def on_membership_fee_charged(message: inv.MembershipFeeCharged, meta: Meta, ctx: Context) -> None:
    """The member is told (and e-mailed) of its fee: prélevée in the unit, due in euros."""
    amount = _fee_amount(message)
    if message.charged_in == "euro":
        title = f"Cotisation {message.period} : {amount} à régler"
        body = (
            f"Votre cotisation {message.period} de {amount} est due depuis le "
            f"{message.due_on.strftime('%d/%m/%Y')}. Réglez-la à votre association."
        )
    else:
        title = f"Cotisation {message.period} prélevée"
        body = f"Votre cotisation {message.period} de {amount} a été prélevée sur votre compte."
    _write(
        ctx,
        _to_member(
            ctx,
            meta,
            message.member_id,
            Kind.MEMBERSHIP_FEE,
            title,
            body,
            f"fee:{message.member_id}:{message.period}",
            fee_id=message.fee_id,
            period=message.period,
        ),
    )


def on_membership_fee_overdue(message: inv.MembershipFeeOverdue, meta: Meta, ctx: Context) -> None:
    """The animators are told once of a fee in euros unpaid past the grace period."""
    member = db.get_member(ctx.conn, message.member_id)
    name = str(member.name) if member is not None and member.name else ""
    who = name or f"l'adhérent {message.member_id}"
    _write(
        ctx,
        _to_animators(
            meta,
            Kind.MEMBERSHIP_FEE_OVERDUE,
            f"Cotisation {message.period} impayée",
            f"La cotisation {message.period} de {_fee_amount(message)} de {who}, due le "
            f"{message.due_on.strftime('%d/%m/%Y')}, n'est toujours pas réglée.",
            f"fee-overdue:{message.member_id}:{message.period}",
            fee_id=message.fee_id,
            member_id=message.member_id,
            period=message.period,
        ),
    )


# --- listings ----------------------------------------------------------------------------------


def on_contact_requested(message: ls.ContactRequested, meta: Meta, ctx: Context) -> None:
    _on_contact(message, meta, ctx, Kind.CONTACT_RECEIVED, "Nouvelle demande de contact")


def on_contact_replied(message: ls.ContactReplied, meta: Meta, ctx: Context) -> None:
    _on_contact(message, meta, ctx, Kind.CONTACT_REPLIED, "Nouvelle réponse")


def _on_contact(
    message: ls.ContactRequested | ls.ContactReplied,
    meta: Meta,
    ctx: Context,
    kind: Kind,
    title: str,
) -> None:
    """A message in a contact thread: the other party is told."""
    _write(
        ctx,
        _to_member(
            ctx,
            meta,
            message.to_member_id,
            kind,
            f"{title} : {message.listing_title}",
            message.message[:500],
            message.message_id,
            thread_id=message.thread_id,
            listing_id=message.listing_id,
            from_member_id=message.from_member_id,
        ),
    )


def on_match_found(message: ls.MatchFound, meta: Meta, ctx: Context) -> None:
    _write(
        ctx,
        _to_member(
            ctx,
            meta,
            message.member_id,
            Kind.MATCH_FOUND,
            f"Correspondance trouvée pour « {message.listing_title} »",
            f"« {message.counterpart_title} » pourrait vous intéresser.",
            message.match_id,
            listing_id=message.listing_id,
            counterpart_listing_id=message.counterpart_listing_id,
        ),
    )


# --- the ledger --------------------------------------------------------------------------------


def on_account_opened(message: lg.AccountOpened, meta: Meta, ctx: Context) -> None:
    if message.kind != "member":
        return
    db.upsert_member(
        ctx.conn,
        message.account_id,
        tenant=meta.tenant or "",
        network=meta.network,
        credit_limit=cents(message.credit_limit),
    )


def on_credit_limit_changed(message: lg.CreditLimitChanged, meta: Meta, ctx: Context) -> None:
    db.upsert_member(
        ctx.conn,
        message.account_id,
        tenant=_tenant_of(ctx, message.account_id, meta) or "",
        credit_limit=cents(message.credit_limit),
    )
    _write(
        ctx,
        _to_member(
            ctx,
            meta,
            message.account_id,
            Kind.CREDIT_LIMIT_CHANGED,
            "Découvert autorisé modifié",
            f"Votre découvert autorisé passe de {_amount(message.old_credit_limit, message.unit)} "
            f"à {_amount(message.credit_limit, message.unit)}.",
            meta.message_id,
            credit_limit=message.credit_limit,
        ),
    )
    if message.reason == "expired":
        _write(ctx, _expiry_for_animators(message, meta))


def _expiry_for_animators(message: lg.CreditLimitChanged, meta: Meta) -> list[Entry]:
    """An expired credit line, told to the tenant's animators; flagged when the account is left
    below its new limit (it may receive, not spend, until it recovers)."""
    body = (
        f"Le découvert autorisé temporaire est arrivé à échéance : il revient de "
        f"{_amount(message.old_credit_limit, message.unit)} à "
        f"{_amount(message.credit_limit, message.unit)}."
    )
    if message.over_limit:
        body += (
            f" Le solde ({_amount(message.balance or Decimal(0), message.unit)}) est sous le "
            "nouveau découvert : l'adhérent ne peut plus payer tant qu'il n'est pas revenu dans "
            "sa limite."
        )
    return _to_animators(
        meta,
        Kind.CREDIT_LIMIT_EXPIRED,
        "Découvert temporaire échu" + (" — solde sous la limite" if message.over_limit else ""),
        body,
        message.account_id,
        member_id=message.account_id,
        credit_limit=message.credit_limit,
        over_limit=str(message.over_limit).lower(),
    )


#: The animators' page listing the credit lines due for review or expiry.
CREDIT_REVIEWS_PAGE = "/app/revisions-credit"


def on_credit_line_due(message: lg.CreditLineDue, meta: Meta, ctx: Context) -> None:
    """A credit line's review or expiry entering the 30-day horizon, told to the animators once
    per line and date (the ledger announces each date once; the entry's key holds the date)."""
    member = db.get_member(ctx.conn, message.member_id)
    who = str(member.name) if member is not None and member.name else "un adhérent"
    day = message.due_on.strftime("%d/%m/%Y")
    limit = _amount(message.credit_limit, message.unit)
    if message.due_on == message.expires_on:
        title = f"Ligne de crédit arrivant à échéance le {day}"
        body = (
            f"Le découvert autorisé de {limit} de {who} arrive à échéance le {day} : il reviendra "
            "alors au découvert par défaut, sauf s'il est renouvelé d'ici là."
        )
    else:
        title = "Ligne de crédit à revoir"
        body = f"Le découvert autorisé de {limit} de {who} est à revoir pour le {day}."
    _write(
        ctx,
        _to_animators(
            meta,
            Kind.CREDIT_LINE_DUE,
            title,
            body,
            f"credit-line:{message.member_id}:{message.due_on.isoformat()}",
            member_id=message.member_id,
            due_on=message.due_on.isoformat(),
            days_left=message.days_left,
            credit_limit=message.credit_limit,
            link=CREDIT_REVIEWS_PAGE,
        ),
    )


def on_transfer_posted(message: lg.TransferPosted, meta: Meta, ctx: Context) -> None:
    if message.payer_balance is None:
        return
    member = db.get_member(ctx.conn, message.payer)
    if member is None or member.credit_limit is None:
        return
    balance = cents(message.payer_balance)
    if not low_available_credit(balance, int(member.credit_limit)):
        return
    available = format_cents(balance + int(member.credit_limit))
    _write(
        ctx,
        _to_member(
            ctx,
            meta,
            message.payer,
            Kind.LOW_AVAILABLE_CREDIT,
            "Crédit disponible bas",
            f"Il vous reste {available} {message.unit} de crédit disponible.",
            message.transfer_id,
            available=available,
        ),
    )


def ignore(message: object, meta: Meta, ctx: Context) -> None:
    """Events received only to be forwarded to webhooks."""


# --- use cases of the HTTP API: each owns its transaction --------------------------------------


def mark_read(uow: ConnectionUnitOfWork, viewer: Viewer, entry_id: UUID, now: datetime) -> Any:
    """Mark an entry of the reader's feed as read; None if it is not in the reader's feed."""
    with uow:
        row = db.mark_read(uow.conn, viewer, entry_id, now)
        uow.commit()
    return row


def choose_emails(
    uow: ConnectionUnitOfWork,
    tenant: str,
    member_id: UUID | None,
    choices: dict[str, bool],
    *,
    animator: str | None = None,
    validation_emails: ValidationMail | None = None,
    now: datetime | None = None,
) -> None:
    """Record which kinds a member company gets by e-mail, and how an animator hears of the
    invoices awaiting validation; both or neither."""
    with uow:
        if member_id is not None:
            db.set_email_preferences(uow.conn, tenant, member_id, choices)
        if animator is not None and validation_emails is not None:
            db.set_validation_mail(uow.conn, tenant, animator, validation_emails, now or utcnow())
        uow.commit()


def subscribe_webhook(
    uow: ConnectionUnitOfWork,
    *,
    webhook_id: UUID,
    tenant: str,
    network: str | None,
    url: str,
    description: str,
    event_types: list[str],
    secret: str,
    created_by: str,
    now: datetime,
    actor: Identity | None = None,
) -> Any:
    """Subscribe an endpoint; returns the stored subscription. ``actor`` is audited."""
    with uow:
        db.add_webhook(
            uow.conn,
            id=webhook_id,
            tenant=tenant,
            network=network,
            url=url,
            description=description,
            event_types=sorted(set(event_types)),
            secret=secret,
            status="active",
            created_by=created_by,
            created_at=now,
        )
        row = db.get_webhook(uow.conn, tenant, webhook_id)
        _audit(
            uow.conn,
            actor,
            "webhook_created",
            row,
            now,
            url=url,
            event_types=sorted(set(event_types)),
            description=description,
        )
        uow.commit()
    return row


def _audit(
    conn: Connection, actor: Identity | None, action: str, hook: Any, now: datetime, **details: Any
) -> None:
    """An audit entry of a change to a subscription, in the transaction of the change."""
    if actor is None:
        return
    record_audit(
        conn,
        db.audit_entries,
        actor,
        action=action,
        target_type="webhook",
        target_id=hook.id,
        network=hook.network,
        tenant=hook.tenant,
        at=now,
        **details,
    )


def unsubscribe_webhook(
    uow: ConnectionUnitOfWork,
    tenant: str,
    webhook_id: UUID,
    now: datetime,
    actor: Identity | None = None,
) -> bool:
    """Stop sending to an endpoint; False if the tenant has no such subscription."""
    with uow:
        hook = db.get_webhook(uow.conn, tenant, webhook_id)
        if hook is None:
            return False
        db.delete_webhook(uow.conn, webhook_id, now)
        _audit(uow.conn, actor, "webhook_revoked", hook, now, url=hook.url)
        uow.commit()
    return True


def change_webhook(
    uow: ConnectionUnitOfWork,
    tenant: str,
    webhook_id: UUID,
    values: dict[str, Any],
    actor: Identity | None = None,
    now: datetime | None = None,
) -> Any:
    """Change a subscription's checked ``values``; the stored subscription, None if the tenant
    has no such subscription."""
    with uow:
        hook = db.get_webhook(uow.conn, tenant, webhook_id)
        if hook is None:
            return None
        if values:
            db.change_webhook(uow.conn, webhook_id, **values)
            _audit(uow.conn, actor, "webhook_updated", hook, now or utcnow(), **values)
        row = db.get_webhook(uow.conn, tenant, webhook_id)
        uow.commit()
    return row


def rotate_webhook_secret(
    uow: ConnectionUnitOfWork,
    tenant: str,
    webhook_id: UUID,
    secret: str,
    overlap: timedelta,
    now: datetime,
    actor: Identity | None = None,
) -> Any:
    """Sign with ``secret`` from now on; the previous secret signs too (a second signature) for
    ``overlap``. The stored subscription, None if the tenant has no such subscription."""
    with uow:
        hook = db.get_webhook(uow.conn, tenant, webhook_id)
        if hook is None:
            return None
        db.change_webhook(
            uow.conn,
            webhook_id,
            secret=secret,
            previous_secret=hook.secret if overlap else None,
            previous_secret_until=now + overlap if overlap else None,
        )
        _audit(
            uow.conn,
            actor,
            "webhook_secret_rotated",
            hook,
            now,
            overlap_hours=int(overlap.total_seconds() // 3600),
        )
        row = db.get_webhook(uow.conn, tenant, webhook_id)
        uow.commit()
    return row


def redeliver_range(
    uow: ConnectionUnitOfWork,
    tenant: str,
    webhook_id: UUID,
    after: int,
    limit: int,
    now: datetime,
    *,
    source: str = "ledger",
) -> int | None:
    """Queue again the deliveries of the events of ``source``'s log after position ``after``;
    how many, None if the tenant has no such subscription."""
    with uow:
        queued: int | None = redeliver_after(
            uow.conn, tenant, webhook_id, after, now, limit=limit, source=source
        )
        uow.commit()
    return queued


def resend(
    uow: ConnectionUnitOfWork, tenant: str, webhook_id: UUID, delivery_id: UUID, now: datetime
) -> tuple[Any, list[Any]] | None:
    """Send a delivery again; the delivery and its attempts, None if not the tenant's."""
    with uow:
        row = redeliver(uow.conn, tenant, webhook_id, delivery_id, now)
        if row is None:
            return None
        attempts = db.attempts_of(uow.conn, [row.id])[row.id]
        uow.commit()
    return row, attempts
