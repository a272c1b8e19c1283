"""Where outbound messages go (customer channels, the agents' desk) and how a failed send is classified."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from core.handoff_card import HandoffCard


class SendError(Exception):
    """Base of the errors a channel raises; the message is safe to log and to show agents (no secrets)."""


class TransientSendError(SendError):
    """Try again later: rate limited (with the platform's delay when it gave one), 5xx, timeout, network."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class PermanentSendError(SendError):
    """Retrying will not help: the user blocked the bot, the messaging window closed, the channel is gone."""


class CustomerChannel(Protocol):
    name: str

    async def send(self, address: str, text: str, *, from_human: bool, last_customer_at: datetime | None) -> None:
        ...


class HandoffDesk(Protocol):
    """Where people pick up handoffs (the Slack on-call channel; the terminal in `warmline chat`)."""

    name: str  # the platform, for pacing ("slack")
    address: str  # the desk's channel, for pacing

    async def open_thread(self, card: HandoffCard, since: datetime) -> tuple[str, str]:
        """Post the context card and return (desk channel, thread id). Must be idempotent: if a card for this
        conversation was already posted after `since` (a crash before it was recorded), return that one."""

    async def post(self, desk_channel: str, thread: str, text: str, *, author: str) -> None:
        """Post in the thread. `author` "customer" marks the customer's own words (escaped, never pinging)."""
