"""VADER sentiment with the input capped: VADER's time grows faster than linearly with text length.

Beside VADER's own compound (the `sentiment` every report shows), the scorer can re-read a message with the
operator's complaint words added to VADER's lexicon: words customers complain with that VADER does not know
("nightmare", "overcharged", "unhelpful") or scores as praise. VADER's own rules still apply to them (negation,
"so", capitals, "but"), so "not a nightmare" stays calm.
"""

from __future__ import annotations

from collections.abc import Mapping

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from core.language import is_english
from core.signals import ComplaintTone
from core.words import words

MAX_SCORED_CHARS = 2000


class SentimentScorer:
    """Thread-safe after construction; callers run it off the event loop (asyncio.to_thread)."""

    def __init__(self, max_chars: int = MAX_SCORED_CHARS, complaint_words: Mapping[str, float] | None = None
                 ) -> None:
        self._vader = SentimentIntensityAnalyzer()
        self._max_chars = max_chars
        self._complaint_words = {w.lower(): float(v) for w, v in (complaint_words or {}).items() if v}  # 0: left out
        self._with_complaints = SentimentIntensityAnalyzer()
        self._with_complaints.lexicon = {**self._vader.lexicon, **self._complaint_words}

    def compound(self, text: str) -> float | None:
        """VADER compound in [-1, 1], or None when there is nothing VADER can read: no words (empty, stickers,
        emoji only) or another language."""
        text = text.strip()[: self._max_chars]
        if not any(ch.isalpha() for ch in text) or not is_english(text):
            return None
        return self._vader.polarity_scores(text)["compound"]

    def complaint_tone(self, text: str) -> ComplaintTone | None:
        """The compound with the complaint words counted; None when none of them occur. Call it for text that
        `compound` scores (English): the words are English."""
        text = text.strip()[: self._max_chars]
        found = tuple(dict.fromkeys(w for w in words(text) if w in self._complaint_words))
        if not found:
            return None
        return ComplaintTone(self._with_complaints.polarity_scores(text)["compound"], found)
