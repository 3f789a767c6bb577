"""Every package declares what it imports, and the pins carry the security fixes.

A service that imports ``marshmallow`` or ``urllib3`` while only the chassis declares them works
until the chassis drops one: each ``pyproject.toml`` names the third-party distributions its own
code imports (``chassis.testing`` may use its ``testing`` extra).
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = (
    "chassis",
    "contracts",
    "gateway",
    "services/ledger",
    "services/invoices",
    "services/listings",
    "services/notifications",
    "ops",
)
OWN = frozenset(
    {"chassis", "contracts", "gateway", "ledger", "invoices", "listings", "notifications", "ops"}
)


def _name(requirement: str) -> str:
    return re.sub(r"[-_.]+", "-", re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0]).lower()


def declared(folder: str) -> set[str]:
    project = tomllib.loads((ROOT / folder / "pyproject.toml").read_text())["project"]
    names = {_name(r) for r in project.get("dependencies", [])}
    for extra in (project.get("optional-dependencies") or {}).values():
        names |= {_name(r) for r in extra}
    return names


def imported(folder: str) -> dict[str, set[str]]:
    """Third-party top-level modules imported by the package's code, with the files."""
    found: dict[str, set[str]] = {}
    for path in (ROOT / folder).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if top not in sys.stdlib_module_names and top not in OWN:
                    found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


def undeclared(folder: str) -> list[str]:
    distributions = packages_distributions()
    names = declared(folder)
    return [
        f"{module} ({', '.join(sorted(files))})"
        for module, files in sorted(imported(folder).items())
        if not {_name(d) for d in distributions.get(module, [module])} & names
    ]


@pytest.mark.parametrize("folder", PACKAGES)
def test_every_import_is_declared_by_its_package(folder: str) -> None:
    assert not undeclared(folder), f"{folder}/pyproject.toml does not declare: {undeclared(folder)}"


def _pins() -> dict[str, str]:
    lines = (ROOT / "requirements" / "constraints.txt").read_text().splitlines()
    return {
        _name(line.split("==")[0]): line.split("==")[1].strip()
        for line in lines
        if "==" in line and not line.startswith("#")
    }


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


@pytest.mark.parametrize(
    "package, at_least",
    [
        ("lxml", "6.2.0"),  # GHSA-23p9-v872-36p9, GHSA-59qx-3jjv-x996, GHSA-27mw-m39x-fm32
        ("standardwebhooks", "1.3.0"),  # malformed signatures, time zones
        ("cryptography", "51.0.1"),
    ],
)
def test_the_pins_carry_the_fixes(package: str, at_least: str) -> None:
    assert _version(_pins()[package]) >= _version(at_least)


def test_no_unused_tool_is_pinned() -> None:
    """tenacity was installed and imported nowhere."""
    assert "tenacity" not in _pins()
    assert "tenacity" not in (ROOT / "requirements" / "dev.txt").read_text()
