"""Values that cross the boundary between the platforms and the core."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def printable(text: str) -> str:
    """The text with lone UTF-16 surrogates replaced by U+FFFD. JSON may escape one ("\\ud800"); Python reads it
    into a str no database can store, so the message would fail on every retry and be lost."""
    return _LONE_SURROGATE.sub("\ufffd", text)


@dataclass(frozen=True)
class ConversationRef:
    """What is needed to message a customer later, from any process: the channel and its address."""

    channel: str  # "telegram", "messenger", "slack", "console"
    address: str  # chat id, page-scoped id, DM channel id, ...

    @property
    def key(self) -> str:
        return f"{self.channel}:{self.address}"


@dataclass(frozen=True)
class InboundMessage:
    """One message a customer wrote, already parsed out of its platform payload."""

    ref: ConversationRef
    sender_name: str
    text: str  # empty when the message carried no text (sticker, photo, ...)
    delivery_id: str
    received_at: datetime
    attachments: tuple[str, ...] = field(default=())  # kinds only ("photo", "sticker"), never platform URLs

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", printable(self.text))
        object.__setattr__(self, "sender_name", printable(self.sender_name))


@dataclass(frozen=True)
class AgentReply:
    """A human's reply in a handoff thread, already reduced to plain text for the customer."""

    desk_channel: str
    thread: str
    agent_name: str
    text: str
    delivery_id: str
    received_at: datetime

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", printable(self.text))
        object.__setattr__(self, "agent_name", printable(self.agent_name))
