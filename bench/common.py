"""What the benchmarks of ``bench/`` share: the machine's description, its load, the PostgreSQL
reference (``bench/pgbench_reference.sh``), percentiles and the results files.

The benchmark scripts run as ``python bench/<name>.py``, so this module is imported as ``common``.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import requests

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS_DIR = BENCH / "results"
REFERENCE_JSON = BENCH / "out" / "pgbench_reference.json"
PG_ADMIN = "host={host} port={port} user={user} dbname=postgres"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


class BenchError(RuntimeError):
    """The benchmark cannot go on (setup failed, a server died, a run had errors)."""


def log(message: str) -> None:
    print(f"==> {message}", flush=True)


def pg_admin_dsn() -> str:
    """libpq DSN of the ``postgres`` database of the benchmarks' server (``PG*`` variables)."""
    return PG_ADMIN.format(
        host=os.environ.get("PGHOST", "127.0.0.1"),
        port=os.environ.get("PGPORT", "5432"),
        user=os.environ.get("PGUSER", "postgres"),
    )


def stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# --- the machine ---------------------------------------------------------------------------------


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    total = sum(values[:8])
    idle = values[3] + values[4]
    return (total - idle) / CLOCK_TICKS, total / CLOCK_TICKS


def wait_for_quiet(limit: float, threshold: float = 30.0) -> float:
    """Wait (up to ``limit`` s) for a 5 s window where the machine is under ``threshold``% busy.

    Other workloads share these cores; a benchmark started during their test runs measures them
    as much as the platform. Returns the busy percentage of the last window.
    """
    deadline = time.monotonic() + limit
    while True:
        busy0, total0 = machine_busy()
        time.sleep(5)
        busy1, total1 = machine_busy()
        pct = 100 * (busy1 - busy0) / max(total1 - total0, 1e-9)
        if pct < threshold or time.monotonic() >= deadline:
            if pct >= threshold:
                log(
                    f"the machine is still {pct:.0f}% busy (other workloads): measuring anyway; "
                    "figures will be low, compare only with the reference of this run"
                )
            else:
                log(f"machine {pct:.0f}% busy before the run")
            return round(pct, 1)
        log(f"machine {pct:.0f}% busy (other workloads); waiting for a quieter moment")


def process_group_cpu_s(pgid: int) -> float:
    """CPU seconds used so far by the live processes of process group ``pgid`` (a gunicorn
    master started in its own session, and its workers)."""
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            data = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = data[data.rindex(")") + 2 :].split()
        if int(fields[2]) == pgid:
            total += int(fields[11]) + int(fields[12])
    return total / CLOCK_TICKS


def load_average() -> list[float]:
    """``os.getloadavg()`` rounded: how busy the shared machine was (1, 5, 15 minutes)."""
    return [round(v, 2) for v in os.getloadavg()]


def tool_version(argv: Sequence[str], pattern: str) -> str | None:
    """The version a command prints (``wrk -v``, ``locust --version``), or None."""
    if shutil.which(argv[0]) is None:
        return None
    done = subprocess.run(list(argv), capture_output=True, text=True, check=False)  # noqa: S603
    found = re.search(pattern, done.stdout + done.stderr)
    return found.group(1) if found else None


def postgresql_version(dsn: str | None = None) -> str | None:
    with (
        contextlib.suppress(psycopg.Error),
        psycopg.connect(dsn or pg_admin_dsn(), connect_timeout=5) as conn,
    ):
        row = conn.execute("SHOW server_version").fetchone()
        return str(row[0]) if row else None
    return None


def rabbitmq_version(
    management_url: str = "http://127.0.0.1:15672", auth: tuple[str, str] = ("guest", "guest")
) -> str | None:
    with contextlib.suppress(requests.RequestException, ValueError, KeyError):
        response = requests.get(f"{management_url}/api/overview", auth=auth, timeout=5)
        if response.status_code == 200:
            return str(response.json()["rabbitmq_version"])
    return None


def describe_machine(load_tool: str, *, backends: bool = False) -> dict[str, Any]:
    """Cores, memory, CPU model, load, git commit; with ``backends`` the servers' versions."""
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.MULTILINE)
    mem = re.search(r"^MemTotal:\s*(\d+) kB", Path("/proc/meminfo").read_text(), re.MULTILINE)
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "HEAD"],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    dirty = subprocess.run(
        [
            "git",
            "-C",
            str(ROOT),
            "status",
            "--porcelain",
            "--",  # noqa: S607
            "chassis",
            "contracts",
            "services",
            "gateway",
        ],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    machine: dict[str, Any] = {
        "cores": os.cpu_count(),
        "cpu_model": model.group(1).strip() if model else "?",
        "memory_gb": round(int(mem.group(1)) / 1024 / 1024, 1) if mem else None,
        "load1_at_start": os.getloadavg()[0],
        "loadavg_at_start": load_average(),
    }
    if backends:
        machine["postgresql_version"] = postgresql_version()
        machine["rabbitmq_version"] = rabbitmq_version()
    return {
        "load_tool": load_tool,
        "machine": machine,
        "git_commit": commit or "?",
        "git_dirty_service_code": bool(dirty),
    }


# --- the PostgreSQL reference --------------------------------------------------------------------


def run_reference(log_path: Path, output: Path = REFERENCE_JSON) -> dict[str, Any]:
    """Run ``bench/pgbench_reference.sh`` (fn-uniform, fn-hot at 4 clients); its JSON figures.

    It runs in its own process group, so an interrupted benchmark stops ``run.sh`` and pgbench
    too; its ``ledgerbench`` database is dropped afterwards (``run.sh`` drops it only before).
    """
    with log_path.open("w") as out:
        proc = subprocess.Popen(
            [
                "bash",
                str(BENCH / "pgbench_reference.sh"),  # noqa: S607
                str(output),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            code = proc.wait(timeout=600)
        except BaseException:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
            raise
        finally:
            with (
                contextlib.suppress(Exception),
                psycopg.connect(pg_admin_dsn(), autocommit=True) as conn,
            ):
                conn.execute("DROP DATABASE IF EXISTS ledgerbench WITH (FORCE)")
    if code != 0:
        raise BenchError(f"pgbench_reference.sh failed:\n{log_path.read_text()[-3000:]}")
    data: dict[str, Any] = json.loads(output.read_text())
    return data


def recent_reference(max_age_s: float, output: Path = REFERENCE_JSON) -> dict[str, Any] | None:
    """The reference written less than ``max_age_s`` ago (by the ledger benchmark of the same
    ``make bench``), or None."""
    if not output.exists() or time.time() - output.stat().st_mtime > max_age_s:
        return None
    data: dict[str, Any] = json.loads(output.read_text())
    return data


# --- figures -------------------------------------------------------------------------------------


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """The ``fraction`` quantile (nearest rank, 0..1) of ``values``; None when there are none."""
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def ratio(value: float | None, baseline: float | None, digits: int = 3) -> float | None:
    return round(value / baseline, digits) if value and baseline else None


def write_results(name: str, data: dict[str, Any]) -> Path:
    """Write ``bench/results/<name>.json`` (git-ignored) and return its path."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{name}.json"
    path.write_text(json.dumps(data, indent=2, default=str, ensure_ascii=False) + "\n")
    return path
