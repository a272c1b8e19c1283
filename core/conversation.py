"""The conversation lifecycle: bot -> handoff -> human -> bot/closed, every transition recorded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from core.messages import ConversationRef


class Status(StrEnum):
    BOT = "bot"  # the bot answers
    HANDOFF = "handoff"  # a person was asked for; nobody has answered yet
    HUMAN = "human"  # a person owns the conversation; the bot stays quiet
    CLOSED = "closed"


ALLOWED = {
    Status.BOT: {Status.HANDOFF, Status.HUMAN, Status.CLOSED},
    Status.HANDOFF: {Status.HUMAN, Status.BOT, Status.CLOSED},
    Status.HUMAN: {Status.BOT, Status.CLOSED},
    Status.CLOSED: {Status.BOT, Status.HUMAN},
}


class IllegalTransition(ValueError):
    pass


@dataclass(frozen=True)
class Conversation:
    id: str
    ref: ConversationRef
    customer_name: str
    status: Status
    created_at: datetime

    @property
    def with_people(self) -> bool:
        """True while a handoff is pending or a person owns the conversation: the bot must not answer."""
        return self.status in (Status.HANDOFF, Status.HUMAN)


@dataclass(frozen=True)
class Transition:
    """Who moved a conversation from one status to another, when and why (feeds analytics)."""

    conversation_id: str
    from_status: Status
    to_status: Status
    actor: str  # "bot", "agent:<name>", "customer", "system"
    reason: str
    at: datetime


def transition(conv: Conversation, to: Status, actor: str, reason: str, at: datetime) -> Transition:
    if to not in ALLOWED[conv.status]:
        raise IllegalTransition(f"{conv.status} -> {to} is not allowed")
    return Transition(conv.id, conv.status, to, actor, reason, at)
