"""Bulk admission of members from a CSV file: parse, validate every row, report per row.

Standard library only. Associations keep their member lists in spreadsheets, so the reader takes
what French Excel writes: UTF-8 with or without a BOM (Windows-1252 as a fallback), ``;`` or
``,`` (or tab) as delimiter, and French or English column names.

All or nothing: `parse_members_csv` only *reports*. The caller admits the valid rows only when
the report has no error at all (`ImportReport.ok`), in one transaction; a file with one bad row
admits nobody, so the association fixes its file and sends it again whole.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from gateway.domain.errors import ValidationError, ValidationErrors
from gateway.domain.identifiers import strip_spaces, validate_siret
from gateway.domain.model import MemberApplication, Tenant, ensure_siret_not_taken

__all__ = [
    "COLUMN_ALIASES",
    "MAX_ROWS",
    "REQUIRED_COLUMNS",
    "ImportReport",
    "RowError",
    "ValidRow",
    "parse_members_csv",
]

#: A file longer than this is refused whole: split it.
MAX_ROWS = 5000

#: Header names (lowercase, without accents or punctuation) -> the field they fill.
COLUMN_ALIASES: Mapping[str, str] = {
    **dict.fromkeys(
        ("raison sociale", "name", "nom", "denomination", "entreprise", "societe",
         "legal name", "company", "company name"), "name"),
    **dict.fromkeys(
        ("siret", "n siret", "no siret", "numero siret", "numero de siret", "siret number"),
        "siret"),
    **dict.fromkeys(
        ("tva", "vat", "vat number", "n tva", "no tva", "numero tva", "numero de tva",
         "tva intracommunautaire", "n tva intracommunautaire", "numero de tva intracommunautaire",
         "vat id"), "vat_number"),
    **dict.fromkeys(
        ("naf", "ape", "code naf", "code ape", "naf ape", "code naf ape", "naf code"), "naf"),
    **dict.fromkeys(
        ("adresse", "address", "adresse postale", "rue", "street"), "address"),
    **dict.fromkeys(("code postal", "cp", "postal code", "postcode", "zip code"), "postal_code"),
    **dict.fromkeys(("ville", "city", "commune"), "city"),
    **dict.fromkeys(
        ("departement", "department", "dept", "dep", "dpt", "code departement"), "department"),
    **dict.fromkeys(
        ("email", "e mail", "courriel", "mail", "adresse email", "adresse e mail",
         "adresse mail"), "email"),
    **dict.fromkeys(
        ("telephone", "phone", "tel", "phone number", "numero de telephone", "portable",
         "mobile"), "phone"),
}  # fmt: skip
#: The columns a file must have; the others are optional.
REQUIRED_COLUMNS = ("name", "siret", "address", "department", "email")

_DELIMITERS = (";", ",", "\t")
_HEADER_PUNCTUATION = re.compile(r"[\s_\-.'’/°:()]+")


@dataclass(frozen=True, slots=True)
class RowError:
    """Why one row (or the whole file, for `field` ``"file"``) was refused."""

    line: int
    field: str
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class ValidRow:
    """A row that passed every check, ready to be admitted."""

    line: int
    application: MemberApplication


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What `parse_members_csv` found: valid rows, and every error with its line."""

    valid: tuple[ValidRow, ...]
    errors: tuple[RowError, ...]
    ignored_columns: tuple[str, ...] = ()
    #: Every well-formed SIRET of the file: the ones a caller looks up among the network's.
    sirets: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when nothing is wrong, the only case in which the caller admits anyone."""
        return not self.errors

    @property
    def applications(self) -> tuple[MemberApplication, ...]:
        """The applications of the valid rows, in file order."""
        return tuple(row.application for row in self.valid)


def _file_error(code: str, message: str, line: int = 1, field: str = "file") -> ImportReport:
    return ImportReport(valid=(), errors=(RowError(line, field, code, message),))


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's plain "CSV (séparateur: point-virgule)" is Windows-1252, not UTF-8.
        return data.decode("cp1252")


def _normalize_header(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.removeprefix("\ufeff"))
    ascii_name = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _HEADER_PUNCTUATION.sub(" ", ascii_name.casefold()).strip()


def _detect_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ";"


def _address_value(cells: Mapping[str, str]) -> object:
    if cells.get("postal_code") or cells.get("city"):
        return {
            "street": cells.get("address", ""),
            "postal_code": cells.get("postal_code", ""),
            "city": cells.get("city", ""),
        }
    return cells.get("address", "")


def parse_members_csv(
    data: bytes | str,
    *,
    tenant: Tenant,
    existing_sirets: Collection[str],
    max_rows: int = MAX_ROWS,
) -> ImportReport:
    """Validate a members CSV for `tenant`; admit nothing unless the report is `ok`.

    Every row is checked as a single admission would be (identifiers, VAT↔SIRET consistency,
    department covered by the tenant, SIRET not already in the network among `existing_sirets`),
    plus SIRETs repeated within the file. Lines are numbered as in a text editor, header included;
    blank rows are skipped; unknown columns are ignored and listed.
    """
    taken = frozenset(strip_spaces(s) for s in existing_sirets)
    try:
        text = _decode(data)
    except UnicodeDecodeError:
        return _file_error("encoding", "the file is neither UTF-8 nor Windows-1252 text")
    first_line = next((line for line in text.splitlines() if line.strip()), None)
    if first_line is None:
        return _file_error("empty_file", "the file is empty")
    # strict: an unclosed quote must be an error, not a cell silently swallowing the next rows.
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=_detect_delimiter(first_line), strict=True
    )

    try:
        header_row: list[str] = []
        header_line = 0
        for header_row in reader:
            header_line = reader.line_num
            if any(cell.strip() for cell in header_row):
                break
        columns, ignored, header_errors = _map_columns(header_row, header_line)
        if header_errors:
            return ImportReport(valid=(), errors=tuple(header_errors), ignored_columns=ignored)

        valid: list[ValidRow] = []
        errors: list[RowError] = []
        first_line_of_siret: dict[str, int] = {}
        previous_end = reader.line_num
        rows = 0
        for row in reader:
            line, previous_end = previous_end + 1, reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            rows += 1
            if rows > max_rows:
                return _file_error(
                    "too_many_rows",
                    f"the file has more than {max_rows} members; split it into smaller files",
                    line=line,
                )
            if any(cell.strip() for cell in row[len(header_row) :]):
                errors.append(
                    RowError(
                        line,
                        "row",
                        "too_many_cells",
                        "this row has more cells than the header has columns; "
                        "quote values that contain the delimiter",
                    )
                )
                continue
            cells = {f: row[i].strip() for i, f in columns.items() if i < len(row)}
            row_errors, application = _check_row(cells, tenant, taken)
            siret = _valid_siret_or_none(cells.get("siret", ""))
            if siret is not None:
                first = first_line_of_siret.setdefault(siret, line)
                if first != line:
                    row_errors.append(
                        ValidationError(
                            "siret",
                            "duplicate_in_file",
                            f"SIRET {siret} is already on line {first} of this file",
                        )
                    )
            if row_errors:
                errors.extend(RowError(line, e.field, e.code, e.message) for e in row_errors)
            elif application is not None:
                valid.append(ValidRow(line, application))
    except csv.Error as error:
        return _file_error("bad_csv", f"the file is not valid CSV: {error}", line=reader.line_num)

    if rows == 0:
        return _file_error("no_rows", "the file has a header but no member rows", line=header_line)
    return ImportReport(
        valid=tuple(valid),
        errors=tuple(errors),
        ignored_columns=ignored,
        sirets=tuple(first_line_of_siret),
    )


def _map_columns(
    header: list[str], line: int
) -> tuple[dict[int, str], tuple[str, ...], list[RowError]]:
    """Map column positions to fields; report duplicated and missing required columns."""
    columns: dict[int, str] = {}
    seen: dict[str, str] = {}
    ignored: list[str] = []
    errors: list[RowError] = []
    for index, raw in enumerate(header):
        name = raw.strip()
        if not name:
            continue
        field = COLUMN_ALIASES.get(_normalize_header(name))
        if field is None:
            ignored.append(name)
        elif field in seen:
            errors.append(
                RowError(
                    line,
                    field,
                    "duplicate_column",
                    f"columns {seen[field]!r} and {name!r} both give the {field}; keep one",
                )
            )
        else:
            seen[field] = name
            columns[index] = field
    for field in REQUIRED_COLUMNS:
        if field not in seen:
            names = sorted(n for n, f in COLUMN_ALIASES.items() if f == field)[:3]
            errors.append(
                RowError(
                    line,
                    field,
                    "missing_column",
                    f"the header has no {field} column (e.g. {', '.join(names)})",
                )
            )
    return columns, tuple(ignored), errors


def _valid_siret_or_none(value: str) -> str | None:
    try:
        return validate_siret(value)
    except ValidationError:
        return None


def _check_row(
    cells: Mapping[str, str], tenant: Tenant, existing_sirets: Collection[str]
) -> tuple[list[ValidationError], MemberApplication | None]:
    try:
        application = MemberApplication.parse(
            name=cells.get("name", ""),
            siret=cells.get("siret", ""),
            address=_address_value(cells),
            department=cells.get("department", ""),
            email=cells.get("email", ""),
            vat_number=cells.get("vat_number"),
            naf=cells.get("naf"),
            phone=cells.get("phone"),
        )
    except ValidationErrors as group:
        return list(group.errors), None
    errors: list[ValidationError] = []
    try:
        tenant.ensure_covers(application.department)
    except ValidationError as error:
        errors.append(error)
    try:
        ensure_siret_not_taken(application.siret, existing_sirets)
    except ValidationError as error:
        errors.append(error)
    return errors, application
