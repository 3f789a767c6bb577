"""schemathesis over the gateway's merged ``/openapi.json``: every service's public routes, through
the gateway, with a valid token of each role (member, animator, operator, integrator).

schemathesis' runner (the engine behind ``schemathesis run``) plays, per operation, the
documented examples, the coverage cases (boundaries and invalid values of each field) and
``SECURITY_EXAMPLES`` random cases (default 25); ``SECURITY_PHASES`` picks the phases (CI's
short form: examples and a few random cases). Every response must not be a
5xx and must conform to the document: status code, content type and body schema. The path's
tenant is the role's own (``pie``), so that requests pass the tenant check and reach the services'
validation and storage instead of stopping at a 404. Every failure is listed with a curl line.

(The schemathesis pytest plugin's ``from_fixture`` does not run on pytest 9 yet: it sets
``Function._nodeid``, which pytest 9 no longer has; hence the runner.)
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import Status, events

from chassis.lists import CURRENT, LIST_SHAPE_HEADER

from .conftest import TENANT, Attack

#: Random cases per operation and role, on top of the examples and coverage cases.
EXAMPLES = int(os.environ.get("SECURITY_EXAMPLES", "25"))
#: schemathesis' phases: CI's short form leaves out the coverage phase (thousands of cases).
PHASES = set(os.environ.get("SECURITY_PHASES", "examples,coverage,fuzzing").split(","))
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
)


def fuzz(attack: Attack, role: str) -> list[str]:
    """Run schemathesis with ``role``'s token; the failures, one text each."""
    config = SchemathesisConfig.from_dict(
        {
            "headers": attack.headers[role],
            "base-url": attack.url,
            # The deprecated ``Troc-List-Shape: legacy`` opt-in answers an older, undocumented
            # shape by design (its own tests are tests/e2e/test_lists_and_event_logs.py): the
            # fuzzer checks the documented one.
            "parameters": {"tenant": TENANT, LIST_SHAPE_HEADER: CURRENT},
            "workers": 2,
            "request-timeout": 30,
            "seed": 20261126,
            "generation": {"max-examples": EXAMPLES, "deterministic": True},
            "phases": {
                **{
                    phase: {"enabled": phase in PHASES}
                    for phase in ("examples", "coverage", "fuzzing")
                },
                "stateful": {"enabled": False},
            },
            "checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS}},
            "suppress-health-check": ["all"],
        }
    )
    schema = schemathesis.openapi.from_url(f"{attack.url}/openapi.json", config=config, timeout=30)
    services = schema.raw_schema["x-troc-services"]
    assert set(services.values()) == {"ok"}, f"a service's routes are missing: {services}"
    failures: list[str] = []
    tested: set[str] = set()
    for event in schemathesis.engine.from_schema(schema).execute():
        if isinstance(event, events.FatalError):
            raise AssertionError(f"schemathesis stopped: {event.exception!r}")
        if isinstance(event, events.NonFatalError):
            failures.append(f"{event.label}: error {event.info.message}")
        if not isinstance(event, events.ScenarioFinished) or event.status == Status.SKIP:
            continue
        tested.add(str(event.label))
        for checks in event.recorder.checks.values():
            for check in checks:
                if check.status == Status.FAILURE and check.failure_info is not None:
                    failure = check.failure_info.failure
                    failures.append(
                        f"{event.label}: {check.name}: {failure.title}\n"
                        f"{failure.message}\n{check.failure_info.code_sample}"
                    )
    operations = sum(
        1
        for item in schema.raw_schema["paths"].values()
        for method in item
        if method in {"get", "put", "post", "patch", "delete"}
    )
    assert len(tested) == operations, f"only {len(tested)} of {operations} operations ran"
    return sorted(set(failures))


@pytest.mark.parametrize("role", ["member", "integrator", "animator", "operator"])
def test_no_server_error_and_every_answer_as_documented(attack: Attack, role: str) -> None:
    failures = fuzz(attack, role)
    assert not failures, f"{len(failures)} failures:\n\n" + "\n\n".join(failures)
