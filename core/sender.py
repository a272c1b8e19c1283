"""Drains the outbox: one send at a time per conversation and lane, retries with capped backoff and jitter.

Delivery is at-least-once: no platform send API takes an idempotency key, so a crash between a successful
send and `outbox_sent` repeats that one message. The window is a single database write; sends picked up
again after their lease expired are counted in `possible_duplicates`.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable, Coroutine, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from core.delivery import CustomerChannel, HandoffDesk, PermanentSendError, TransientSendError
from core.handoff_card import HandoffCard
from core.pacing import Pacer
from core.store import Outgoing, QueuedSend, Store, Target
from core.worker import Worker

log = logging.getLogger("warmline.sender")
MAX_PACING_SLEEP = 2.0  # seconds a claimed send may wait for its destination before it is rescheduled


def utcnow() -> datetime:
    return datetime.now(UTC)


def backoff(attempts: int, retry_after: float | None, *, cap: float = 300.0,
            rng: Callable[[], float] = random.random) -> float:
    """Seconds to wait before the next try: the platform's delay if it gave one, else capped exponential
    backoff with jitter (so many failed sends do not all come back at the same moment)."""
    if retry_after is not None:
        return min(max(retry_after, 0.0), cap * 4)
    base = min(cap, 2.0 ** max(attempts - 1, 0))
    return base * (0.5 + rng() / 2)


class Sender(Worker):
    name = "sender"

    def __init__(self, store: Store, channels: Mapping[str, CustomerChannel], desk: HandoffDesk | None, *,
                 lease_seconds: float = 60.0, give_up_after: timedelta = timedelta(hours=24),
                 clock: Callable[[], datetime] = utcnow, pacer: Pacer | None = None, concurrency: int = 32,
                 capacity: int = 100, desk_unreachable: str = "") -> None:
        super().__init__(capacity)  # sends in hand at once, including those waiting for their destination's pace
        self.desk_unreachable = desk_unreachable  # told to a customer whose handoff thread could not be opened
        self._slots = asyncio.Semaphore(concurrency)  # sends in flight at once (the HTTP clients' pool size)
        self.pacer = pacer or Pacer()
        self.in_flight: set[int] = set()
        self.store = store
        self.channels = channels
        self.desk = desk
        self.lease_seconds = lease_seconds
        self.give_up_after = give_up_after
        self.clock = clock
        self.sent = 0
        self.failed = 0
        self.possible_duplicates = 0

    async def claim(self, limit: int) -> list[Coroutine[Any, Any, None]]:
        items = await self.store.outbox_claim(self.clock(), limit, self.lease_seconds)
        self.in_flight.update(item.id for item in items)
        return [self._deliver(item) for item in items]

    async def idle_seconds(self, poll: float) -> float:
        due = await self.store.next_outbox_due()
        if due is None:
            return poll
        return min(poll, max(0.01, (due - self.clock()).total_seconds()))

    async def _deliver(self, item: QueuedSend) -> None:
        await self._attempt(item)
        self.in_flight.discard(item.id)  # not when cancelled: shutdown releases what is still held

    async def _attempt(self, item: QueuedSend) -> None:
        if item.attempts > 1 and item.reclaimed:
            self.possible_duplicates += 1
        platform, destination = self._destination(item)
        wait = self.pacer.reserve(platform, destination, max_wait=MAX_PACING_SLEEP)
        if wait > MAX_PACING_SLEEP:  # do not sit on a claim: come back when the destination is free
            await self.store.outbox_retry(item.id, self.clock() + timedelta(seconds=wait), "paced")
            return
        try:
            await asyncio.sleep(wait)
            async with self._slots:
                await self._send(item)
        except TransientSendError as exc:
            if self.clock() - item.created_at > self.give_up_after:
                await self._give_up(item, f"still failing after {self.give_up_after}: {exc}")
                return
            delay = backoff(item.attempts, exc.retry_after)
            log.warning("send %s to %s failed (%s); retry in %.1fs", item.id, item.target, exc, delay)
            await self.store.outbox_retry(item.id, self.clock() + timedelta(seconds=delay), str(exc))
        except PermanentSendError as exc:
            await self._give_up(item, str(exc))
        except Exception as exc:  # a bug or an unclassified library error: retry, never drop silently
            log.exception("send %s to %s failed unexpectedly", item.id, item.target)
            delay = backoff(item.attempts, None)
            await self.store.outbox_retry(item.id, self.clock() + timedelta(seconds=delay),
                                          f"{type(exc).__name__}: {exc}")
        else:
            self.sent += 1
            await self.store.outbox_sent(item.id, self.clock())

    def _destination(self, item: QueuedSend) -> tuple[str, str]:
        if item.target is Target.CUSTOMER:
            return item.ref.channel, item.ref.address
        return (self.desk.name, self.desk.address) if self.desk else ("desk", "")

    async def _send(self, item: QueuedSend) -> None:
        if item.target is Target.CUSTOMER:
            channel = self.channels.get(item.ref.channel)
            if channel is None:
                raise PermanentSendError(f"the {item.ref.channel} channel is not configured")
            await channel.send(item.ref.address, item.text, from_human=item.from_human,
                               last_customer_at=item.last_customer_at)
            return
        if self.desk is None:
            raise PermanentSendError("no handoff desk is configured (Slack is not set up)")
        if item.target is Target.THREAD_OPEN:
            if await self.store.open_thread(item.conversation_id) is None:
                assert item.card is not None
                since = item.created_at - timedelta(minutes=5)
                desk_channel, thread = await self.desk.open_thread(HandoffCard.from_dict(item.card), since)
                await self.store.set_thread(item.conversation_id, desk_channel, thread)
            return
        thread_ref = await self.store.open_thread(item.conversation_id)
        if thread_ref is None:
            raise PermanentSendError("the handoff thread could not be opened")
        await self.desk.post(thread_ref.desk_channel, thread_ref.thread, item.text, author=item.author)

    async def _give_up(self, item: QueuedSend, error: str) -> None:
        self.failed += 1
        log.error("giving up on send %s to %s: %s", item.id, item.target, error)
        notice = None
        if item.target is Target.THREAD_OPEN and self.desk_unreachable:
            # They were told a person is coming; nobody will see the handoff: say so honestly.
            notice = Outgoing(Target.CUSTOMER, self.desk_unreachable)
        elif item.target is Target.CUSTOMER and self.desk is not None and await self.store.open_thread(
                item.conversation_id):
            notice = Outgoing(Target.THREAD, f"⚠️ This message could not be delivered to the customer: {error}",
                              author="warmline")
        await self.store.outbox_failed(item.id, error, notice)

