"""Long messages in parts that fit every platform, preferring paragraph and word boundaries.

Customer-bound text is split before it is queued, so each part is its own outbox row: a retry after an outage
re-sends only the parts that did not go out, never repeating one the customer already has.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from core.store import Outgoing, Target

MAX_CUSTOMER_TEXT = 2000  # the smallest limit among the customer channels (Messenger; Telegram takes 4096)


def split_text(text: str, limit: int) -> list[str]:
    parts: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = max(rest.rfind("\n", 0, limit), rest.rfind(" ", 0, limit))
        if cut < limit // 2:
            cut = limit
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest or not parts:
        parts.append(rest)
    return parts


def in_parts(outgoing: Iterable[Outgoing]) -> list[Outgoing]:
    """Each customer-bound message longer than every platform takes, as consecutive messages that fit."""
    queued: list[Outgoing] = []
    for o in outgoing:
        if o.target is Target.CUSTOMER and len(o.text) > MAX_CUSTOMER_TEXT:
            queued.extend(replace(o, text=part) for part in split_text(o.text, MAX_CUSTOMER_TEXT))
        else:
            queued.append(o)
    return queued
