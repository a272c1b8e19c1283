"""One thread for all of a store's database work, urgent work first.

sqlite3 connections belong to the thread that opened them, so the SQLite store runs every call on one thread, in
turn. A webhook's insert is urgent: the platform is waiting for the 200 it unblocks. Processing's reads and writes
can wait a moment, so an insert goes ahead of them in the queue rather than behind a backlog of turns; within each
kind, first come first served.
"""

from __future__ import annotations

import concurrent.futures
import itertools
import queue
import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

URGENT, NORMAL, STOP = 0, 1, 2
# (priority, arrival, future, function, arguments); STOP carries no future or function
Job = tuple[int, int, concurrent.futures.Future[Any] | None, Callable[..., Any] | None, tuple[Any, ...]]


class DatabaseThread:
    def __init__(self, name: str) -> None:
        self._queue: queue.PriorityQueue[Job] = queue.PriorityQueue()
        self._order = itertools.count()  # first come first served within a priority; never compares the rest
        self._stopped = False
        # A daemon, so a store never closed cannot keep the interpreter alive; SQLite rolls back a transaction
        # cut short, and what was acknowledged had been committed.
        self._thread = threading.Thread(target=self._serve, name=name, daemon=True)
        self._thread.start()

    def submit(self, fn: Callable[..., T], *args: Any, urgent: bool = False) -> concurrent.futures.Future[T]:
        if self._stopped:
            raise RuntimeError("the database thread has stopped")
        future: concurrent.futures.Future[T] = concurrent.futures.Future()
        self._queue.put((URGENT if urgent else NORMAL, next(self._order), future, fn, args))
        return future

    def shutdown(self) -> None:
        """Run what is queued, then stop."""
        if not self._stopped:
            self._stopped = True
            self._queue.put((STOP, next(self._order), None, None, ()))
        self._thread.join()

    def _serve(self) -> None:
        while True:
            _, _, future, fn, args = self._queue.get()
            if future is None or fn is None:
                return
            if not future.set_running_or_notify_cancel():  # its caller gave up before it started
                continue
            try:
                future.set_result(fn(*args))
            except BaseException as exc:  # handed to the caller, as an executor would
                future.set_exception(exc)
