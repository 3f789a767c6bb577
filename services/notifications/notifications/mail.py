"""E-mail: French messages (plain text and HTML, Jinja2) for the feed entries of members, sent
from an outbox with retries.

A new feed entry addressed to a member company with a known e-mail address becomes one ``emails``
row, rendered in the same transaction, unless the company turned that kind off
(``PUT /t/<t>/notifications/preferences``). The worker sends due rows over SMTP (``TROC_SMTP_HOST``)
or, in the embedded default, writes them as ``.eml`` files under ``var/mail``. A refused message
waits for the next delay of the schedule; after the last one it is marked failed.

The animators hear of the invoices awaiting their validation as each chose
(``domain.ValidationMail``): one e-mail each time, a daily digest at
``TROC_VALIDATION_DIGEST_HOUR`` (Paris), or none; and, unless they chose none, a reminder two
days before an invoice's hold expires. Their addresses come from the gateway's ``user_changed``
events. Each of these e-mails is queued once, by a key (``notice_keys``): a replayed event, a
second pass or a restarted worker finds the key taken.

Account e-mails (a password reset link, an invitation to choose a password) come from the
gateway's ``password_reset_requested`` and ``user_invited`` events, which carry the address and
the link's token; they have no feed entry. Every link points at a page of the web application.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode
from uuid import UUID, uuid4

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from sqlalchemy import Connection, insert, select, update

from chassis.db import utcnow
from chassis.messages import MessageMeta as Meta
from chassis.money import format_cents
from contracts import gateway as gw
from notifications import db
from notifications.domain import (
    PARIS,
    REMINDER_LEAD,
    Audience,
    Entry,
    Kind,
    ValidationMail,
    digest_day,
    digest_key,
    reminder_due,
    reminder_key,
    validation_key,
)
from notifications.settings import NotificationsSettings

if TYPE_CHECKING:
    from notifications.bootstrap import NotificationsApp

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)

#: What the reader is expected to do, per kind (none: information only).
ACTIONS: dict[Kind, str] = {
    Kind.INVOICE_TO_ACCEPT: "Acceptez ou contestez la facture depuis votre espace adhérent.",
    Kind.INVOICE_TO_VALIDATE: "Validez ou refusez la facture depuis la file de validation.",
    Kind.INVOICE_DISPUTED: "Prenez contact avec l'acheteur pour régler le différend.",
    Kind.CONTACT_RECEIVED: "Répondez depuis votre messagerie sur la plateforme.",
    Kind.CONTACT_REPLIED: "Poursuivez l'échange depuis votre messagerie sur la plateforme.",
    Kind.MATCH_FOUND: "Consultez l'annonce et prenez contact si elle vous intéresse.",
    Kind.LOW_AVAILABLE_CREDIT: "Pensez à vendre pour reconstituer votre crédit disponible.",
    Kind.PAYMENT_REQUESTED: "Acceptez ou refusez la demande depuis votre espace adhérent.",
    Kind.PAYMENT_TO_VALIDATE: "Validez ou refusez le paiement depuis la file de validation.",
    Kind.MEMBERSHIP_FEE: "Réglez votre cotisation auprès de votre association.",
    Kind.MEMBERSHIP_FEE_OVERDUE: "Relancez l'adhérent, puis enregistrez le paiement reçu.",
}

_templates = Environment(
    loader=PackageLoader("notifications", "templates"),
    autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=False),
    undefined=StrictUndefined,
    keep_trailing_newline=True,
)


#: The web page of the gateway's application where an entry's reader acts (``{…}`` come from the
#: entry's data); the notifications page for the others.
PAGES: dict[Kind, str] = {
    Kind.INVOICE_TO_ACCEPT: "/app/factures/{invoice_id}",
    Kind.INVOICE_TO_VALIDATE: "/app/validation",
    Kind.INVOICE_SETTLED: "/app/factures/{invoice_id}",
    Kind.INVOICE_REJECTED: "/app/factures/{invoice_id}",
    Kind.INVOICE_DISPUTED: "/app/factures/{invoice_id}",
    Kind.CONTACT_RECEIVED: "/app/messages/{thread_id}",
    Kind.CONTACT_REPLIED: "/app/messages/{thread_id}",
    Kind.MATCH_FOUND: "/app/place-de-marche/{counterpart_listing_id}",
    Kind.LOW_AVAILABLE_CREDIT: "/app/tableau-de-bord",
    Kind.CREDIT_LIMIT_CHANGED: "/app/tableau-de-bord",
    Kind.PAYMENT_REQUESTED: "/app/paiements",
    Kind.PAYMENT_TO_VALIDATE: "/app/paiements",
    Kind.PAYMENT_SETTLED: "/app/paiements",
    Kind.PAYMENT_NOT_MADE: "/app/paiements",
    Kind.MEMBERSHIP_FEE: "/app/tableau-de-bord",
    Kind.MEMBERSHIP_FEE_OVERDUE: "/app/cotisations",
}
NOTIFICATIONS_PAGE = "/app/notifications"


def page_url(entry: Entry, settings: NotificationsSettings) -> str:
    """The web page an entry's e-mail links to (never the JSON API)."""
    try:
        path = PAGES[entry.kind].format_map(entry.data)
    except KeyError:
        path = NOTIFICATIONS_PAGE
    return f"{settings.public_url}{path}"


def _network_name(network: str | None) -> str:
    return "Troc Actif" if network in (None, "", "troc-actif") else str(network)


def render(
    entry: Entry, *, name: str, settings: NotificationsSettings, preferences_url: str = ""
) -> tuple[str, str, str]:
    """Subject, plain text and HTML of an entry's e-mail, in French (``preferences_url``: the
    page where its reader chooses how often such e-mails come, if there is one)."""
    values = {
        "name": name,
        "title": entry.title,
        "body": entry.body,
        "action": ACTIONS.get(entry.kind, ""),
        "url": page_url(entry, settings),
        "feed_url": f"{settings.public_url}{NOTIFICATIONS_PAGE}",
        "network_name": _network_name(entry.network),
        "preferences_url": preferences_url,
    }
    text = _templates.get_template("email.txt.j2").render(values)
    html = _templates.get_template("email.html.j2").render(values)
    return entry.title, text, html


#: Subjects of the account e-mails, by template name.
ACCOUNT_SUBJECTS: dict[str, str] = {
    "password_reset": "Réinitialisation de votre mot de passe",
    "invitation": "Votre compte sur la plateforme vous attend",
}
#: The web page where a reset or invitation link lets its owner choose a password.
NEW_PASSWORD_PAGE = "/app/mot-de-passe/nouveau"  # noqa: S105 - a path, not a secret


def render_account(
    template: str,
    *,
    token: str,
    expires_at: datetime,
    network: str | None,
    tenant_name: str,
    settings: NotificationsSettings,
) -> tuple[str, str, str]:
    """Subject, text and HTML of a password reset (``password_reset``) or an invitation."""
    values = {
        "url": f"{settings.public_url}{NEW_PASSWORD_PAGE}?{urlencode({'token': token})}",
        "expires_at": expires_at.astimezone(PARIS).strftime("%d/%m/%Y à %H:%M"),
        "tenant_name": tenant_name,
        "network_name": _network_name(network),
        "login_url": f"{settings.public_url}/",
    }
    text = _templates.get_template(f"{template}.txt.j2").render(values)
    html = _templates.get_template(f"{template}.html.j2").render(values)
    return ACCOUNT_SUBJECTS[template], text, html


def enqueue_account(
    conn: Connection,
    settings: NotificationsSettings,
    template: str,
    link: gw.AccountLink,
    meta: Meta,
    now: datetime,
) -> None:
    """Queue a reset or invitation e-mail to the account's address (no feed entry)."""
    subject, text, html = render_account(
        template,
        token=link.token,
        expires_at=link.expires_at,
        network=meta.network,
        tenant_name=getattr(link, "tenant_name", ""),
        settings=settings,
    )
    conn.execute(
        insert(db.emails).values(
            id=uuid4(),
            notification_id=None,
            tenant=meta.tenant or "",
            to_address=link.email,
            subject=subject,
            text=text,
            html=html,
            status="pending",
            attempts=0,
            next_attempt_at=now,
            created_at=now,
        )
    )


def enqueue(
    conn: Connection,
    settings: NotificationsSettings,
    added: list[tuple[UUID, Entry]],
    now: datetime,
) -> int:
    """Queue the e-mails of new member entries whose company has an address, and of the
    invoices to validate to the animators who chose one e-mail each time."""
    queued = 0
    for entry_id, entry in added:
        r = entry.recipient
        if r.audience is Audience.ANIMATORS and entry.kind is Kind.INVOICE_TO_VALIDATE:
            queued += _to_validating_animators(conn, settings, entry, now)
            continue
        if r.audience is not Audience.MEMBER or r.member_id is None:
            continue
        member = db.get_member(conn, r.member_id)
        if member is None or not member.email or member.status == "left":
            continue
        if not db.email_preferences_of(conn, r.member_id).get(entry.kind.value, True):
            continue
        subject, text, html = render(entry, name=member.name, settings=settings)
        conn.execute(
            insert(db.emails).values(
                id=uuid4(),
                notification_id=entry_id,
                tenant=r.tenant,
                to_address=member.email,
                subject=subject,
                text=text,
                html=html,
                status="pending",
                attempts=0,
                next_attempt_at=now,
                created_at=now,
            )
        )
        queued += 1
    return queued


# --- the animators: each invoice to validate, the daily digest, the reminder before expiry ----

#: Where an animator chooses how the validation e-mails come (``each``, ``digest``, ``none``).
PREFERENCES_PAGE = "/app/notifications/preferences"
VALIDATION_PAGE = "/app/validation"


def _queue(
    conn: Connection,
    *,
    tenant: str,
    to: str,
    subject: str,
    text: str,
    html: str,
    now: datetime,
    notification_id: UUID | None = None,
) -> None:
    conn.execute(
        insert(db.emails).values(
            id=uuid4(),
            notification_id=notification_id,
            tenant=tenant,
            to_address=to,
            subject=subject,
            text=text,
            html=html,
            status="pending",
            attempts=0,
            next_attempt_at=now,
            created_at=now,
        )
    )


def _to_validating_animators(
    conn: Connection, settings: NotificationsSettings, entry: Entry, now: datetime
) -> int:
    """One e-mail per active animator of the entry's tenant who chose ``each``, once per
    invoice (a key per invoice and animator)."""
    queued = 0
    preferences_url = f"{settings.public_url}{PREFERENCES_PAGE}"
    for animator, choice in db.validators(conn, entry.recipient.tenant):
        if choice is not ValidationMail.EACH:
            continue
        if not db.claim_notice(conn, validation_key(entry.subject_id, animator.user_id), now):
            continue
        subject, text, html = render(
            entry, name="", settings=settings, preferences_url=preferences_url
        )
        _queue(
            conn,
            tenant=entry.recipient.tenant,
            to=animator.email,
            subject=subject,
            text=text,
            html=html,
            now=now,
        )
        queued += 1
    return queued


def _waiting_view(row: Any, settings: NotificationsSettings) -> dict[str, str]:
    return {
        "number": row.number,
        "amount": f"{format_cents(int(row.unit_part))} {row.unit}".strip(),
        "expires_at": _paris(row.expires_at) if row.expires_at is not None else "",
        "url": f"{settings.public_url}/app/factures/{row.invoice_id}",
    }


def _paris(moment: datetime) -> str:
    return moment.astimezone(PARIS).strftime("%d/%m/%Y à %H:%M")


def render_digest(
    waiting: list[Any], *, network: str | None, settings: NotificationsSettings
) -> tuple[str, str, str]:
    """Subject, text and HTML of an animator's daily digest of the invoices awaiting validation."""
    count = len(waiting)
    subject = (
        "1 facture attend votre validation"
        if count == 1
        else f"{count} factures attendent votre validation"
    )
    values = {
        "subject": subject,
        "invoices": [_waiting_view(row, settings) for row in waiting],
        "url": f"{settings.public_url}{VALIDATION_PAGE}",
        "preferences_url": f"{settings.public_url}{PREFERENCES_PAGE}",
        "network_name": _network_name(network),
    }
    text = _templates.get_template("validation_digest.txt.j2").render(values)
    html = _templates.get_template("validation_digest.html.j2").render(values)
    return subject, text, html


def render_reminder(row: Any, *, settings: NotificationsSettings) -> tuple[str, str, str]:
    """Subject, text and HTML of the reminder that an invoice's hold expires soon."""
    subject = f"Facture {row.number} : la réservation expire bientôt"
    values = {
        "subject": subject,
        "invoice": _waiting_view(row, settings),
        "url": f"{settings.public_url}{VALIDATION_PAGE}",
        "preferences_url": f"{settings.public_url}{PREFERENCES_PAGE}",
        "network_name": _network_name(row.network),
    }
    text = _templates.get_template("hold_reminder.txt.j2").render(values)
    html = _templates.get_template("hold_reminder.html.j2").render(values)
    return subject, text, html


def digest_pass(app: NotificationsApp, now: datetime | None = None) -> int:
    """Queue today's digest to each animator who chose ``digest``, once the day's hour (Paris)
    has come: what waits for their validation then, if anything. Once a day per animator (a
    key per day), however many passes, workers or restarts; returns how many were queued."""
    now = now or utcnow()
    day = digest_day(now, app.settings.validation_digest_at)
    if day is None:
        return 0
    queued = 0
    with app.transaction() as conn:
        for animator, choice in db.validators(conn):
            if choice is not ValidationMail.DIGEST:
                continue
            if not db.claim_notice(conn, digest_key(animator.user_id, day), now):
                continue
            waiting = db.waiting_validations(conn, animator.tenant, now)
            if not waiting:
                continue
            subject, text, html = render_digest(
                waiting, network=animator.network, settings=app.settings
            )
            _queue(
                conn,
                tenant=animator.tenant,
                to=animator.email,
                subject=subject,
                text=text,
                html=html,
                now=now,
            )
            queued += 1
    return queued


def reminder_pass(app: NotificationsApp, now: datetime | None = None) -> int:
    """Recall, two days before its hold expires, each invoice still awaiting validation to the
    animators of the seller's association who get validation e-mails (``each`` or ``digest``):
    once per invoice and animator (a key), whatever the passes, replays or restarts."""
    now = now or utcnow()
    queued = 0
    with app.transaction() as conn:
        for row in db.reminders_due(conn, now, REMINDER_LEAD):
            if row.expires_at is None or not reminder_due(row.expires_at, now):
                continue
            subject, text, html = render_reminder(row, settings=app.settings)
            for animator, choice in db.validators(conn, row.tenant):
                if choice is ValidationMail.NONE:
                    continue
                if not db.claim_notice(conn, reminder_key(row.invoice_id, animator.user_id), now):
                    continue
                _queue(
                    conn,
                    tenant=row.tenant,
                    to=animator.email,
                    subject=subject,
                    text=text,
                    html=html,
                    now=now,
                )
                queued += 1
            db.mark_reminded(conn, row.invoice_id, now)
    return queued


def message_of(row: Any, settings: NotificationsSettings) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = row.to_address
    message["Subject"] = row.subject
    message["Date"] = format_datetime(row.created_at)
    message["Message-ID"] = make_msgid(idstring=str(row.id), domain="trocactif.org")
    message.set_content(row.text)
    message.add_alternative(row.html, subtype="html")
    return message


def _transmit(settings: NotificationsSettings, message: EmailMessage, row: Any) -> None:
    if not settings.smtp_host:
        settings.mail_dir.mkdir(parents=True, exist_ok=True)
        path = settings.mail_dir / f"{row.created_at:%Y%m%dT%H%M%S}-{row.id}.eml"
        path.write_bytes(bytes(message))
        return
    with smtplib.SMTP(
        settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout
    ) as smtp:
        if settings.smtp_starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.smtp_username:
            smtp.login(settings.smtp_username, settings.smtp_password)
        smtp.send_message(message)


def send_due(app: NotificationsApp, now: datetime | None = None, limit: int = 50) -> int:
    """Send the due e-mails once; returns how many were attempted."""
    now = now or utcnow()
    e = db.emails.c
    with app.transaction() as conn:
        query = (
            select(db.emails.c.id)
            .where(e.status == "pending", e.next_attempt_at <= now)
            .order_by(e.next_attempt_at, e.created_at)
            .limit(limit)
        )
        if conn.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        ids = list(conn.execute(query).scalars())
        if not ids:
            return 0
        conn.execute(update(db.emails).where(e.id.in_(ids)).values(next_attempt_at=now + LEASE))
        rows = list(conn.execute(select(db.emails).where(e.id.in_(ids))))
    for row in rows:
        error = None
        try:
            _transmit(app.settings, message_of(row, app.settings), row)
        except (OSError, smtplib.SMTPException) as exc:
            error = f"{type(exc).__name__}: {exc}"[:500]
        at = utcnow()
        attempts = row.attempts + 1
        with app.transaction() as conn:
            if error is None:
                values: dict[str, Any] = {
                    "status": "sent",
                    "sent_at": at,
                    "last_error": None,
                    "next_attempt_at": None,
                }
            else:
                delay = (
                    app.settings.email_retry_schedule[attempts - 1]
                    if attempts <= len(app.settings.email_retry_schedule)
                    else None
                )
                values = (
                    {"next_attempt_at": at + timedelta(seconds=delay)}
                    if delay is not None
                    else {"status": "failed", "next_attempt_at": None}
                )
                values["last_error"] = error
                log.warning("e-mail %s not sent (attempt %d): %s", row.id, attempts, error)
            conn.execute(
                update(db.emails).where(e.id == row.id).values(attempts=attempts, **values)
            )
    return len(rows)
