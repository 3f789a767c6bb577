"""Private PostgreSQL and RabbitMQ servers that a fault test may stop and restart at will.

The machine's shared servers (5432, 5672) serve other test runs at the same time: a test that
restarts a backend starts its own instead. ``private_postgres`` runs a throw-away cluster
(``initdb`` in a temporary folder, a free port, trust authentication on loopback);
``private_rabbitmq`` runs a RabbitMQ node of its own (its own node name, ports, Mnesia and log
folders, no plugins). Both are removed when the context ends.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess  # noqa: S404 (fixed argument lists, no shell)
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from chassis.testing.processes import free_port


class BackendError(RuntimeError):
    """A private backend could not be started or stopped."""


def _run(
    argv: list[str],
    *,
    env: dict[str, str] | None = None,
    timeout: float = 120.0,
    check: bool = True,
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(  # noqa: S603 (fixed argument list, no shell)
        argv,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if check and done.returncode != 0:
        raise BackendError(
            f"{' '.join(argv)} exited {done.returncode}:\n{done.stdout}{done.stderr}"
        )
    return done


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


# --- PostgreSQL ----------------------------------------------------------------------------


def postgres_bin_dir() -> Path | None:
    """The newest ``/usr/lib/postgresql/<version>/bin`` with ``initdb``, or ``initdb`` on PATH."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0,
    )
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


@dataclass
class PrivatePostgres:
    """A PostgreSQL cluster of one test: ``stop`` / ``start`` / ``restart`` it freely."""

    folder: Path
    port: int
    bin_dir: Path
    run_as: str | None  # PostgreSQL refuses to run as root: the ``postgres`` user then

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def url_template(self, prefix: str = "troc_") -> str:
        """A ``TROC_DATABASE_URL`` template: ``{service}`` names each service's database."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{prefix}{{service}}"

    def _argv(self, tool: str, *args: str) -> list[str]:
        argv = [str(self.bin_dir / tool), *args]
        return ["runuser", "-u", self.run_as, "--", *argv] if self.run_as else argv

    def initdb(self) -> None:
        _run(
            self._argv(
                "initdb",
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            )
        )

    def start(self, timeout: float = 60.0) -> None:
        # fsync off: a test cluster, and an immediate stop is not a crash of the machine.
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
            "-c max_connections=400 -c fsync=off -c full_page_writes=off"
        )
        _run(
            self._argv(
                "pg_ctl",
                "-D",
                str(self.data),
                "-o",
                options,
                "-l",
                str(self.folder / "postgres.log"),
                "-w",
                "-t",
                str(int(timeout)),
                "start",
            ),
            timeout=timeout + 10,
        )

    def stop(self, mode: str = "immediate") -> None:
        """Stop the server; ``immediate`` aborts every session at once (a crash, for clients)."""
        _run(self._argv("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop"), check=False)

    def restart(self, mode: str = "immediate") -> None:
        self.stop(mode)
        self.start()

    def log_tail(self, lines: int = 40) -> str:
        path = self.folder / "postgres.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def _postgres_user() -> str | None:
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        raise BackendError("running as root, and no 'postgres' user to run PostgreSQL as") from None
    return "postgres"


@contextmanager
def private_postgres() -> Iterator[PrivatePostgres]:
    """Start a fresh PostgreSQL cluster on a free port; stop and remove it afterwards."""
    bin_dir = postgres_bin_dir()
    if bin_dir is None:
        raise BackendError("no PostgreSQL server binaries (initdb) on this machine")
    run_as = _postgres_user()
    # Not under pytest's tmp_path: its folders are private to root, and the server may run as
    # the postgres user.
    folder = Path(tempfile.mkdtemp(prefix="troc-pg-"))
    if run_as:
        shutil.chown(folder, run_as)
    server = PrivatePostgres(folder, free_port(), bin_dir, run_as)
    try:
        server.initdb()
        server.start()
        yield server
    finally:
        server.stop("fast")
        shutil.rmtree(folder, ignore_errors=True)


# --- RabbitMQ ------------------------------------------------------------------------------


def _rabbitmq_tool(name: str) -> str | None:
    # Debian's /usr/sbin wrappers switch to the rabbitmq user (and its home, cookie and
    # folders); the scripts behind them run as whoever calls them.
    direct = Path("/usr/lib/rabbitmq/bin") / name
    if direct.exists():
        return str(direct)
    return shutil.which(name)


@dataclass
class PrivateRabbit:
    """A RabbitMQ node of one test: ``stop`` / ``start`` / ``restart`` / ``kill`` it freely."""

    folder: Path
    port: int
    dist_port: int
    server: str
    ctl: str

    @property
    def node(self) -> str:
        return f"troc{self.port}@localhost"

    @property
    def url(self) -> str:
        """The AMQP URL of the node's default vhost ``/``."""
        return f"amqp://guest:guest@127.0.0.1:{self.port}//"

    @property
    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            # Its own Erlang cookie, so this node needs nothing of the machine's broker.
            "HOME": str(self.folder / "home"),
            "RABBITMQ_NODENAME": self.node,
            "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1",
            "RABBITMQ_NODE_PORT": str(self.port),
            "RABBITMQ_DIST_PORT": str(self.dist_port),
            "RABBITMQ_MNESIA_BASE": str(self.folder / "mnesia"),
            "RABBITMQ_LOG_BASE": str(self.folder / "log"),
            "RABBITMQ_PID_FILE": str(self.folder / "node.pid"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(self.folder / "enabled_plugins"),
            "RABBITMQ_CONFIG_FILE": str(self.folder / "rabbitmq"),
            "RABBITMQ_ADVANCED_CONFIG_FILE": str(self.folder / "advanced.config"),
            # The CLI tools dump a crash file into the working folder when a call fails.
            "ERL_CRASH_DUMP": str(self.folder / "erl_crash.dump"),
        }

    def rabbitmqctl(self, *args: str, timeout: float = 60.0, check: bool = True) -> str:
        done = _run(
            [self.ctl, "-q", "-n", self.node, *args], env=self.env, timeout=timeout, check=check
        )
        return done.stdout

    def start(self, timeout: float = 90.0) -> None:
        _run([self.server, "-detached"], env=self.env)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            # The node registers with epmd a moment after -detached returns.
            done = _run(
                [self.ctl, "-q", "-n", self.node, "await_startup", "--timeout", "30"],
                env=self.env,
                timeout=60,
                check=False,
            )
            if done.returncode == 0 and _port_open(self.port):
                return
            time.sleep(0.3)
        raise BackendError(f"RabbitMQ node {self.node} not up after {timeout}s:\n{self.log_tail()}")

    def stop(self) -> None:
        """Stop the node cleanly (clients see their connections closed by the broker)."""
        self.rabbitmqctl("stop", check=False)
        self._wait_down()

    def _pid(self) -> int | None:
        """The node's Erlang VM, if it runs (a stale pid file names some other process)."""
        try:
            pid = int((self.folder / "node.pid").read_text().strip())
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except (OSError, ValueError):
            return None
        return pid if str(self.folder).encode() in cmdline else None  # its -home

    def kill(self) -> None:
        """``kill -9`` the node (clients see their sockets die with no goodbye)."""
        pid = self._pid()
        if pid is not None:
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self._wait_down()

    def _wait_down(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while _port_open(self.port) and time.monotonic() < deadline:
            time.sleep(0.1)

    def restart(self, *, hard: bool = False) -> None:
        if hard:
            self.kill()
        else:
            self.stop()
        self.start()

    def queues(self) -> dict[str, int]:
        """Messages ready or unacked per queue of the vhost ``/``."""
        out = self.rabbitmqctl("list_queues", "--no-table-headers", "name", "messages")
        found: dict[str, int] = {}
        for line in out.splitlines():
            name, _, count = line.strip().rpartition("\t")
            if name:
                found[name] = int(count)
        return found

    def log_tail(self, lines: int = 40) -> str:
        logs = sorted((self.folder / "log").glob("*.log"))
        return "\n".join(
            f"--- {log.name}\n" + "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
            for log in logs
        )


@contextmanager
def private_rabbitmq() -> Iterator[PrivateRabbit]:
    """Start a RabbitMQ node of its own on a free port; stop it and remove its files after."""
    server, ctl = _rabbitmq_tool("rabbitmq-server"), _rabbitmq_tool("rabbitmqctl")
    if server is None or ctl is None:
        raise BackendError("no rabbitmq-server on this machine")
    folder = Path(tempfile.mkdtemp(prefix="troc-rabbit-"))
    for sub in ("home", "mnesia", "log"):
        (folder / sub).mkdir()
    (folder / "enabled_plugins").write_text("[].\n")
    node = PrivateRabbit(folder, free_port(), free_port(), server, ctl)
    try:
        node.start()
        yield node
    finally:
        node.stop()
        with suppress(OSError):
            node.kill()
        shutil.rmtree(folder, ignore_errors=True)
