"""Bulk admission from CSV over HTTP: everyone admitted in one transaction, or nobody and a report
per row; uploads as a form file or a text/csv body, with a size limit."""

from __future__ import annotations

import io
import uuid

from sqlalchemy import func, select

from gateway.db import MemberRow
from tests.unit.gateway.builders import vat_for

from .conftest import World, fresh_siret

HEADER = "Raison sociale;SIRET;N° TVA intracommunautaire;Adresse;Département;E-mail;Téléphone"


def row(name: str, siret: str | None = None, department: str = "92", **cells: str) -> str:
    siret = siret or fresh_siret()
    values = {
        "vat": vat_for(siret[:9]),
        "address": "5 rue Pasteur, 94000 Créteil"
        if department == "94"
        else "12 rue de la Paix, 92100 Boulogne",
        "email": f"{uuid.uuid4().hex[:8]}@example.fr",
        "phone": "01 23 45 67 89",
        **cells,
    }
    return ";".join(
        [
            name,
            siret,
            values["vat"],
            values["address"],
            department,
            values["email"],
            values["phone"],
        ]
    )


def csv_file(*rows: str) -> bytes:
    return ("\r\n".join([HEADER, *rows]) + "\r\n").encode("utf-8-sig")


def members_of(gw: World, tenant: str) -> int:
    with gw.app.engine.connect() as conn:
        return int(
            conn.execute(
                select(func.count()).select_from(MemberRow).where(MemberRow.tenant == tenant)
            ).scalar_one()
        )


def test_a_clean_file_admits_everyone_and_stages_their_events(gw: World) -> None:
    data = csv_file(
        row("Atelier Lumière"),
        row("Boulangerie Martin", department="94"),
        row("Imprimerie du Val", department="93"),
    )
    response = gw.client.post(
        f"/t/{gw.tenant_a}/members/import",
        headers=gw.animator_a,
        data={"file": (io.BytesIO(data), "adherents.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 201, response.json
    assert response.json["admitted"] == 3
    assert {m["name"] for m in response.json["members"]} == {
        "Atelier Lumière",
        "Boulangerie Martin",
        "Imprimerie du Val",
    }
    assert gw.event_names(gw.tenant_a).count("member_admitted") == 3
    admitted = {
        str(e.message().member_id)
        for e in gw.events(gw.tenant_a)
        if e.type.endswith("member_admitted.v1")
    }
    assert admitted == {m["id"] for m in response.json["members"]}


def test_a_text_csv_body_works_too(gw: World) -> None:
    response = gw.client.post(
        f"/t/{gw.tenant_a}/members/import",
        headers=gw.animator_a,
        data=csv_file(row("Garage Central")),
        content_type="text/csv",
    )
    assert response.status_code == 201, response.json
    assert response.json["admitted"] == 1


def test_one_bad_row_admits_nobody_and_the_report_names_every_problem(gw: World) -> None:
    existing = gw.admit()["siret"]
    duplicate = fresh_siret()
    data = csv_file(
        row("Bonne Entreprise"),
        row("Mauvais SIRET", siret="73282932000075"),
        row("Hors territoire", department="75"),
        row("Déjà membre", siret=existing),
        row("Doublon 1", siret=duplicate),
        row("Doublon 2", siret=duplicate),
    )
    response = gw.client.post(
        f"/t/{gw.tenant_a}/members/import",
        headers=gw.animator_a,
        data=data,
        content_type="text/csv",
    )
    assert response.status_code == 422
    body = response.json
    assert body["code"] == "import_refused"
    assert body["valid_rows"] == 2
    problems = {(r["line"], r["field"], r["code"]) for r in body["rows"]}
    assert problems == {
        (3, "siret", "bad_checksum"),
        (4, "department", "not_covered"),
        (5, "siret", "duplicate"),
        (7, "siret", "duplicate_in_file"),
    }
    assert "line 3.siret" in body["errors"]
    assert members_of(gw, gw.tenant_a) == 1
    assert gw.event_names(gw.tenant_a).count("member_admitted") == 1


def test_a_file_without_the_required_columns_is_refused_whole(gw: World) -> None:
    response = gw.client.post(
        f"/t/{gw.tenant_a}/members/import",
        headers=gw.animator_a,
        data=b"Nom;Ville\nA;Paris\n",
        content_type="text/csv",
    )
    assert response.status_code == 422
    missing = {r["field"] for r in response.json["rows"] if r["code"] == "missing_column"}
    assert missing == {"siret", "address", "department", "email"}


def test_the_size_limit(gw: World) -> None:
    limit = gw.app.settings.import_max_bytes
    big = csv_file(row("Grosse Entreprise")) + b"x" * limit
    response = gw.client.post(
        f"/t/{gw.tenant_a}/members/import",
        headers=gw.animator_a,
        data={"file": (io.BytesIO(big), "big.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert response.json["code"] == "file_too_large"
    assert members_of(gw, gw.tenant_a) == 0


def test_no_file_is_a_named_error(gw: World) -> None:
    response = gw.client.post(
        f"/t/{gw.tenant_a}/members/import", headers=gw.animator_a, json={"rows": []}
    )
    assert response.status_code == 422
    assert "file" in response.json["errors"]
