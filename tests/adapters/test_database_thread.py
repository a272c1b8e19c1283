"""The SQLite store's database thread: urgent work (a webhook's insert) first, the rest in arrival order."""

from __future__ import annotations

import threading

import pytest

from adapters.database_thread import DatabaseThread


def busy() -> tuple[DatabaseThread, threading.Event, list]:
    """A database thread in the middle of something until the event is set, and a list its work can append to."""
    thread = DatabaseThread("test-db")
    release = threading.Event()
    thread.submit(release.wait, 10)
    return thread, release, []


def test_urgent_work_goes_ahead_of_queued_work_and_the_rest_keeps_its_order():
    thread, release, ran = busy()
    queued = [thread.submit(ran.append, name) for name in ("turn 1", "turn 2")]
    urgent = thread.submit(ran.append, "webhook", urgent=True)
    release.set()
    for future in (*queued, urgent):
        future.result(timeout=10)
    assert ran == ["webhook", "turn 1", "turn 2"]
    thread.shutdown()


def test_errors_reach_the_caller_and_cancelled_work_never_runs():
    thread, release, ran = busy()
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
    thread, release, ran = busy()
    pending = [thread.submit(ran.append, n) for n in range(3)]
    release.set()
    thread.shutdown()
    assert ran == [0, 1, 2] and all(f.done() for f in pending)
    with pytest.raises(RuntimeError):
        thread.submit(ran.append, 3)
