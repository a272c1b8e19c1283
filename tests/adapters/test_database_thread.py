"""The SQLite store's database thread: urgent work (a webhook's insert) first, the rest in arrival order."""

from __future__ import annotations

import threading

import pytest

from adapters.database_thread import DatabaseThread


def test_urgent_work_goes_ahead_of_queued_work_and_the_rest_keeps_its_order():
    thread = DatabaseThread("test-db")
    release = threading.Event()
    ran: list[str] = []
    busy = thread.submit(release.wait, 10)  # the thread is in the middle of something
    queued = [thread.submit(ran.append, name) for name in ("turn 1", "turn 2")]
    urgent = thread.submit(ran.append, "webhook", urgent=True)
    release.set()
    for future in (busy, *queued, urgent):
        future.result(timeout=10)
    assert ran == ["webhook", "turn 1", "turn 2"]
    thread.shutdown()


def test_errors_reach_the_caller_and_cancelled_work_never_runs():
    thread = DatabaseThread("test-db")
    release = threading.Event()
    ran: list[str] = []
    thread.submit(release.wait, 10)
    failing = thread.submit(lambda: 1 / 0)
    cancelled = thread.submit(ran.append, "cancelled")
    assert cancelled.cancel()
    release.set()
    with pytest.raises(ZeroDivisionError):
        failing.result(timeout=10)
    thread.submit(ran.append, "after").result(timeout=10)
    assert ran == ["after"]
    thread.shutdown()


def test_shutdown_finishes_what_is_queued_then_refuses_more():
    thread = DatabaseThread("test-db")
    release = threading.Event()
    ran: list[int] = []
    thread.submit(release.wait, 10)
    pending = [thread.submit(ran.append, n) for n in range(3)]
    release.set()
    thread.shutdown()
    assert ran == [0, 1, 2] and all(f.done() for f in pending)
    with pytest.raises(RuntimeError):
        thread.submit(ran.append, 3)
