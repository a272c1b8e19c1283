"""Processes stored inbound events: parse, then hand to the engine, in arrival order per conversation.

An event whose processing fails is retried a few times, then parked as failed (and logged) so one poison
event cannot block the rest. Effects and the "done" mark are committed together by the store.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from datetime import UTC, datetime
from typing import Any

from core.engine import Engine
from core.messages import AgentReply, InboundMessage
from core.store import InboxItem, Store
from core.worker import Worker

log = logging.getLogger("warmline.inbox")

Parsed = InboundMessage | AgentReply | None
Parser = Callable[[InboxItem], Awaitable[Parsed]]


class InboxProcessor(Worker):
    name = "inbox"

    def __init__(self, store: Store, engine: Engine, parsers: Mapping[str, Parser], *, max_attempts: int = 5,
                 lease_seconds: float = 120.0, capacity: int = 32) -> None:
        super().__init__(capacity)  # conversations handled at once (on PostgreSQL each holds a connection)
        self.in_flight: set[int] = set()
        self.store = store
        self.engine = engine
        self.parsers = parsers
        self.max_attempts = max_attempts
        self.lease_seconds = lease_seconds
        self.processed = 0

    async def claim(self, limit: int) -> list[Coroutine[Any, Any, None]]:
        items = await self.store.inbox_claim(datetime.now(UTC), limit, self.lease_seconds)
        groups: dict[str, list[tuple[InboxItem, Parsed]]] = {}
        # Parsers may ask the platform (a customer's name): all at once, so one slow answer delays no one else.
        for item, parsed in zip(items, await asyncio.gather(*(self._parse(item) for item in items)), strict=True):
            if parsed is False:
                continue
            key = parsed.ref.key if isinstance(parsed, InboundMessage) else (
                f"thread:{parsed.thread}" if isinstance(parsed, AgentReply) else f"item:{item.id}")
            groups.setdefault(key, []).append((item, parsed))
        for group in groups.values():
            self.in_flight.update(item.id for item, _ in group)
        return [self._handle_in_order(group) for group in groups.values()]

    async def _parse(self, item: InboxItem) -> Parsed | bool:
        parser = self.parsers.get(item.channel)
        try:
            if parser is None:
                raise LookupError(f"no parser for channel {item.channel!r} (is the channel configured?)")
            return await parser(item)
        except Exception as exc:
            await self._failed(item, exc)
            return False

    async def _handle_in_order(self, group: list[tuple[InboxItem, Parsed]]) -> None:
        for item, parsed in group:
            await self._handle(item, parsed)
            self.in_flight.discard(item.id)  # not when cancelled: shutdown releases what is still held

    async def _handle(self, item: InboxItem, parsed: Parsed) -> None:
        try:
            handled = False
            if isinstance(parsed, InboundMessage):
                handled = bool(await self.engine.handle_customer(parsed, item.id))
            elif isinstance(parsed, AgentReply):
                handled = bool(await self.engine.handle_agent(parsed, item.id))
            if not handled:
                await self.store.inbox_done(item.id)  # nothing for us (edits, receipts, other threads)
            self.processed += 1
        except Exception as exc:
            await self._failed(item, exc)

    async def _failed(self, item: InboxItem, exc: Exception) -> None:
        give_up = item.attempts >= self.max_attempts
        log.error("processing %s event %s failed (attempt %d%s): %s", item.channel, item.id, item.attempts,
                  ", giving up" if give_up else "", f"{type(exc).__name__}: {exc}", exc_info=exc)
        try:
            await self.store.inbox_failed(item.id, f"{type(exc).__name__}: {exc}"[:500], give_up)
        except Exception:
            log.exception("could not record the failure of event %s", item.id)
