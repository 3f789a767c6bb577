"""Validators for the identifiers of French companies and their contacts; standard library only.

SIREN/SIRET (length and Luhn key, with La Poste's exception), intra-EU French VAT numbers, NAF/APE
codes, department codes, slugs, e-mail addresses and French phone numbers. Each validator returns
the normalised value or raises `ValidationError(field, code, message)`; codes are stable.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType

from gateway.domain.errors import ValidationError

__all__ = [
    "DEPARTMENTS",
    "ILE_DE_FRANCE",
    "LA_POSTE_SIREN",
    "ValidationError",
    "department_name",
    "ensure_identifiers_consistent",
    "luhn_check_digit",
    "luhn_is_valid",
    "normalize_email",
    "siren_of",
    "strip_spaces",
    "validate_department",
    "validate_departments",
    "validate_email",
    "validate_naf",
    "validate_phone",
    "validate_siren",
    "validate_siret",
    "validate_slug",
    "validate_vat_number",
    "vat_key",
    "vat_number_for_siren",
]

#: Whitespace seen in pasted identifiers: French typography and Excel use (narrow) no-break spaces.
_SPACES = re.compile(r"[\s\u00a0\u202f\u2007]+")


def strip_spaces(value: str) -> str:
    """Remove every space, including the no-break spaces of French number formatting."""
    return _SPACES.sub("", value)


def _text(value: object, field: str) -> str:
    """Return `value` stripped, refusing non-text and blank values."""
    if not isinstance(value, str):
        raise ValidationError(field, "invalid_type", "must be given as text")
    value = value.strip()
    if not value:
        raise ValidationError(field, "required", "is required")
    return value


# --- Luhn -----------------------------------------------------------------------------------


def _luhn_sum(digits: str) -> int:
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total


def luhn_is_valid(digits: str) -> bool:
    """Tell whether a string of digits passes the Luhn check (its last digit is the key)."""
    return digits.isascii() and digits.isdigit() and _luhn_sum(digits) % 10 == 0


def luhn_check_digit(partial: str) -> str:
    """Return the digit that, appended to `partial`, makes it pass the Luhn check."""
    if not (partial.isascii() and partial.isdigit()):
        raise ValueError("luhn_check_digit needs digits only")
    return str((10 - _luhn_sum(partial + "0") % 10) % 10)


# --- SIREN, SIRET ---------------------------------------------------------------------------

#: La Poste's SIREN: its establishments' SIRETs do not follow Luhn but a sum-of-digits rule.
LA_POSTE_SIREN = "356000000"
#: La Poste's head office, the one SIRET of that SIREN that does follow Luhn.
_LA_POSTE_HEAD_OFFICE = "35600000000048"

_EXCEL_SCIENTIFIC = re.compile(r"^\d+([.,]\d+)?E\+?\d+$", re.IGNORECASE)


def _digits(value: object, field: str, length: int, label: str) -> str:
    text = strip_spaces(_text(value, field))
    if _EXCEL_SCIENTIFIC.match(text):
        raise ValidationError(
            field,
            "scientific_notation",
            f"{label} was turned into a number in scientific notation ({text}), "
            "probably by a spreadsheet; format the column as text and export again",
        )
    if not (text.isascii() and text.isdigit()):
        raise ValidationError(field, "not_digits", f"{label} must contain digits only")
    if len(text) != length:
        hint = "; a spreadsheet may have dropped leading zeros" if len(text) < length else ""
        raise ValidationError(
            field, "bad_length", f"{label} must have {length} digits, not {len(text)}{hint}"
        )
    return text


def validate_siren(value: object, field: str = "siren") -> str:
    """Return the 9-digit SIREN with spaces removed, or raise if its length or Luhn key is wrong."""
    siren = _digits(value, field, 9, "A SIREN")
    if not luhn_is_valid(siren):
        raise ValidationError(
            field, "bad_checksum", "this SIREN's check digit is wrong; check for a typo"
        )
    return siren


def validate_siret(value: object, field: str = "siret") -> str:
    """Return the 14-digit SIRET with spaces removed, or raise if its length or key is wrong.

    The 14 digits follow Luhn, and so do their first nine (the SIREN). La Poste is the documented
    exception: its establishments share SIREN 356000000 and INSEE gives them SIRETs whose digit
    sum is a multiple of 5 instead; only its head office, 356 000 000 00048, follows Luhn.
    """
    siret = _digits(value, field, 14, "A SIRET")
    if siret.startswith(LA_POSTE_SIREN) and siret != _LA_POSTE_HEAD_OFFICE:
        valid = sum(int(d) for d in siret) % 5 == 0
    else:
        valid = luhn_is_valid(siret) and luhn_is_valid(siret[:9])
    if not valid:
        raise ValidationError(
            field, "bad_checksum", "this SIRET's check digit is wrong; check for a typo"
        )
    return siret


def siren_of(siret: str) -> str:
    """Return the SIREN (first nine digits) of an already validated SIRET."""
    return siret[:9]


# --- VAT numbers ----------------------------------------------------------------------------

#: The characters a French VAT key may use: digits, and capitals except I and O.
_VAT_KEY_ALPHABET = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
_VAT_SEPARATORS = re.compile(r"[\s\u00a0\u202f.\-]+")


def vat_key(siren: str) -> str:
    """Return the numeric VAT key of a SIREN: (12 + 3 × (SIREN mod 97)) mod 97, on 2 digits."""
    return f"{(12 + 3 * (int(siren) % 97)) % 97:02d}"


def vat_number_for_siren(siren: str) -> str:
    """Return the French VAT number (numeric key) of a SIREN, e.g. ``FR44732829320``."""
    return f"FR{vat_key(siren)}{siren}"


def _alphanumeric_key_is_valid(key: str, siren: str) -> bool:
    # The "new style" keys (used when numeric keys ran out) carry at least one letter; the tax
    # administration's rule maps the two characters to a number and checks it modulo 11.
    first, second = (_VAT_KEY_ALPHABET.index(c) for c in key)
    check = first * 24 + second - 10 if key[0].isdigit() else first * 34 + second - 100
    return (int(siren) + 1 + check // 11) % 11 == check % 11


def validate_vat_number(value: object, field: str = "vat_number") -> str:
    """Return a French intra-EU VAT number as ``FR`` + key + SIREN, or raise if it is wrong.

    Spaces, dots and hyphens are removed and letters upper-cased. The SIREN part must pass Luhn
    and the key must match it: numeric keys are (12 + 3 × (SIREN mod 97)) mod 97; keys with a
    letter use the administration's alphanumeric rule.
    """
    text = _VAT_SEPARATORS.sub("", _text(value, field)).upper()
    if not text.startswith("FR"):
        raise ValidationError(
            field, "bad_format", "a French VAT number starts with FR, e.g. FR44732829320"
        )
    key, siren = text[2:4], text[4:]
    if len(text) != 13 or not (siren.isascii() and siren.isdigit()):
        raise ValidationError(
            field,
            "bad_format",
            "a French VAT number is FR, a 2-character key and the 9-digit SIREN: FR44732829320",
        )
    if any(c not in _VAT_KEY_ALPHABET for c in key):
        raise ValidationError(
            field, "bad_format", "the VAT key is two digits or capital letters (never I or O)"
        )
    if not luhn_is_valid(siren):
        raise ValidationError(
            field, "bad_checksum", "the SIREN inside this VAT number has a wrong check digit"
        )
    if key.isdigit():
        if key != vat_key(siren):
            raise ValidationError(
                field,
                "bad_key",
                f"the VAT key does not match the SIREN; for SIREN {siren} "
                f"the VAT number is {vat_number_for_siren(siren)}",
            )
    elif not _alphanumeric_key_is_valid(key, siren):
        raise ValidationError(field, "bad_key", "the VAT key does not match the SIREN")
    return text


def ensure_identifiers_consistent(
    *, siren: str | None = None, siret: str | None = None, vat_number: str | None = None
) -> None:
    """Raise unless the given (already validated) SIREN, SIRET and VAT number name one company."""
    expected = siren if siren is not None else (siren_of(siret) if siret is not None else None)
    if siren is not None and siret is not None and siren_of(siret) != siren:
        raise ValidationError("siret", "mismatch", f"this SIRET does not belong to SIREN {siren}")
    if vat_number is not None and expected is not None and vat_number[4:] != expected:
        raise ValidationError(
            "vat_number",
            "mismatch",
            f"this VAT number is not the company's: for SIREN {expected} "
            f"it is {vat_number_for_siren(expected)}",
        )


# --- NAF / APE codes --------------------------------------------------------------------------

_NAF = re.compile(r"^(\d{2})\.?(\d{2})([A-Z])$")


def validate_naf(value: object, field: str = "naf") -> str:
    """Return a NAF/APE code in INSEE's form ``62.01Z`` (``6201Z`` and ``62 01 z`` accepted)."""
    text = strip_spaces(_text(value, field)).upper()
    match = _NAF.match(text)
    if match is None:
        raise ValidationError(
            field, "bad_format", "a NAF (APE) code is 4 digits and a letter, e.g. 62.01Z"
        )
    division, group, letter = match.groups()
    return f"{division}.{group}{letter}"


# --- Departments ------------------------------------------------------------------------------

#: Every French department by its INSEE code, in INSEE order, plus Saint-Pierre-et-Miquelon
#: (975): an overseas collectivity, not a department, kept because its companies are in SIRENE
#: and the overseas codes are usually given as the range 971-976.
DEPARTMENTS: Mapping[str, str] = MappingProxyType(
    {
        "01": "Ain", "02": "Aisne", "03": "Allier", "04": "Alpes-de-Haute-Provence",
        "05": "Hautes-Alpes", "06": "Alpes-Maritimes", "07": "Ardèche", "08": "Ardennes",
        "09": "Ariège", "10": "Aube", "11": "Aude", "12": "Aveyron", "13": "Bouches-du-Rhône",
        "14": "Calvados", "15": "Cantal", "16": "Charente", "17": "Charente-Maritime",
        "18": "Cher", "19": "Corrèze", "2A": "Corse-du-Sud", "2B": "Haute-Corse",
        "21": "Côte-d'Or", "22": "Côtes-d'Armor", "23": "Creuse", "24": "Dordogne",
        "25": "Doubs", "26": "Drôme", "27": "Eure", "28": "Eure-et-Loir", "29": "Finistère",
        "30": "Gard", "31": "Haute-Garonne", "32": "Gers", "33": "Gironde", "34": "Hérault",
        "35": "Ille-et-Vilaine", "36": "Indre", "37": "Indre-et-Loire", "38": "Isère",
        "39": "Jura", "40": "Landes", "41": "Loir-et-Cher", "42": "Loire", "43": "Haute-Loire",
        "44": "Loire-Atlantique", "45": "Loiret", "46": "Lot", "47": "Lot-et-Garonne",
        "48": "Lozère", "49": "Maine-et-Loire", "50": "Manche", "51": "Marne",
        "52": "Haute-Marne", "53": "Mayenne", "54": "Meurthe-et-Moselle", "55": "Meuse",
        "56": "Morbihan", "57": "Moselle", "58": "Nièvre", "59": "Nord", "60": "Oise",
        "61": "Orne", "62": "Pas-de-Calais", "63": "Puy-de-Dôme", "64": "Pyrénées-Atlantiques",
        "65": "Hautes-Pyrénées", "66": "Pyrénées-Orientales", "67": "Bas-Rhin",
        "68": "Haut-Rhin", "69": "Rhône", "70": "Haute-Saône", "71": "Saône-et-Loire",
        "72": "Sarthe", "73": "Savoie", "74": "Haute-Savoie", "75": "Paris",
        "76": "Seine-Maritime", "77": "Seine-et-Marne", "78": "Yvelines", "79": "Deux-Sèvres",
        "80": "Somme", "81": "Tarn", "82": "Tarn-et-Garonne", "83": "Var", "84": "Vaucluse",
        "85": "Vendée", "86": "Vienne", "87": "Haute-Vienne", "88": "Vosges", "89": "Yonne",
        "90": "Territoire de Belfort", "91": "Essonne", "92": "Hauts-de-Seine",
        "93": "Seine-Saint-Denis", "94": "Val-de-Marne", "95": "Val-d'Oise",
        "971": "Guadeloupe", "972": "Martinique", "973": "Guyane", "974": "La Réunion",
        "975": "Saint-Pierre-et-Miquelon", "976": "Mayotte",
    }
)  # fmt: skip

#: The eight departments of Île-de-France.
ILE_DE_FRANCE: frozenset[str] = frozenset({"75", "77", "78", "91", "92", "93", "94", "95"})

_DEPARTMENT_ORDER = {code: index for index, code in enumerate(DEPARTMENTS)}


def validate_department(value: object, field: str = "department") -> str:
    """Return an INSEE department code (``"01"``, ``"2A"``, ``"971"``) or raise.

    A single digit is padded (spreadsheets turn ``01`` into ``1``); ``20`` is refused with a
    hint, since Corsica has been split into 2A and 2B since 1976.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    code = strip_spaces(_text(value, field)).upper()
    if len(code) == 1 and code.isdigit():
        code = code.zfill(2)
    if code == "20":
        raise ValidationError(
            field,
            "corsica",
            "20 is no longer a department: use 2A (Corse-du-Sud) or 2B (Haute-Corse)",
        )
    if code not in DEPARTMENTS:
        raise ValidationError(
            field, "unknown_department", f"{code!r} is not a French department code"
        )
    return code


def validate_departments(values: object, field: str = "departments") -> tuple[str, ...]:
    """Return a non-empty list of department codes, deduplicated and in INSEE order."""
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise ValidationError(field, "invalid_type", "must be a list of department codes")
    codes = {validate_department(v, field) for v in values}
    if not codes:
        raise ValidationError(field, "required", "at least one department is required")
    return tuple(sorted(codes, key=_DEPARTMENT_ORDER.__getitem__))


def department_name(code: str) -> str:
    """Return the name of a department code, e.g. ``"92"`` -> ``"Hauts-de-Seine"``."""
    return DEPARTMENTS[validate_department(code)]


# --- Slugs ------------------------------------------------------------------------------------

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def validate_slug(value: object, field: str = "slug") -> str:
    """Return a slug: 2-40 lowercase letters, digits and single inner hyphens (``fa-77-91``)."""
    slug = _text(value, field)
    if not 2 <= len(slug) <= 40:
        raise ValidationError(field, "bad_length", "must have between 2 and 40 characters")
    if not _SLUG.match(slug):
        raise ValidationError(
            field,
            "bad_format",
            "may only contain lowercase letters a-z, digits and single hyphens between them",
        )
    return slug


# --- E-mail -----------------------------------------------------------------------------------

_LOCAL_PART = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")
_DOMAIN_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")


def normalize_email(value: str) -> str:
    """Return an e-mail address stripped and lowercased, the form used to find accounts.

    The local part is case-sensitive in theory; in practice no provider treats it so, and users
    type it in any case, so one lowercase form avoids duplicate accounts.
    """
    return value.strip().lower()


def validate_email(value: object, field: str = "email") -> str:
    """Return a normalised e-mail address or raise: one @, a sane local part, a dotted domain.

    Deliberately simple: deliverability is proven by sending mail, not by a regex. Internationalised
    domains are stored in their ASCII (punycode) form; local parts must be ASCII.
    """
    email = normalize_email(_text(value, field))
    if len(email) > 254:
        raise ValidationError(field, "bad_length", "an e-mail address has at most 254 characters")
    local, at, domain = email.rpartition("@")
    if not at or not local or not domain:
        raise ValidationError(field, "bad_format", "is not an e-mail address (name@example.fr)")
    if len(local) > 64 or not _LOCAL_PART.match(local):
        raise ValidationError(field, "bad_format", "the part before @ is not valid")
    try:
        ascii_domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        raise ValidationError(field, "bad_format", "the domain after @ is not valid") from None
    labels = ascii_domain.split(".")
    if (
        len(labels) < 2
        or not all(_DOMAIN_LABEL.match(label) for label in labels)
        or labels[-1].isdigit()
    ):
        raise ValidationError(
            field, "bad_format", "the domain after @ is not valid (e.g. example.fr)"
        )
    return f"{local}@{ascii_domain}"


# --- Phone numbers ----------------------------------------------------------------------------

#: Overseas numbering: leading digits of the national number -> E.164 country code.
_OVERSEAS_PREFIXES: Mapping[str, str] = MappingProxyType(
    {
        "590": "590", "690": "590", "691": "590",  # Guadeloupe, Saint-Martin, Saint-Barthélemy
        "594": "594", "694": "594",  # Guyane
        "596": "596", "696": "596", "697": "596",  # Martinique
        "262": "262", "692": "262", "693": "262",  # La Réunion
        "269": "262", "639": "262",  # Mayotte
    }
)  # fmt: skip
_COUNTRY_CODES = ("33", "590", "594", "596", "262")
_PHONE_SEPARATORS = re.compile(r"[\s\u00a0\u202f.\-/()]+")


def validate_phone(value: object, field: str = "phone") -> str:
    """Return a French phone number in E.164 form, e.g. ``01 23 45 67 89`` -> ``+33123456789``.

    Accepts national (``0X XX XX XX XX``) and international (``+33``, ``0033``, ``+33 (0)1 …``)
    forms. Overseas numbers get their own country code (``0590 …`` -> ``+590590…``), as E.164
    requires.
    """
    text = _text(value, field)
    compact = _PHONE_SEPARATORS.sub("", text.replace("(0)", ""))
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    given_code: str | None = None
    if compact.startswith("+"):
        given_code = next((c for c in _COUNTRY_CODES if compact[1:].startswith(c)), None)
        if given_code is None:
            raise ValidationError(
                field, "not_french", "only French numbers (+33 or overseas) are accepted"
            )
        national = compact[1 + len(given_code) :]
        if len(national) == 10 and national.startswith("0"):
            national = national[1:]
    elif compact.startswith("0"):
        national = compact[1:]
    else:
        national = compact
        if len(national) != 9 or not national.isdigit():
            raise ValidationError(
                field, "bad_format", "write a French number as 0X XX XX XX XX or +33 X XX XX XX XX"
            )
    if not (national.isascii() and national.isdigit()) or len(national) != 9:
        raise ValidationError(field, "bad_format", "a French number has 10 digits: 0X XX XX XX XX")
    if national[0] == "0":
        raise ValidationError(field, "bad_format", "a French number never starts with 00")
    code = _OVERSEAS_PREFIXES.get(national[:3], "33")
    if given_code not in (None, "33", code):
        raise ValidationError(
            field, "bad_format", f"this number does not belong to the +{given_code} territory"
        )
    return f"+{code}{national}"
