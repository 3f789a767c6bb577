"""Browser tests of the web application: Playwright driving Debian's Chromium.

Never ``playwright install``: the browser is the system's ``/usr/bin/chromium``. When it is
missing, root installs it with apt; anyone else skips with a message, except in CI
(``TROC_REQUIRE_SERVICES=1``), where a missing browser fails. The platform runs as real
processes (``chassis.testing.platform``), once for the browser tests.
"""

from __future__ import annotations

import os
import shutil
import subprocess  # noqa: S404 (fixed argument lists)
from collections.abc import Iterator
from pathlib import Path

import pytest

from chassis.testing.platform import Platform, running_platform
from chassis.testing.plugin import require_services

ROOT = Path(__file__).resolve().parents[3]
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "build" / "screenshots"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def _missing(reason: str) -> None:
    if require_services():
        pytest.fail(f"{reason} (TROC_REQUIRE_SERVICES=1: the browser tests must run)")
    pytest.skip(reason)


def chromium_path() -> Path:
    """Debian's Chromium, installed with apt first when missing and we are root."""
    if (
        not CHROMIUM.exists()
        and hasattr(os, "geteuid")
        and os.geteuid() == 0
        and shutil.which("apt-get")
    ):
        subprocess.run(
            ["apt-get", "install", "-y", "chromium"],
            check=False,  # noqa: S607
            capture_output=True,
            timeout=600,
        )
    if not CHROMIUM.exists():
        _missing(
            "Chromium is not installed (/usr/bin/chromium): `apt-get install chromium` "
            "to run the browser tests"
        )
    return CHROMIUM


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    executable = chromium_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the Python package playwright is not installed")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(executable), headless=True, args=LAUNCH_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture(scope="package")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    # Threaded gunicorn workers, as deployed: a page waits for the gateway's own API. Small
    # database pools: one browser is the only client.
    with running_platform(
        tmp_path_factory.mktemp("web"),
        tag="web",
        env={"GUNICORN_CMD_ARGS": "--threads 4", "TROC_DB_POOL_SIZE": "2"},
    ) as running:
        yield running


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
