"""Bulk admission from CSV: encodings, delimiters, headers, per-row report, all or nothing."""

from __future__ import annotations

import pytest

from gateway.domain.csv_import import ImportReport, RowError, parse_members_csv

from .builders import REAL_SIRET, REAL_VAT, make_siret, tenant, vat_for

SIRET_B = make_siret("44306184", "0012")
SIRET_C = make_siret("80000000", "0001")

FRENCH_HEADER = (
    "Raison sociale;SIRET;N° TVA intracommunautaire;Code NAF;Adresse;Département;E-mail;Téléphone"
)
FRENCH_ROWS = [
    f"Atelier Lumière;732 829 320 00074;{REAL_VAT};6201Z;12 rue de la Paix, 92100 Boulogne;92;"
    "contact@atelier.fr;01 23 45 67 89",
    f"Boulangerie Martin;{SIRET_B};;10.71C;3 av. Jean Jaurès 93200 Saint-Denis;93;"
    "martin@boulangerie.fr;",
    f"Imprimerie du Val;{SIRET_C};{vat_for(SIRET_C[:9])};;5 rue Pasteur, 94000 Créteil;94;"
    "imprimerie@val.fr;06 12 34 56 78",
]


def french_csv(*rows: str, header: str = FRENCH_HEADER, newline: str = "\r\n") -> str:
    return newline.join([header, *rows]) + newline


def parse(data: bytes | str, existing: set[str] | None = None, **kwargs: int) -> ImportReport:
    return parse_members_csv(data, tenant=tenant(), existing_sirets=existing or set(), **kwargs)


def codes(report: ImportReport) -> list[tuple[int, str, str]]:
    return [(e.line, e.field, e.code) for e in report.errors]


class TestReading:
    def test_french_excel_export_utf8_with_bom(self) -> None:
        report = parse(("\ufeff" + french_csv(*FRENCH_ROWS)).encode("utf-8"))
        assert report.ok, report.errors
        assert [row.line for row in report.valid] == [2, 3, 4]
        first = report.applications[0]
        assert first.name == "Atelier Lumière"
        assert (first.siret, first.vat_number, first.naf) == (REAL_SIRET, REAL_VAT, "62.01Z")
        assert first.address.city == "Boulogne" and first.address.postal_code == "92100"
        assert first.phone == "+33123456789"
        second = report.applications[1]
        assert (second.vat_number, second.phone) == (None, None)

    def test_utf8_without_bom_and_a_str(self) -> None:
        assert parse(french_csv(*FRENCH_ROWS).encode("utf-8")).ok
        assert parse("\ufeff" + french_csv(*FRENCH_ROWS)).ok

    def test_windows_1252_fallback(self) -> None:
        report = parse(french_csv(*FRENCH_ROWS).encode("cp1252"))
        assert report.ok
        assert report.applications[0].name == "Atelier Lumière"

    def test_undecodable_bytes_are_a_file_error(self) -> None:
        report = parse(b"Raison sociale;SIRET\r\n\x81\x8d\x8f;\xff\xfe\x81\r\n")
        assert codes(report) == [(1, "file", "encoding")]

    def test_comma_delimiter_english_headers_and_quoted_commas(self) -> None:
        data = (
            "name,siret,vat_number,naf,address,department,email,phone\n"
            f'"Dupont, Fils & Cie",{REAL_SIRET},,,"12 rue de la Paix, 92100 Boulogne",92,'
            "a@dupont.fr,\n"
        )
        report = parse(data)
        assert report.ok, report.errors
        assert report.applications[0].name == "Dupont, Fils & Cie"

    def test_tab_delimiter(self) -> None:
        data = (
            "name\tsiret\taddress\tdepartment\temail\n"
            f"Dupont\t{REAL_SIRET}\t12 rue de la Paix 92100 Boulogne\t92\ta@dupont.fr\n"
        )
        assert parse(data).ok

    def test_postal_code_and_city_columns(self) -> None:
        data = french_csv(
            f"Dupont;{REAL_SIRET};12 rue de la Paix;92100;Boulogne;92;a@dupont.fr",
            header="Nom;Siret;Adresse;Code postal;Ville;Dept;Courriel",
        )
        report = parse(data)
        assert report.ok, report.errors
        address = report.applications[0].address
        assert (address.street, address.postal_code, address.city) == (
            "12 rue de la Paix", "92100", "Boulogne",
        )  # fmt: skip

    def test_unknown_columns_are_ignored_and_listed(self) -> None:
        data = french_csv(
            f"Dupont;{REAL_SIRET};12 rue X, 92100 Boulogne;92;a@dupont.fr;Jean;2019",
            header="Raison sociale;SIRET;Adresse;Département;Email;Gérant;Année d'adhésion",
        )
        report = parse(data)
        assert report.ok
        assert report.ignored_columns == ("Gérant", "Année d'adhésion")

    def test_blank_lines_are_skipped_and_lines_keep_their_numbers(self) -> None:
        bad = FRENCH_ROWS[1].replace("93;", "75;")
        data = "\r\n" + french_csv(FRENCH_ROWS[0], "", ";;;;;;;", bad)
        report = parse(data)
        assert codes(report) == [(6, "department", "not_covered")]
        assert [row.line for row in report.valid] == [3]

    def test_multi_line_quoted_cells_keep_the_line_numbers_right(self) -> None:
        data = french_csv(
            "Atelier;"
            + REAL_SIRET
            + ';;;"12 rue de la Paix\nBâtiment B, 92100 Boulogne";92;a@a.fr;',
            FRENCH_ROWS[1].replace("martin@boulangerie.fr", "nope"),
            newline="\n",
        )
        report = parse(data)
        assert [row.line for row in report.valid] == [2]
        assert codes(report) == [(4, "email", "bad_format")]


class TestReport:
    def test_every_error_of_every_row_is_reported_with_its_line(self) -> None:
        data = french_csv(
            FRENCH_ROWS[0],
            ";73282932000079;;62;somewhere;20;nope;12",
            FRENCH_ROWS[2],
        )
        report = parse(data)
        assert not report.ok
        assert codes(report) == [
            (3, "name", "required"),
            (3, "siret", "bad_checksum"),
            (3, "naf", "bad_format"),
            (3, "address", "bad_format"),
            (3, "department", "corsica"),
            (3, "email", "bad_format"),
            (3, "phone", "bad_format"),
        ]
        assert [row.line for row in report.valid] == [2, 4]
        assert all(isinstance(e, RowError) and e.message for e in report.errors)

    def test_one_bad_row_makes_the_whole_report_not_ok(self) -> None:
        report = parse(french_csv(*FRENCH_ROWS, FRENCH_ROWS[0].replace("92;", "75;")))
        assert len(report.valid) == 3
        assert not report.ok  # the caller admits nobody

    def test_department_must_be_covered_by_the_tenant(self) -> None:
        report = parse(french_csv(FRENCH_ROWS[0].replace(";92;", ";75;")))
        assert codes(report) == [(2, "department", "not_covered")]

    def test_vat_number_of_another_company_is_refused(self) -> None:
        report = parse(french_csv(FRENCH_ROWS[0].replace(REAL_VAT, vat_for(SIRET_B[:9]))))
        assert codes(report) == [(2, "vat_number", "mismatch")]

    def test_siret_already_in_the_network(self) -> None:
        report = parse(french_csv(*FRENCH_ROWS), existing={"732 829 320 00074"})
        assert codes(report) == [(2, "siret", "duplicate")]

    def test_the_report_names_the_file_s_sirets_for_the_network_lookup(self) -> None:
        first = FRENCH_ROWS[0].replace("contact@atelier.fr", "nope")
        no_siret = "Sans SIRET;123;;;1 rue A, 92100 B;92;a@b.fr;"
        report = parse(french_csv(first, *FRENCH_ROWS[1:], no_siret))
        assert report.sirets == (
            "73282932000074",
            SIRET_B.replace(" ", ""),
            SIRET_C.replace(" ", ""),
        )

    def test_siret_twice_in_the_file(self) -> None:
        report = parse(french_csv(*FRENCH_ROWS, FRENCH_ROWS[0].replace("Atelier", "Autre")))
        assert codes(report) == [(5, "siret", "duplicate_in_file")]
        assert "line 2" in report.errors[0].message

    def test_siret_twice_is_caught_even_when_the_first_row_has_other_errors(self) -> None:
        first = FRENCH_ROWS[0].replace("contact@atelier.fr", "nope")
        report = parse(french_csv(first, FRENCH_ROWS[0]))
        assert codes(report) == [(2, "email", "bad_format"), (3, "siret", "duplicate_in_file")]

    def test_spreadsheet_mangled_siret_gets_a_hint(self) -> None:
        report = parse(french_csv(FRENCH_ROWS[0].replace("732 829 320 00074", "7,32829E+13")))
        assert codes(report) == [(2, "siret", "scientific_notation")]

    def test_too_many_cells_usually_means_an_unquoted_delimiter(self) -> None:
        row = FRENCH_ROWS[0].replace("12 rue de la Paix, 92100", "12 rue de la Paix; 92100")
        report = parse(french_csv(row))
        assert codes(report) == [(2, "row", "too_many_cells")]

    def test_short_rows_report_missing_values(self) -> None:
        report = parse(french_csv(f"Atelier;{REAL_SIRET}"))
        assert codes(report) == [
            (2, "address", "required"),
            (2, "department", "required"),
            (2, "email", "required"),
        ]


class TestFileErrors:
    @pytest.mark.parametrize("data", ["", "\r\n \r\n", b"", b"\xef\xbb\xbf"])
    def test_empty_file(self, data: str | bytes) -> None:
        assert codes(parse(data)) == [(1, "file", "empty_file")]

    def test_header_without_rows(self) -> None:
        assert codes(parse(french_csv())) == [(1, "file", "no_rows")]

    def test_missing_required_columns(self) -> None:
        report = parse(french_csv("Atelier;a@a.fr", header="Raison sociale;Email"))
        assert codes(report) == [
            (1, "siret", "missing_column"),
            (1, "address", "missing_column"),
            (1, "department", "missing_column"),
        ]
        assert not report.valid

    def test_duplicate_columns(self) -> None:
        header = "Raison sociale;Nom;SIRET;Adresse;Département;Email"
        report = parse(french_csv("A;B;" + REAL_SIRET + ";x;92;a@a.fr", header=header))
        assert codes(report) == [(1, "name", "duplicate_column")]

    def test_too_many_rows(self) -> None:
        report = parse(french_csv(*FRENCH_ROWS), max_rows=2)
        assert codes(report) == [(4, "file", "too_many_rows")]
        assert not report.valid

    @pytest.mark.parametrize("tail", ['x;"unterminated;', 'x;"quoted"then text;'])
    def test_malformed_csv_is_refused_whole(self, tail: str) -> None:
        report = parse(french_csv(FRENCH_ROWS[0]) + tail)
        assert [(e.field, e.code) for e in report.errors] == [("file", "bad_csv")]
        assert report.errors[0].line == 3
        assert not report.valid
