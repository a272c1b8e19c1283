"""Sorting a stored Slack event: a customer's DM, an agent's reply in a handoff thread, or nothing to relay."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Message subtypes that are a person writing something new. Edits (message_changed), deletions, joins,
# bot messages and thread broadcasts ("also send to channel") are never relayed.
NEW_MESSAGE_SUBTYPES = {None, "file_share"}


@dataclass(frozen=True)
class DirectMessage:
    channel: str
    user: str
    text: str
    ts: str
    has_files: bool


@dataclass(frozen=True)
class ThreadReply:
    channel: str
    thread_ts: str
    user: str
    text: str
    ts: str


def from_a_bot(envelope: dict[str, Any]) -> bool:
    """A bot's message (ours echoed back, or another app's): never relayed, so not worth storing."""
    event = envelope.get("event")
    return isinstance(event, dict) and event.get("type") == "message" and _by_a_bot(event)


def _by_a_bot(event: dict[str, Any]) -> bool:
    return bool(event.get("bot_id") or event.get("bot_profile"))


def classify(envelope: dict[str, Any], handoff_channel: str | None, bot_user_id: str | None
             ) -> DirectMessage | ThreadReply | None:
    if envelope.get("type") != "event_callback":
        return None
    event = envelope.get("event")
    if not isinstance(event, dict) or event.get("type") != "message":
        return None
    if event.get("subtype") not in NEW_MESSAGE_SUBTYPES or _by_a_bot(event):
        return None
    user, channel, ts = event.get("user"), event.get("channel"), event.get("ts")
    if not isinstance(user, str) or not isinstance(channel, str) or not isinstance(ts, str) or user == bot_user_id:
        return None
    text = event.get("text") if isinstance(event.get("text"), str) else ""
    if event.get("channel_type") == "im":
        return DirectMessage(channel, user, text, ts, bool(event.get("files")))
    thread_ts = event.get("thread_ts")
    if channel == handoff_channel and isinstance(thread_ts, str) and thread_ts != ts:
        return ThreadReply(channel, thread_ts, user, text, ts)
    return None
