"""Generate the Python client of the public API: ``make client``.

The merged OpenAPI document is built offline from the code (``python -m ops.openapi``, no server
needed), written to ``clients/openapi.json``, and ``openapi-python-client`` (pinned in
requirements/constraints.txt) generates the package ``troc_client`` into ``clients/python``
with the settings of ``clients/openapi-python-client.yaml``. The generated files are committed
and installed editable by ``make install``; tests/contract/test_client.py regenerates them into
a temporary folder and fails when the committed ones differ (run ``make client``).

    python scripts/generate_client.py                       # clients/openapi.json, clients/python
    python scripts/generate_client.py --output DIR --spec FILE
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from ops.openapi import offline_document, render

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = ROOT / "clients"
CONFIG = CLIENTS / "openapi-python-client.yaml"


def generator() -> str:
    """The ``openapi-python-client`` of this interpreter's virtualenv."""
    found = Path(sys.executable).parent / "openapi-python-client"
    if not found.exists():
        raise SystemExit("openapi-python-client is not installed: run `make install`")
    return str(found)


def generate(output: Path, spec: Path) -> None:
    """Write the document to ``spec`` and the client generated from it to ``output``."""
    spec.parent.mkdir(parents=True, exist_ok=True)
    spec.write_text(render(offline_document()), encoding="utf-8")
    output.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(  # noqa: S603 - our own generator, fixed arguments
        [
            generator(),
            "generate",
            "--path",
            str(spec),
            "--config",
            str(CONFIG),
            "--meta",
            "setup",
            "--output-path",
            str(output),
            "--overwrite",
        ],
        check=True,
        cwd=output.parent,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--output", type=Path, default=CLIENTS / "python")
    parser.add_argument("--spec", type=Path, default=CLIENTS / "openapi.json")
    args = parser.parse_args()
    generate(args.output.resolve(), args.spec.resolve())
    return 0


if __name__ == "__main__":
    sys.exit(main())
