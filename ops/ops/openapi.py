"""``python -m ops.openapi``: the public OpenAPI document, built offline from the code.

The gateway serves at ``/openapi.json`` its own spec merged with the public routes of every
service, fetched from the running services. This command builds the same document without any
server: each service's application is created in this process on an empty SQLite folder and an
in-memory bus (nothing is listened to, nothing is sent), its spec is taken from it, and the
gateway's merge (``gateway.openapi.build_document`` over its routing table) is applied. The
generated client (``make client``, ``clients/python``) is made from it.

    python -m ops.openapi                      # the document on stdout
    python -m ops.openapi --output spec.json   # into a file
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

#: The services whose public routes the gateway merges, and the module of each one's app.
SERVICE_APPS: Final[Mapping[str, str]] = {
    "ledger": "ledger.api",
    "listings": "listings.api",
    "invoices": "invoices.api",
    "notifications": "notifications.api",
}
_SERVICES: Final = ("gateway", *SERVICE_APPS)


@contextmanager
def _offline_environment(folder: Path) -> Iterator[None]:
    """``TROC_*`` of an empty SQLite folder and the in-memory bus, restored afterwards."""
    overrides = {"TROC_VAR_DIR": str(folder), "TROC_BROKER_URL": "memory://"}
    cleared = ["TROC_DATABASE_URL", *(f"TROC_{s.upper()}_DATABASE_URL" for s in _SERVICES)]
    saved = {name: os.environ.get(name) for name in (*overrides, *cleared)}
    try:
        for name in cleared:
            os.environ.pop(name, None)
        os.environ.update(overrides)
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def offline_document() -> dict[str, Any]:
    """The merged public document, as the gateway's ``/openapi.json`` serves it (less the
    ``x-troc-services`` states of the services it could reach)."""
    from gateway.openapi import build_document
    from gateway.routing import ROUTES, RouteTable

    with (
        tempfile.TemporaryDirectory(prefix="troc-openapi-") as folder,
        _offline_environment(Path(folder)),
    ):
        specs = {}
        for name, module in SERVICE_APPS.items():
            app = importlib.import_module(module).create_app()
            specs[name] = app.test_client().get("/openapi.json").get_json()
        gateway = importlib.import_module("gateway.api").create_app()
        own = gateway.extensions["flask-smorest"]["apis"][""]["ext_obj"].spec.to_dict()
    return build_document(own, specs, RouteTable(ROUTES).routes_operation)


def render(document: Mapping[str, Any]) -> str:
    """The document as stable JSON text (sorted keys, one trailing newline): diffs stay small."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ops.openapi", description=(__doc__ or "").split("\n")[0]
    )
    parser.add_argument("--output", type=Path, help="write the document here (default: stdout)")
    args = parser.parse_args(argv)
    text = render(offline_document())
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
