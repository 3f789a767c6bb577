"""pytest plugin of the Makefile: ``--troc-stage`` keeps the tests of one stage of ``make test``.

A test belongs to ``chaos`` if marked so, else to ``security`` if marked so or under
``tests/security/``, else to ``e2e`` if marked so or under ``tests/e2e/``, else to ``integration``
if marked so or under ``tests/integration/``, else to ``unit`` (unit and contract tests). Folder
or marker: either is enough, so no test falls between two stages.
Standard library and pytest only; loaded with ``-p pytest_troc_stages`` and ``scripts`` on the path.
"""

from __future__ import annotations

from pathlib import Path

import pytest

STAGES = ("unit", "integration", "e2e", "security", "chaos")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--troc-stage",
        choices=STAGES,
        default=None,
        help="keep only the tests of this stage of `make test` (folder or marker)",
    )


def pytest_configure(config: pytest.Config) -> None:
    # --strict-markers rejects `-m chaos` while no test registers it; harmless if one does.
    config.addinivalue_line("markers", "chaos: fault-injection test, run by `make chaos` only")


def stage_of(item: pytest.Item) -> str:
    """Classify one collected test."""
    path = Path(str(item.path)).as_posix()
    if item.get_closest_marker("chaos") is not None:
        return "chaos"
    if item.get_closest_marker("security") is not None or "/tests/security/" in path:
        return "security"
    if item.get_closest_marker("e2e") is not None or "/tests/e2e/" in path:
        return "e2e"
    if item.get_closest_marker("integration") is not None or "/tests/integration/" in path:
        return "integration"
    return "unit"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    stage = config.getoption("--troc-stage")
    if stage is None:
        return
    keep: list[pytest.Item] = []
    drop: list[pytest.Item] = []
    for item in items:
        (keep if stage_of(item) == stage else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


# Folders whose tests share one package-scoped platform: a single unit of work for pytest-xdist.
SHARED_PLATFORM_FOLDERS = ("tests/e2e/web/",)


@pytest.hookimpl(tryfirst=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    """With ``--dist loadfile``, keep each module on one worker (its module-scoped platform boots
    once) and each of ``SHARED_PLATFORM_FOLDERS`` whole on one worker (its package-scoped
    platform boots once). xdist's own ``loadgroup`` would do it, but it renames test ids in a way
    that pytest 9 no longer honours."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class SharedPlatformScheduling(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return next((f for f in SHARED_PLATFORM_FOLDERS if module.startswith(f)), module)

    return SharedPlatformScheduling(config, log)
