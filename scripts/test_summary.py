"""Sum the JUnit reports of ``make test`` (build/test-reports/*.xml) into one closing line.

Standard library only. Prints one line per stage and ``total: N passed, N failed, N skipped``
(errors count as failed); exits 1 if a report is missing or unreadable when ``--require`` is given.
"""

from __future__ import annotations

import argparse
import sys
import xml.etree.ElementTree as ET  # noqa: S405 - reads our own pytest reports
from pathlib import Path

ORDER = ["unit", "integration", "e2e", "security", "chaos"]


def counts(path: Path) -> tuple[int, int, int]:
    """Return (passed, failed, skipped) of one JUnit report."""
    root = ET.parse(path).getroot()  # noqa: S314 - our own pytest output
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    tests = failed = skipped = 0
    for suite in suites:
        tests += int(suite.get("tests", 0))
        failed += int(suite.get("failures", 0)) + int(suite.get("errors", 0))
        skipped += int(suite.get("skipped", 0))
    return tests - failed - skipped, failed, skipped


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default="build/test-reports")
    parser.add_argument("--require", nargs="*", default=[], help="stages that must have a report")
    args = parser.parse_args()
    folder = Path(args.folder)
    reports = {p.stem: p for p in folder.glob("*.xml")}
    total = [0, 0, 0]
    status = 0
    for stage in sorted(reports, key=lambda s: (ORDER.index(s) if s in ORDER else 99, s)):
        try:
            passed, failed, skipped = counts(reports[stage])
        except (ET.ParseError, ValueError) as exc:
            print(f"  {stage:<12} unreadable report: {exc}")
            status = 1
            continue
        total = [total[0] + passed, total[1] + failed, total[2] + skipped]
        print(f"  {stage:<12} {passed} passed, {failed} failed, {skipped} skipped")
    for stage in args.require:
        if stage not in reports:
            print(f"  {stage:<12} did not run (no report)")
            status = 1
    print(f"total: {total[0]} passed, {total[1]} failed, {total[2]} skipped")
    return status


if __name__ == "__main__":
    sys.exit(main())
