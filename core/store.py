"""The store interface: what the core needs to persist, with no database assumption above it.

Implemented by `adapters.sqlite_store` and `adapters.postgres_store`. Everything one event changes is committed in
one `commit(turn)` call, so a crash never leaves a half-processed message; the inbox row is marked done in
the same transaction, so a restart re-processes exactly the events whose effects were not committed.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from core.conversation import Conversation, Status, Transition
from core.handoff_card import HandoffCard
from core.messages import ConversationRef


class Role(StrEnum):
    CUSTOMER = "customer"
    BOT = "bot"
    AGENT = "agent"
    NOTE = "note"  # an agent's internal remark, never sent to the customer


@dataclass(frozen=True)
class MessageRecord:
    role: Role
    text: str
    at: datetime
    kind: str = ""  # for bot messages: "faq:<id>", "fallback", "handoff", "no_text", ...
    author: str = ""
    sentiment: float | None = None
    frustration: float | None = None  # as felt (Assessment.felt): an opening counts whole here, for the trend and card
    reasons: tuple[str, ...] = ()


class Target(StrEnum):
    CUSTOMER = "customer"  # a message to the customer on their own app
    THREAD_OPEN = "thread_open"  # open the handoff thread with the context card
    THREAD = "thread"  # a post in the conversation's handoff thread


LANES = {Target.CUSTOMER: "customer", Target.THREAD_OPEN: "desk", Target.THREAD: "desk"}


@dataclass(frozen=True)
class Outgoing:
    """A message to queue. Order is kept per conversation and lane (customer-bound vs desk-bound)."""

    target: Target
    text: str = ""
    author: str = ""  # for thread posts: who wrote it ("customer", "warmline")
    from_human: bool = False  # an agent's words (Messenger may then use the HUMAN_AGENT tag)
    card: HandoffCard | None = None


@dataclass(frozen=True)
class Turn:
    """Everything one event changes in one conversation, committed atomically."""

    conversation_id: str
    messages: tuple[MessageRecord, ...] = ()
    transitions: tuple[Transition, ...] = ()
    outgoing: tuple[Outgoing, ...] = ()
    handoff_reasons: tuple[str, ...] | None = None  # set when this turn opens a handoff

    @property
    def new_status(self) -> Status | None:
        return self.transitions[-1].to_status if self.transitions else None


@dataclass(frozen=True)
class InboxItem:
    id: int
    channel: str
    key: str
    payload: str  # the verified raw event, exactly as received
    received_at: datetime
    attempts: int


@dataclass(frozen=True)
class QueuedSend:
    id: int
    conversation_id: str
    target: Target
    ref: ConversationRef  # the customer's address (for CUSTOMER sends)
    text: str
    author: str
    from_human: bool
    card: dict[str, Any] | None
    attempts: int
    created_at: datetime
    last_customer_at: datetime | None = field(default=None)  # when the customer last wrote (messaging windows)
    reclaimed: bool = False  # claimed before by a process that never reported back (it may have sent it)


@dataclass(frozen=True)
class Thread:
    handoff_id: int
    desk_channel: str
    thread: str


class StoreUnavailable(Exception):
    """The database cannot be opened or reached (`migrate`, the first thing a process does with it). The message
    names the database without its password and says what went wrong, for an operator to act on."""


class Store(Protocol):
    async def migrate(self) -> None:
        """Create or upgrade the schema; raise StoreUnavailable when the database cannot be opened or reached."""
    async def close(self) -> None: ...
    async def ping(self) -> None:
        """Raise if the database does not answer."""

    def conversation_lock(self, key: str) -> AbstractAsyncContextManager[None]:
        """Serialise work on one conversation (keyed by ConversationRef.key) for everyone sharing the store."""

    # inbox: verified raw events, deduplicated on the platform's delivery key
    async def inbox_add(self, channel: str, key: str, payload: str, received_at: datetime,
                        order_key: str | None = None) -> bool:
        """Store an event once; False when this delivery key was seen before (a redelivery). Events with the
        same `order_key` (one customer's chat) are claimed one at a time, in arrival order."""

    async def inbox_claim(self, now: datetime, limit: int, lease_seconds: float) -> list[InboxItem]:
        """Pending events whose lease expired, oldest first, at most one per order key."""

    async def on_new_events(self, callback: Callable[[], None]) -> None:
        """Call `callback` whenever any process stores new events, so a process that only works (`warmline work`)
        hears about what a web process accepted at once instead of at its next poll. A no-op where one process
        does everything (SQLite)."""

    async def inbox_done(self, item_id: int) -> None: ...
    async def inbox_failed(self, item_id: int, error: str, give_up: bool) -> None: ...

    # conversations
    async def conversation_for(self, ref: ConversationRef, customer_name: str, now: datetime) -> Conversation:
        """The customer's conversation, created on first contact."""

    async def conversation_with_history(self, ref: ConversationRef, customer_name: str, now: datetime, limit: int
                                        ) -> tuple[Conversation, list[MessageRecord]]:
        """`conversation_for` and its last `limit` messages in one round trip (the hot path of every message)."""
    async def conversation(self, conversation_id: str) -> Conversation | None: ...
    async def conversation_by_thread(self, desk_channel: str, thread: str) -> Conversation | None: ...
    async def history(self, conversation_id: str, limit: int) -> list[MessageRecord]:
        """The last `limit` messages, oldest first."""

    async def transitions(self, conversation_id: str) -> list[Transition]: ...
    async def commit(self, turn: Turn, inbox_id: int | None) -> None: ...

    # outbox: claimed with a lease, so a send claimed by a process that died is picked up again
    async def outbox_claim(self, now: datetime, limit: int, lease_seconds: float) -> list[QueuedSend]:
        """Due sends, at most one per conversation and lane (the oldest), so order is kept."""

    async def outbox_sent(self, send_id: int, now: datetime) -> None: ...
    async def release(self, inbox_ids: list[int], send_ids: list[int]) -> None:
        """Give back claims this process holds but will not finish (shutdown), so others take them at once."""

    async def outbox_retry(self, send_id: int, not_before: datetime, error: str) -> None: ...
    async def outbox_failed(self, send_id: int, error: str, notice: Outgoing | None) -> None:
        """Give up on a send; optionally queue a notice (e.g. for the agents) in the same transaction."""

    async def next_outbox_due(self) -> datetime | None: ...
    async def pending_sends(self) -> int: ...

    # handoff threads
    async def open_thread(self, conversation_id: str) -> Thread | None:
        """The handoff thread of the conversation's latest handoff, once it has been opened."""

    async def set_thread(self, conversation_id: str, desk_channel: str, thread: str) -> None: ...


