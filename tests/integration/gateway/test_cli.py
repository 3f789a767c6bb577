"""The operator's command line and the demo seed, on the test database of the session."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from gateway import cli
from gateway.bootstrap import GatewayApp
from gateway.seed import DEMO_NETWORKS, OPERATOR_EMAIL, seed_demo
from tests.unit.gateway.builders import vat_for

from .conftest import PASSWORD, fresh_siret, random_slug


@pytest.fixture
def run(gw_app: GatewayApp, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    """Run ``python -m gateway.cli`` in-process against the session's database."""
    monkeypatch.setenv("TROC_DATABASE_URL", gw_app.settings.database_url)
    monkeypatch.setenv("TROC_VAR_DIR", str(gw_app.settings.var_dir))
    monkeypatch.setenv("TROC_LOG_JSON", "0")

    def invoke(*argv: str) -> tuple[int, str, str]:
        code = cli.main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return invoke


def test_networks_tenants_and_users_from_the_command_line(run, gw_client: FlaskClient) -> None:
    network, tenant = random_slug("net"), random_slug("t")
    code, out, _ = run(
        "create-network",
        "--slug",
        network,
        "--name",
        "Troc Test",
        "--unit-code",
        "act",
        "--unit-name",
        "Actif",
        "--unit-symbol",
        "Ⓐ",
        "--credit-limit",
        "750.00",
        "--payment-modes",
        "100,50",
        "--commission-rate",
        "5",
        "--no-buyer-acceptance",
    )
    assert code == 0 and "ACT" in out and "750.00" in out
    code, out, _ = run(
        "create-tenant",
        "--network",
        network,
        "--slug",
        tenant,
        "--name",
        "Paris Initiative Entreprise",
        "--departments",
        "75",
    )
    assert code == 0
    operator = f"op-{uuid.uuid4().hex[:6]}@example.org"
    assert run("create-operator", "--email", operator, "--password", PASSWORD)[0] == 0
    animator = f"an-{uuid.uuid4().hex[:6]}@example.org"
    assert (
        run(
            "create-user",
            "--tenant",
            tenant,
            "--email",
            animator,
            "--password",
            PASSWORD,
            "--role",
            "animator",
        )[0]
        == 0
    )
    token = gw_client.post("/auth/token", json={"email": operator, "password": PASSWORD}).json[
        "access_token"
    ]
    shown = gw_client.get(f"/networks/{network}", headers={"Authorization": f"Bearer {token}"})
    assert shown.json["buyer_acceptance_required"] is False
    assert (
        gw_client.post("/auth/token", json={"email": animator, "password": PASSWORD}).status_code
        == 200
    )


def test_errors_are_reported_not_raised(run) -> None:
    code, _, err = run("create-operator", "--email", "weak@example.org", "--password", "short")
    assert code == 2 and "password" in err
    code, _, err = run(
        "create-tenant",
        "--network",
        "no-such-net",
        "--slug",
        "x-y",
        "--name",
        "X",
        "--departments",
        "75",
    )
    assert code == 2 and "no such network" in err


def test_import_members_is_all_or_nothing(run, tmp_path: Path) -> None:
    network, tenant = random_slug("net"), random_slug("t")
    run(
        "create-network",
        "--slug",
        network,
        "--name",
        "N",
        "--unit-code",
        "ACT",
        "--unit-name",
        "Actif",
        "--unit-symbol",
        "A",
    )
    run(
        "create-tenant",
        "--network",
        network,
        "--slug",
        tenant,
        "--name",
        "T",
        "--departments",
        "77,91",
    )
    header = "name;siret;vat;address;department;email"

    def line(department: str) -> str:
        siret = fresh_siret()
        return (
            f"Entreprise {siret[-4:]};{siret};{vat_for(siret[:9])};"
            f"1 rue de Melun, 77000 Melun;{department};{uuid.uuid4().hex[:6]}@example.fr"
        )

    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join([header, line("77"), line("75")]) + "\n", encoding="utf-8")
    code, _, err = run("import-members", "--tenant", tenant, str(bad))
    assert code == 1
    assert "line 3: department" in err and "nobody admitted" in err

    good = tmp_path / "good.csv"
    good.write_text("\n".join([header, line("77"), line("91")]) + "\n", encoding="utf-8")
    code, out, _ = run("import-members", "--tenant", tenant, str(good))
    assert code == 0 and "2 member(s) admitted" in out


def test_rotate_key_keeps_the_previous_key_published(run, gw_app: GatewayApp) -> None:
    before = gw_app.keys.active().kid
    code, out, _ = run("rotate-key")
    assert code == 0
    result = json.loads(out)
    assert result["active"] != before
    assert result["published"][:2] == [result["active"], before]
    assert gw_app.keys.active().kid == result["active"]


def test_the_demo_seed_is_complete_and_idempotent(
    gw_app: GatewayApp, gw_client: FlaskClient
) -> None:
    first = seed_demo(gw_app, "troc-demo")
    again = seed_demo(gw_app, "troc-demo")
    assert first == again
    roles = [login.role for login in first]
    assert roles.count("operator") == 1
    assert 8 <= roles.count("member") <= 12
    assert {login.tenant for login in first if login.role == "animator"} == {
        "pie",
        "fa-mgp",
        "initiactive-95",
        "fa-77-91",
        "agri-beauce",
    }

    operator = gw_client.post(
        "/auth/token", json={"email": OPERATOR_EMAIL, "password": "troc-demo"}
    )
    assert operator.status_code == 200, operator.json
    headers = {"Authorization": f"Bearer {operator.json['access_token']}"}
    troc = gw_client.get("/networks/troc-actif", headers=headers).json
    assert troc["unit"]["code"] == "ACT" and troc["default_credit_limit"] == "1000.00"
    assert troc["payment_modes"] == [100, 50] and troc["hold_expiry_days"] == 30
    assert troc["commission"] == {"rate": "5", "charged_in": "unit"}
    tenants = gw_client.get("/networks/troc-actif/tenants", headers=headers).json["items"]
    assert {t["slug"]: t["departments"] for t in tenants} == {
        "pie": ["75"],
        "fa-mgp": ["92", "93", "94"],
        "initiactive-95": ["78", "95"],
        "fa-77-91": ["77", "91"],
    }
    assert len(DEMO_NETWORKS) == 2
    agri = gw_client.get("/networks/agri-echange", headers=headers).json
    assert agri["unit"]["code"] != "ACT"

    member = next(login for login in first if login.role == "member")
    session = gw_client.post(
        "/auth/token", json={"email": member.email, "password": "troc-demo"}
    ).json
    me = gw_client.get("/me", headers={"Authorization": f"Bearer {session['access_token']}"})
    assert me.json["member_id"] is not None and me.json["tenant"] == member.tenant
    directory = gw_client.get(
        f"/t/{member.tenant}/members",
        headers={"Authorization": f"Bearer {session['access_token']}"},
    )
    assert all(
        len(m["siret"]) == 14 and m["vat_number"].startswith("FR") for m in directory.json["items"]
    )
