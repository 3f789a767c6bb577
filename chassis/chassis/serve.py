"""How a web process of the platform starts, on either HTTP server: one command, one set of
settings.

    python -m chassis.serve ledger.api:create_app --bind 0.0.0.0:8002

``TROC_WEB_SERVER`` picks the server that calls the service's WSGI application:

* ``gunicorn`` (the default): gthread workers, with ``deploy/gunicorn.conf.py`` when it is there
  (``TROC_GUNICORN_CONFIG`` names another file): its hooks keep the Prometheus multiprocess
  folder clean and its access log is structured.
* ``granian``: a Rust HTTP server calling the same application. Reading requests, keep-alive and
  writing answers no longer run in Python: ``make bench`` measured about a quarter less CPU per
  request at each hop (the ledger's transfers, the gateway's forwarded reads). Unlike gunicorn it
  does not kill a worker stuck in a request (``TROC_WEB_TIMEOUT`` does not apply).

Both take ``TROC_WEB_WORKERS`` (processes; default two per CPU plus one, at most 9),
``TROC_WEB_THREADS`` (threads calling the application in each process; default 4) and
``TROC_WEB_GRACEFUL_TIMEOUT`` (seconds a stopping worker finishes its requests; default 20).
The command line's ``--workers``, ``--threads`` and ``--graceful-timeout`` override them.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

SERVERS = ("gunicorn", "granian")
#: The gunicorn settings of a checkout or of the image (the repository's ``deploy/``).
DEFAULT_GUNICORN_CONFIG = Path(__file__).resolve().parents[2] / "deploy" / "gunicorn.conf.py"


def default_workers() -> int:
    """Web processes when ``TROC_WEB_WORKERS`` is not set: two per CPU this process may use (a
    container's CPU limit, not the host's) plus one, capped so that a 64-core node does not
    open 129 database pools per pod."""
    try:
        cpus = max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        cpus = max(1, os.cpu_count() or 1)
    return min(2 * cpus + 1, 9)


def chosen_server(env: Mapping[str, str]) -> str:
    """The server ``TROC_WEB_SERVER`` names (gunicorn when unset); a ``ValueError`` otherwise."""
    server = env.get("TROC_WEB_SERVER", "").strip().lower() or "gunicorn"
    if server not in SERVERS:
        raise ValueError(f"TROC_WEB_SERVER must be one of {', '.join(SERVERS)}, not {server!r}")
    return server


def _positive(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"{name} must be a whole number of at least 1, not {raw!r}")
    return int(raw)


@dataclass(frozen=True)
class WebServer:
    """What a web process runs: the server, the application factory, where it listens, how
    many processes and threads."""

    server: str
    app: str
    host: str
    port: int
    workers: int
    threads: int
    graceful_timeout: int = 20
    #: gunicorn's settings file (None: gunicorn's defaults and the options below only).
    gunicorn_config: Path | None = None
    log_level: str = "info"

    @classmethod
    def from_env(
        cls,
        app: str,
        bind: str,
        env: Mapping[str, str],
        *,
        workers: int | None = None,
        threads: int | None = None,
        graceful_timeout: int | None = None,
    ) -> WebServer:
        """The settings of ``TROC_WEB_*`` (a clear ``ValueError`` for a bad one)."""
        server = chosen_server(env)
        if app.count(":") != 1 or app.endswith("()"):
            raise ValueError(f"the application is module:factory (a.api:create_app), not {app!r}")
        host, _, port = bind.rpartition(":")
        if not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError(f"--bind is host:port (0.0.0.0:8002), not {bind!r}")
        config_name = env.get("TROC_GUNICORN_CONFIG", "").strip()
        config = Path(config_name) if config_name else DEFAULT_GUNICORN_CONFIG
        if config_name and not config.is_file():
            raise ValueError(f"TROC_GUNICORN_CONFIG names no file: {config_name!r}")
        return cls(
            server=server,
            app=app,
            host=host.strip("[]"),
            port=int(port),
            workers=workers or _positive(env, "TROC_WEB_WORKERS", default_workers()),
            threads=threads or _positive(env, "TROC_WEB_THREADS", 4),
            graceful_timeout=graceful_timeout or _positive(env, "TROC_WEB_GRACEFUL_TIMEOUT", 20),
            gunicorn_config=config if config.is_file() else None,
            log_level=env.get("TROC_LOG_LEVEL", "info").strip().lower() or "info",
        )

    def argv(self) -> list[str]:
        """The command that runs this server (the current interpreter's)."""
        if self.server == "granian":
            return [
                sys.executable,
                "-m",
                "granian",
                "--interface",
                "wsgi",
                "--factory",
                "--no-ws",
                "--host",
                self.host,
                "--port",
                str(self.port),
                "--workers",
                str(self.workers),
                "--blocking-threads",
                str(self.threads),
                "--workers-kill-timeout",
                str(self.graceful_timeout),
                "--respawn-failed-workers",
                "--log-level",
                self.log_level,
                self.app,
            ]
        config = ["-c", str(self.gunicorn_config)] if self.gunicorn_config else []
        return [
            sys.executable,
            "-m",
            "gunicorn",
            *config,
            "--bind",
            f"{self.host}:{self.port}",
            "--workers",
            str(self.workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(self.threads),
            "--graceful-timeout",
            str(self.graceful_timeout),
            "--keep-alive",
            "5",
            # gunicorn 27 opens ~/.gunicorn/gunicorn.ctl by default, one path for every instance.
            "--no-control-socket",
            f"{self.app}()",
        ]


def fresh_metrics_folder(app: str, env: Mapping[str, str]) -> None:
    """With ``TROC_METRICS_DIR`` set (a pod's own folder), remove the Prometheus files an
    earlier start of the pod left in the service's folder. gunicorn does it in its
    ``on_starting`` hook (``deploy/gunicorn.conf.py``); granian has no such hook, so it is done
    here, before the server starts."""
    if not env.get("TROC_METRICS_DIR"):
        return
    from chassis.config import Settings
    from chassis.metrics import clear_directory

    folder = Settings.from_env(app.split(".", 1)[0], env).metrics_dir
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
        clear_directory(folder)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m chassis.serve",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("app", help="the WSGI application factory, module:function")
    parser.add_argument("--bind", required=True, help="host:port to listen on")
    parser.add_argument("--workers", type=int, help="processes (default TROC_WEB_WORKERS)")
    parser.add_argument("--threads", type=int, help="threads per process (TROC_WEB_THREADS)")
    parser.add_argument(
        "--graceful-timeout", type=int, help="seconds to finish (TROC_WEB_GRACEFUL_TIMEOUT)"
    )
    args = parser.parse_args(argv)
    try:
        server = WebServer.from_env(
            args.app,
            args.bind,
            os.environ,
            workers=args.workers,
            threads=args.threads,
            graceful_timeout=args.graceful_timeout,
        )
    except ValueError as exc:
        parser.error(str(exc))
    if server.server == "granian":
        fresh_metrics_folder(server.app, os.environ)
    command = server.argv()
    os.execv(command[0], command)  # noqa: S606 (the interpreter, a fixed module, checked options)


if __name__ == "__main__":
    main()
