"""Persistence of the directory: tables, row <-> domain mapping, repositories, the unit of work.

The only gateway module that speaks SQL. The use cases (``gateway.service``) see repositories of
domain objects and a unit of work whose ``emit`` stages contract events in the outbox, in the
same transaction as the change they announce. Constraints are named (the chassis naming
convention) and are the last line of defence behind the domain's rules: tenant slugs unique in
the deployment, SIRETs unique per network, e-mail addresses unique.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Engine,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    Uuid,
    and_,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from chassis.config import Settings
from chassis.db import UTCDateTime, make_session_factory, new_metadata, utcnow
from chassis.messages import envelope_for
from chassis.money import format_rate
from chassis.outbox import Outbox, messaging_tables
from chassis.retention import Retention, inbox_retention
from chassis.tenancy import ALL_TENANTS, TenantScoped, install_tenant_filter
from chassis.uow import SessionUnitOfWork
from gateway.domain.apikeys import ApiKey, NetworkApiKey
from gateway.domain.audit import Actor, AuditEntry
from gateway.domain.model import (
    Address,
    ChargedIn,
    Commission,
    Contact,
    Member,
    MemberCategory,
    MembershipFee,
    MemberStatus,
    Network,
    Role,
    Tenant,
    TenantStatus,
    Unit,
    User,
    VatSettlement,
)
from gateway.domain.model.federation import FederationLink, LinkStatus
from gateway.domain.reset import ResetToken
from gateway.domain.throttle import FailureRecord
from gateway.domain.totp import TotpState

SOURCE = "gateway"


class Base(DeclarativeBase):
    metadata = new_metadata()


# --- tables ------------------------------------------------------------------------------------


class NetworkRow(Base):
    __tablename__ = "networks"
    __table_args__ = (
        CheckConstraint("default_credit_limit >= 0", name="credit_limit_positive"),
        CheckConstraint("hold_expiry_days BETWEEN 1 AND 365", name="hold_expiry_days"),
        CheckConstraint("need_expiry_days BETWEEN 1 AND 730", name="need_expiry_days"),
        CheckConstraint("vat_settlement IN ('unit', 'euro')", name="vat_settlement"),
        CheckConstraint("commission_rate_bp BETWEEN 0 AND 10000", name="commission_rate"),
        CheckConstraint("commission_charged_in IN ('unit', 'euro')", name="commission_charged_in"),
    )
    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    unit_code: Mapped[str] = mapped_column(String(10))
    unit_name: Mapped[str] = mapped_column(String(40))
    unit_symbol: Mapped[str] = mapped_column(String(8))
    default_credit_limit: Mapped[int] = mapped_column(BigInteger)
    payment_modes: Mapped[list[int]] = mapped_column(JSON)
    hold_expiry_days: Mapped[int] = mapped_column(Integer)
    vat_settlement: Mapped[str] = mapped_column(String(8))
    #: Percent x 100 (5 % -> 500): exact on both databases, where SQLite has no decimal type.
    commission_rate_bp: Mapped[int] = mapped_column(Integer)
    commission_charged_in: Mapped[str] = mapped_column(String(8))
    buyer_acceptance_required: Mapped[bool] = mapped_column(Boolean, default=True)
    need_expiry_days: Mapped[int] = mapped_column(Integer, default=90)
    staff_2fa_required: Mapped[bool] = mapped_column(Boolean, default=False)
    #: ``[{slug, name, default_credit_limit, max_balance}]``, amounts in cents.
    member_categories: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    #: Cents; None: manual transfers never wait for a second animator.
    manual_transfer_approval_threshold: Mapped[int | None] = mapped_column(BigInteger)
    #: ``{amount (cents), charged_in, due, grace_days, period}``; NULL: no membership fee.
    membership_fee: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    direct_payments: Mapped[str] = mapped_column(String(8), default="off")
    direct_payments_threshold: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class TenantRow(Base):
    """A territorial association; its slug is unique in the deployment (paths are /t/<slug>)."""

    __tablename__ = "tenants"
    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    network_id: Mapped[UUID] = mapped_column(Uuid, ForeignKey("networks.id"), index=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    departments: Mapped[list[str]] = mapped_column(JSON)
    contact_name: Mapped[str | None] = mapped_column(String(100))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(16))
    #: ``closed``: the operator closed it (logins, refreshes and API keys refused).
    status: Mapped[str] = mapped_column(String(10), default="active", server_default="active")
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class MemberRow(TenantScoped, Base):
    """A member company; one SIRET, one member per network (networks are sealed)."""

    __tablename__ = "members"
    __table_args__ = (
        UniqueConstraint("network_id", "siret"),
        CheckConstraint("status IN ('admitted', 'suspended', 'left')", name="status"),
        Index("ix_members_tenant_id_name", "tenant_id", "name"),
    )
    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    tenant_id: Mapped[UUID] = mapped_column(Uuid, ForeignKey("tenants.id"))
    network_id: Mapped[UUID] = mapped_column(Uuid, ForeignKey("networks.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    siret: Mapped[str] = mapped_column(String(14))
    vat_number: Mapped[str | None] = mapped_column(String(13))
    naf: Mapped[str | None] = mapped_column(String(6))
    street: Mapped[str] = mapped_column(String(200))
    postal_code: Mapped[str] = mapped_column(String(10))
    city: Mapped[str] = mapped_column(String(100))
    department: Mapped[str] = mapped_column(String(3))
    email: Mapped[str] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(16))
    #: One of the network's member categories (its slug), or none.
    category: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(10))
    admitted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class UserRow(TenantScoped, Base):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('operator', 'animator', 'member')", name="role"),
        CheckConstraint(
            "(role = 'operator' AND tenant_id IS NULL AND member_id IS NULL)"
            " OR (role = 'animator' AND tenant_id IS NOT NULL AND member_id IS NULL)"
            " OR (role = 'member' AND tenant_id IS NOT NULL AND member_id IS NOT NULL)",
            name="role_scope",
        ),
    )
    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    #: Normalised (lowercase) address: the login name.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(10))
    # Operators belong to no tenant: the mixin's column is made nullable here.
    tenant: Mapped[str | None] = mapped_column(String(64), index=True, nullable=True)
    tenant_id: Mapped[UUID | None] = mapped_column(Uuid, ForeignKey("tenants.id"), index=True)
    member_id: Mapped[UUID | None] = mapped_column(Uuid, ForeignKey("members.id"), index=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ApiKeyRow(TenantScoped, Base):
    """An integrator's key: its public ``key_id`` finds it, only a hash of the whole key is kept."""

    __tablename__ = "api_keys"
    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    tenant_id: Mapped[UUID] = mapped_column(Uuid, ForeignKey("tenants.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    key_id: Mapped[str] = mapped_column(String(32), unique=True)
    key_hash: Mapped[str] = mapped_column(String(80))
    scopes: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str | None] = mapped_column(String(100))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class NetworkApiKeyRow(Base):
    """An integrator's key for a whole network (every tenant of it): stored as a tenant's key."""

    __tablename__ = "network_api_keys"
    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    network_id: Mapped[UUID] = mapped_column(Uuid, ForeignKey("networks.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    key_id: Mapped[str] = mapped_column(String(32), unique=True)
    key_hash: Mapped[str] = mapped_column(String(80))
    scopes: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str | None] = mapped_column(String(100))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class RefreshTokenRow(Base):
    """One refresh token of a login "family"; using one rotates it, reusing one kills the family."""

    __tablename__ = "refresh_tokens"
    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    user_id: Mapped[UUID] = mapped_column(Uuid, ForeignKey("users.id"), index=True)
    family_id: Mapped[UUID] = mapped_column(Uuid, index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class PasswordResetRow(Base):
    __tablename__ = "password_reset_tokens"
    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    user_id: Mapped[UUID] = mapped_column(Uuid, ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class LoginFailureRow(Base):
    """The throttle's memory of recent failed logins, per account and per client address."""

    __tablename__ = "login_failures"
    __table_args__ = (Index("ix_login_failures_last_failure_at", "last_failure_at"),)
    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime())
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())


class UserTotpRow(Base):
    """A user's TOTP second factor (RFC 6238): the secret, and the last time step accepted."""

    __tablename__ = "user_totp"
    user_id: Mapped[UUID] = mapped_column(Uuid, ForeignKey("users.id"), primary_key=True)
    secret: Mapped[str | None] = mapped_column(String(64))
    pending_secret: Mapped[str | None] = mapped_column(String(64))
    enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_step: Mapped[int | None] = mapped_column(BigInteger)


class RecoveryCodeRow(Base):
    """A recovery code of a user's second factor: only its SHA-256, usable once."""

    __tablename__ = "recovery_codes"
    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    user_id: Mapped[UUID] = mapped_column(Uuid, ForeignKey("users.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class AuditEntryRow(Base):
    """An entry of the audit log: append-only (the repository adds and reads, never changes)."""

    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_tenant_at", "tenant", "at"),
        Index("ix_audit_entries_at", "at"),
    )
    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    network: Mapped[str | None] = mapped_column(String(40))
    tenant: Mapped[str | None] = mapped_column(String(40))
    actor_user_id: Mapped[str] = mapped_column(String(64), index=True)
    actor_email: Mapped[str | None] = mapped_column(String(254))
    actor_role: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(64), index=True)
    target_type: Mapped[str] = mapped_column(String(32))
    target_id: Mapped[str] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JSON)


class FederationLinkRow(Base):
    """A link between two networks (one per pair, whichever way round it was made)."""

    __tablename__ = "federation_links"
    __table_args__ = (
        UniqueConstraint("network_a", "network_b", name="uq_federation_links_networks"),
        CheckConstraint("network_a <> network_b", name="two_networks"),
        CheckConstraint("limit_a >= 0 AND limit_b >= 0", name="limits_positive"),
        CheckConstraint("status IN ('active', 'suspended')", name="status"),
    )
    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    network_a: Mapped[str] = mapped_column(String(40), ForeignKey("networks.slug"))
    network_b: Mapped[str] = mapped_column(String(40), ForeignKey("networks.slug"))
    #: Decimal text: exact on both databases (SQLite has no decimal type).
    rate: Mapped[str] = mapped_column(String(40))
    limit_a: Mapped[int] = mapped_column(BigInteger)
    limit_b: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


outbox_table, outbox_sequence_table, inbox_table = messaging_tables(Base.metadata)


def retention_policies(settings: Settings) -> list[Retention]:
    """What the gateway forgets: processed message ids, and refused logins long past (the
    throttle looks back minutes, not days)."""
    return [
        inbox_retention(inbox_table, settings.inbox_retention_days),
        Retention(
            LoginFailureRow.__table__,
            "last_failure_at",  # type: ignore[arg-type]
            settings.login_failure_retention_days,
        ),
    ]


#: The gateway's own tables, in creation order (the migrations create them from here).
DIRECTORY_TABLES = (
    "networks", "tenants", "members", "users", "api_keys", "refresh_tokens",
    "password_reset_tokens", "login_failures",
)  # fmt: skip


# --- row <-> domain ----------------------------------------------------------------------------


def to_network(row: NetworkRow) -> Network:
    return Network(
        id=row.id,
        slug=row.slug,
        name=row.name,
        unit=Unit(code=row.unit_code, name=row.unit_name, symbol=row.unit_symbol),
        default_credit_limit=row.default_credit_limit,
        payment_modes=tuple(row.payment_modes),
        hold_expiry_days=row.hold_expiry_days,
        vat_settlement=VatSettlement(row.vat_settlement),
        commission=Commission(
            rate=Decimal(row.commission_rate_bp) / 100,
            charged_in=ChargedIn(row.commission_charged_in),
        ),
        buyer_acceptance_required=row.buyer_acceptance_required,
        need_expiry_days=row.need_expiry_days,
        staff_2fa_required=bool(row.staff_2fa_required),
        member_categories=tuple(
            MemberCategory(
                slug=c["slug"],
                name=c["name"],
                default_credit_limit=int(c["default_credit_limit"]),
                max_balance=None if c.get("max_balance") is None else int(c["max_balance"]),
            )
            for c in row.member_categories or ()
        ),
        manual_transfer_approval_threshold=row.manual_transfer_approval_threshold,
        membership_fee=MembershipFee.from_mapping(row.membership_fee),
        direct_payments=row.direct_payments or "off",
        direct_payments_validation_threshold=int(row.direct_payments_threshold or 0),
    )


def _network_values(network: Network) -> dict[str, Any]:
    return {
        "name": network.name,
        "unit_code": network.unit.code,
        "unit_name": network.unit.name,
        "unit_symbol": network.unit.symbol,
        "default_credit_limit": network.default_credit_limit,
        "payment_modes": list(network.payment_modes),
        "hold_expiry_days": network.hold_expiry_days,
        "vat_settlement": network.vat_settlement.value,
        "commission_rate_bp": int(network.commission.rate * 100),
        "commission_charged_in": network.commission.charged_in.value,
        "buyer_acceptance_required": network.buyer_acceptance_required,
        "need_expiry_days": network.need_expiry_days,
        "staff_2fa_required": network.staff_2fa_required,
        "member_categories": [
            {
                "slug": c.slug,
                "name": c.name,
                "default_credit_limit": c.default_credit_limit,
                "max_balance": c.max_balance,
            }
            for c in network.member_categories
        ],
        "manual_transfer_approval_threshold": network.manual_transfer_approval_threshold,
        "membership_fee": (
            None
            if network.membership_fee is None
            else {
                "amount": network.membership_fee.amount,
                "charged_in": network.membership_fee.charged_in.value,
                "due": network.membership_fee.due,
                "grace_days": network.membership_fee.grace_days,
                "period": network.membership_fee.period,
            }
        ),
        "direct_payments": network.direct_payments,
        "direct_payments_threshold": network.direct_payments_validation_threshold,
    }


def to_tenant(row: TenantRow) -> Tenant:
    contact = None
    if row.contact_name or row.contact_email or row.contact_phone:
        contact = Contact(name=row.contact_name, email=row.contact_email, phone=row.contact_phone)
    return Tenant(
        id=row.id,
        network_id=row.network_id,
        slug=row.slug,
        name=row.name,
        departments=tuple(row.departments),
        contact=contact,
        status=TenantStatus(row.status or "active"),
        closed_at=row.closed_at,
    )


def to_member(row: MemberRow) -> Member:
    return Member(
        id=row.id,
        tenant_id=row.tenant_id,
        network_id=row.network_id,
        name=row.name,
        siret=row.siret,
        address=Address(street=row.street, postal_code=row.postal_code, city=row.city),
        department=row.department,
        email=row.email,
        admitted_at=row.admitted_at,
        vat_number=row.vat_number,
        naf=row.naf,
        phone=row.phone,
        status=MemberStatus(row.status),
        status_changed_at=row.status_changed_at,
        updated_at=row.updated_at,
        category=row.category,
    )


def _member_values(member: Member) -> dict[str, Any]:
    return {
        "name": member.name,
        "vat_number": member.vat_number,
        "naf": member.naf,
        "street": member.address.street,
        "postal_code": member.address.postal_code,
        "city": member.address.city,
        "department": member.department,
        "email": member.email,
        "phone": member.phone,
        "category": member.category,
        "status": member.status.value,
        "status_changed_at": member.status_changed_at,
        "updated_at": utcnow(),
    }


def to_user(row: UserRow) -> User:
    return User(
        id=row.id,
        email=row.email,
        password_hash=row.password_hash,
        role=Role(row.role),
        created_at=row.created_at,
        tenant_id=row.tenant_id,
        member_id=row.member_id,
        is_active=row.is_active,
        password_changed_at=row.password_changed_at,
        last_login_at=row.last_login_at,
    )


def to_api_key(row: ApiKeyRow) -> ApiKey:
    return ApiKey(
        id=row.id,
        tenant_id=row.tenant_id,
        name=row.name,
        key_id=row.key_id,
        key_hash=row.key_hash,
        scopes=frozenset(row.scopes),  # type: ignore[arg-type]
        created_at=row.created_at,
        created_by=UUID(row.created_by) if row.created_by else None,
        revoked_at=row.revoked_at,
        last_used_at=row.last_used_at,
    )


def to_network_api_key(row: NetworkApiKeyRow) -> NetworkApiKey:
    return NetworkApiKey(
        id=row.id,
        network_id=row.network_id,
        name=row.name,
        key_id=row.key_id,
        key_hash=row.key_hash,
        scopes=frozenset(row.scopes),  # type: ignore[arg-type]
        created_at=row.created_at,
        created_by=UUID(row.created_by) if row.created_by else None,
        revoked_at=row.revoked_at,
        last_used_at=row.last_used_at,
    )


# --- repositories ------------------------------------------------------------------------------


def _page(session: Session, query: Any, page: int, per_page: int) -> tuple[list[Any], int]:
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = session.scalars(query.limit(per_page).offset((page - 1) * per_page)).all()
    return list(rows), int(total or 0)


class Networks:
    def __init__(self, session: Session) -> None:
        self.session = session

    def any_requires_staff_2fa(self) -> bool:
        """Whether some network requires its staff (hence the operator) to use two factors."""
        return _any_requires_staff_2fa(self.session)

    def get(self, network_id: UUID) -> Network | None:
        row = self.session.get(NetworkRow, network_id)
        return to_network(row) if row else None

    def by_slug(self, slug: str, *, lock: bool = False) -> Network | None:
        query = select(NetworkRow).where(NetworkRow.slug == slug)
        row = self.session.scalar(query.with_for_update() if lock else query)
        return to_network(row) if row else None

    def slug_taken(self, slug: str) -> bool:
        return self.session.scalar(select(NetworkRow.id).where(NetworkRow.slug == slug)) is not None

    def add(self, network: Network) -> None:
        self.session.add(NetworkRow(id=network.id, slug=network.slug, **_network_values(network)))
        self.session.flush()

    def save(self, network: Network) -> None:
        self.session.execute(
            update(NetworkRow)
            .where(NetworkRow.id == network.id)
            .values(**_network_values(network), updated_at=utcnow())
        )

    def page(self, page: int, per_page: int) -> tuple[list[Network], int]:
        rows, total = _page(
            self.session, select(NetworkRow).order_by(NetworkRow.slug), page, per_page
        )
        return [to_network(r) for r in rows], total


def _any_requires_staff_2fa(session: Session) -> bool:
    query = select(NetworkRow.slug).where(NetworkRow.staff_2fa_required.is_(True)).limit(1)
    return session.scalar(query) is not None


class Tenants:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, tenant_id: UUID) -> Tenant | None:
        row = self.session.get(TenantRow, tenant_id)
        return to_tenant(row) if row else None

    def by_slug(self, slug: str) -> Tenant | None:
        row = self.session.scalar(select(TenantRow).where(TenantRow.slug == slug))
        return to_tenant(row) if row else None

    def slugs(self, tenant_ids: Iterable[UUID]) -> dict[UUID, str]:
        ids = set(tenant_ids)
        if not ids:
            return {}
        rows = self.session.execute(
            select(TenantRow.id, TenantRow.slug).where(TenantRow.id.in_(ids))
        ).all()
        return {r.id: r.slug for r in rows}

    def slug_taken(self, slug: str) -> bool:
        return self.session.scalar(select(TenantRow.id).where(TenantRow.slug == slug)) is not None

    def add(self, tenant: Tenant) -> None:
        contact = tenant.contact
        self.session.add(
            TenantRow(
                id=tenant.id,
                network_id=tenant.network_id,
                slug=tenant.slug,
                name=tenant.name,
                departments=list(tenant.departments),
                contact_name=contact.name if contact else None,
                contact_email=contact.email if contact else None,
                contact_phone=contact.phone if contact else None,
            )
        )
        self.session.flush()

    def save(self, tenant: Tenant) -> None:
        contact = tenant.contact
        self.session.execute(
            update(TenantRow)
            .where(TenantRow.id == tenant.id)
            .values(
                name=tenant.name,
                departments=list(tenant.departments),
                contact_name=contact.name if contact else None,
                contact_email=contact.email if contact else None,
                contact_phone=contact.phone if contact else None,
                status=tenant.status.value,
                closed_at=tenant.closed_at,
            )
        )

    def page(self, network_id: UUID, page: int, per_page: int) -> tuple[list[Tenant], int]:
        query = select(TenantRow).where(TenantRow.network_id == network_id).order_by(TenantRow.slug)
        rows, total = _page(self.session, query, page, per_page)
        return [to_tenant(r) for r in rows], total


class Members:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, member_id: UUID, *, lock: bool = False) -> Member | None:
        query = select(MemberRow).where(MemberRow.id == member_id)
        row = self.session.scalar(query.with_for_update() if lock else query)
        return to_member(row) if row else None

    def exists(self, member_id: UUID) -> bool:
        """Whether the directory holds ``member_id``, in any tenant."""
        query = select(MemberRow.id).where(MemberRow.id == member_id)
        return self.session.scalar(query.execution_options(**{ALL_TENANTS: True})) is not None

    def by_siret(self, network_id: UUID, siret: str) -> Member | None:
        row = self.session.scalar(
            select(MemberRow)
            .where(MemberRow.network_id == network_id, MemberRow.siret == siret)
            .execution_options(**{ALL_TENANTS: True})
        )
        return to_member(row) if row else None

    def sirets_in_network(self, network_id: UUID, among: Iterable[str] | None = None) -> set[str]:
        """The SIRETs already admitted in a network (only those of ``among`` when given)."""
        query = select(MemberRow.siret).where(MemberRow.network_id == network_id)
        if among is not None:
            wanted = sorted(set(among))
            if not wanted:
                return set()
            query = query.where(MemberRow.siret.in_(wanted))
        return set(self.session.scalars(query.execution_options(**{ALL_TENANTS: True})))

    def add(self, member: Member, tenant_slug: str) -> None:
        self.session.add(
            MemberRow(
                id=member.id,
                tenant_id=member.tenant_id,
                tenant=tenant_slug,
                network_id=member.network_id,
                siret=member.siret,
                admitted_at=member.admitted_at,
                **_member_values(member),
            )
        )

    def save(self, member: Member) -> None:
        self.session.execute(
            update(MemberRow).where(MemberRow.id == member.id).values(**_member_values(member))
        )

    def move(self, member: Member, tenant_slug: str) -> None:
        """Store the member's new tenant (``Member.move_to``)."""
        self.session.execute(
            update(MemberRow)
            .where(MemberRow.id == member.id)
            .values(tenant_id=member.tenant_id, tenant=tenant_slug, updated_at=utcnow())
        )

    def page(
        self,
        *,
        tenant_id: UUID | None = None,
        network_id: UUID | None = None,
        status: str | None = None,
        updated_since: datetime | None = None,
        page: int,
        per_page: int,
    ) -> tuple[list[Member], int]:
        """A page of members by name; with ``updated_since``, those changed at or after it,
        oldest change first (a feed an integrator follows with the last ``updated_at`` seen)."""
        if updated_since is None:
            query = select(MemberRow).order_by(MemberRow.name, MemberRow.id)
        else:
            query = (
                select(MemberRow)
                .where(MemberRow.updated_at >= updated_since)
                .order_by(MemberRow.updated_at, MemberRow.id)
            )
        if tenant_id is not None:
            query = query.where(MemberRow.tenant_id == tenant_id)
        if network_id is not None:
            # The network's directory on purpose (DESIGN.md §3): past the tenant safety net.
            query = query.where(MemberRow.network_id == network_id).execution_options(
                **{ALL_TENANTS: True}
            )
        if status is not None:
            query = query.where(MemberRow.status == status)
        rows, total = _page(self.session, query, page, per_page)
        return [to_member(r) for r in rows], total


class Users:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, user_id: UUID, *, lock: bool = False) -> User | None:
        query = select(UserRow).where(UserRow.id == user_id)
        row = self.session.scalar(query.with_for_update() if lock else query)
        return to_user(row) if row else None

    def by_email(self, email: str) -> User | None:
        row = self.session.scalar(
            select(UserRow).where(UserRow.email == email).execution_options(**{ALL_TENANTS: True})
        )
        return to_user(row) if row else None

    def email_taken(self, email: str) -> bool:
        query = select(UserRow.id).where(UserRow.email == email)
        return self.session.scalar(query.execution_options(**{ALL_TENANTS: True})) is not None

    def add(self, user: User, tenant_slug: str | None) -> None:
        self.session.add(
            UserRow(
                id=user.id,
                email=user.email,
                password_hash=user.password_hash,
                role=user.role.value,
                tenant=tenant_slug,
                tenant_id=user.tenant_id,
                member_id=user.member_id,
                is_active=user.is_active,
                created_at=user.created_at,
                password_changed_at=user.password_changed_at,
                last_login_at=user.last_login_at,
            )
        )
        self.session.flush()

    def save(self, user: User) -> None:
        self.session.execute(
            update(UserRow)
            .where(UserRow.id == user.id)
            .values(
                password_hash=user.password_hash,
                is_active=user.is_active,
                role=user.role.value,
                member_id=user.member_id,
                password_changed_at=user.password_changed_at,
                last_login_at=user.last_login_at,
            )
        )

    def emails_of(self, user_ids: Iterable[UUID]) -> dict[UUID, str]:
        ids = list(user_ids)
        if not ids:
            return {}
        rows = self.session.execute(
            select(UserRow.id, UserRow.email)
            .where(UserRow.id.in_(ids))
            .execution_options(**{ALL_TENANTS: True})
        )
        return {row.id: row.email for row in rows}

    def ids_of_tenant(self, tenant_id: UUID) -> list[UUID]:
        """Every user of a tenant (animators and members' users)."""
        query = select(UserRow.id).where(UserRow.tenant_id == tenant_id)
        return list(self.session.scalars(query.execution_options(**{ALL_TENANTS: True})))

    def move_member_users(self, member_id: UUID, tenant_id: UUID, tenant_slug: str) -> list[UUID]:
        """Move a member's users with it to another tenant; returns their ids."""
        query = select(UserRow.id).where(UserRow.member_id == member_id)
        ids = list(self.session.scalars(query.execution_options(**{ALL_TENANTS: True})))
        if ids:
            self.session.execute(
                update(UserRow)
                .where(UserRow.id.in_(ids))
                .values(tenant_id=tenant_id, tenant=tenant_slug)
            )
        return ids

    def of_member(self, member_id: UUID) -> list[User]:
        rows = self.session.scalars(select(UserRow).where(UserRow.member_id == member_id))
        return [to_user(r) for r in rows]

    def page(self, tenant_id: UUID | None, page: int, per_page: int) -> tuple[list[User], int]:
        """A tenant's users, or (``None``) the operator's own accounts."""
        if tenant_id is None:
            query = (
                select(UserRow)
                .where(UserRow.tenant_id.is_(None))
                .execution_options(**{ALL_TENANTS: True})
                .order_by(UserRow.email)
            )
        else:
            query = select(UserRow).where(UserRow.tenant_id == tenant_id).order_by(UserRow.email)
        rows, total = _page(self.session, query, page, per_page)
        return [to_user(r) for r in rows], total


def to_audit_entry(row: AuditEntryRow) -> AuditEntry:
    return AuditEntry(
        id=row.id,
        at=row.at,
        actor=Actor(row.actor_user_id, row.actor_email, row.actor_role),
        action=row.action,
        target_type=row.target_type,
        target_id=row.target_id,
        network=row.network,
        tenant=row.tenant,
        details=dict(row.details or {}),
    )


class TwoFactor:
    """Users' TOTP secrets and recovery codes."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, user_id: UUID, *, lock: bool = False) -> TotpState | None:
        query = select(UserTotpRow).where(UserTotpRow.user_id == user_id)
        row = self.session.scalar(query.with_for_update() if lock else query)
        if row is None:
            return None
        return TotpState(
            user_id=row.user_id,
            secret=row.secret,
            pending_secret=row.pending_secret,
            enabled_at=row.enabled_at,
            last_step=row.last_step,
        )

    def save(self, state: TotpState) -> None:
        values = {
            "secret": state.secret,
            "pending_secret": state.pending_secret,
            "enabled_at": state.enabled_at,
            "last_step": state.last_step,
        }
        if self.session.get(UserTotpRow, state.user_id) is None:
            self.session.add(UserTotpRow(user_id=state.user_id, **values))
            self.session.flush()
        else:
            self.session.execute(
                update(UserTotpRow).where(UserTotpRow.user_id == state.user_id).values(**values)
            )

    def replace_recovery_codes(self, user_id: UUID, hashes: Iterable[str]) -> None:
        self.session.execute(delete(RecoveryCodeRow).where(RecoveryCodeRow.user_id == user_id))
        for code_hash in hashes:
            self.session.add(RecoveryCodeRow(id=uuid4(), user_id=user_id, code_hash=code_hash))

    def use_recovery_code(self, user_id: UUID, code_hash: str, now: datetime) -> bool:
        """Spend an unused recovery code of the user; False if there is none such."""
        result = self.session.execute(
            update(RecoveryCodeRow)
            .where(
                RecoveryCodeRow.user_id == user_id,
                RecoveryCodeRow.code_hash == code_hash,
                RecoveryCodeRow.used_at.is_(None),
            )
            .values(used_at=now)
        )
        return bool(getattr(result, "rowcount", 0))

    def remaining_recovery_codes(self, user_id: UUID) -> int:
        return int(
            self.session.scalar(
                select(func.count())
                .select_from(RecoveryCodeRow)
                .where(RecoveryCodeRow.user_id == user_id, RecoveryCodeRow.used_at.is_(None))
            )
            or 0
        )


class AuditLog:
    """The gateway's audit entries: added in the unit of work of the change, then only read."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, entry: AuditEntry) -> None:
        self.session.add(
            AuditEntryRow(
                id=entry.id,
                at=entry.at,
                network=entry.network,
                tenant=entry.tenant,
                actor_user_id=entry.actor.user_id,
                actor_email=entry.actor.email,
                actor_role=entry.actor.role,
                action=entry.action,
                target_type=entry.target_type,
                target_id=entry.target_id,
                details=entry.details,
            )
        )

    def newest(
        self,
        *,
        tenant: str | None,
        action: str | None,
        actor: str | None,
        since: datetime | None,
        limit: int,
        offset: int = 0,
    ) -> tuple[list[AuditEntry], int]:
        """Entries newest first (of one tenant, or all when ``tenant`` is None), and their count.

        ``actor`` is a user id or an e-mail address.
        """
        query = select(AuditEntryRow)
        if tenant is not None:
            query = query.where(AuditEntryRow.tenant == tenant)
        if action:
            query = query.where(AuditEntryRow.action == action)
        if actor:
            query = query.where(
                (AuditEntryRow.actor_user_id == actor)
                | (AuditEntryRow.actor_email == actor.lower())
            )
        if since is not None:
            query = query.where(AuditEntryRow.at >= since)
        total = self.session.scalar(select(func.count()).select_from(query.subquery()))
        rows = self.session.scalars(
            query.order_by(AuditEntryRow.at.desc(), AuditEntryRow.id.desc())
            .limit(limit)
            .offset(offset)
        ).all()
        return [to_audit_entry(r) for r in rows], int(total or 0)


class ApiKeys:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, key_uuid: UUID) -> ApiKey | None:
        row = self.session.get(ApiKeyRow, key_uuid)
        return to_api_key(row) if row else None

    def by_key_id(self, key_id: str) -> ApiKey | None:
        row = self.session.scalar(
            select(ApiKeyRow)
            .where(ApiKeyRow.key_id == key_id)
            .execution_options(**{ALL_TENANTS: True})
        )
        return to_api_key(row) if row else None

    def add(self, key: ApiKey, tenant_slug: str) -> None:
        self.session.add(
            ApiKeyRow(
                id=key.id,
                tenant_id=key.tenant_id,
                tenant=tenant_slug,
                name=key.name,
                key_id=key.key_id,
                key_hash=key.key_hash,
                scopes=sorted(s.value for s in key.scopes),
                created_at=key.created_at,
                created_by=str(key.created_by) if key.created_by else None,
            )
        )

    def save(self, key: ApiKey) -> None:
        self.session.execute(
            update(ApiKeyRow)
            .where(ApiKeyRow.id == key.id)
            .values(revoked_at=key.revoked_at, last_used_at=key.last_used_at)
        )

    def page(self, tenant_id: UUID, page: int, per_page: int) -> tuple[list[ApiKey], int]:
        query = (
            select(ApiKeyRow)
            .where(ApiKeyRow.tenant_id == tenant_id)
            .order_by(ApiKeyRow.created_at.desc(), ApiKeyRow.id)
        )
        rows, total = _page(self.session, query, page, per_page)
        return [to_api_key(r) for r in rows], total


class NetworkApiKeys:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, key_uuid: UUID) -> NetworkApiKey | None:
        row = self.session.get(NetworkApiKeyRow, key_uuid)
        return to_network_api_key(row) if row else None

    def by_key_id(self, key_id: str) -> NetworkApiKey | None:
        row = self.session.scalar(select(NetworkApiKeyRow).where(NetworkApiKeyRow.key_id == key_id))
        return to_network_api_key(row) if row else None

    def add(self, key: NetworkApiKey) -> None:
        self.session.add(
            NetworkApiKeyRow(
                id=key.id,
                network_id=key.network_id,
                name=key.name,
                key_id=key.key_id,
                key_hash=key.key_hash,
                scopes=sorted(s.value for s in key.scopes),
                created_at=key.created_at,
                created_by=str(key.created_by) if key.created_by else None,
            )
        )

    def save(self, key: NetworkApiKey) -> None:
        self.session.execute(
            update(NetworkApiKeyRow)
            .where(NetworkApiKeyRow.id == key.id)
            .values(revoked_at=key.revoked_at, last_used_at=key.last_used_at)
        )

    def page(self, network_id: UUID, page: int, per_page: int) -> tuple[list[NetworkApiKey], int]:
        query = (
            select(NetworkApiKeyRow)
            .where(NetworkApiKeyRow.network_id == network_id)
            .order_by(NetworkApiKeyRow.created_at.desc(), NetworkApiKeyRow.id)
        )
        rows, total = _page(self.session, query, page, per_page)
        return [to_network_api_key(r) for r in rows], total


class RefreshTokens:
    """Rotation with reuse detection (OAuth 2.0 Security BCP §4.14): rows, not domain objects."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(
        self,
        *,
        token_id: UUID,
        user_id: UUID,
        family_id: UUID,
        token_hash: str,
        issued_at: datetime,
        expires_at: datetime,
    ) -> None:
        self.session.add(
            RefreshTokenRow(
                id=token_id,
                user_id=user_id,
                family_id=family_id,
                token_hash=token_hash,
                issued_at=issued_at,
                expires_at=expires_at,
            )
        )

    def by_hash(self, token_hash: str) -> RefreshTokenRow | None:
        """The token's row, locked: two refreshes of one token are serialised."""
        return self.session.scalar(
            select(RefreshTokenRow)
            .where(RefreshTokenRow.token_hash == token_hash)
            .with_for_update()
        )

    def mark_used(self, token_id: UUID, now: datetime) -> None:
        self.session.execute(
            update(RefreshTokenRow).where(RefreshTokenRow.id == token_id).values(used_at=now)
        )

    def revoke_family(self, family_id: UUID, now: datetime) -> None:
        self.session.execute(
            update(RefreshTokenRow)
            .where(RefreshTokenRow.family_id == family_id, RefreshTokenRow.revoked_at.is_(None))
            .values(revoked_at=now)
        )

    def revoke_for_user(self, user_id: UUID, now: datetime) -> None:
        self.session.execute(
            update(RefreshTokenRow)
            .where(RefreshTokenRow.user_id == user_id, RefreshTokenRow.revoked_at.is_(None))
            .values(revoked_at=now)
        )


class ResetTokens:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, record: ResetToken, token_id: UUID) -> None:
        self.session.add(
            PasswordResetRow(
                id=token_id,
                user_id=record.user_id,
                token_hash=record.token_hash,
                created_at=record.created_at,
                expires_at=record.expires_at,
            )
        )

    def by_hash(self, token_hash: str) -> ResetToken | None:
        row = self.session.scalar(
            select(PasswordResetRow)
            .where(PasswordResetRow.token_hash == token_hash)
            .with_for_update()
        )
        if row is None:
            return None
        return ResetToken(
            user_id=row.user_id,
            token_hash=row.token_hash,
            created_at=row.created_at,
            expires_at=row.expires_at,
            used_at=row.used_at,
        )

    def save(self, record: ResetToken) -> None:
        self.session.execute(
            update(PasswordResetRow)
            .where(PasswordResetRow.token_hash == record.token_hash)
            .values(used_at=record.used_at)
        )

    def cancel_pending(self, user_id: UUID, now: datetime) -> None:
        """Make every unused token of the user unusable: only the newest link works."""
        self.session.execute(
            update(PasswordResetRow)
            .where(PasswordResetRow.user_id == user_id, PasswordResetRow.used_at.is_(None))
            .values(used_at=now)
        )


def to_link(row: FederationLinkRow) -> FederationLink:
    return FederationLink(
        id=row.id,
        network_a=row.network_a,
        network_b=row.network_b,
        rate=Decimal(row.rate),
        limit_a=row.limit_a,
        limit_b=row.limit_b,
        status=LinkStatus(row.status),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


class FederationLinks:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, link_id: UUID, *, lock: bool = False) -> FederationLink | None:
        query = select(FederationLinkRow).where(FederationLinkRow.id == link_id)
        if lock:
            query = query.with_for_update()
        row = self.session.scalar(query)
        return to_link(row) if row else None

    def between(self, network: str, partner: str) -> FederationLink | None:
        """The link of two networks, whichever way round it was made."""
        row = self.session.scalar(
            select(FederationLinkRow).where(
                or_(
                    and_(
                        FederationLinkRow.network_a == network,
                        FederationLinkRow.network_b == partner,
                    ),
                    and_(
                        FederationLinkRow.network_a == partner,
                        FederationLinkRow.network_b == network,
                    ),
                )
            )
        )
        return to_link(row) if row else None

    def of_network(self, network: str) -> list[FederationLink]:
        """The links of a network, either way round, oldest first."""
        rows = self.session.scalars(
            select(FederationLinkRow)
            .where(
                or_(FederationLinkRow.network_a == network, FederationLinkRow.network_b == network)
            )
            .order_by(FederationLinkRow.created_at, FederationLinkRow.id)
        )
        return [to_link(r) for r in rows]

    def add(self, link: FederationLink) -> None:
        self.session.add(FederationLinkRow(id=link.id, **_link_values(link)))
        self.session.flush()

    def save(self, link: FederationLink) -> None:
        self.session.execute(
            update(FederationLinkRow)
            .where(FederationLinkRow.id == link.id)
            .values(**_link_values(link))
        )

    def page(self, page: int, per_page: int) -> tuple[list[FederationLink], int]:
        query = select(FederationLinkRow).order_by(
            FederationLinkRow.created_at, FederationLinkRow.id
        )
        rows, total = _page(self.session, query, page, per_page)
        return [to_link(r) for r in rows], total


def _link_values(link: FederationLink) -> dict[str, Any]:
    return {
        "network_a": link.network_a,
        "network_b": link.network_b,
        "rate": format_rate(link.rate),
        "limit_a": link.limit_a,
        "limit_b": link.limit_b,
        "status": link.status.value,
        "created_at": link.created_at,
        "updated_at": link.updated_at,
    }


# --- the unit of work --------------------------------------------------------------------------

OUTBOX = Outbox(outbox_table, f"/{SOURCE}")


class UnitOfWork(SessionUnitOfWork):
    """One transaction over the directory; ``emit`` stages events, ``commit`` writes them too."""

    outbox = OUTBOX

    def _start(self, session: Session) -> None:
        self.networks = Networks(session)
        self.tenants = Tenants(session)
        self.members = Members(session)
        self.users = Users(session)
        self.api_keys = ApiKeys(session)
        self.network_api_keys = NetworkApiKeys(session)
        self.refresh_tokens = RefreshTokens(session)
        self.reset_tokens = ResetTokens(session)
        self.audit = AuditLog(session)
        self.two_factor = TwoFactor(session)
        self.links = FederationLinks(session)

    def emit(
        self,
        message: object,
        *,
        network: str,
        tenant: str | None = None,
        subject: str | None = None,
    ) -> None:
        """Stage a contract event; it is written to the outbox by :meth:`commit`."""
        self.stage(
            [envelope_for(message, source=SOURCE, network=network, tenant=tenant, subject=subject)]
        )


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions of the gateway, with the chassis tenant safety net installed."""
    factory = make_session_factory(engine)
    install_tenant_filter(factory)
    return factory


# --- the login throttle's store ----------------------------------------------------------------


class SqlThrottleStore:
    """``ThrottleStore`` in ``login_failures``: each update is its own committed transaction.

    On PostgreSQL the row is locked (``SELECT … FOR UPDATE``) so parallel guesses cannot lose
    each other's increments; a first failure racing another inserts once and retries under the
    lock. On SQLite the ``BEGIN IMMEDIATE`` of the chassis engine serialises the writers.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def get(self, key: str) -> FailureRecord | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(LoginFailureRow.__table__).where(LoginFailureRow.key == key)
            ).first()
            conn.rollback()
        return _record(row)

    def update(
        self, key: str, update_fn: Callable[[FailureRecord | None], FailureRecord | None]
    ) -> FailureRecord | None:
        table = LoginFailureRow.__table__
        for attempt in range(2):
            try:
                with self.engine.begin() as conn:
                    row = conn.execute(
                        select(table).where(table.c.key == key).with_for_update()
                    ).first()
                    result = update_fn(_record(row))
                    if result is None:
                        if row is not None:
                            conn.execute(delete(table).where(table.c.key == key))
                        return None
                    values = {
                        "failures": result.failures,
                        "last_failure_at": result.last_failure_at,
                        "locked_until": result.locked_until,
                    }
                    if row is None:
                        conn.execute(insert(table).values(key=key, **values))
                    else:
                        conn.execute(update(table).where(table.c.key == key).values(**values))
                    return result
            except IntegrityError:
                if attempt:
                    raise
        raise AssertionError("unreachable")


def _record(row: Any) -> FailureRecord | None:
    if row is None:
        return None
    return FailureRecord(
        failures=row.failures, last_failure_at=row.last_failure_at, locked_until=row.locked_until
    )


#: Unique constraints -> the field they protect, and what to tell the client.
_UNIQUE_FIELDS: dict[str, tuple[str, str]] = {
    "uq_networks_slug": ("slug", "a network with this slug already exists"),
    "networks.slug": ("slug", "a network with this slug already exists"),
    "uq_tenants_slug": ("slug", "a tenant with this slug already exists"),
    "tenants.slug": ("slug", "a tenant with this slug already exists"),
    "uq_members_network_id_siret": ("siret", "a member of this network already has this SIRET"),
    "members.network_id, members.siret": (
        "siret",
        "a member of this network already has this SIRET",
    ),
    "uq_users_email": ("email", "an account with this e-mail address already exists"),
    "users.email": ("email", "an account with this e-mail address already exists"),
}


def constraint_conflict(exc: IntegrityError) -> tuple[str, str] | None:
    """The field and message of a unique violation that lost a race with a concurrent writer.

    PostgreSQL names the constraint; SQLite names the columns. Anything else is not a conflict
    the client can fix, and gives None.
    """
    text = str(exc.orig)
    for marker, answer in _UNIQUE_FIELDS.items():
        if marker in text:
            return answer
    return None
