"""``make audit``: the pins against the registry's newest releases, and an honest last line."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "audit.py"
spec = importlib.util.spec_from_file_location("troc_audit", SCRIPT)
assert spec is not None and spec.loader is not None
audit = importlib.util.module_from_spec(spec)
sys.modules["troc_audit"] = audit
spec.loader.exec_module(audit)

REGISTRY = {
    "lxml": "6.2.0",
    "cryptography": "52.0.0",
    "standardwebhooks": "1.3.0",
    "flask": "3.1.3",
}


@pytest.fixture
def constraints(tmp_path: Path) -> Path:
    path = tmp_path / "constraints.txt"
    path.write_text(
        "# pins\nlxml==6.2.0\ncryptography==51.0.1\nstandardwebhooks==1.3.0\n"
        "gone-package==1.0\nFlask==3.1.3\n"
    )
    return path


def test_each_pin_is_compared_with_the_newest_release(
    constraints: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert audit.main(["--constraints", str(constraints)], lookup=REGISTRY.get) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert [c.strip() for c in lines[0].split("|")] == ["package", "pinned", "newest", "status"]
    rows = {line.split("|")[0].strip(): [c.strip() for c in line.split("|")] for line in lines[2:7]}
    assert rows["cryptography"] == ["cryptography", "51.0.1", "52.0.0", "behind"]
    assert rows["lxml"][3] == "up to date"
    assert rows["gone-package"][2:] == ["-", "not found"]
    assert "5 pinned packages: 3 up to date, 1 behind, 1 not found" in out


def test_it_never_claims_there_are_no_known_vulnerabilities(
    constraints: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    audit.main(["--constraints", str(constraints)], lookup=REGISTRY.get)
    out = capsys.readouterr().out
    assert out.rstrip().splitlines()[-1] == audit.NO_DATABASE
    assert "NOT CHECKED" in out and "no known vulnerabilities" not in out.lower()


def test_behind_fails_only_when_asked(constraints: Path) -> None:
    assert (
        audit.main(["--constraints", str(constraints), "--fail-behind"], lookup=REGISTRY.get) == 1
    )
    assert (
        audit.main(
            ["--constraints", str(constraints), "--fail-behind", "--only", "lxml"],
            lookup=REGISTRY.get,
        )
        == 0
    )


@pytest.mark.parametrize(
    "pinned, newest, status",
    [
        ("6.10.0", "6.9.1", "up to date"),
        ("1.3.0", "1.10.0", "behind"),
        ("2.0.0", "2.0.0", "up to date"),
    ],
)
def test_versions_compare_as_numbers(pinned: str, newest: str, status: str) -> None:
    assert audit.Row("p", pinned, newest).status == status
