"""The group commit combiner alone: grouping, one answer per caller, fallback to one by one."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

import pytest

from chassis.config import ConfigError
from ledger.groupcommit import GroupCommit
from ledger.settings import group_commit_window


class Recorder:
    """A ``run_group`` / ``run_one`` pair recording what it was given and in which thread."""

    def __init__(self, *, fail_group: bool = False, bad: frozenset[int] = frozenset()) -> None:
        self.fail_group = fail_group
        self.bad = bad
        self.groups: list[list[int]] = []
        self.alone: list[tuple[int, int]] = []  # (item, thread id)
        self.lock = threading.Lock()
        self.in_flight = threading.Event()
        self.release = threading.Event()
        self.release.set()

    def run_group(self, items: Sequence[int]) -> list[Callable[[], int]]:
        with self.lock:
            self.groups.append(list(items))
        self.in_flight.set()
        self.release.wait(5)
        if self.fail_group:
            raise RuntimeError("the group's transaction failed")
        return [lambda n=n: self.answer(n) for n in items]

    def run_one(self, item: int) -> int:
        with self.lock:
            self.alone.append((item, threading.get_ident()))
        return self.answer(item)

    def answer(self, item: int) -> int:
        if item in self.bad:
            raise ValueError(f"item {item} is refused")
        return item * 10


def submit_together(combiner: GroupCommit[int, int], items: Sequence[int]) -> list[object]:
    """Submit each item from its own thread, all at once; each thread's answer or exception."""
    start = threading.Barrier(len(items))

    def call(item: int) -> object:
        start.wait()
        try:
            return ("ok", combiner.submit(item), threading.get_ident())
        except Exception as exc:
            return ("error", exc, threading.get_ident())

    with ThreadPoolExecutor(max_workers=len(items)) as pool:
        return list(pool.map(call, items))


class TestGrouping:
    def test_concurrent_submissions_within_the_window_form_one_group(self) -> None:
        recorder = Recorder()
        combiner = GroupCommit(recorder.run_group, recorder.run_one, window_s=0.3)
        results = submit_together(combiner, range(6))
        assert [r[:2] for r in results] == [("ok", n * 10) for n in range(6)]
        assert len(recorder.groups) == 1
        assert sorted(recorder.groups[0]) == list(range(6))
        assert recorder.alone == []
        assert combiner.stats().groups == 1 and combiner.stats().items == 6

    def test_a_group_is_bounded_and_everyone_is_answered(self) -> None:
        recorder = Recorder()
        combiner = GroupCommit(recorder.run_group, recorder.run_one, window_s=0.05, max_size=3)
        results = submit_together(combiner, range(10))
        assert [r[:2] for r in results] == [("ok", n * 10) for n in range(10)]
        assert all(len(g) <= 3 for g in recorder.groups)
        assert sorted(n for g in recorder.groups for n in g) == list(range(10))

    def test_a_lone_submission_is_a_group_of_one(self) -> None:
        recorder = Recorder()
        combiner = GroupCommit(recorder.run_group, recorder.run_one, window_s=0.001)
        assert combiner.submit(4) == 40
        assert combiner.submit(5) == 50
        assert recorder.groups == [[4], [5]]

    def test_requests_arriving_during_a_flight_make_the_next_group(self) -> None:
        recorder = Recorder()
        recorder.release.clear()
        combiner = GroupCommit(recorder.run_group, recorder.run_one, window_s=0.0)
        with ThreadPoolExecutor(max_workers=5) as pool:
            first = pool.submit(combiner.submit, 0)
            assert recorder.in_flight.wait(5)
            rest = [pool.submit(combiner.submit, n) for n in range(1, 5)]
            while combiner.stats().groups == 0 and len(combiner._pending) < 4:
                threading.Event().wait(0.005)
            recorder.release.set()
            assert first.result(5) == 0
            assert [f.result(5) for f in rest] == [10, 20, 30, 40]
        assert recorder.groups[0] == [0]
        assert sorted(n for g in recorder.groups[1:] for n in g) == [1, 2, 3, 4]
        assert len(recorder.groups) == 2

    def test_the_window_must_be_sane(self) -> None:
        recorder = Recorder()
        with pytest.raises(ValueError):
            GroupCommit(recorder.run_group, recorder.run_one, window_s=-1)
        with pytest.raises(ValueError):
            GroupCommit(recorder.run_group, recorder.run_one, window_s=0.001, max_size=0)


class TestAnswers:
    def test_an_exception_reaches_its_owner_only(self) -> None:
        recorder = Recorder(bad=frozenset({2}))
        combiner = GroupCommit(recorder.run_group, recorder.run_one, window_s=0.3)
        results = submit_together(combiner, range(5))
        for n, (kind, value, _) in enumerate(results):
            if n == 2:
                assert kind == "error" and isinstance(value, ValueError)
                assert str(value) == "item 2 is refused"
            else:
                assert (kind, value) == ("ok", n * 10)
        assert len(recorder.groups) == 1
        assert recorder.alone == []

    def test_a_failed_group_is_run_one_by_one_each_in_its_owners_thread(self) -> None:
        recorder = Recorder(fail_group=True, bad=frozenset({3}))
        combiner = GroupCommit(recorder.run_group, recorder.run_one, window_s=0.3)
        results = submit_together(combiner, range(5))
        for n, (kind, value, _) in enumerate(results):
            if n == 3:
                assert kind == "error" and isinstance(value, ValueError)
            else:
                assert (kind, value) == ("ok", n * 10)
        threads = {n: ident for n, (_, _, ident) in enumerate(results)}
        assert sorted(recorder.alone) == sorted(threads.items())
        assert combiner.stats().fallbacks == 1

    def test_a_group_with_a_missing_answer_falls_back_to_one_by_one(self) -> None:
        alone: list[int] = []

        def one(item: int) -> int:
            alone.append(item)
            return -item

        combiner: GroupCommit[int, int] = GroupCommit(lambda items: [], one, window_s=0.3)
        results = submit_together(combiner, [1, 2, 3])
        assert [r[:2] for r in results] == [("ok", -1), ("ok", -2), ("ok", -3)]
        assert sorted(alone) == [1, 2, 3]

    def test_after_a_failed_group_the_combiner_keeps_grouping(self) -> None:
        recorder = Recorder(fail_group=True)
        combiner = GroupCommit(recorder.run_group, recorder.run_one, window_s=0.2)
        submit_together(combiner, range(3))
        recorder.fail_group = False
        results = submit_together(combiner, range(3))
        assert [r[:2] for r in results] == [("ok", 0), ("ok", 10), ("ok", 20)]
        assert len(recorder.alone) == 3
        assert combiner.stats().groups == 2


def test_the_window_setting_is_bounded() -> None:
    assert group_commit_window({}) == 0
    assert group_commit_window({"TROC_LEDGER_GROUP_COMMIT_US": "500"}) == 500
    with pytest.raises(ConfigError):
        group_commit_window({"TROC_LEDGER_GROUP_COMMIT_US": "5000"})
    with pytest.raises(ConfigError):
        group_commit_window({"TROC_LEDGER_GROUP_COMMIT_US": "-1"})
