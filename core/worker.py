"""A background loop: do batches of work until there is none, then sleep until woken or a poll interval passes."""

from __future__ import annotations

import asyncio
import logging

log = logging.getLogger("warmline.worker")


class Worker:
    name = "worker"

    def __init__(self) -> None:
        self.running = False
        self._wake = asyncio.Event()
        self._stopping = False

    async def step(self) -> int:
        """Do one batch; return how many items it handled (0 when idle)."""
        raise NotImplementedError

    async def idle_seconds(self, poll_seconds: float) -> float:
        """How long to sleep when idle (a worker with due times may wake earlier)."""
        return poll_seconds

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        """Finish the batch in hand, then leave `run`."""
        self._stopping = True
        self._wake.set()

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
        finally:
            self.running = False

    async def drain(self) -> None:
        """Handle everything that is due now (used by `warmline chat` and tests)."""
        while await self.step():
            pass
