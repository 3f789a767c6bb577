"""Identifiers of French companies and contacts: SIREN/SIRET, VAT, NAF, departments, slugs, …"""

from __future__ import annotations

import pytest

from gateway.domain.errors import ValidationError
from gateway.domain.identifiers import (
    DEPARTMENTS,
    ILE_DE_FRANCE,
    department_name,
    ensure_identifiers_consistent,
    luhn_check_digit,
    luhn_is_valid,
    siren_of,
    strip_spaces,
    validate_department,
    validate_departments,
    validate_email,
    validate_naf,
    validate_phone,
    validate_siren,
    validate_siret,
    validate_slug,
    validate_vat_number,
    vat_key,
    vat_number_for_siren,
)

from .builders import REAL_SIRET, REAL_VAT, make_siren, make_siret, vat_for


def code_of(excinfo: pytest.ExceptionInfo[ValidationError]) -> tuple[str, str]:
    return excinfo.value.field, excinfo.value.code


class TestLuhn:
    def test_known_numbers_pass(self) -> None:
        assert luhn_is_valid("732829320")
        assert luhn_is_valid(REAL_SIRET)
        assert luhn_is_valid("4539148803436467")  # a test card number

    def test_one_changed_digit_fails(self) -> None:
        assert not luhn_is_valid("732829321")
        assert not luhn_is_valid("73282932000079")

    def test_rejects_non_digits(self) -> None:
        assert not luhn_is_valid("7328293a0")
        assert not luhn_is_valid("٧٣٢٨٢٩٣٢٠")  # Arabic-Indic digits are digits, not ASCII

    def test_check_digit_completes_a_number(self) -> None:
        assert luhn_check_digit("73282932") == "0"
        for stem in ("12345678", "98765432", "55500011"):
            assert luhn_is_valid(stem + luhn_check_digit(stem))

    def test_check_digit_needs_digits(self) -> None:
        with pytest.raises(ValueError):
            luhn_check_digit("12a")


class TestSiren:
    def test_accepts_a_valid_siren_and_removes_spaces(self) -> None:
        assert validate_siren("732 829 320") == "732829320"
        assert validate_siren("732\u00a0829\u202f320") == "732829320"

    def test_rejects_wrong_key(self) -> None:
        with pytest.raises(ValidationError) as excinfo:
            validate_siren("732829321")
        assert code_of(excinfo) == ("siren", "bad_checksum")

    def test_rejects_wrong_length_with_a_spreadsheet_hint(self) -> None:
        with pytest.raises(ValidationError) as excinfo:
            validate_siren("73282932")
        assert code_of(excinfo) == ("siren", "bad_length")
        assert "leading zeros" in excinfo.value.message

    def test_rejects_letters(self) -> None:
        with pytest.raises(ValidationError) as excinfo:
            validate_siren("73282932O")
        assert code_of(excinfo) == ("siren", "not_digits")

    def test_names_the_given_field(self) -> None:
        with pytest.raises(ValidationError) as excinfo:
            validate_siren("1", field="company.siren")
        assert excinfo.value.field == "company.siren"


class TestSiret:
    def test_accepts_a_real_siret(self) -> None:
        assert validate_siret("732 829 320 00074") == REAL_SIRET

    @pytest.mark.parametrize("stem", ["12345678", "44306184", "80000000", "00000001"])
    def test_accepts_computed_sirets(self, stem: str) -> None:
        siret = make_siret(stem, "0017")
        assert validate_siret(siret) == siret
        assert siren_of(siret) == make_siren(stem)

    def test_rejects_a_mistyped_siret(self) -> None:
        with pytest.raises(ValidationError) as excinfo:
            validate_siret("73282932000079")
        assert code_of(excinfo) == ("siret", "bad_checksum")

    def test_rejects_swapped_digits(self) -> None:
        with pytest.raises(ValidationError):
            validate_siret("73282932000047")

    def test_rejects_a_siret_whose_siren_part_is_invalid(self) -> None:
        # 14 digits passing Luhn, but the first nine do not.
        body = "1234567800001"
        siret = body + luhn_check_digit(body)
        assert luhn_is_valid(siret) and not luhn_is_valid(siret[:9])
        with pytest.raises(ValidationError) as excinfo:
            validate_siret(siret)
        assert excinfo.value.code == "bad_checksum"

    @pytest.mark.parametrize(
        ("value", "code"),
        [
            ("7328293200007", "bad_length"),
            ("732829320000740", "bad_length"),
            ("7328293200007A", "not_digits"),
            ("732-829-320-00074", "not_digits"),
            ("", "required"),
            ("   ", "required"),
            ("7.32829E+13", "scientific_notation"),
            ("7,32829E+13", "scientific_notation"),
        ],
    )
    def test_rejects_malformed_values(self, value: str, code: str) -> None:
        with pytest.raises(ValidationError) as excinfo:
            validate_siret(value)
        assert code_of(excinfo) == ("siret", code)

    def test_rejects_non_text(self) -> None:
        with pytest.raises(ValidationError) as excinfo:
            validate_siret(73282932000074)
        assert excinfo.value.code == "invalid_type"

    def test_la_poste_head_office_follows_luhn(self) -> None:
        assert validate_siret("356 000 000 00048") == "35600000000048"

    def test_la_poste_establishments_follow_the_sum_of_digits_rule(self) -> None:
        # Digit sum 3+5+6+1+2+3 = 20, a multiple of 5, while Luhn fails.
        assert not luhn_is_valid("35600000012300")
        assert validate_siret("35600000012300") == "35600000012300"

    def test_la_poste_establishment_failing_the_sum_rule_is_refused(self) -> None:
        # Digit sum 21; this one passes Luhn, which does not count for La Poste.
        body = "3560000001230"
        siret = body + luhn_check_digit(body)
        assert sum(map(int, siret)) % 5 != 0
        with pytest.raises(ValidationError):
            validate_siret(siret)


class TestVatNumber:
    def test_key_formula(self) -> None:
        assert vat_key("732829320") == "44"
        assert vat_number_for_siren("732829320") == REAL_VAT

    def test_key_is_zero_padded(self) -> None:
        sirens = (make_siren(f"{n:08d}") for n in range(1, 3000))
        siren = next(s for s in sirens if (12 + 3 * (int(s) % 97)) % 97 < 10)
        assert len(vat_key(siren)) == 2 and vat_key(siren).startswith("0")
        assert validate_vat_number(vat_for(siren)) == vat_for(siren)

    @pytest.mark.parametrize(
        "value", ["FR44732829320", "fr 44 732 829 320", "FR-44-732.829.320", " FR44732829320 "]
    )
    def test_accepts_and_normalises(self, value: str) -> None:
        assert validate_vat_number(value) == REAL_VAT

    @pytest.mark.parametrize("stem", ["12345678", "44306184", "80000000"])
    def test_accepts_computed_numbers(self, stem: str) -> None:
        siren = make_siren(stem)
        assert validate_vat_number(vat_for(siren)) == vat_for(siren)

    def test_rejects_a_wrong_key_and_gives_the_right_number(self) -> None:
        with pytest.raises(ValidationError) as excinfo:
            validate_vat_number("FR45732829320")
        assert code_of(excinfo) == ("vat_number", "bad_key")
        assert REAL_VAT in excinfo.value.message

    @pytest.mark.parametrize("value", ["FRK7399859412", "FR4Z123456782"])
    def test_accepts_alphanumeric_keys(self, value: str) -> None:
        assert validate_vat_number(value) == value

    def test_rejects_a_wrong_alphanumeric_key(self) -> None:
        with pytest.raises(ValidationError) as excinfo:
            validate_vat_number("FRK8399859412")
        assert excinfo.value.code == "bad_key"

    def test_rejects_i_and_o_in_the_key(self) -> None:
        with pytest.raises(ValidationError) as excinfo:
            validate_vat_number("FRIO732829320")
        assert excinfo.value.code == "bad_format"

    def test_rejects_an_invalid_siren_part(self) -> None:
        with pytest.raises(ValidationError) as excinfo:
            validate_vat_number("FR44732829321")
        assert excinfo.value.code == "bad_checksum"

    @pytest.mark.parametrize(
        "value", ["44732829320", "DE123456789", "FR4473282932", "FR447328293200", "FR44ABCDEFGHI"]
    )
    def test_rejects_other_formats(self, value: str) -> None:
        with pytest.raises(ValidationError) as excinfo:
            validate_vat_number(value)
        assert code_of(excinfo) == ("vat_number", "bad_format")


class TestConsistency:
    def test_vat_number_of_the_siret_company_is_consistent(self) -> None:
        ensure_identifiers_consistent(siret=REAL_SIRET, vat_number=REAL_VAT)
        ensure_identifiers_consistent(siren="732829320", siret=REAL_SIRET, vat_number=REAL_VAT)

    def test_vat_number_of_another_company_is_refused(self) -> None:
        other = vat_for(make_siren("12345678"))
        with pytest.raises(ValidationError) as excinfo:
            ensure_identifiers_consistent(siret=REAL_SIRET, vat_number=other)
        assert code_of(excinfo) == ("vat_number", "mismatch")
        assert REAL_VAT in excinfo.value.message

    def test_siret_of_another_siren_is_refused(self) -> None:
        with pytest.raises(ValidationError) as excinfo:
            ensure_identifiers_consistent(siren=make_siren("12345678"), siret=REAL_SIRET)
        assert code_of(excinfo) == ("siret", "mismatch")

    def test_nothing_to_compare_is_fine(self) -> None:
        ensure_identifiers_consistent(vat_number=REAL_VAT)
        ensure_identifiers_consistent()


class TestNaf:
    @pytest.mark.parametrize("value", ["62.01Z", "6201Z", "62 01 z", "6201z", " 62.01Z "])
    def test_normalises(self, value: str) -> None:
        assert validate_naf(value) == "62.01Z"

    @pytest.mark.parametrize("value", ["62.1Z", "620Z", "62.01", "62.01ZZ", "AB.CDZ", "6201-Z"])
    def test_rejects(self, value: str) -> None:
        with pytest.raises(ValidationError) as excinfo:
            validate_naf(value)
        assert code_of(excinfo) == ("naf", "bad_format")


class TestDepartments:
    def test_the_list_is_complete(self) -> None:
        metropolitan = [c for c in DEPARTMENTS if len(c) == 2]
        assert len(metropolitan) == 96
        assert "20" not in DEPARTMENTS
        assert {"2A", "2B", "971", "972", "973", "974", "976"} <= set(DEPARTMENTS)
        assert all(f"{n:02d}" in DEPARTMENTS for n in range(1, 96) if n != 20)

    def test_ile_de_france_names(self) -> None:
        assert sorted(ILE_DE_FRANCE) == ["75", "77", "78", "91", "92", "93", "94", "95"]
        assert department_name("75") == "Paris"
        assert department_name("93") == "Seine-Saint-Denis"
        assert department_name("95") == "Val-d'Oise"

    @pytest.mark.parametrize(
        ("value", "expected"),
        [("92", "92"), (" 92 ", "92"), ("2a", "2A"), ("2B", "2B"), ("1", "01"), ("971", "971"),
         (1, "01"), (75, "75")],
    )  # fmt: skip
    def test_normalises(self, value: object, expected: str) -> None:
        assert validate_department(value) == expected

    def test_corsica_20_gets_a_hint(self) -> None:
        with pytest.raises(ValidationError) as excinfo:
            validate_department("20")
        assert code_of(excinfo) == ("department", "corsica")
        assert "2A" in excinfo.value.message

    @pytest.mark.parametrize("value", ["00", "96", "99", "977", "2C", "Paris", "750"])
    def test_rejects_unknown_codes(self, value: str) -> None:
        with pytest.raises(ValidationError) as excinfo:
            validate_department(value)
        assert code_of(excinfo) == ("department", "unknown_department")

    def test_rejects_booleans(self) -> None:
        with pytest.raises(ValidationError):
            validate_department(True)

    def test_list_is_deduplicated_and_sorted_in_insee_order(self) -> None:
        assert validate_departments(["971", "94", "2b", "92", "93", "92", "2A", "1"]) == (
            "01", "2A", "2B", "92", "93", "94", "971",
        )  # fmt: skip

    def test_list_must_not_be_empty_nor_a_string(self) -> None:
        with pytest.raises(ValidationError) as excinfo:
            validate_departments([])
        assert code_of(excinfo) == ("departments", "required")
        with pytest.raises(ValidationError) as excinfo:
            validate_departments("92")
        assert excinfo.value.code == "invalid_type"

    def test_list_reports_the_bad_code(self) -> None:
        with pytest.raises(ValidationError) as excinfo:
            validate_departments(["92", "20"])
        assert code_of(excinfo) == ("departments", "corsica")


class TestSlug:
    @pytest.mark.parametrize("value", ["pie", "fa-77-91", "initiactive-95", "ab", "a" * 40])
    def test_accepts(self, value: str) -> None:
        assert validate_slug(value) == value

    @pytest.mark.parametrize(
        ("value", "code"),
        [("a", "bad_length"), ("a" * 41, "bad_length"), ("Troc-Actif", "bad_format"),
         ("troc_actif", "bad_format"), ("-pie", "bad_format"), ("pie-", "bad_format"),
         ("fa--77", "bad_format"), ("réseau", "bad_format"), ("troc actif", "bad_format"),
         ("", "required")],
    )  # fmt: skip
    def test_rejects(self, value: str, code: str) -> None:
        with pytest.raises(ValidationError) as excinfo:
            validate_slug(value)
        assert code_of(excinfo) == ("slug", code)


class TestEmail:
    @pytest.mark.parametrize(
        ("value", "expected"),
        [("Contact@Example.FR", "contact@example.fr"),
         ("  jean.dupont+troc@asso-75.org ", "jean.dupont+troc@asso-75.org"),
         ("a@b.co", "a@b.co"),
         ("compta@société.fr", "compta@xn--socit-esab.fr")],
    )  # fmt: skip
    def test_accepts_and_normalises(self, value: str, expected: str) -> None:
        assert validate_email(value) == expected

    @pytest.mark.parametrize(
        "value",
        ["plainaddress", "@example.fr", "jean@", "jean@localhost", "jean dupont@example.fr",
         "jean..dupont@example.fr", ".jean@example.fr", "jean@example..fr", "jean@-example.fr",
         "jean@example.123", "jean@@example.fr", "jéan@example.fr", "a" * 65 + "@example.fr",
         "jean@" + "a" * 250 + ".fr"],
    )  # fmt: skip
    def test_rejects(self, value: str) -> None:
        with pytest.raises(ValidationError) as excinfo:
            validate_email(value)
        assert excinfo.value.field == "email"
        assert excinfo.value.code in {"bad_format", "bad_length"}


class TestPhone:
    @pytest.mark.parametrize(
        ("value", "expected"),
        [("01 23 45 67 89", "+33123456789"), ("01.23.45.67.89", "+33123456789"),
         ("01-23-45-67-89", "+33123456789"), ("0612345678", "+33612345678"),
         ("+33 6 12 34 56 78", "+33612345678"), ("+33 (0)1 23 45 67 89", "+33123456789"),
         ("0033 1 23 45 67 89", "+33123456789"), ("+33 01 23 45 67 89", "+33123456789"),
         ("123456789", "+33123456789"), ("09 70 12 34 56", "+33970123456"),
         ("0590 12 34 56", "+590590123456"), ("0690 12 34 56", "+590690123456"),
         ("0596 12 34 56", "+596596123456"), ("0594 12 34 56", "+594594123456"),
         ("0262 12 34 56", "+262262123456"), ("0639 12 34 56", "+262639123456"),
         ("+262 692 12 34 56", "+262692123456"), ("+33 692 12 34 56", "+262692123456")],
    )  # fmt: skip
    def test_normalises_to_e164(self, value: str, expected: str) -> None:
        assert validate_phone(value) == expected

    @pytest.mark.parametrize(
        ("value", "code"),
        [("+44 20 7946 0958", "not_french"), ("+1 212 555 0100", "not_french"),
         ("01 23 45 67", "bad_format"), ("01 23 45 67 89 10", "bad_format"),
         ("00 23 45 67 89", "not_french"), ("0023456789", "not_french"),
         ("01 23 45 67 8A", "bad_format"), ("+590 1 23 45 67 89", "bad_format"),
         ("", "required")],
    )  # fmt: skip
    def test_rejects(self, value: str, code: str) -> None:
        with pytest.raises(ValidationError) as excinfo:
            validate_phone(value)
        assert code_of(excinfo) == ("phone", code)


def test_strip_spaces_removes_every_kind_of_space() -> None:
    assert strip_spaces(" 732\u00a0829\u202f320\t00074\n") == REAL_SIRET


def test_validation_error_carries_field_code_message() -> None:
    error = ValidationError("siret", "bad_checksum", "wrong")
    assert (error.field, error.code, error.message, str(error)) == (
        "siret", "bad_checksum", "wrong", "wrong",
    )  # fmt: skip
    assert error.for_field("members[3].siret").field == "members[3].siret"
    assert error == ValidationError("siret", "bad_checksum", "wrong")
    assert isinstance(error, ValueError)
