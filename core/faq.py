"""Matches a customer's question to an FAQ entry the way people actually write: typos, paraphrases, word order.

Two views are combined: how close the message is to one of the entry's example questions (rapidfuzz), and
how many of the entry's keywords it contains, each compared with typo tolerance.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from os.path import commonprefix

from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein

from core.words import QUESTION_WORDS, sentences

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# A question asked after a comma, in a sentence that first says something else: "this is the third time I'm asking,
# where is my order?"
_ASKED_AFTER_A_COMMA = re.compile(rf",\s+(?=(?:{QUESTION_WORDS})\b)", re.IGNORECASE)
_STOPWORDS = frozenset(
    "a an the i me my we our you your it is are was be to of in on for at do does did can could would "
    "please hi hello hey and or how what when where why which this that with there have has get "
    # the framing of a request, not its subject: "I need help to check the status of my order"
    "am im help need want assistance know trying try like tell some any just".split()
)


@dataclass(frozen=True)
class FaqEntry:
    id: str
    answer: str
    examples: tuple[str, ...]
    keywords: tuple[str, ...] = ()
    smalltalk: bool = False  # greetings and thanks: answered, but not "a question the bot understood"
    covered_by_disclosure: bool = False  # the first-contact disclosure already says it (hello, who is answering)

    @property
    def greets(self) -> bool:
        """Small talk the disclosure covers ("hi", "are you a bot?", "ok"): said, it tells nothing of the problem yet,
        and a reply to it answers nothing the customer came for (History.opening)."""
        return self.smalltalk and self.covered_by_disclosure


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
        # Every entry's examples in one list, compared with the message in one call of rapidfuzz's C loop.
        self._examples = [example for e in entries for example in self._normalised[e.id]]
        self._example_entry = [n for n, e in enumerate(entries) for _ in e.examples]
        # Keywords by first letter: a message can only contain those starting like one of its words (a typo
        # keeps the first letter; a phrase needs its first word).
        # With each keyword, the first letters of all its words: a phrase whose words do not all start like one of the
        # message's is not looked up ("change order" in a message with no word starting "o").
        self._keywords_by_first: dict[str, list[tuple[int, str, frozenset[str]]]] = {}
        for n, e in enumerate(entries):
            for keyword in e.keywords:
                if first_word := next(iter(keyword.split()), ""):  # a blank keyword matches nothing
                    letters = frozenset(part[0] for part in keyword.split())
                    self._keywords_by_first.setdefault(first_word[0], []).append((n, keyword, letters))
        # Closeness to an example below this cannot bring an entry to the threshold (see _score).
        self._phrase_floor = min(threshold / 0.9, 0.85) * 100 - 1e-6

    def match(self, text: str, skip: frozenset[str] = frozenset()) -> FaqMatch | None:
        """The best entry at or above the threshold, leaving out the entries named in `skip`. A message of several
        sentences that matches no entry whole, or only small talk, is matched sentence by sentence: "where is my
        order?? I ordered 2 weeks ago and it still says processing!!!" asks what its first sentence asks, word for
        word an example, though the whole is too far from any; so is a question asked after a comma ("this is the
        third time I'm asking, where is my order?"). Small talk is not taken from a part ("My order is late. Thanks"
        is not a thank-you)."""
        whole = self._match(text, skip)
        if whole is not None and not whole.entry.smalltalk:
            return whole
        parts = [part for sentence in sentences(text) for part in _ASKED_AFTER_A_COMMA.split(sentence)
                 if len(part.split()) >= 2]
        if len(parts) < 2:
            return whole
        best = None
        for part in parts:
            found = self._match(part, skip)
            if found is not None and not found.entry.smalltalk and (best is None or found.score > best.score):
                best = found
        return best or whole

    def _match(self, text: str, skip: frozenset[str]) -> FaqMatch | None:
        query = normalise(text)
        if not query:
            return None
        words = query.split()
        content = _content(query)
        present = _KeywordLookup(words)
        hits = [0] * len(self.entries)
        starts = {w[0] for w in words}
        for letter in starts:
            for n, keyword, letters in self._keywords_by_first.get(letter, ()):
                if letters <= starts and present(keyword):
                    hits[n] += len(keyword.split())  # a phrase ("charged twice") is as telling as two words
        phrases = [0.0] * len(self.entries)
        for _, score, i in process.extract(query, self._examples, scorer=fuzz.ratio, limit=None,
                                           score_cutoff=self._phrase_floor):
            n = self._example_entry[i]
            phrases[n] = max(phrases[n], score / 100)
        best: FaqMatch | None = None
        for n, entry in enumerate(self.entries):
            if entry.id in skip:
                continue
            score = self._score(phrases[n], hits[n], content, entry)
            if best is None or score > best.score:
                best = FaqMatch(entry, score)
        return best if best and best.score >= self.threshold else None

    def _score(self, phrase: float, hits: int, content: str, entry: FaqEntry) -> float:
        """Near-identical to an example (`phrase`, the closest) wins outright; otherwise keywords (`hits`, how
        many are in the message) count most, backed by similarity. An entry with keywords needs one of them (typos
        allowed) unless the message is near-identical to an example: whole-string closeness alone had answered
        "how do I freeze my bank account" from "how do I delete my account", one word apart (CLINC150 questions
        answered from the shop's FAQ 2.7% -> 1.7%).

        A score below the threshold is never returned, so the parts that cannot lift an entry to it are skipped:
        closeness under the phrase floor counts as 0, and similarity is only computed when a keyword is in the
        message (with none, most entries of most messages skip it)."""
        if phrase >= 0.85:
            return phrase
        if entry.keywords and not hits:
            return 0.0
        keywords = (0.0, 0.6, 1.0)[min(hits, 2)]
        if 0.4 + 0.6 * keywords < self.threshold:
            return phrase * 0.9
        similarity = _best(content, self._content[entry.id], fuzz.token_sort_ratio)
        return max(phrase * 0.9, 0.4 * similarity + 0.6 * keywords)


def _best(query: str, choices: list[str], scorer: Callable[..., float]) -> float:
    """The best similarity (0..1) of the query to any choice, in rapidfuzz's C loop."""
    found = process.extractOne(query, choices, scorer=scorer)
    return found[1] / 100 if found else 0.0


def _content(text: str) -> str:
    """The words that say what a message is about: not the framing, nor numbers and references ("I need help to
    cancel purchase 00004587345" is "cancel purchase"; a name with a digit or two, "ps5", "2fa", stays). On Bitext's
    questions (benchmarks/faq.py), dropping those took cancelling an order from 43% to 88% answered right, tracking
    one from 17% to 59%."""
    return " ".join(w for w in text.split() if w not in _STOPWORDS and not _a_number(w))


def _a_number(word: str) -> bool:
    return word.isdigit() or sum(c.isdigit() for c in word) >= 4


class _KeywordLookup:
    """Whether a keyword (possibly a short phrase) is in the message, tolerating typos after the first letter in
    words of five letters or more; answers are remembered, since the FAQ entries of one message share many keywords."""

    def __init__(self, words: list[str]) -> None:
        self._set = frozenset(words)
        self._known: dict[str, bool] = {}
        # The message's words by first letter: a keyword, its typos and its longer forms all share it.
        self._by_first: dict[str, list[str]] = {}
        for w in words:
            self._by_first.setdefault(w[0], []).append(w)

    def __call__(self, keyword: str) -> bool:
        known = self._known.get(keyword)
        if known is None:
            known = self._known[keyword] = self._contains(keyword)
        return known

    def _contains(self, keyword: str) -> bool:
        parts = keyword.split()
        if len(parts) != 1:
            return bool(parts) and all(self(p) for p in parts)
        if keyword in self._set:
            return True
        same_start = self._by_first.get(keyword[0], [])
        if len(keyword) < 5:
            return any(w.startswith(keyword) and len(w) - len(keyword) <= 3 for w in same_start)
        # A typo keeps the first letter; a word that differs there is another word ("change" is not "exchange").
        # Close by ratio is not enough: "company" is as close to "complain" as a typo, but three edits away and
        # sharing only "comp"; another form of the word shares more ("cancelling", "cancellation").
        return any(DamerauLevenshtein.distance(w, keyword) <= 2 or len(commonprefix((w, keyword))) >= 5 for w, _, _ in
                   process.extract(keyword, same_start, scorer=fuzz.ratio, score_cutoff=80, limit=None))
