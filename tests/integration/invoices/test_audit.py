"""The invoices' audit log: each validation and rejection by a staff user, from the token's
subject, in the transaction of the change; read by the gateway at ``GET /audit``."""

from __future__ import annotations

import uuid
from typing import Any

from chassis.auth import ANIMATOR, OPERATOR

from .conftest import World
from .test_api import held


def audit(world: World, headers: dict[str, str], **query: Any) -> Any:
    return world.client.get("/audit", headers=headers, query_string=query)


def test_validations_and_rejections_are_audited_once(world: World) -> None:
    animator_id = str(uuid.uuid4())
    animator = world.headers(ANIMATOR, subject=animator_id)
    validated = world.act(world.draft()["id"], "issue", world.seller_headers())["id"]
    held(world, world.act(validated, "accept", world.buyer_headers()))
    world.act(validated, "validate", animator)
    world.act(validated, "validate", animator)  # a replay: no second entry
    rejected = world.act(world.draft()["id"], "issue", world.seller_headers())["id"]
    world.act(rejected, "accept", world.buyer_headers())
    world.act(rejected, "reject", animator, json={"reason": "doublon"})
    # A refused action leaves no entry.
    world.act(rejected, "validate", animator, status=409)

    log = audit(world, animator, tenant=world.tenant_a)
    assert log.status_code == 200, log.json
    entries = [e for e in log.json["items"] if e["target"]["id"] in (validated, rejected)]
    assert [(e["action"], e["target"]["id"]) for e in entries] == [
        ("invoice_rejected", rejected),
        ("invoice_validated", validated),
    ]
    reject, validate = entries
    assert validate["actor"] == {"user_id": animator_id, "email": None, "role": "animator"}
    assert validate["target"]["type"] == "invoice"
    assert validate["tenant"] == world.tenant_a and validate["network"] == world.network
    assert validate["details"]["number"] == world.get(validated)["number"]
    assert reject["details"]["reason"] == "doublon"

    only = audit(world, animator, tenant=world.tenant_a, action="invoice_rejected").json
    assert {e["action"] for e in only["items"]} == {"invoice_rejected"}
    mine = audit(world, animator, tenant=world.tenant_a, actor=animator_id).json
    assert mine["total"] == 2


def test_bulk_validation_is_audited_per_invoice(world: World) -> None:
    operator_id = str(uuid.uuid4())
    operator = world.headers(OPERATOR, subject=operator_id)
    ids = []
    for _ in range(2):
        iid = world.act(world.draft()["id"], "issue", world.seller_headers())["id"]
        held(world, world.act(iid, "accept", world.buyer_headers()))
        ids.append(iid)
    response = world.client.post(
        f"/t/{world.tenant_a}/invoices/bulk/validate", headers=operator, json={"invoice_ids": ids}
    )
    assert response.json["validated"] == 2
    log = audit(world, operator, tenant=world.tenant_a, actor=operator_id).json
    assert sorted(e["target"]["id"] for e in log["items"]) == sorted(ids)
    assert {e["actor"]["role"] for e in log["items"]} == {"operator"}


def test_the_audit_of_another_tenant_is_not_found(world: World) -> None:
    assert audit(world, world.animator_headers(), tenant=world.tenant_b).status_code == 404
    assert audit(world, world.animator_headers()).status_code == 403
    assert audit(world, world.seller_headers(), tenant=world.tenant_a).status_code == 403
