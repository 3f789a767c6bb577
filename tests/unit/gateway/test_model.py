"""Networks, tenants, members and users: validation, admission, status machine, roles."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from gateway.domain.errors import Forbidden, InvalidTransition, ValidationError, ValidationErrors
from gateway.domain.model import (
    Address,
    ChargedIn,
    Commission,
    Contact,
    Member,
    MemberApplication,
    MemberStatus,
    Network,
    Role,
    Tenant,
    TenantClosed,
    TenantStatus,
    Unit,
    User,
    VatSettlement,
    ensure_siret_not_taken,
)

from .builders import FAST_HASHER, NOW, REAL_SIRET, REAL_VAT, make_siret, tenant


def troc_actif(**overrides: Any) -> Network:
    values: dict[str, Any] = {
        "id": uuid.uuid4(),
        "slug": "troc-actif",
        "name": "Troc Actif",
        "unit": {"code": "act", "name": "Actif", "symbol": "Ⓐ"},
        "default_credit_limit": 200_000,
        "payment_modes": [50, 100],
        "hold_expiry_days": 30,
        "vat_settlement": "unit",
        "commission": {"rate": "5", "charged_in": "unit"},
        **overrides,
    }
    return Network.create(**values)


def fields_of(excinfo: pytest.ExceptionInfo[ValidationErrors]) -> dict[str, str]:
    return {e.field: e.code for e in excinfo.value.errors}


class TestNetwork:
    def test_create_normalises_everything(self) -> None:
        network = troc_actif()
        assert network.unit == Unit(code="ACT", name="Actif", symbol="Ⓐ")
        assert network.payment_modes == (100, 50)
        assert network.vat_settlement is VatSettlement.UNIT
        assert network.commission == Commission(rate=Decimal("5"), charged_in=ChargedIn.UNIT)
        assert network.buyer_acceptance_required is True
        assert network.allows_payment_mode(50) and not network.allows_payment_mode(30)

    def test_no_commission_by_default(self) -> None:
        network = troc_actif(commission=None)
        assert network.commission.rate == 0

    def test_reports_every_bad_field_at_once(self) -> None:
        with pytest.raises(ValidationErrors) as excinfo:
            troc_actif(
                slug="Troc Actif",
                name=" ",
                unit={"code": "EUR", "name": "", "symbol": "€"},
                default_credit_limit=-1,
                payment_modes=[100, 30],
                hold_expiry_days=0,
                vat_settlement="cash",
                commission={"rate": "5.001", "charged_in": "gold"},
                buyer_acceptance_required="yes",
            )
        assert fields_of(excinfo) == {
            "slug": "bad_format",
            "name": "required",
            "unit.code": "reserved",
            "unit.name": "required",
            "default_credit_limit": "out_of_range",
            "payment_modes": "unknown_value",
            "hold_expiry_days": "out_of_range",
            "vat_settlement": "unknown_value",
            "commission.rate": "bad_format",
            "commission.charged_in": "unknown_value",
            "buyer_acceptance_required": "invalid_type",
        }

    @pytest.mark.parametrize(
        ("overrides", "field", "code"),
        [
            ({"payment_modes": []}, "payment_modes", "required"),
            ({"payment_modes": "100"}, "payment_modes", "invalid_type"),
            ({"payment_modes": [True]}, "payment_modes", "unknown_value"),
            ({"payment_modes": [{}]}, "payment_modes", "unknown_value"),
            ({"hold_expiry_days": 366}, "hold_expiry_days", "out_of_range"),
            ({"hold_expiry_days": 1.5}, "hold_expiry_days", "invalid_type"),
            ({"default_credit_limit": 10**13 + 1}, "default_credit_limit", "out_of_range"),
            ({"default_credit_limit": "2000.00"}, "default_credit_limit", "invalid_type"),
            (
                {"commission": {"rate": 5.0, "charged_in": "euro"}},
                "commission.rate",
                "invalid_type",
            ),
            (
                {"commission": {"rate": "101", "charged_in": "euro"}},
                "commission.rate",
                "out_of_range",
            ),
            (
                {"commission": {"rate": "-1", "charged_in": "euro"}},
                "commission.rate",
                "out_of_range",
            ),
            (
                {"commission": {"rate": "abc", "charged_in": "euro"}},
                "commission.rate",
                "bad_format",
            ),
            (
                {"commission": {"rate": "NaN", "charged_in": "euro"}},
                "commission.rate",
                "bad_format",
            ),
            ({"commission": "5%"}, "commission", "invalid_type"),
            ({"unit": {"code": "A", "name": "Actif", "symbol": "A"}}, "unit.code", "bad_format"),
            ({"unit": "ACT"}, "unit", "invalid_type"),
        ],
    )
    def test_refuses(self, overrides: dict[str, Any], field: str, code: str) -> None:
        with pytest.raises(ValidationErrors) as excinfo:
            troc_actif(**overrides)
        assert fields_of(excinfo) == {field: code}

    def test_hold_expiry_bounds_are_inclusive(self) -> None:
        assert troc_actif(hold_expiry_days=1).hold_expiry_days == 1
        assert troc_actif(hold_expiry_days=365).hold_expiry_days == 365

    def test_with_changes_revalidates_and_protects_the_slug(self) -> None:
        network = troc_actif()
        changed = network.with_changes(hold_expiry_days=15, buyer_acceptance_required=False)
        assert changed.hold_expiry_days == 15 and not changed.buyer_acceptance_required
        assert network.hold_expiry_days == 30
        with pytest.raises(ValidationError) as excinfo:
            network.with_changes(slug="autre")
        assert excinfo.value.code == "immutable"
        with pytest.raises(ValidationError) as excinfo:
            network.with_changes(colour="green")
        assert excinfo.value.code == "unknown_field"
        with pytest.raises(ValidationErrors):
            network.with_changes(payment_modes=[])

    def test_member_categories_are_validated_and_named_by_their_slug(self) -> None:
        network = troc_actif(
            member_categories=[
                {"slug": "association", "name": "Associations", "default_credit_limit": 30_000},
                {
                    "slug": "startup",
                    "name": "Jeunes pousses",
                    "default_credit_limit": 0,
                    "max_balance": 500_000,
                },
            ]
        )
        startup = network.category("startup")
        assert startup is not None and startup.max_balance == 500_000
        assert network.ensure_category(" association ") == "association"
        assert network.ensure_category(None) is None and network.ensure_category("") is None
        with pytest.raises(ValidationError) as excinfo:
            network.ensure_category("inconnue")
        assert (excinfo.value.field, excinfo.value.code) == ("category", "unknown_value")
        assert troc_actif().member_categories == ()

    @pytest.mark.parametrize(
        "categories",
        [
            [{"slug": "Bad Slug", "name": "x", "default_credit_limit": 0}],
            [{"slug": "ok", "name": "x", "default_credit_limit": -1}],
            [{"slug": "ok", "name": "x", "default_credit_limit": 0, "max_balance": -5}],
            [
                {"slug": "ok", "name": "x", "default_credit_limit": 0},
                {"slug": "ok", "name": "y", "default_credit_limit": 0},
            ],
            "association",
        ],
    )
    def test_bad_member_categories_are_refused_on_their_field(self, categories: Any) -> None:
        with pytest.raises((ValidationError, ValidationErrors)) as excinfo:
            troc_actif(member_categories=categories)
        errors = getattr(excinfo.value, "errors", None) or [excinfo.value]
        assert all(e.field.startswith("member_categories") for e in errors)

    def test_a_patch_replaces_the_categories(self) -> None:
        network = troc_actif()
        changed = network.with_changes(
            member_categories=[{"slug": "agri", "name": "Agriculteurs", "default_credit_limit": 1}]
        )
        assert [c.slug for c in changed.member_categories] == ["agri"]

    def test_money_products_are_off_by_default_and_validated(self) -> None:
        network = troc_actif()
        assert network.membership_fee is None and network.direct_payments == "off"
        assert network.direct_payments_validation_threshold == 0
        fee = troc_actif(
            membership_fee={"amount": "120.50", "charged_in": "euro", "due": "01-31"},
            direct_payments="both",
            direct_payments_validation_threshold=5_000,
        )
        assert fee.membership_fee is not None and fee.membership_fee.amount == 12_050
        assert fee.membership_fee.as_dict() == {
            "amount": "120.50",
            "period": "year",
            "charged_in": "euro",
            "due": "01-31",
            "grace_days": 30,
        }
        assert fee.with_changes(membership_fee=None).membership_fee is None
        with pytest.raises(ValidationErrors) as excinfo:
            troc_actif(
                membership_fee={"amount": "0", "charged_in": "gold", "due": "02-30x"},
                direct_payments="sometimes",
            )
        assert fields_of(excinfo) == {
            "membership_fee.amount": "out_of_range",
            "membership_fee.charged_in": "unknown_value",
            "membership_fee.due": "bad_format",
            "direct_payments": "unknown_value",
        }

    def test_commission_rates_keep_their_decimals(self) -> None:
        assert Commission(rate="2.5", charged_in="euro").rate == Decimal("2.5")  # type: ignore[arg-type]
        assert Commission.none() == Commission(rate=Decimal(0), charged_in=ChargedIn.EURO)


class TestFourEyesThreshold:
    def test_off_by_default_and_in_cents_when_set(self) -> None:
        assert troc_actif().manual_transfer_approval_threshold is None
        network = troc_actif(manual_transfer_approval_threshold=500_000)
        assert network.manual_transfer_approval_threshold == 500_000
        assert (
            network.with_changes(
                manual_transfer_approval_threshold=None
            ).manual_transfer_approval_threshold
            is None
        )

    def test_a_negative_or_non_integer_threshold_names_the_field(self) -> None:
        for bad in (-1, "100", True):
            with pytest.raises(ValidationErrors) as excinfo:
                troc_actif(manual_transfer_approval_threshold=bad)
            assert "manual_transfer_approval_threshold" in fields_of(excinfo)


class TestClosingATenant:
    def test_closing_dates_it_and_reopening_clears_it(self) -> None:
        t = tenant()
        assert t.status is TenantStatus.ACTIVE and not t.is_closed
        t.ensure_open()
        closed = t.with_status("closed", NOW)
        assert closed.is_closed and closed.closed_at == NOW
        assert (closed.name, closed.departments) == (t.name, t.departments)
        with pytest.raises(TenantClosed):
            closed.ensure_open()
        assert closed.with_status(TenantStatus.CLOSED, NOW + timedelta(days=1)) is closed
        reopened = closed.with_status("active", NOW)
        assert not reopened.is_closed and reopened.closed_at is None

    def test_an_unknown_status_is_refused(self) -> None:
        with pytest.raises(ValueError):
            tenant().with_status("archived", NOW)


class TestTenant:
    def test_departments_are_validated_and_normalised(self) -> None:
        t = tenant(("95", "78", "95"))
        assert t.departments == ("78", "95")
        assert t.covers("95") and not t.covers("75")

    def test_refuses_bad_values(self) -> None:
        with pytest.raises(ValidationErrors) as excinfo:
            Tenant(
                id=uuid.uuid4(),
                network_id=uuid.uuid4(),
                slug="PIE",
                name="",
                departments=("75", "20"),
                contact={"email": "x"},  # type: ignore[arg-type]
            )
        assert fields_of(excinfo) == {
            "slug": "bad_format",
            "name": "required",
            "departments": "corsica",
            "contact.email": "bad_format",
        }

    def test_contact_is_validated(self) -> None:
        with pytest.raises(ValidationErrors) as excinfo:
            Contact(name="Paris Initiative Entreprise", email="nope", phone="12")
        assert fields_of(excinfo) == {"contact.email": "bad_format", "contact.phone": "bad_format"}
        contact = Contact(email="Contact@PIE.fr", phone="01 23 45 67 89", name=" ")
        assert contact == Contact(name=None, email="contact@pie.fr", phone="+33123456789")

    def test_contact_from_mapping(self) -> None:
        t = Tenant(
            id=uuid.uuid4(),
            network_id=uuid.uuid4(),
            slug="pie",
            name="Paris Initiative Entreprise",
            departments=("75",),
            contact={"email": "contact@pie.fr"},  # type: ignore[arg-type]
        )
        assert t.contact == Contact(email="contact@pie.fr")

    def test_ensure_covers_explains(self) -> None:
        with pytest.raises(ValidationError) as excinfo:
            tenant().ensure_covers("75")
        assert excinfo.value.code == "not_covered"
        assert "92, 93, 94" in excinfo.value.message


def application(**overrides: Any) -> MemberApplication:
    values: dict[str, Any] = {
        "name": "Atelier Lumière SARL",
        "siret": "732 829 320 00074",
        "address": "12 rue de la Paix, 92100 Boulogne-Billancourt",
        "department": "92",
        "email": "Contact@Atelier-Lumiere.fr",
        "vat_number": "FR 44 732829320",
        "naf": "6201Z",
        "phone": "01 23 45 67 89",
        **overrides,
    }
    return MemberApplication.parse(**values)


class TestAddress:
    @pytest.mark.parametrize(
        ("text", "street", "city"),
        [("12 rue de la Paix, 92100 Boulogne", "12 rue de la Paix", "Boulogne"),
         ("3 bis avenue Jean Jaurès 93200 Saint-Denis", "3 bis avenue Jean Jaurès", "Saint-Denis"),
         ("ZA des Prés, bât. 2, 77000, Melun", "ZA des Prés, bât. 2", "Melun")],
    )  # fmt: skip
    def test_parses_one_line(self, text: str, street: str, city: str) -> None:
        address = Address.parse(text)
        assert (address.street, address.city) == (street, city)
        assert str(address).startswith(street + ", ")

    def test_refuses_a_line_without_postal_code(self) -> None:
        with pytest.raises(ValidationError) as excinfo:
            Address.parse("12 rue de la Paix, Paris")
        assert (excinfo.value.field, excinfo.value.code) == ("address", "bad_format")

    def test_structured_form(self) -> None:
        address = Address.from_value(
            {"street": "1 place X", "postal_code": "75 001", "city": "Paris"}
        )
        assert address.postal_code == "75001"
        with pytest.raises(ValidationErrors) as excinfo:
            Address(street="", postal_code="7500", city="Paris")
        assert fields_of(excinfo) == {
            "address.street": "required",
            "address.postal_code": "bad_format",
        }


class TestMemberApplication:
    def test_parse_normalises(self) -> None:
        app = application()
        assert app.siret == REAL_SIRET and app.siren == "732829320"
        assert app.vat_number == REAL_VAT
        assert app.naf == "62.01Z"
        assert app.email == "contact@atelier-lumiere.fr"
        assert app.phone == "+33123456789"
        assert app.address.postal_code == "92100"

    def test_optional_fields_may_be_blank(self) -> None:
        app = application(vat_number="", naf=None, phone="  ")
        assert (app.vat_number, app.naf, app.phone) == (None, None, None)

    def test_reports_every_bad_field(self) -> None:
        with pytest.raises(ValidationErrors) as excinfo:
            application(
                name="",
                siret="73282932000079",
                address="somewhere",
                department="20",
                email="nope",
                vat_number="FR00",
                naf="62",
                phone="12",
            )
        assert fields_of(excinfo) == {
            "name": "required",
            "siret": "bad_checksum",
            "address": "bad_format",
            "department": "corsica",
            "email": "bad_format",
            "vat_number": "bad_format",
            "naf": "bad_format",
            "phone": "bad_format",
        }

    def test_vat_number_must_be_the_sirets_company(self) -> None:
        with pytest.raises(ValidationErrors) as excinfo:
            application(siret=make_siret("12345678"))
        assert fields_of(excinfo) == {"vat_number": "mismatch"}


class TestAdmission:
    def test_admits_into_the_tenant(self) -> None:
        t = tenant()
        member = Member.admit(
            application(), id=uuid.uuid4(), tenant=t, existing_sirets=set(), now=NOW
        )
        assert member.tenant_id == t.id and member.network_id == t.network_id
        assert member.status is MemberStatus.ADMITTED
        assert member.admitted_at == NOW and member.siren == "732829320"

    def test_refuses_a_department_the_tenant_does_not_cover(self) -> None:
        with pytest.raises(ValidationErrors) as excinfo:
            Member.admit(
                application(department="75"),
                id=uuid.uuid4(),
                tenant=tenant(),
                existing_sirets=(),
                now=NOW,
            )
        assert fields_of(excinfo) == {"department": "not_covered"}

    def test_refuses_a_siret_already_in_the_network(self) -> None:
        with pytest.raises(ValidationErrors) as excinfo:
            Member.admit(
                application(department="75"),
                id=uuid.uuid4(),
                tenant=tenant(),
                existing_sirets={REAL_SIRET},
                now=NOW,
            )
        assert fields_of(excinfo) == {"department": "not_covered", "siret": "duplicate"}

    def test_another_establishment_of_the_same_company_is_welcome(self) -> None:
        ensure_siret_not_taken(make_siret("73282932", "0009"), {REAL_SIRET})


def admitted() -> Member:
    return Member.admit(
        application(), id=uuid.uuid4(), tenant=tenant(), existing_sirets=(), now=NOW
    )


class TestMemberStatus:
    def test_suspend_and_reinstate(self) -> None:
        member = admitted()
        member.suspend(NOW + timedelta(days=1))
        assert member.status is MemberStatus.SUSPENDED
        assert member.status_changed_at == NOW + timedelta(days=1)
        member.reinstate(NOW + timedelta(days=2))
        assert member.status is MemberStatus.ADMITTED

    def test_cannot_suspend_twice_nor_reinstate_an_admitted_member(self) -> None:
        member = admitted()
        with pytest.raises(InvalidTransition):
            member.reinstate(NOW)
        member.suspend(NOW)
        with pytest.raises(InvalidTransition) as excinfo:
            member.suspend(NOW)
        assert excinfo.value.code == "invalid_transition"

    @pytest.mark.parametrize("suspend_first", [False, True])
    def test_leaving_is_final(self, suspend_first: bool) -> None:
        member = admitted()
        if suspend_first:
            member.suspend(NOW)
        member.leave(NOW)
        assert member.status is MemberStatus.LEFT
        for action in (member.suspend, member.reinstate, member.leave):
            with pytest.raises(InvalidTransition):
                action(NOW)
        with pytest.raises(InvalidTransition):
            member.amend(tenant=tenant(), name="Autre")

    def test_only_admitted_members_trade(self) -> None:
        member = admitted()
        member.ensure_can_trade()
        member.suspend(NOW)
        with pytest.raises(InvalidTransition):
            member.ensure_can_trade()


class TestAmend:
    def test_amends_and_revalidates(self) -> None:
        member = admitted()
        member.amend(tenant=tenant(), email="Compta@Atelier.fr", department="93", naf="")
        assert member.email == "compta@atelier.fr" and member.department == "93"
        assert member.naf is None

    def test_refuses_the_siret_and_unknown_fields(self) -> None:
        member = admitted()
        with pytest.raises(ValidationError) as excinfo:
            member.amend(tenant=tenant(), siret=make_siret("12345678"))
        assert excinfo.value.code == "immutable"
        with pytest.raises(ValidationError) as excinfo:
            member.amend(tenant=tenant(), status="left")
        assert excinfo.value.code == "unknown_field"

    def test_refuses_a_department_outside_the_tenant_and_changes_nothing(self) -> None:
        member = admitted()
        with pytest.raises(ValidationError) as excinfo:
            member.amend(tenant=tenant(), department="75", name="Nouveau nom")
        assert excinfo.value.code == "not_covered"
        assert member.name == "Atelier Lumière SARL"

    def test_refuses_bad_values_and_changes_nothing(self) -> None:
        member = admitted()
        with pytest.raises(ValidationErrors):
            member.amend(tenant=tenant(), email="nope", name="Nouveau nom")
        assert member.name == "Atelier Lumière SARL"


class TestUser:
    def register(self, **overrides: Any) -> User:
        values: dict[str, Any] = {
            "id": uuid.uuid4(),
            "email": " Animatrice@FA-MGP.org ",
            "password": "correct horse battery staple",
            "role": "animator",
            "now": NOW,
            "tenant_id": uuid.uuid4(),
            "hasher": FAST_HASHER,
            **overrides,
        }
        return User.register(**values)

    def test_register_hashes_and_normalises(self) -> None:
        user = self.register()
        assert user.email == "animatrice@fa-mgp.org" and user.role is Role.ANIMATOR
        assert user.password_hash.startswith("$argon2id$")
        assert user.check_password("correct horse battery staple", hasher=FAST_HASHER)
        assert not user.check_password("wrong horse battery staple", hasher=FAST_HASHER)
        assert user.password_changed_at == NOW

    def test_register_reports_email_and_password_together(self) -> None:
        with pytest.raises(ValidationErrors) as excinfo:
            self.register(email="nope", password="short")
        assert fields_of(excinfo) == {"email": "bad_format", "password": "too_short"}

    def test_password_must_not_contain_the_email(self) -> None:
        with pytest.raises(ValidationErrors) as excinfo:
            self.register(email="marie.curie@fa-mgp.org", password="marie.curie-1867!")
        assert fields_of(excinfo) == {"password": "contains_email"}

    @pytest.mark.parametrize(
        ("role", "tenant_id", "member_id", "field"),
        [
            ("operator", uuid.uuid4(), None, "role"),
            ("animator", None, None, "role"),
            ("animator", uuid.uuid4(), uuid.uuid4(), "role"),
            ("member", uuid.uuid4(), None, "member_id"),
            ("member", None, uuid.uuid4(), "member_id"),
            ("integrator", uuid.uuid4(), None, "role"),
            ("admin", None, None, "role"),
        ],
    )
    def test_role_and_scope_must_agree(
        self, role: str, tenant_id: uuid.UUID | None, member_id: uuid.UUID | None, field: str
    ) -> None:
        with pytest.raises(ValidationErrors) as excinfo:
            self.register(role=role, tenant_id=tenant_id, member_id=member_id)
        assert fields_of(excinfo).keys() == {field}

    def test_a_deactivated_user_never_matches(self) -> None:
        user = self.register()
        user.deactivate()
        assert not user.check_password("correct horse battery staple", hasher=FAST_HASHER)

    def test_change_password_applies_the_rules(self) -> None:
        user = self.register()
        with pytest.raises(ValidationError):
            user.change_password("password1234", NOW, hasher=FAST_HASHER)
        user.change_password("another long passphrase", NOW + timedelta(days=1), hasher=FAST_HASHER)
        assert user.check_password("another long passphrase", hasher=FAST_HASHER)
        assert user.password_changed_at == NOW + timedelta(days=1)
        user.record_login(NOW + timedelta(days=2))
        assert user.last_login_at == NOW + timedelta(days=2)


class TestPermissions:
    def make(self, role: Role, tenant_id: uuid.UUID | None = None) -> User:
        return User(
            id=uuid.uuid4(),
            email="someone@example.fr",
            password_hash="$argon2id$unused",
            role=role,
            created_at=NOW,
            tenant_id=tenant_id,
            member_id=uuid.uuid4() if role is Role.MEMBER else None,
        )

    def test_operator_administers_every_tenant(self) -> None:
        operator = self.make(Role.OPERATOR)
        any_tenant = uuid.uuid4()
        operator.ensure_can_administer(any_tenant)
        operator.ensure_can_create_user(Role.OPERATOR, None)
        operator.ensure_can_create_user(Role.ANIMATOR, any_tenant)
        assert operator.acts_in_tenant(any_tenant)

    def test_animator_administers_only_its_tenant(self) -> None:
        mine, other = uuid.uuid4(), uuid.uuid4()
        animator = self.make(Role.ANIMATOR, mine)
        animator.ensure_can_administer(mine)
        animator.ensure_can_create_user(Role.MEMBER, mine)
        animator.ensure_can_create_user(Role.ANIMATOR, mine)
        assert animator.acts_in_tenant(mine) and not animator.acts_in_tenant(other)
        with pytest.raises(Forbidden):
            animator.ensure_can_administer(other)
        with pytest.raises(Forbidden):
            animator.ensure_can_create_user(Role.MEMBER, other)
        with pytest.raises(Forbidden):
            animator.ensure_can_create_user(Role.OPERATOR, None)

    def test_a_member_cannot_act_as_an_animator(self) -> None:
        mine = uuid.uuid4()
        member = self.make(Role.MEMBER, mine)
        assert member.acts_in_tenant(mine)
        with pytest.raises(Forbidden) as excinfo:
            member.ensure_can_administer(mine)
        assert excinfo.value.code == "forbidden"
        with pytest.raises(Forbidden):
            member.ensure_can_create_user(Role.MEMBER, mine)
