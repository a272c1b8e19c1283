"""Combines the signals into one frustration score in [0, 1] and a handoff decision with its reasons."""

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
        return [f.name for f in self.fired if f.hands_off]

    @property
    def upset(self) -> bool:
        """Whether replies should acknowledge and apologise rather than sound cheerful."""
        return self.frustration >= 0.3


class HandoffPolicy:
    def __init__(self, signals: Sequence[Signal] = DEFAULT_SIGNALS) -> None:
        self._signals = tuple(signals)

    def assess(self, ctx: MessageContext) -> Assessment:
        fired = tuple(f for f in (signal(ctx) for signal in self._signals) if f is not None)
        tone = max(0.0, -(ctx.sentiment or 0.0))
        frustration = min(1.0, max([tone, *(f.strength for f in fired)]))
        return Assessment(ctx.sentiment, round(frustration, 3), any(f.hands_off for f in fired), fired)
