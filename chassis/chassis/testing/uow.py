"""An in-memory unit of work, for unit tests of handlers and use cases: no database at all.

It keeps the protocol of ``chassis.uow``: ``with uow:`` begins, ``commit()`` keeps the staged
events (in ``events``) and counts the commit, and leaving the block without a commit drops what
was staged. A service's fake adds its in-memory repositories or store on top.
"""

from __future__ import annotations

from chassis.messages import Envelope
from chassis.uow import UnitOfWork


class InMemoryUnitOfWork(UnitOfWork):
    """Counts commits and rollbacks; ``events`` holds what committed units staged."""

    def __init__(self) -> None:
        super().__init__()
        self.commits = 0
        self.rollbacks = 0
        self.events: list[Envelope] = []

    def commit(self) -> None:
        self.events.extend(self._staged)
        self._staged = []
        self.commits += 1
        self.committed = True

    def _begin(self) -> None:
        """Nothing to open."""

    def _end(self) -> None:
        if not self.committed:
            self._staged = []
            self.rollbacks += 1

    def _commit(self) -> None:
        """Nothing to write."""
