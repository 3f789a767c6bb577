"""``python -m chassis.health``: the former name of ``python -m ops.health``, kept working.

Runbooks, schedules and habits still call it; the check itself lives in the ``ops`` package,
since it looks at every service and the chassis knows none of them. The module is found by name
at run time, so that the chassis depends on nothing of the platform.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``ops.health`` with ``argv`` (the command line by default)."""
    try:
        health = importlib.import_module("ops.health")
    except ModuleNotFoundError:
        print(
            "chassis.health: the ops package is not installed (pip install -e ops)", file=sys.stderr
        )
        return 2
    status: int = health.main(argv)
    return status


if __name__ == "__main__":
    sys.exit(main())
