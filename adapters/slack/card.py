"""Renders the handoff context card as Slack blocks; every piece of customer text is escaped."""

from __future__ import annotations

from typing import Any

from adapters.slack.markup import escape
from core.handoff_card import HandoffCard, mood_words

LINE_LIMIT = 400
ROLE_LABEL = {"customer": "Customer", "bot": "Bot", "agent": "Agent"}


def card_text(card: HandoffCard) -> str:
    """The notification text (also what clients without blocks show)."""
    return (f"Handoff: {escape(card.customer_name)} on {card.channel} — "
            f"{escape(', '.join(card.reason_details) or 'asked for help')}")


def card_blocks(card: HandoffCard) -> list[dict[str, Any]]:
    transcript = "\n".join(
        f"*{ROLE_LABEL.get(line.role, line.role)}:* {escape(_short(line.text))}" for line in card.transcript)
    tried = ", ".join(card.bot_tried) or "nothing yet"
    return [
        {"type": "header", "text": {"type": "plain_text", "text": _short(
            f"Handoff: {card.customer_name} on {card.channel.title()}", 150)}},
        {"type": "section", "fields": [
            {"type": "mrkdwn", "text": f"*Why*\n{escape(', '.join(card.reason_details) or 'asked for help')}"},
            {"type": "mrkdwn", "text": f"*Mood*\n{mood_words(card)}"},
            {"type": "mrkdwn", "text": f"*Bot tried*\n{escape(tried)}"},
            {"type": "mrkdwn", "text": f"*Waiting since*\n{escape(card.waiting_since[:19].replace('T', ' '))} UTC"},
            *([{"type": "mrkdwn", "text": f"*Writes in*\n{escape(card.language)}"}] if card.language else []),
        ]},
        {"type": "section", "text": {"type": "mrkdwn", "text": _short(transcript or "_no messages_", 2900)}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": (
            f"Reply in this thread to answer the customer on {card.channel.title()}. "
            "Start a reply with `note:` or `//` to keep it internal. "
            f"Conversation `{escape(card.conversation_id)}`")}]},
    ]


def _short(text: str, limit: int = LINE_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
