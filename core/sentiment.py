"""VADER sentiment with the input capped: VADER's time grows faster than linearly with text length.

Beside VADER's own compound (the `sentiment` every report shows), the scorer can re-read a message with the
operator's complaint words added to VADER's lexicon: words customers complain with that VADER does not know
("nightmare", "overcharged", "unhelpful") or scores as praise. VADER's own rules still apply to them (negation,
"so", capitals, "but"), so "not a nightmare" stays calm.

It also finds two of VADER's misreadings: the praise it reads as blame after a "no" that answers a question ("no
that's perfect, thanks": -0.32, "nope all good": -0.34, "no i'm good": -0.56), which the policy judges in the praise's
tone, and a fault report read as very negative ("upload fails with error 500 internal server error": -0.80), which
is then not a very negative customer to page at once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from core.language import is_english
from core.signals import ComplaintTone
from core.words import words

MAX_SCORED_CHARS = 2000

# A "no" as the whole answer, before a new clause: "no, that's all", "nope all good", "nah I'm fine". Not "no thanks"
# or "no luck", where "no" belongs to what follows.
_ANSWERING_NO = re.compile(r"^(?:no+|nope|nah)\b[\s,.!-]*(?=(?:that|thats|it|its|i|im|all|everything|we|this|you)\b)",
                           re.IGNORECASE)


# The names of faults, which VADER reads as the writer's feelings: "error", "denied", "refused". Not "failed"
# ("you failed me"), "fatal" ("a fatal mistake"), "broken", "lost", "stuck" or "problem", which customers complain
# with, nor "died" or "killed".
FAULT_NAMES = frozenset("error errors denied refused crash forbidden".split())
# Fault names of more than a word, one of them a feeling word to VADER: "502 Bad Gateway", "400 Bad Request".
_FAULT_PHRASES = re.compile(r"\bbad\s+(gateway|request)\b", re.IGNORECASE)


class SentimentScorer:
    """Thread-safe after construction; callers run it off the event loop (asyncio.to_thread)."""

    def __init__(self, max_chars: int = MAX_SCORED_CHARS, complaint_words: Mapping[str, float] | None = None
                 ) -> None:
        self._vader = SentimentIntensityAnalyzer()
        self._max_chars = max_chars
        self._complaint_words = {w.lower(): float(v) for w, v in (complaint_words or {}).items() if v}  # 0: left out
        self._with_complaints = SentimentIntensityAnalyzer()
        self._with_complaints.lexicon = {**self._vader.lexicon, **self._complaint_words}
        self._without_faults = SentimentIntensityAnalyzer()
        self._without_faults.lexicon = {w: v for w, v in self._vader.lexicon.items() if w not in FAULT_NAMES}

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

    def praise_after_no(self, text: str) -> float | None:
        """The compound of what follows an answering "no" when it is praise, otherwise None. Call it for text
        `compound` scored below 0: there VADER read such praise as blame. Where no praise follows ("no it's not
        working", "No I need it for Friday"), VADER's mildly negative "no" stands: on USS such a "no" is often a
        correction, and reading it as neutral lowered MultiWOZ's and ReDial's AUC by 0.01."""
        text = text.strip()[: self._max_chars]
        rest = _ANSWERING_NO.sub("", text, count=1)
        if not rest or rest == text:
            return None
        praise = self._vader.polarity_scores(rest)["compound"]
        return praise if praise > 0 else None

    def without_fault_names(self, text: str) -> float | None:
        """The compound with the names of faults read as neutral ("error 500", "access denied", "Bad Gateway") when
        the message names one, otherwise None. Call it for text `compound` scored very negative: the customer's own
        words ("this is a disaster", "I'm furious") keep their weight."""
        text = text.strip()[: self._max_chars]
        plain = _FAULT_PHRASES.sub("gateway", text)
        if plain == text and not FAULT_NAMES.intersection(words(text)):
            return None
        return self._without_faults.polarity_scores(plain)["compound"]
