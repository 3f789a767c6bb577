"""Run the platform on one machine: migrate, seed the demo, start every service with honcho.

Standard library only; run it with the virtualenv's Python (``make run`` does). It detects the
services present in the checkout, so it works while the platform is still being built, and says
what it starts and what it skips.
"""

from __future__ import annotations

import argparse
import http.client
import importlib.util
import os
import shlex
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
PROCFILE = VAR / "Procfile"
DEMO_OPERATOR = "operator@demo.trocactif.org"
#: Enough to try the barter flow in the browser: a seller, a buyer, their animator, the operator.
DEMO_LOGINS = (
    ("member, seller (Atelier Lumière, PIE)", "contact@atelier-lumiere.demo.trocactif.org"),
    ("member, buyer (Blés d'Or, PIE)", "contact@bles-dor.demo.trocactif.org"),
    ("animator of PIE (« Validation »)", "animation@pie.demo.trocactif.org"),
    ("operator", DEMO_OPERATOR),
)


@dataclass(frozen=True)
class Service:
    """One deployable service of the platform and where its package lives."""

    name: str
    folder: str
    default_port: int

    @property
    def package(self) -> str:
        return self.name

    @property
    def present(self) -> bool:
        return (ROOT / self.folder / "pyproject.toml").is_file()

    @property
    def port(self) -> int:
        raw = os.environ.get(f"TROC_{self.name.upper()}_PORT", "")
        return int(raw) if raw else self.default_port

    def has_module(self, module: str) -> bool:
        """Tell whether ``<package>.<module>`` can be imported in this environment."""
        try:
            return importlib.util.find_spec(f"{self.package}.{module}") is not None
        except (ImportError, ValueError):
            return False


SERVICES = [
    Service("gateway", "gateway", 8000),
    Service("listings", "services/listings", 8001),
    Service("ledger", "services/ledger", 8002),
    Service("invoices", "services/invoices", 8003),
    Service("notifications", "services/notifications", 8004),
]


def host() -> str:
    return os.environ.get("TROC_HOST", "127.0.0.1")


def venv_bin(name: str) -> str:
    """Path of a console script next to the running interpreter (the virtualenv's)."""
    candidate = Path(sys.executable).parent / name
    return str(candidate) if candidate.exists() else name


def present_services() -> list[Service]:
    return [s for s in SERVICES if s.present]


def describe_backends() -> str:
    db = os.environ.get("TROC_DATABASE_URL") or "SQLite files under var/"
    broker = os.environ.get("TROC_BROKER_URL") or "filesystem:// bus under var/bus"
    return f"database: {db}; broker: {broker}"


def run(cmd: list[str]) -> None:
    print("  $", shlex.join(cmd), flush=True)
    subprocess.run(cmd, cwd=ROOT, check=True)  # noqa: S603 - our own interpreter and modules


def cmd_services(_: argparse.Namespace) -> int:
    """Print which services exist and what each provides."""
    for s in SERVICES:
        if not s.present:
            print(f"  {s.name:<14} absent ({s.folder}/pyproject.toml not found)")
            continue
        parts = [f"{m}: {'yes' if s.has_module(m) else 'no'}" for m in ("api", "consumer", "cli")]
        print(f"  {s.name:<14} port {s.port}  " + ", ".join(parts))
    return 0


def cmd_migrate(_: argparse.Namespace) -> int:
    """Run ``python -m <pkg>.cli migrate`` for every service that has one."""
    VAR.mkdir(exist_ok=True)
    print(f"==> migrating ({describe_backends()})")
    done = []
    for s in present_services():
        if not s.has_module("cli"):
            print(f"  {s.name}: no {s.package}.cli module yet, no migration to run")
            continue
        run([sys.executable, "-m", f"{s.package}.cli", "migrate"])
        done.append(s.name)
    absent = ", ".join(s.name for s in SERVICES if not s.present) or "none"
    print(f"  migrated: {', '.join(done) or 'nothing'}; absent services: {absent}")
    return 0


def cmd_seed(_: argparse.Namespace) -> int:
    """Load the demo data through ``python -m gateway.cli seed-demo`` when it exists."""
    gateway = SERVICES[0]
    if not gateway.present or not gateway.has_module("cli"):
        print("==> demo seed skipped: no gateway.cli yet (python -m gateway.cli seed-demo)")
        return 0
    print("==> seeding the demo data")
    run([sys.executable, "-m", "gateway.cli", "seed-demo"])
    return 0


def procfile_lines() -> tuple[list[str], list[Service], list[str]]:
    """Build the Procfile: a web process per HTTP service (``chassis.serve``), one worker per bus
    consumer."""
    workers = os.environ.get("TROC_WEB_WORKERS", "2")
    # Threads: the gateway's web pages call the gateway's own API while they are served.
    threads = os.environ.get("TROC_WEB_THREADS", "4")
    lines: list[str] = []
    started: list[Service] = []
    notes: list[str] = []
    for s in SERVICES:
        if not s.present:
            notes.append(f"{s.name}: not in this checkout ({s.folder}/pyproject.toml)")
            continue
        if s.has_module("api"):
            # The platform's one launcher: gunicorn by default, granian with TROC_WEB_SERVER.
            web = [
                sys.executable, "-m", "chassis.serve", f"{s.package}.api:create_app",
                "--bind", f"{host()}:{s.port}",
                "--workers", workers,
                "--threads", threads,
                "--graceful-timeout", "5",
            ]  # fmt: skip
            lines.append(f"{s.name}: {shlex.join(web)}")
            started.append(s)
        else:
            notes.append(f"{s.name}: no {s.package}.api module yet, HTTP not started")
        if s.has_module("consumer"):
            worker = [sys.executable, "-m", f"{s.package}.consumer"]
            lines.append(f"{s.name}-worker: {shlex.join(worker)}")
        else:
            notes.append(f"{s.name}: no {s.package}.consumer module yet, worker not started")
    return lines, started, notes


def cmd_procfile(_: argparse.Namespace) -> int:
    """Write var/Procfile and print it."""
    VAR.mkdir(exist_ok=True)
    lines, _, notes = procfile_lines()
    PROCFILE.write_text("".join(line + "\n" for line in lines))
    print(f"==> {PROCFILE.relative_to(ROOT)}:")
    for line in lines:
        print("  " + line)
    for note in notes:
        print("  (" + note + ")")
    return 0


def port_busy(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host(), port)) == 0


def http_answers(port: int) -> bool:
    """Tell whether an HTTP server answers on ``port`` (any status: the app has booted)."""
    conn = http.client.HTTPConnection(host(), port, timeout=2)
    try:
        conn.request("GET", "/")
        conn.getresponse().read()
        return True
    except (OSError, http.client.HTTPException):
        return False
    finally:
        conn.close()


def wait_for_http(proc: subprocess.Popen[bytes], ports: list[int], timeout: float) -> list[int]:
    """Wait until every port answers HTTP or honcho exits; return the ports still silent."""
    deadline = time.monotonic() + timeout
    pending = list(ports)
    while pending and time.monotonic() < deadline and proc.poll() is None:
        pending = [p for p in pending if not http_answers(p)]
        if pending:
            time.sleep(0.5)
    return pending


def banner(started: list[Service], notes: list[str], closed: list[int]) -> None:
    password = os.environ.get("TROC_DEMO_PASSWORD", "troc-demo")
    print("\n" + "=" * 72)
    print(f"Troc Actif is running ({describe_backends()})")
    for s in started:
        state = "NOT ANSWERING YET: see its log" if s.port in closed else "up"
        print(f"  {s.name:<14} http://{host()}:{s.port}/   [{state}]")
    for note in notes:
        print(f"  - {note}")
    gateway = next((s for s in started if s.name == "gateway"), None)
    if gateway is not None:
        print(f"Open http://{host()}:{gateway.port}/ (API docs at /openapi.json).")
    print(f"Demo logins, every one with the password {password!r} (TROC_DEMO_PASSWORD):")
    for role, email in DEMO_LOGINS:
        print(f"  {role:<36} {email}")
    print("  (every login of the demo is listed above, under 'seeding the demo data').")
    print("Network 'troc-actif'; tenants pie, fa-mgp, initiactive-95, fa-77-91.")
    if os.environ.get("TROC_SMTP_HOST"):
        print(f"E-mails go to the SMTP server {os.environ['TROC_SMTP_HOST']} (TROC_SMTP_HOST).")
    else:
        mail = Path(os.environ.get("TROC_VAR_DIR") or VAR) / "mail"
        print(
            f"E-mails (password reset links, invitations, notifications) are .eml files in {mail}/:"
        )
        print(
            f'  read the newest with `less "$(ls -td {mail}/*.eml | head -1)"`, '
            "or open it in a mail client."
        )
    print(f"Logs are below; Procfile: {PROCFILE.relative_to(ROOT)}. Ctrl-C stops everything.")
    print("=" * 72 + "\n", flush=True)


def cmd_start(args: argparse.Namespace) -> int:
    """Start every service found with honcho; Ctrl-C stops them all."""
    cmd_procfile(args)
    lines, started, notes = procfile_lines()
    if not lines:
        print("==> nothing to start: no <pkg>.api or <pkg>.consumer yet", file=sys.stderr)
        return 1
    busy = [s for s in started if port_busy(s.port)]
    if busy:
        for s in busy:
            print(
                f"port {s.port} ({s.name}) is already in use on {host()}: stop what uses it or set "
                f"TROC_{s.name.upper()}_PORT",
                file=sys.stderr,
            )
        return 1
    print(f"==> starting {', '.join(line.split(':', 1)[0] for line in lines)} with honcho")
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    honcho = [venv_bin("honcho"), "start", "--procfile", str(PROCFILE), "--app-root", str(ROOT)]
    # honcho gets its own session so that a terminal Ctrl-C reaches this script only, which passes
    # exactly one signal on: honcho then stops every process (SIGTERM, SIGKILL after 5 s).
    proc = subprocess.Popen(honcho, cwd=ROOT, env=env, start_new_session=True)  # noqa: S603
    stopping = False

    def forward(signum: int, _frame: object) -> None:
        nonlocal stopping
        if proc.poll() is None and not stopping:
            stopping = True
            proc.send_signal(signal.SIGINT if signum == signal.SIGINT else signal.SIGTERM)

    signal.signal(signal.SIGINT, forward)
    signal.signal(signal.SIGTERM, forward)
    closed = wait_for_http(proc, [s.port for s in started], timeout=float(args.wait))
    if proc.poll() is None and not stopping and not closed and not args.no_trades:
        demo_trades(started)
    if proc.poll() is None and not stopping:
        banner(started, notes, closed)
    try:
        rc = proc.wait(timeout=None)
    finally:
        if proc.poll() is None:  # only if this script itself is failing
            proc.kill()
    if stopping:
        print("==> stopped")
        return 0
    print(f"==> stopped: a process exited with {rc} (see its log above)", file=sys.stderr)
    return rc or 1


def demo_trades(started: list[Service]) -> None:
    """Trade in the demo through the running gateway (scripts/demo_trades.py): settled
    invoices, a credit note, invoices for the animators; once, then left as they are."""
    gateway = next((s for s in started if s.name == "gateway"), None)
    if gateway is None or not {"ledger", "invoices"} <= {s.name for s in started}:
        return
    print("==> trading in the demo (invoices, a credit note, the validation queue)", flush=True)
    done = subprocess.run(  # noqa: S603 (fixed argument list, no shell)
        [
            sys.executable,
            str(ROOT / "scripts" / "demo_trades.py"),
            "--url",
            f"http://{host()}:{gateway.port}",
        ],
        cwd=ROOT,
        check=False,
    )
    if done.returncode != 0:
        print(
            "==> the demo's trades stopped short (see above); the platform runs on", file=sys.stderr
        )


def cmd_all(args: argparse.Namespace) -> int:
    """Migrate, seed, then start (what ``make run`` does after installing)."""
    VAR.mkdir(exist_ok=True)
    print("==> services in this checkout:")
    cmd_services(args)
    cmd_migrate(args)
    cmd_seed(args)
    return cmd_start(args)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wait", default="60", help="seconds to wait for the HTTP ports (start)")
    parser.add_argument(
        "--no-trades",
        action="store_true",
        help="start without trading in the demo (scripts/demo_trades.py)",
    )
    sub = parser.add_subparsers(dest="command")
    for name, func in [
        ("services", cmd_services),
        ("migrate", cmd_migrate),
        ("seed", cmd_seed),
        ("procfile", cmd_procfile),
        ("start", cmd_start),
        ("all", cmd_all),
    ]:
        sub.add_parser(name, help=func.__doc__).set_defaults(func=func)
    args = parser.parse_args(argv)
    func = getattr(args, "func", cmd_all)
    try:
        return func(args)
    except subprocess.CalledProcessError as exc:
        print(f"failed ({exc.returncode}): {shlex.join(exc.cmd)}", file=sys.stderr)
        return exc.returncode or 1


if __name__ == "__main__":
    sys.exit(main())
