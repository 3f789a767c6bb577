#!/usr/bin/env python3
"""``make audit``: each package pinned in requirements/constraints.txt against its newest release.

The newest release is asked of the package registry pip is configured with, through pip itself
(``pip index versions``: the same index, certificates and proxies as ``make install``). The
table says, per package, the pinned version, the newest one and whether the pin is behind.

What it cannot say: whether a pinned version has a known vulnerability. No vulnerability
database (OSV, the PyPI advisory API, GitHub's) is reachable from these machines, and pip-audit
reports every package as "not found" there while exiting 0. So the report ends with that, in so
many words, and never prints "no known vulnerabilities".

Usage: scripts/audit.py [--constraints PATH] [--only NAME ...] [--fail-behind] [--jobs N]
"""

from __future__ import annotations

import argparse
import re
import subprocess  # nosec B404 - runs this interpreter's pip with fixed arguments
import sys
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONSTRAINTS = ROOT / "requirements" / "constraints.txt"
NO_DATABASE = (
    "Vulnerabilities: NOT CHECKED. No vulnerability database (OSV, the PyPI advisory API) is "
    "reachable from these machines; an up-to-date pin is not a pin without known "
    "vulnerabilities. Read the advisories of the packages above elsewhere."
)
_NEWEST = re.compile(r"^\S+ \(([^)]+)\)", re.MULTILINE)

#: Returns the newest release of a package, or None when the registry does not know it.
Lookup = Callable[[str], str | None]


@dataclass(frozen=True)
class Row:
    package: str
    pinned: str
    newest: str | None

    @property
    def status(self) -> str:
        if self.newest is None:
            return "not found"
        return "up to date" if _key(self.pinned) >= _key(self.newest) else "behind"


def _key(version: str) -> tuple[tuple[int, str], ...]:
    """A sort key of a release number good enough for X.Y.Z[suffix] (no packaging needed)."""
    return tuple((int(n), s) for n, s in re.findall(r"(\d+)([a-z]*)", version.lower()))


def normalized(name: str) -> str:
    """A distribution name as registries compare them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(path: Path) -> list[tuple[str, str]]:
    """``(name, version)`` of each ``name==version`` line."""
    found = []
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = (part.strip() for part in line.split("==", 1))
            found.append((name, version))
    return found


def pip_lookup(package: str) -> str | None:
    """The newest release pip's configured index offers for this interpreter."""
    result = subprocess.run(  # noqa: S603  # nosec B603 - fixed arguments, our interpreter
        [sys.executable, "-m", "pip", "index", "versions", package, "--disable-pip-version-check"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    match = _NEWEST.search(result.stdout)
    return match.group(1) if result.returncode == 0 and match else None


def audit(packages: Iterable[tuple[str, str]], lookup: Lookup, jobs: int = 6) -> list[Row]:
    items = list(packages)
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        newest = list(pool.map(lambda item: lookup(normalized(item[0])), items))
    return [Row(name, pinned, latest) for (name, pinned), latest in zip(items, newest, strict=True)]


def table(rows: Sequence[Row]) -> str:
    headers = ("package", "pinned", "newest", "status")
    cells = [(r.package, r.pinned, r.newest or "-", r.status) for r in rows]
    widths = [
        max(len(h), *(len(c[i]) for c in cells)) if cells else len(h) for i, h in enumerate(headers)
    ]
    lines = [
        " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)),
        "-|-".join("-" * w for w in widths),
    ]
    lines += [" | ".join(c.ljust(w) for c, w in zip(cell, widths, strict=True)) for cell in cells]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None, lookup: Lookup = pip_lookup) -> int:
    parser = argparse.ArgumentParser(prog="make audit", description=__doc__.split("\n\n")[0])
    parser.add_argument("--constraints", type=Path, default=CONSTRAINTS)
    parser.add_argument("--only", nargs="+", metavar="NAME", help="audit these packages only")
    parser.add_argument(
        "--fail-behind", action="store_true", help="exit 1 when a pin is behind the newest release"
    )
    parser.add_argument("--jobs", type=int, default=6, help="registry look-ups at a time")
    args = parser.parse_args(argv)
    packages = pins(args.constraints)
    if args.only:
        wanted = {normalized(n) for n in args.only}
        packages = [p for p in packages if normalized(p[0]) in wanted]
    rows = audit(packages, lookup, args.jobs)
    print(table(rows))
    behind = [r for r in rows if r.status == "behind"]
    unknown = [r for r in rows if r.status == "not found"]
    print(
        f"\n{len(rows)} pinned packages: {len(rows) - len(behind) - len(unknown)} up to date, "
        f"{len(behind)} behind, {len(unknown)} not found on the registry."
    )
    print(NO_DATABASE)
    return 1 if args.fail_behind and behind else 0


if __name__ == "__main__":
    sys.exit(main())
