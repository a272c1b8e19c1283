"""Handoff signals: each small, named and testable. A signal looks at one customer message in its context.

Adding a signal means writing one function with the `Signal` shape and listing it in `DEFAULT_SIGNALS`;
its name becomes the `reason` recorded for a handoff and printed by `warmline replay`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Thresholds:
    negative: float = -0.3  # a message at or below this compound counts as negative
    negative_streak: int = 2  # this many negative messages in a row hand off
    very_negative: float = -0.75  # one message this negative hands off
    max_fallbacks: int = 2  # after this many "did not understand" in a row, the next one hands off


@dataclass(frozen=True)
class MessageContext:
    """What a signal may look at: this message and the customer's recent history in the conversation."""

    text: str
    sentiment: float | None  # VADER compound of this message, None when not scored
    previous_sentiments: Sequence[float | None]  # oldest first, this conversation's earlier customer messages
    fallback_streak: int  # how many times in a row the bot did not understand, before this message
    understood: bool  # whether the bot can answer this message itself
    thresholds: Thresholds = field(default_factory=Thresholds)
    person_patterns: Sequence[re.Pattern[str]] = ()


@dataclass(frozen=True)
class Fired:
    name: str
    strength: float  # 0..1: how strongly this signal indicates frustration (feeds the frustration score)
    hands_off: bool
    detail: str  # plain words for the agent ("2 negative messages in a row")


Signal = Callable[[MessageContext], Fired | None]


def asked_for_person(ctx: MessageContext) -> Fired | None:
    if any(p.search(ctx.text) for p in ctx.person_patterns):
        return Fired("asked_for_person", 0.5, True, "asked for a person")
    return None


def very_negative(ctx: MessageContext) -> Fired | None:
    if ctx.sentiment is not None and ctx.sentiment <= ctx.thresholds.very_negative:
        return Fired("very_negative", -ctx.sentiment, True, "a very negative message")
    return None


def negative_streak(ctx: MessageContext) -> Fired | None:
    scored = [s for s in (*ctx.previous_sentiments, ctx.sentiment) if s is not None]
    streak = 0
    for s in reversed(scored):
        if s > ctx.thresholds.negative:
            break
        streak += 1
    if ctx.sentiment is not None and streak >= ctx.thresholds.negative_streak:
        mean = sum(scored[-streak:]) / streak
        return Fired("negative_trend", min(1.0, -mean + 0.2), True, f"{streak} negative messages in a row")
    return None


def bot_failing(ctx: MessageContext) -> Fired | None:
    if ctx.understood:
        return None
    misses = ctx.fallback_streak + 1
    if misses > ctx.thresholds.max_fallbacks:
        return Fired("bot_failing", 0.6, True, f"the bot did not understand {misses} times in a row")
    if ctx.fallback_streak:
        return Fired("not_understood_again", 0.3, False, "the bot did not understand again")
    return None


DEFAULT_SIGNALS: tuple[Signal, ...] = (asked_for_person, very_negative, negative_streak, bot_failing)
