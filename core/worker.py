"""A background loop that keeps a pipeline of claimed work full: whenever a slot frees up it claims more, so one
slow item (a platform that answers late) never holds back the rest the way a claim-a-batch, wait-for-all-of-it
loop would. When nothing is claimable it sleeps until woken or a poll interval passes."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

log = logging.getLogger("warmline.worker")


class Worker:
    name = "worker"

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity  # units of work in hand at once
        self.running = False
        self._wake = asyncio.Event()
        self._stopping = False
        self._tasks: set[asyncio.Task[None]] = set()

    async def claim(self, limit: int) -> list[Coroutine[Any, Any, None]]:
        """Claim up to `limit` units of work; return one coroutine per unit (each runs as its own task)."""
        raise NotImplementedError

    async def idle_seconds(self, poll_seconds: float) -> float:
        """How long to sleep when idle (a worker with due times may wake earlier)."""
        return poll_seconds

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        """Claim nothing more; `run` returns once the work in hand is finished."""
        self._stopping = True
        self._wake.set()

    async def step(self) -> int:
        """Fill the free slots; when few are free, wait for some to free up. Returns how many units were started or
        finished (0 when there was nothing to claim)."""
        free = self.capacity - len(self._tasks)
        if self._tasks and free < max(1, self.capacity // 4):  # claim in handfuls, not one query per free slot
            done, _ = await asyncio.wait(self._tasks, return_when=asyncio.FIRST_COMPLETED)
            return len(done)
        units = await self.claim(free)
        for unit in units:
            task = asyncio.create_task(unit)
            self._tasks.add(task)
            task.add_done_callback(self._finished)
        return len(units)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("%s: a unit of work failed", self.name, exc_info=task.exception())
        self._wake.set()  # its slot is free, and what it finished may have made more work claimable

    async def run(self, poll_seconds: float = 2.0) -> None:
        self.running = True
        try:
            while not self._stopping:
                self._wake.clear()  # before the work: a wake-up during it is not lost
                try:
                    if await self.step():
                        continue
                    timeout = await self.idle_seconds(poll_seconds)
                except Exception:  # the database went away: keep the loop alive and try again shortly
                    log.exception("%s: could not read its work", self.name)
                    timeout = poll_seconds
                if self._stopping:
                    break
                try:
                    await asyncio.wait_for(self._wake.wait(), timeout=timeout)
                except TimeoutError:
                    pass
            if self._tasks:  # finish what is in hand
                await asyncio.wait(set(self._tasks))
        finally:
            for task in self._tasks:  # cancelled from outside (the shutdown grace ran out): stop mid-way
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)
            self.running = False

    async def drain(self) -> None:
        """Handle everything that is due now, to the end (used by `warmline chat` and tests)."""
        while True:
            started = await self.step()
            if self._tasks:
                await asyncio.wait(set(self._tasks))
            elif not started:
                return
