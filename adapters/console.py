"""The terminal as a chat app and as the agents' desk, for `warmline chat`: shows what Slack would receive."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from datetime import UTC, datetime

from core.handoff_card import HandoffCard, mood_words
from core.messages import AgentReply, ConversationRef, InboundMessage

CHANNEL = "console"
DESK = "console-desk"


def customer_event(text: str, name: str = "You", address: str = "terminal") -> str:
    return json.dumps({"text": text, "name": name, "address": address})


def agent_event(conversation_id: str, text: str, name: str = "Agent") -> str:
    return json.dumps({"thread": conversation_id, "text": text, "name": name})


def parse_customer(payload: str, key: str) -> InboundMessage:
    data = json.loads(payload)
    return InboundMessage(ConversationRef(CHANNEL, data["address"]), data["name"], data["text"], key,
                          datetime.now(UTC))


def parse_agent(payload: str, key: str) -> AgentReply:
    data = json.loads(payload)
    return AgentReply(DESK, data["thread"], data["name"], data["text"], key, datetime.now(UTC))


class ConsoleChannel:
    name = CHANNEL

    def __init__(self, write: Callable[[str], None] = print) -> None:
        self.write = write

    async def send(self, address: str, text: str, *, from_human: bool, last_customer_at: datetime | None) -> None:
        who = "agent" if from_human else "bot"
        self.write(textwrap.fill(text, 100, initial_indent=f"{who:>5}> ", subsequent_indent=" " * 7))


class ConsoleDesk:
    """Prints the handoff card and thread posts the way they would appear in the Slack on-call channel."""

    name = DESK
    address = "terminal"

    def __init__(self, write: Callable[[str], None] = print) -> None:
        self.write = write

    async def open_thread(self, card: HandoffCard, since: datetime) -> tuple[str, str]:
        lines = [
            f"Handoff: {card.customer_name} on {card.channel}",
            f"Why: {', '.join(card.reason_details)}",
            f"Mood: {mood_words(card)}",
            f"Bot tried: {', '.join(card.bot_tried) or 'nothing yet'}",
            *([f"Writes in: {card.language}"] if card.language else []),
            "Last messages:",
            *(f"  {line.role}: {line.text}" for line in card.transcript),
            "Answer as the agent with /agent <text> (start it with note: or // to keep it internal),",
            "or give the conversation back to the bot with /back.",
        ]
        self.write("\n".join(["┌─ [Slack on-call channel] new handoff thread", *(f"│ {x}" for x in lines), "└─"]))
        return DESK, card.conversation_id

    async def post(self, desk_channel: str, thread: str, text: str, *, author: str) -> None:
        self.write(f"  [Slack thread] {author}: {text}")
