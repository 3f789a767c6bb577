"""The service shell of the chassis: handler injection, worker loops, the CLI skeleton, settings."""

from __future__ import annotations

import argparse
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import pytest

from chassis.backoff import Backoff
from chassis.cli import ServiceCli, arg
from chassis.config import ConfigError, Settings, int_setting
from chassis.messages import MessageMeta
from chassis.worker import Loop, inject


def meta() -> MessageMeta:
    from chassis.db import utcnow

    return MessageMeta(message_id="m-1", network="n", tenant="t", time=utcnow())


class TestInject:
    def test_a_handler_gets_the_dependencies_its_signature_names(self) -> None:
        def on_thing(message: str, meta: MessageMeta, uow: str, now: int) -> tuple[Any, ...]:
            return message, uow, now

        call = inject(on_thing, {"uow": "the uow", "now": 42, "ctx": "unused"})
        assert call("hello", meta()) == ("hello", "the uow", 42)

    def test_a_dependency_the_bootstrap_does_not_give_fails_early(self) -> None:
        def on_thing(message: str, meta: MessageMeta, ledger: object) -> None: ...

        with pytest.raises(TypeError, match="ledger"):
            inject(on_thing, {"uow": object()})


class TestLoop:
    def test_a_woken_loop_runs_before_its_interval(self) -> None:
        passes: list[float] = []
        loop = Loop("test", lambda: passes.append(time.monotonic()) or 0, interval=30.0)
        stop = threading.Event()
        thread = threading.Thread(target=loop.serve, args=(stop,), daemon=True)
        thread.start()
        deadline = time.monotonic() + 5
        while len(passes) < 1 and time.monotonic() < deadline:
            time.sleep(0.01)
        loop.wake.set()
        while len(passes) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        stop.set()
        loop.wake.set()
        thread.join(5)
        assert len(passes) >= 2 and passes[1] - passes[0] < 5

    def test_a_draining_loop_goes_on_while_it_finds_work(self) -> None:
        backlog = [3, 2, 1, 0]
        stop = threading.Event()

        def run() -> int:
            done = backlog.pop(0) if backlog else 0
            if not backlog:
                stop.set()
            return done

        Loop("drain", run, interval=30.0, drain=True).serve(stop)
        assert backlog == []

    def test_a_gathering_loop_waits_a_little_between_passes_that_found_work(self) -> None:
        backlog = [3, 2, 1, 0]
        stop = threading.Event()
        passes: list[float] = []

        def run() -> int:
            passes.append(time.monotonic())
            done = backlog.pop(0) if backlog else 0
            if not backlog:
                stop.set()
            return done

        Loop("gather", run, interval=30.0, drain=True, gather=0.05).serve(stop)
        assert backlog == []
        gaps = [later - earlier for earlier, later in zip(passes, passes[1:], strict=False)]
        assert len(gaps) == 3 and all(gap >= 0.045 for gap in gaps)

    def test_a_failing_pass_cleans_up_and_the_loop_goes_on(self) -> None:
        calls: list[str] = []
        stop = threading.Event()

        def run() -> int:
            calls.append("run")
            if len(calls) == 1:
                raise RuntimeError("broker away")
            stop.set()
            return 0

        Loop("flaky", run, interval=0.01, on_error=lambda: calls.append("cleanup")).serve(stop)
        assert calls == ["run", "cleanup", "run"]


def test_the_backoff_doubles_up_to_its_maximum_with_jitter() -> None:
    backoff = Backoff(1.0, 4.0, jitter=0.25)
    waits = [backoff.next() for _ in range(5)]
    for wait, base in zip(waits, [1, 2, 4, 4, 4], strict=True):
        assert 0.75 * base <= wait <= base
    backoff.reset()
    assert backoff.next() <= 1.0


@dataclass(frozen=True, kw_only=True)
class ToySettings(Settings):
    service: ClassVar[str] = "toy"
    interval: int = 10

    @classmethod
    def own_from_env(cls, env: Mapping[str, str], base: Settings) -> dict[str, Any]:
        return {"interval": int_setting(env, "TROC_TOY_INTERVAL", 10, minimum=1)}


class TestSettings:
    def test_a_service_extends_the_base_settings_in_one_place(self, tmp_path: Path) -> None:
        settings = ToySettings.from_env(
            environ={"TROC_VAR_DIR": str(tmp_path), "TROC_TOY_INTERVAL": "3"}
        )
        assert (settings.service_name, settings.interval) == ("toy", 3)
        assert settings.database_url == f"sqlite:///{tmp_path.resolve()}/toy.db"

    def test_plain_settings_get_the_services_defaults(self, tmp_path: Path) -> None:
        plain = Settings.from_env("toy", {"TROC_VAR_DIR": str(tmp_path)})
        toy = ToySettings.of(plain)
        assert toy.interval == 10 and toy.database_url == plain.database_url
        assert ToySettings.of(toy) is toy

    def test_a_bad_value_is_a_config_error(self) -> None:
        with pytest.raises(ConfigError, match="TROC_TOY_INTERVAL"):
            ToySettings.from_env(environ={"TROC_TOY_INTERVAL": "0"})


class TestCli:
    def cli(self, tmp_path: Path) -> ServiceCli[ToySettings]:
        cli: ServiceCli[ToySettings] = ServiceCli(
            "toy",
            "Toy commands.",
            errors=(LookupError,),
            migrations=tmp_path,
            settings=lambda: ToySettings.from_env(environ={"TROC_VAR_DIR": str(tmp_path)}),
        )

        @cli.command("greet", "say hello", arg("name"), arg("--times", type=int, default=1))
        def greet(settings: ToySettings, args: argparse.Namespace) -> int:
            if args.name == "nobody":
                raise LookupError("no such person")
            print(" ".join(["hello", args.name] * args.times))
            return 0

        return cli

    def test_commands_and_migrate_are_declared(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        cli = self.cli(tmp_path)
        assert list(cli.commands) == ["migrate", "greet"]
        assert cli.main(["greet", "ada", "--times", "2"]) == 0
        assert capsys.readouterr().out == "hello ada hello ada\n"

    def test_a_declared_error_prints_and_exits_2(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert self.cli(tmp_path).main(["greet", "nobody"]) == 2
        assert capsys.readouterr().err == "error: no such person\n"

    def test_a_bad_command_line_exits_2(self, tmp_path: Path) -> None:
        with pytest.raises(SystemExit) as exited:
            self.cli(tmp_path).main(["frobnicate"])
        assert exited.value.code == 2
