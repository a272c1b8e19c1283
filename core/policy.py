"""Combines the signals into one frustration score in [0, 1] and a handoff decision with its reasons.

The score is a noisy-or of the fired signals' strengths and the message's negativity: several weak signs
together add up ("still waiting" + "!!!" + a negative tone), one weak sign alone does not page anyone. A trend
hands off too: a frustrated message right after another one (a customer who stays upset while the bot carries
on is the handoff that comes too late).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.signals import DEFAULT_SIGNALS, TONE_WEIGHT, Fired, MessageContext, Signal, Thresholds


@dataclass(frozen=True)
class Assessment:
    sentiment: float | None
    frustration: float
    handoff: bool
    fired: tuple[Fired, ...]

    @property
    def reasons(self) -> list[str]:
        return [f.name for f in self.fired]

    @property
    def handoff_reasons(self) -> list[str]:
        decisive = [f.name for f in self.fired if f.hands_off]
        return decisive or [f.name for f in self.fired]

    @property
    def handoff_details(self) -> list[str]:
        decisive = [f.detail for f in self.fired if f.hands_off]
        return decisive or [f.detail for f in self.fired]

    @property
    def upset(self) -> bool:
        """Whether replies should acknowledge and apologise rather than sound cheerful."""
        return self.frustration >= 0.3


class HandoffPolicy:
    def __init__(self, signals: Sequence[Signal] = DEFAULT_SIGNALS) -> None:
        self._signals = tuple(signals)

    def assess(self, ctx: MessageContext) -> Assessment:
        fired = tuple(f for f in (signal(ctx) for signal in self._signals) if f is not None)
        frustration = _combined(ctx.sentiment, fired)
        if _upset_before(ctx) and frustrated_in_words(frustration, ctx.sentiment, [f.name for f in fired],
                                                      ctx.thresholds):
            said = [f.detail for f in fired if f.name not in CONVERSATION_SIGNALS] or ["a negative tone"]
            fired += (Fired("frustrated_again", 0.3, True,
                            f"frustrated in 2 messages in a row (now: {', '.join(said)})"),)
            frustration = _combined(ctx.sentiment, fired)
        handoff = any(f.hands_off for f in fired) or (bool(fired) and frustration >= ctx.thresholds.handoff)
        return Assessment(ctx.sentiment, frustration, handoff, fired)


# Signals about the conversation rather than the message's own words: they carry over from one message to the
# next, so on their own they would make every later message look like a trend.
CONVERSATION_SIGNALS = frozenset({"bot_failing", "not_understood_again", "bot_failed_before", "kept_waiting",
                                  "negative_mood", "negative_trend", "frustrated_again"})


def frustrated_in_words(frustration: float, sentiment: float | None, reasons: Sequence[str],
                        thresholds: Thresholds) -> bool:
    """Frustrated (at or above `thresholds.frustrated`) and saying so: a negative tone or a sign in the message's
    own words, not only the state of the conversation."""
    if frustration < thresholds.frustrated:
        return False
    negative = sentiment is not None and sentiment <= thresholds.negative
    return negative or any(reason not in CONVERSATION_SIGNALS for reason in reasons)


def _upset_before(ctx: MessageContext) -> bool:
    """Whether the customer's previous message was frustrated in its own words."""
    h = ctx.history
    if not (h.frustrations and h.reasons and h.sentiments):
        return False
    return frustrated_in_words(h.frustrations[-1], h.sentiments[-1], h.reasons[-1], ctx.thresholds)


def _combined(sentiment: float | None, fired: tuple[Fired, ...]) -> float:
    calm = 1.0 - max(0.0, -(sentiment or 0.0)) * TONE_WEIGHT
    for f in fired:
        calm *= 1.0 - f.strength
    return round(min(1.0, 1.0 - calm), 3)
