"""The operator-editable content the core works with (FAQ, reply variants, thresholds), as plain values."""

from __future__ import annotations

from dataclasses import dataclass

from core.faq import FaqEntry
from core.pacing import Rate
from core.signals import Patterns, Thresholds


@dataclass(frozen=True)
class Content:
    company: str
    disclosure: str
    faq: tuple[FaqEntry, ...]
    faq_threshold: float
    replies: dict[str, tuple[str, ...]]
    thresholds: Thresholds
    patterns: Patterns  # phrase lists of the signals
    complaint_words: dict[str, float]  # added to VADER's lexicon when judging frustration (VADER's scale, -4..4)
    rates: dict[str, Rate]  # sending pace per platform
