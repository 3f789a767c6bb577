"""Sum the JUnit reports of ``make test`` (build/test-reports/*.xml) into one closing line.

Standard library only. Prints one line per stage, the reasons of the skipped tests with their
counts, and ``total: N passed, N failed, N skipped`` (errors count as failed); exits 1 if a report
is missing or unreadable when ``--require`` is given. ``--ran STAGE`` only checks that the stage's
report holds at least one test that passed (a stage that ran nothing must fail, never pass).
"""

from __future__ import annotations

import argparse
import sys
import xml.etree.ElementTree as ET  # noqa: S405 - reads our own pytest reports
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ORDER = ["unit", "integration", "e2e", "security", "chaos"]


@dataclass
class Counts:
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    #: Skip messages ("needs PostgreSQL: row locks...") and how many tests gave each.
    reasons: Counter[str] = field(default_factory=Counter)


def counts(path: Path) -> Counts:
    """The counts of one JUnit report."""
    root = ET.parse(path).getroot()  # noqa: S314 - our own pytest output
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    found = Counts()
    tests = 0
    for suite in suites:
        tests += int(suite.get("tests", 0))
        found.failed += int(suite.get("failures", 0)) + int(suite.get("errors", 0))
        found.skipped += int(suite.get("skipped", 0))
        for case in suite.iter("testcase"):
            for skipped in case.findall("skipped"):
                found.reasons[_reason(skipped.get("message", "") or "")] += 1
    found.passed = tests - found.failed - found.skipped
    return found


def _reason(message: str) -> str:
    # pytest's JUnit writer keeps the reason alone in ``message`` (file and line in the text).
    return message.strip() or "(no reason given)"


def ran(folder: Path, stage: str) -> int:
    report = folder / f"{stage}.xml"
    try:
        found = counts(report)
    except (OSError, ET.ParseError, ValueError) as exc:
        print(f"{stage}: FAILED: no readable report ({exc})", file=sys.stderr)
        return 1
    if found.passed == 0 and found.failed == 0:
        print(
            f"{stage}: FAILED: the stage ran nothing ({found.skipped} skipped, 0 passed)",
            file=sys.stderr,
        )
        for reason, number in found.reasons.most_common():
            print(f"  {number} skipped: {reason}", file=sys.stderr)
        return 1
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default="build/test-reports")
    parser.add_argument("--require", nargs="*", default=[], help="stages that must have a report")
    parser.add_argument("--ran", metavar="STAGE", help="only check that STAGE ran some test")
    args = parser.parse_args()
    folder = Path(args.folder)
    if args.ran:
        return ran(folder, args.ran)
    reports = {p.stem: p for p in folder.glob("*.xml")}
    total = Counts()
    status = 0
    for stage in sorted(reports, key=lambda s: (ORDER.index(s) if s in ORDER else 99, s)):
        try:
            found = counts(reports[stage])
        except (ET.ParseError, ValueError) as exc:
            print(f"  {stage:<12} unreadable report: {exc}")
            status = 1
            continue
        total.passed += found.passed
        total.failed += found.failed
        total.skipped += found.skipped
        print(
            f"  {stage:<12} {found.passed} passed, {found.failed} failed, {found.skipped} skipped"
        )
        for reason, number in found.reasons.most_common():
            print(f"  {'':<12}   {number} skipped: {reason}")
    for stage in args.require:
        if stage not in reports:
            print(f"  {stage:<12} did not run (no report)")
            status = 1
    print(f"total: {total.passed} passed, {total.failed} failed, {total.skipped} skipped")
    return status


if __name__ == "__main__":
    sys.exit(main())
