"""VADER sentiment with the input capped: VADER's time grows faster than linearly with text length."""

from __future__ import annotations

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from core.language import is_english

MAX_SCORED_CHARS = 2000


class SentimentScorer:
    """Thread-safe after construction; callers run `compound` off the event loop (asyncio.to_thread)."""

    def __init__(self, max_chars: int = MAX_SCORED_CHARS) -> None:
        self._vader = SentimentIntensityAnalyzer()
        self._max_chars = max_chars

    def compound(self, text: str) -> float | None:
        """VADER compound in [-1, 1], or None when there is nothing VADER can read: no words (empty, stickers,
        emoji only) or another language."""
        text = text.strip()[: self._max_chars]
        if not any(ch.isalpha() for ch in text) or not is_english(text):
            return None
        return self._vader.polarity_scores(text)["compound"]
