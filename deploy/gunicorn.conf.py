"""gunicorn settings of every Troc Actif web process (``gunicorn -c deploy/gunicorn.conf.py``).

The bind address comes from the command line (``--bind 0.0.0.0:<port>``): one image, one config,
the port chosen per service by compose or Kubernetes. ``TROC_WEB_WORKERS`` and
``TROC_WEB_THREADS`` override the CPU-based defaults (a container's CPU limit, not the host's).
The hooks at the end keep the pod's Prometheus multiprocess folder (``TROC_METRICS_DIR``) clean.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from chassis.serve import default_workers


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


# Services are I/O bound (PostgreSQL, the broker, the gateway's upstream calls): a few processes
# with threads each (the same default as chassis.serve's, which passes it on the command line).
workers = _int("TROC_WEB_WORKERS", default_workers())
worker_class = "gthread"
threads = _int("TROC_WEB_THREADS", 4)

# A request slower than `timeout` is a bug or a stuck database: the worker is killed and replaced.
timeout = _int("TROC_WEB_TIMEOUT", 30)
graceful_timeout = _int("TROC_WEB_GRACEFUL_TIMEOUT", 20)
keepalive = 5
# Recycle workers now and then (memory fragmentation), jittered so they never restart together.
max_requests = 5000
max_requests_jitter = 500
# Heartbeat files in memory, not on the container's overlay filesystem (slow fsync stalls).
# gunicorn's own recommendation; the files are per-worker heartbeats, not data.
_SHM = "/dev/shm"  # noqa: S108
worker_tmp_dir = _SHM if os.path.isdir(_SHM) else None

# gunicorn 27 opens a control socket under ~/.gunicorn by default: unneeded in a container, and
# shared by every instance on a host (the equivalent of --no-control-socket).
control_socket_disable = True

# Logs to stdout/stderr only: the container runtime collects them. One JSON object per request,
# written by the structured logger (chassis.gunicorn_logging): values are escaped like those of
# every other log line, never pasted into a template.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("TROC_LOG_LEVEL", "info").lower()
logger_class = "chassis.gunicorn_logging.StructuredAccessLogger"
# X-Forwarded-Proto (and the other secure-scheme headers) are believed only from the proxies the
# platform trusts (TROC_TRUSTED_PROXIES, CIDRs; default the loopback), never from anyone.
# TROC_FORWARDED_ALLOW_IPS, if set, overrides it for gunicorn alone.
forwarded_allow_ips = (
    os.environ.get("TROC_FORWARDED_ALLOW_IPS")
    or os.environ.get("TROC_TRUSTED_PROXIES")
    or "127.0.0.1,::1"
).replace(" ", "")


# --- Prometheus multiprocess folder (chassis.metrics) ---------------------------------------------
# Each web process writes its counters to files in TROC_METRICS_DIR/<service>. A deployment that
# sets TROC_METRICS_DIR gives every pod (container) its own folder (an emptyDir, a tmpfs): files
# left by an earlier start of the pod (a restarted container keeps its emptyDir) are stale and go
# before the first worker forks. Without TROC_METRICS_DIR (var/metrics of a checkout, shared with
# other local processes) nothing is deleted.


def _metrics_folder(server: Any) -> Path | None:
    if not os.environ.get("TROC_METRICS_DIR"):
        return None
    from chassis.config import Settings

    # "ledger.api:create_app()" -> ledger: the service's own folder under TROC_METRICS_DIR.
    service = str(getattr(server.app, "app_uri", "") or "").split(".", 1)[0].split(":", 1)[0]
    return Settings.from_env(service).metrics_dir if service else None


def on_starting(server: Any) -> None:
    folder = _metrics_folder(server)
    if folder is not None:
        from chassis.metrics import clear_directory

        folder.mkdir(parents=True, exist_ok=True)
        removed = clear_directory(folder)
        server.log.info("metrics folder %s ready (%d stale files removed)", folder, removed)


def child_exit(server: Any, worker: Any) -> None:
    """A gunicorn worker is gone (recycled after max_requests, or killed): drop its live gauges."""
    folder = _metrics_folder(server)
    if folder is not None:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid, str(folder))
