"""VADER sentiment with the input capped: VADER's time grows faster than linearly with text length."""

from __future__ import annotations

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

MAX_SCORED_CHARS = 2000


class SentimentScorer:
    """Thread-safe after construction; callers run `compound` off the event loop (asyncio.to_thread)."""

    def __init__(self, max_chars: int = MAX_SCORED_CHARS) -> None:
        self._vader = SentimentIntensityAnalyzer()
        self._max_chars = max_chars

    def compound(self, text: str) -> float | None:
        """VADER compound in [-1, 1], or None when there is no text to score."""
        text = text.strip()[: self._max_chars]
        if not any(ch.isalnum() for ch in text) and not _has_emoji(text):
            return None
        return self._vader.polarity_scores(text)["compound"]


def _has_emoji(text: str) -> bool:
    return any(ord(ch) >= 0x2190 for ch in text)
