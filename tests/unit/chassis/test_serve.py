"""chassis.serve: the settings of a web process and the command each server gets."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from chassis.config import Settings
from chassis.serve import DEFAULT_GUNICORN_CONFIG, WebServer, fresh_metrics_folder


def test_gunicorn_is_the_default_with_the_deploy_settings() -> None:
    server = WebServer.from_env("ledger.api:create_app", "0.0.0.0:8002", {})
    argv = server.argv()
    assert argv[1:3] == ["-m", "gunicorn"]
    assert argv[argv.index("-c") + 1] == str(DEFAULT_GUNICORN_CONFIG)
    assert argv[argv.index("--bind") + 1] == "0.0.0.0:8002"
    assert argv[argv.index("--worker-class") + 1] == "gthread"
    assert argv[-1] == "ledger.api:create_app()"


def test_granian_gets_the_same_workers_threads_and_grace() -> None:
    env = {
        "TROC_WEB_SERVER": "Granian",
        "TROC_WEB_WORKERS": "3",
        "TROC_WEB_THREADS": "2",
        "TROC_WEB_GRACEFUL_TIMEOUT": "7",
    }
    argv = WebServer.from_env("gateway.api:create_app", "127.0.0.1:8000", env).argv()
    assert argv[1:3] == ["-m", "granian"]
    options = dict(zip(argv[3::1], argv[4::1], strict=False))
    assert options["--interface"] == "wsgi"
    assert options["--host"] == "127.0.0.1"
    assert options["--port"] == "8000"
    assert options["--workers"] == "3"
    assert options["--blocking-threads"] == "2"
    assert options["--workers-kill-timeout"] == "7"
    assert "--factory" in argv
    assert argv[-1] == "gateway.api:create_app"


def test_the_command_line_overrides_the_environment() -> None:
    env = {"TROC_WEB_WORKERS": "9", "TROC_WEB_THREADS": "8"}
    server = WebServer.from_env("a.api:create_app", "[::]:8001", env, workers=1, threads=2)
    assert (server.host, server.port, server.workers, server.threads) == ("::", 8001, 1, 2)


@pytest.mark.parametrize(
    ("app", "bind", "env", "message"),
    [
        ("a.api:create_app", ":8000", {}, "--bind is host:port"),
        ("a.api:create_app", "0.0.0.0:http", {}, "--bind is host:port"),
        ("a.api:create_app", "0.0.0.0:70000", {}, "--bind is host:port"),
        ("a.api:create_app()", "0.0.0.0:8000", {}, "module:factory"),
        ("a.api", "0.0.0.0:8000", {}, "module:factory"),
        ("a.api:create_app", "0.0.0.0:8000", {"TROC_WEB_SERVER": "uwsgi"}, "TROC_WEB_SERVER"),
        ("a.api:create_app", "0.0.0.0:8000", {"TROC_WEB_WORKERS": "0"}, "TROC_WEB_WORKERS"),
        ("a.api:create_app", "0.0.0.0:8000", {"TROC_WEB_THREADS": "four"}, "TROC_WEB_THREADS"),
        ("a.api:create_app", "0.0.0.0:8000", {"TROC_GUNICORN_CONFIG": "/nowhere.py"}, "names no"),
    ],
)
def test_bad_settings_are_refused_by_name(
    app: str, bind: str, env: dict[str, str], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        WebServer.from_env(app, bind, env)


def test_the_command_refuses_a_bad_setting_with_a_clear_line() -> None:
    done = subprocess.run(  # noqa: S603 (this interpreter, a fixed module)
        [sys.executable, "-m", "chassis.serve", "ledger.api:create_app", "--bind", "x"],
        capture_output=True,
        text=True,
        env={"TROC_WEB_SERVER": "granian", "PATH": ""},
        check=False,
        timeout=30,
    )
    assert done.returncode == 2
    assert "--bind is host:port" in done.stderr


def test_granian_starts_on_a_metrics_folder_without_an_earlier_starts_files(tmp_path: Path) -> None:
    env = {"TROC_METRICS_DIR": str(tmp_path / "metrics"), "TROC_VAR_DIR": str(tmp_path)}
    folder = Settings.from_env("ledger", env).metrics_dir
    assert folder is not None
    folder.mkdir(parents=True)
    (folder / "counter_123.db").write_bytes(b"stale")
    fresh_metrics_folder("ledger.api:create_app", env)
    assert folder.is_dir()
    assert not list(folder.glob("*.db"))
    fresh_metrics_folder("ledger.api:create_app", {})  # no folder of its own: nothing to do
