"""The committed Python client (clients/python) is the one the code's OpenAPI document makes.

``make client`` builds the merged document offline and generates ``troc_client`` from it with
the pinned openapi-python-client. This test does the same into a temporary folder and compares
every file: a route, field or schema changed without ``make client`` fails here, naming the files.
"""

from __future__ import annotations

import filecmp
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = ROOT / "clients"


#: Folders that tools leave next to the generated files (caches, build metadata).
_NOT_GENERATED = ("__pycache__", ".ruff_cache", ".mypy_cache", ".pytest_cache")


def _tree(folder: Path) -> set[str]:
    return {
        str(path.relative_to(folder))
        for path in folder.rglob("*")
        if path.is_file()
        and not any(p in _NOT_GENERATED or p.endswith(".egg-info") for p in path.parts)
    }


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("client")
    output, spec = folder / "python", folder / "openapi.json"
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "generate_client.py"),
            "--output",
            str(output),
            "--spec",
            str(spec),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return output, spec


def test_the_committed_document_is_the_code_s(regenerated: tuple[Path, Path]) -> None:
    _, spec = regenerated
    assert (CLIENTS / "openapi.json").read_text() == spec.read_text(), "run `make client`"


def test_the_committed_client_is_generated_from_the_code(regenerated: tuple[Path, Path]) -> None:
    output, _ = regenerated
    committed, fresh = _tree(CLIENTS / "python"), _tree(output)
    assert committed == fresh, {
        "missing (run `make client`)": sorted(fresh - committed),
        "no longer generated": sorted(committed - fresh),
    }
    stale = [
        name
        for name in sorted(fresh)
        if not filecmp.cmp(CLIENTS / "python" / name, output / name, shallow=False)
    ]
    assert not stale, f"stale generated files (run `make client`): {stale}"


def test_the_client_has_an_operation_per_operation_id() -> None:
    """The generator named each module after its operationId: the integrator's calls."""
    import troc_client.api.ledger.ledger_get_account as get_account
    from troc_client import AuthenticatedClient

    assert callable(get_account.sync_detailed)
    client = AuthenticatedClient(base_url="http://127.0.0.1:1", token="t")  # noqa: S106
    assert client.token == "t"  # noqa: S105
