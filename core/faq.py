"""Matches a customer's question to an FAQ entry the way people actually write: typos, paraphrases, word order.

Two views are combined: how close the message is to one of the entry's example questions (rapidfuzz), and
how many of the entry's keywords it contains, each compared with typo tolerance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_STOPWORDS = frozenset(
    "a an the i me my we our you your it is are was be to of in on for at do does did can could would "
    "please hi hello hey and or how what when where why which this that with there have has get".split()
)


@dataclass(frozen=True)
class FaqEntry:
    id: str
    answer: str
    examples: tuple[str, ...]
    keywords: tuple[str, ...] = ()
    smalltalk: bool = False  # greetings and thanks: answered, but not "a question the bot understood"


@dataclass(frozen=True)
class FaqMatch:
    entry: FaqEntry
    score: float  # 0..1


def normalise(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


class FaqMatcher:
    def __init__(self, entries: tuple[FaqEntry, ...], threshold: float = 0.62) -> None:
        self.entries = entries
        self.threshold = threshold
        self._normalised = {e.id: [normalise(ex) for ex in e.examples] for e in entries}
        self._content = {e.id: [_content(ex) for ex in self._normalised[e.id]] for e in entries}

    def match(self, text: str) -> FaqMatch | None:
        query = normalise(text)
        if not query:
            return None
        best: FaqMatch | None = None
        for entry in self.entries:
            score = self._score(query, entry)
            if best is None or score > best.score:
                best = FaqMatch(entry, score)
        return best if best and best.score >= self.threshold else None

    def _score(self, query: str, entry: FaqEntry) -> float:
        """Near-identical to an example wins outright; otherwise keywords count most, backed by similarity."""
        examples = self._normalised[entry.id]
        phrase = max(fuzz.ratio(query, ex) for ex in examples) / 100
        if phrase >= 0.85:
            return phrase
        words = query.split()
        content = " ".join(w for w in words if w not in _STOPWORDS)
        similarity = max(fuzz.token_sort_ratio(content, ex) for ex in self._content[entry.id]) / 100
        hits = sum(1 for kw in entry.keywords if _contains_word(words, kw))
        keywords = (0.0, 0.6, 1.0)[min(hits, 2)]
        return max(phrase * 0.9, 0.4 * similarity + 0.6 * keywords)


def _content(text: str) -> str:
    return " ".join(w for w in text.split() if w not in _STOPWORDS)


def _contains_word(words: list[str], keyword: str) -> bool:
    """Keyword (possibly a short phrase) present, tolerating typos in words of five letters or more."""
    parts = keyword.split()
    if len(parts) > 1:
        return all(_contains_word(words, p) for p in parts)
    if keyword in words:
        return True
    if len(keyword) < 5:
        return any(w.startswith(keyword) and len(w) - len(keyword) <= 3 for w in words)
    found = process.extractOne(keyword, words, scorer=fuzz.ratio, score_cutoff=80)
    return found is not None
