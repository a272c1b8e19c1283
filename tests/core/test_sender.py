"""The sender with a real SQLite store: a slow destination must not hold back everyone else's messages."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import config
from adapters.sqlite_store import SQLiteStore
from core.engine import Engine
from core.messages import ConversationRef, InboundMessage
from core.sender import Sender
from core.understanding import Understander


class StallingChannel:
    """Delivers at once, except to one customer whose sends hang until released."""

    name = "telegram"

    def __init__(self, slow_address: str, expected: int) -> None:
        self.slow_address = slow_address
        self.release = asyncio.Event()
        self.stalled = asyncio.Event()
        self.others_done = asyncio.Event()
        self.expected = expected
        self.delivered: list[str] = []

    async def send(self, address: str, text: str, *, from_human: bool, last_customer_at: datetime | None) -> None:
        if address == self.slow_address:
            self.stalled.set()
            await self.release.wait()
        self.delivered.append(address)
        if len(self.delivered) == self.expected:
            self.others_done.set()


async def test_a_stalled_send_does_not_hold_back_other_customers(tmp_path):
    store = SQLiteStore(str(tmp_path / "w.db"))
    await store.migrate()
    engine = Engine(store, Understander(config.load_content()), desk_available=False)
    channel = StallingChannel("slow", expected=40)
    sender = Sender(store, {"telegram": channel}, None, capacity=8)
    worker = asyncio.create_task(sender.run(poll_seconds=0.05))
    try:
        await engine.handle_customer(InboundMessage(ConversationRef("telegram", "slow"), "S", "when are you open",
                                                    "m-slow", datetime.now(UTC)))
        async with asyncio.timeout(10):
            await channel.stalled.wait()
        # Far more customers than the sender holds at once arrive while the slow send hangs.
        for n in range(40):
            await engine.handle_customer(InboundMessage(ConversationRef("telegram", str(n)), "C",
                                                        "when are you open", f"m{n}", datetime.now(UTC)))
            sender.wake()
        async with asyncio.timeout(10):
            await channel.others_done.wait()
        assert "slow" not in channel.delivered
        channel.release.set()
        sender.stop()
        async with asyncio.timeout(10):
            await worker  # stopping finishes the send in hand
        assert channel.delivered[-1] == "slow" and sender.sent == 41 and not sender.in_flight
    finally:
        channel.release.set()
        sender.stop()
        await worker
        await store.close()
