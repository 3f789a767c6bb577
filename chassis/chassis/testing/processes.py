"""Run services as real processes in tests: web processes (``chassis.serve``) and workers, with
their logs kept."""

from __future__ import annotations

import os
import signal
import socket
import subprocess  # noqa: S404 (fixed argument lists, no shell)
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import requests

from chassis.serve import WebServer, chosen_server

ROOT = Path(__file__).resolve().parents[3]


def service_folder(service: str) -> Path:
    """The folder of ``service`` in this checkout (its package, ``migrations/``)."""
    return ROOT / "gateway" if service == "gateway" else ROOT / "services" / service


class ServiceProcesses:
    """What a set of started services offers a test: its processes by name, each service's
    environment, and its CLI run against the same database and bus.

    Mixed into the dataclasses that start them (``Platform``, ``RunningServices``), which hold
    ``env``, ``database_urls`` and ``processes``.
    """

    env: dict[str, str]
    database_urls: dict[str, str]
    processes: dict[str, ServiceProcess]

    def web(self, service: str) -> ServiceProcess:
        return self.processes[f"{service}-web"]

    def worker(self, service: str) -> ServiceProcess:
        return self.processes[f"{service}-worker"]

    def service_env(self, service: str) -> dict[str, str]:
        """The environment a process of ``service`` runs with (for its CLI, say)."""
        return {**self.env, "TROC_DATABASE_URL": self.database_urls[service]}

    def cli(
        self, service: str, *args: str, timeout: float = 120.0
    ) -> subprocess.CompletedProcess[str]:
        """Run ``python -m <service>.cli <args>`` against these processes' database and bus."""
        return subprocess.run(  # noqa: S603 (fixed interpreter and module)
            [sys.executable, "-m", f"{service}.cli", *args],
            cwd=ROOT,
            env={**os.environ, **self.service_env(service)},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServiceProcess:
    """A child process whose output goes to a log file shown when something fails."""

    def __init__(
        self, name: str, argv: Sequence[str], env: Mapping[str, str], log_dir: Path
    ) -> None:
        self.name = name
        self.argv = list(argv)
        self.env = {**os.environ, **env}
        self.log_path = log_dir / f"{name}.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> ServiceProcess:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(  # noqa: S603 (fixed argument list, no shell)
            self.argv,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def log_tail(self, lines: int = 60) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, timeout: float = 10.0) -> None:
        stop_all([self], timeout)

    def terminate(self) -> None:
        """Ask the process group to stop (SIGTERM), without waiting."""
        if self.alive():
            assert self.process is not None
            os.killpg(self.process.pid, signal.SIGTERM)

    def kill(self) -> None:
        if self.alive():
            assert self.process is not None
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


def stop_all(processes: Iterable[ServiceProcess], timeout: float = 10.0) -> None:
    """Stop processes together: SIGTERM to all, then each gets what is left of ``timeout`` to
    exit before SIGKILL. A platform's teardown costs its slowest process, not their sum."""
    running = [p for p in processes if p.alive()]
    for process in running:
        process.terminate()
    deadline = time.monotonic() + timeout
    for process in running:
        assert process.process is not None
        try:
            process.process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()


def web_process(
    name: str,
    app: str,
    port: int,
    env: Mapping[str, str],
    log_dir: Path,
    workers: int = 2,
    threads: int = 4,
    server: str | None = None,
) -> ServiceProcess:
    """A web process as production runs it (``chassis.serve``): on ``server``, else the one
    ``TROC_WEB_SERVER`` of the test run's environment names (gunicorn's gthread workers by
    default), keeping connections alive, so tests and benchmarks meet the same concurrency and
    the same connection reuse as an operator's pods. ``app`` is ``module:factory``."""
    if (server or chosen_server(os.environ)) == "granian":
        # Through the launcher itself, as deployed: it also prepares the metrics folder, which
        # gunicorn's own settings file does below.
        argv = [
            sys.executable,
            "-m",
            "chassis.serve",
            app,
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--graceful-timeout",
            "5",
        ]
        return ServiceProcess(name, argv, {**env, "TROC_WEB_SERVER": "granian"}, log_dir)
    web = WebServer("gunicorn", app, "127.0.0.1", port, workers, threads, graceful_timeout=5)
    return ServiceProcess(name, web.argv(), env, log_dir)


def python_module(
    name: str, module: str, env: Mapping[str, str], log_dir: Path, *args: str
) -> ServiceProcess:
    return ServiceProcess(name, [sys.executable, "-m", module, *args], env, log_dir)


def wait_ready(base_url: str, process: ServiceProcess, timeout: float = 30.0) -> None:
    """Wait for ``/readyz`` to answer 200, failing with the process log otherwise."""
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        if not process.alive():
            raise RuntimeError(f"{process.name} exited:\n{process.log_tail()}")
        try:
            response = requests.get(f"{base_url}/readyz", timeout=2)
            if response.status_code == 200:
                return
            last = response.text
        except requests.RequestException as exc:
            last = str(exc)
        time.sleep(0.1)
    raise RuntimeError(f"{process.name} not ready after {timeout}s ({last}):\n{process.log_tail()}")
