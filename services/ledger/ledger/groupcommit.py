"""Group commit: concurrent requests of one process written in one transaction.

Mechanism only (standard library): what a group is written with, and what each request's answer
is, belongs to the caller (``StatementConnections`` for the HTTP transfers).

Leader/follower. A thread that finds no group gathering or in flight leads: it waits the window
(or until the group is full), takes what is pending and runs it, outside the lock; the others
wait. ``run_group`` gives, per item in order, a function making that item's answer, which its own
thread calls: an item's exception (a refusal, an unknown account, a signal) is raised in its
owner's thread only. If ``run_group`` raises (its transaction failed as a whole), every member
of the group runs alone with ``run_one``, in its own thread, so one bad request cannot fail its
neighbours. Requests arriving while a group is in flight queue up; when it ends, the first of
them leads the next group at once (they have already waited for the flight, no window again).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: Per item of a group, in order: the function that gives (or raises) that item's answer.
Answers = Sequence[Callable[[], R]]


@dataclass(eq=False, slots=True)
class _Slot(Generic[T, R]):
    item: T
    ready: threading.Event = field(default_factory=threading.Event)
    #: Set for the thread woken to lead the next group (instead of an answer).
    lead: bool = False
    answer: Callable[[], R] | None = None
    #: The group failed as a whole: run alone.
    alone: bool = False


@dataclass(frozen=True, slots=True)
class GroupStats:
    """What the combiner has done so far (for tests and logs)."""

    groups: int
    items: int
    fallbacks: int


class GroupCommit(Generic[T, R]):
    """Combine the concurrent ``submit`` calls of this process into groups."""

    def __init__(
        self,
        run_group: Callable[[Sequence[T]], Answers[R]],
        run_one: Callable[[T], R],
        *,
        window_s: float,
        max_size: int = 32,
    ) -> None:
        if window_s < 0 or max_size < 1:
            raise ValueError("window_s >= 0 and max_size >= 1")
        self.run_group = run_group
        self.run_one = run_one
        self.window_s = window_s
        self.max_size = max_size
        self._cond = threading.Condition(threading.Lock())
        self._pending: list[_Slot[T, R]] = []
        #: A leader is gathering or its group is in flight: newcomers queue.
        self._busy = False
        self._groups = self._items = self._fallbacks = 0

    def stats(self) -> GroupStats:
        with self._cond:
            return GroupStats(self._groups, self._items, self._fallbacks)

    def submit(self, item: T) -> R:
        """``item``'s answer, as ``run_one(item)`` would give it (written with others)."""
        slot: _Slot[T, R] = _Slot(item)
        with self._cond:
            self._pending.append(slot)
            lead = not self._busy
            if lead:
                self._busy = True
            elif len(self._pending) >= self.max_size:
                self._cond.notify()
        if lead:
            self._lead(gather=True)
        while True:
            slot.ready.wait()
            if not slot.lead:
                break
            slot.lead = False
            slot.ready.clear()
            self._lead(gather=False)
        if slot.alone:
            return self.run_one(item)
        assert slot.answer is not None
        return slot.answer()

    def _lead(self, *, gather: bool) -> None:
        with self._cond:
            if gather and self.window_s > 0:
                self._cond.wait_for(lambda: len(self._pending) >= self.max_size, self.window_s)
            group = self._pending[: self.max_size]
            del self._pending[: self.max_size]
        answers: list[Callable[[], R]] | None = None
        try:
            answers = list(self.run_group([s.item for s in group]))
            if len(answers) != len(group):
                raise RuntimeError(f"{len(answers)} answers for a group of {len(group)}")
        except Exception:
            answers = None
        finally:
            # Also when the leader itself is interrupted: nobody is left waiting.
            self._hand_out(group, answers)

    def _hand_out(self, group: list[_Slot[T, R]], answers: list[Callable[[], R]] | None) -> None:
        with self._cond:
            self._groups += 1
            self._items += len(group)
            if answers is None:
                self._fallbacks += 1
            if self._pending:
                # The next group's leader starts now; the answers below are handed out after.
                successor = self._pending[0]
                successor.lead = True
                successor.ready.set()
            else:
                self._busy = False
        for n, slot in enumerate(group):
            if answers is None:
                slot.alone = True
            else:
                slot.answer = answers[n]
            slot.ready.set()
