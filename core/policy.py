"""Combines the signals into one frustration score in [0, 1] and a handoff decision with its reasons.

The score is a noisy-or of the fired signals' strengths and the message's negativity: several weak signs
together add up ("still waiting" + "!!!" + a negative tone), one weak sign alone does not page anyone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.signals import DEFAULT_SIGNALS, Fired, MessageContext, Signal


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
        calm = 1.0 - max(0.0, -(ctx.sentiment or 0.0)) * 0.8
        for f in fired:
            calm *= 1.0 - f.strength
        frustration = round(min(1.0, 1.0 - calm), 3)
        handoff = any(f.hands_off for f in fired) or (bool(fired) and frustration >= ctx.thresholds.handoff)
        return Assessment(ctx.sentiment, frustration, handoff, fired)
