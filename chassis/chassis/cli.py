"""The command skeleton of every service: ``python -m <service>.cli <command>``.

A service declares its commands on a :class:`ServiceCli` and gets the rest: ``migrate``
(Alembic to head), the argument parser, the settings read once from the environment, and one
error rule: a bad setting, a bad value or one of the service's declared errors prints
``error: ...`` on stderr and exits 2 (argparse's own exit code for a bad command line). A command
returns its exit code (0, or 1 when it found a problem it reports, like broken invariants).

Imports the chassis only, never a service.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from chassis.config import ConfigError, Settings
from chassis.migrate import upgrade

S = TypeVar("S", bound=Settings)

#: A command: ``(settings, args) -> exit code``.
Run = Callable[[S, argparse.Namespace], int]


@dataclass(frozen=True)
class Argument:
    """One ``add_argument`` call: its flags (or name) and options."""

    flags: tuple[str, ...]
    options: dict[str, Any] = field(default_factory=dict)


def arg(*flags: str, **options: Any) -> Argument:
    """An argument of a command, as ``ArgumentParser.add_argument`` takes it."""
    return Argument(flags, options)


@dataclass(frozen=True)
class Command(Generic[S]):
    name: str
    run: Run[S]
    help: str
    arguments: tuple[Argument, ...] = ()


class ServiceCli(Generic[S]):
    """The commands of one service, ``migrate`` included."""

    def __init__(
        self,
        service: str,
        description: str | None,
        *,
        prog: str = "",
        settings: Callable[[], S],
        migrations: Path,
        errors: tuple[type[BaseException], ...] = (),
        describe: Callable[[BaseException], str] = str,
    ) -> None:
        self.service = service
        self.prog = prog or f"troc-{service}"
        self.description = description
        self.settings = settings
        self.migrations = migrations
        self.errors: tuple[type[BaseException], ...] = (ConfigError, ValueError, *errors)
        self.describe = describe
        self.commands: dict[str, Command[S]] = {}
        self.add("migrate", self.migrate, f"bring the {service} database to the latest schema")

    def add(self, name: str, run: Run[S], help: str, *arguments: Argument) -> None:  # noqa: A002
        if name in self.commands:
            raise ValueError(f"command {name!r} declared twice")
        self.commands[name] = Command(name, run, help, arguments)

    def command(
        self,
        name: str,
        help: str,  # noqa: A002 (argparse's word)
        *arguments: Argument,
    ) -> Callable[[Run[S]], Run[S]]:
        """Declare the decorated function as the command ``name``."""

        def register(run: Run[S]) -> Run[S]:
            self.add(name, run, help, *arguments)
            return run

        return register

    def migrate(self, settings: S, args: argparse.Namespace) -> int:
        upgrade(settings, self.migrations)
        where = settings.database_url.split("@")[-1]
        print(f"{self.service} database at head ({where})")
        return 0

    def parser(self) -> argparse.ArgumentParser:
        root = argparse.ArgumentParser(prog=self.prog, description=self.description)
        sub = root.add_subparsers(dest="command", required=True)
        for command in self.commands.values():
            parser = sub.add_parser(command.name, help=command.help)
            for argument in command.arguments:
                parser.add_argument(*argument.flags, **argument.options)
        return root

    def main(self, argv: Sequence[str] | None = None) -> int:
        """Parse ``argv``, run the command, and turn the expected errors into exit code 2."""
        args = self.parser().parse_args(argv)
        try:
            return self.commands[args.command].run(self.settings(), args)
        except self.errors as exc:
            print(f"error: {self.describe(exc)}", file=sys.stderr)
            return 2
