"""One customer message understood in its context: FAQ match, sentiment, signals and the handoff decision.

Shared by the live engine and `warmline replay`, so what replay reports is what the bot would have done.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from functools import lru_cache

from core.batching import Batcher
from core.content import Content
from core.faq import FaqMatch, FaqMatcher
from core.own_words import own_words
from core.person_request import asks_for_person
from core.policy import Assessment, HandoffPolicy, closes
from core.sentiment import SentimentScorer
from core.signals import (
    History,
    MessageContext,
    Patterns,
    accepts_offer,
    after_no,
    in_another_language,
    no_to_anything_else,
)
from core.words import sentences, words

_LEADING_MENTIONS = re.compile(r"^\s*(?:(?:@[\w.]+|<@\w+(?:\|[^>]*)?>)[\s,:;]*)+")


def without_mentions(text: str) -> str:
    """The message without the handles it opens with ("@ShopCo hello??", Slack's "<@U123> yes"): they say whom it
    is for, not what it says, and would hide its start from the phrase patterns anchored there."""
    rest = _LEADING_MENTIONS.sub("", text, count=1)
    return rest if rest.strip() else text


_ORDINAL = re.compile(r"\d+(st|nd|rd|th|s)")
_TOKEN = re.compile(r"[^\W_]+(?:[-/][^\W_]+)*")
# Words that come with a reference but are not it: "my order number is 5521", "booking ref: XK92LP", "here you go".
_AROUND_A_REFERENCE = frozenset(
    "order orders number no nr num is my it s its the ref reference booking ticket case invoice tracking id for here "
    "you go this one a an sure ok okay yes code account customer confirmation".split())


def reference_only(text: str) -> str | None:
    """The order number, booking reference or tracking code a message consists of ("order 5521", "it's XK92LP"),
    or None. Customers give one expecting it to be looked up; the bot cannot, and should say so rather than answer
    from the FAQ ("order" matched order tracking) or fail to understand."""
    rest = [t for t in _TOKEN.findall(text.lower()) if t not in _AROUND_A_REFERENCE]
    if len(rest) != 1 or len(rest[0]) < 4 or _ORDINAL.fullmatch(rest[0]):
        return None
    digits = sum(c.isdigit() for c in rest[0])
    letters = sum(c.isalpha() for c in rest[0])
    return rest[0] if digits >= 2 and (letters or digits >= 4) else None  # not "10-4", "the 11th", "2000s"


# What follows such a "no" when all is well, beside the `closing` phrases: "all good", "you've been very helpful".
# Here, not in `closing`: there a thanks after a reply that said no counts as leaving unhelped.
_ALL_WELL = re.compile(r"^\W*(all\s+(good|fine|sorted|set)|cheers|(you.?ve|you\s+have)\s+been\s+"
                       r"(very\s+|so\s+|really\s+)?(helpful|a\s+(great\s+|big\s+)?help))\W*$", re.IGNORECASE)


def declines_more_help(text: str, history: History, patterns: Patterns) -> bool:
    """A "no" to "is there anything else I can help with?" with nothing after it but thanks or a goodbye ("nope",
    "no that's it thank you", "nope, all good"): the customer is leaving, not saying something the bot failed to
    understand."""
    if "?" in text or not no_to_anything_else(text, history.last_reply):
        return False
    rest = after_no(text)
    return not has_words(rest) or closes(rest, patterns) or bool(_ALL_WELL.match(rest))


def already_done(text: str, match: FaqMatch) -> bool:
    """The customer says they did what the entry tells them how to do: "I returned it 2 weeks ago" matched the returns
    entry by its "return", "I already cancelled it" the cancellation entry. That is their case, which the how-to
    cannot settle. Read sentence by sentence: in "where is my refund?? I returned it 3 weeks ago" the second says what
    they did, while "I returned the shoes, how do I return the jacket?" asks how."""
    done = _past_forms(match.entry.keywords)
    for sentence in sentences(text):
        if "?" in sentence:
            continue
        said = words(sentence)
        if any(word in done and i and said[i - 1] in _DOERS for i, word in enumerate(said)):
            return True
    return False


_DOERS = frozenset("i we i've we've already just have had also".split())


@lru_cache(maxsize=256)
def _past_forms(keywords: tuple[str, ...]) -> frozenset[str]:
    """An entry's one-word keywords in a regular past form ("return" → "returned", "cancel" → "cancelled"), worked
    out once per entry."""
    forms: set[str] = set()
    for keyword in keywords:
        if " " not in keyword and len(keyword) >= 4:
            forms.update((keyword + "ed", keyword + "d", keyword + keyword[-1] + "ed"))
    return frozenset(forms)


def has_words(text: str) -> bool:
    """Letters or digits: something to read. Empty text, stickers and emoji-only messages ("👍") have none, and
    not understanding them is not the bot failing."""
    return any(c.isalnum() for c in text)


@dataclass(frozen=True)
class Understanding:
    match: FaqMatch | None
    assessment: Assessment
    understood: bool  # the bot can act on it: an FAQ answer, a request for a person, or nothing to read
    wordless: bool = False  # no letters or digits (empty, a sticker, emoji only: "👍"), its handles left aside
    other_language: bool = False  # letters, but not English: VADER did not score it, the FAQ cannot read it
    reference: bool = False  # only an order number or another reference: understood, though not from the FAQ
    said: str = ""  # what was read: the customer's own words (`own_words`), an e-mail's quoted reply cut off

    @property
    def answer(self) -> str | None:
        """The FAQ entry (not smalltalk) it is answered from: asked for again, that answer did not help."""
        return answered_from(self.match)


def answered_from(match: FaqMatch | None) -> str | None:
    """The FAQ entry a match answers from, unless it is smalltalk ("ok", "thanks"), which is never an answer that
    did not help."""
    return match.entry.id if match is not None and not match.entry.smalltalk else None


class Understander:
    def __init__(self, content: Content, scorer: SentimentScorer | None = None,
                 policy: HandoffPolicy | None = None) -> None:
        self.content = content
        self.scorer = scorer or SentimentScorer(complaint_words=content.complaint_words)
        self.policy = policy or HandoffPolicy()
        self.matcher = FaqMatcher(content.faq, content.faq_threshold)
        self._goodbye = next((entry for entry in content.faq if entry.id == "goodbye"), None)
        self._batcher: Batcher[tuple[str, History], Understanding | Exception] = Batcher(self._understand_many)

    async def understand(self, text: str, history: History) -> Understanding:
        """All of it (VADER, language, FAQ matching, signals) in a worker thread: none of it blocks the loop.
        Messages understood at the same moment share one trip to the thread."""
        result = await self._batcher.submit((text, history))
        if isinstance(result, Exception):
            raise result
        return result

    async def _understand_many(self, requests: list[tuple[str, History]]) -> list[Understanding | Exception]:
        def run() -> list[Understanding | Exception]:
            results: list[Understanding | Exception] = []
            for text, history in requests:
                try:
                    results.append(self.read(text, history))
                except Exception as exc:  # a bug on one message must not fail the others
                    results.append(exc)
            return results
        return await asyncio.to_thread(run)

    def read(self, text: str, history: History, *, judge_understanding: bool = True) -> Understanding:
        """One message, in the calling thread: the live bot's `understand` and `warmline replay` both read through
        here, so both score the customer's own words. `judge_understanding=False` for recorded transcripts, where the
        recorded replies say whether the bot understood, not this bot's FAQ."""
        said = own_words(text)
        sentiment = self.scorer.compound(said)
        text = without_mentions(said)
        patterns = self.content.patterns
        person = asks_for_person(text, patterns.person) or accepts_offer(text, history, patterns)
        reference = not person and reference_only(text) is not None
        match = None if person or reference else self.matcher.match(text)
        if match is not None and not match.entry.smalltalk and already_done(text, match):
            # "where is my refund?? I returned it 3 weeks ago" matched the returns entry by "returned": what they did
            # is their case; what they ask is another entry's, if one matches. With none, after an answer ("I
            # returned it 2 weeks ago" after the refund answer) the bot offers a person instead of the how-to.
            other = self.matcher.match(text, skip=frozenset({match.entry.id}))
            if other is not None and not other.entry.smalltalk:
                match = other
            elif history.answered:
                match = None
        if (self._goodbye is not None and not (person or reference) and (match is None or match.entry.smalltalk)
                and declines_more_help(text, history, patterns)):
            # "nope, all good" to "anything else?": the FAQ had not understood it, or answered "no thanks" as a thanks
            # that asks "anything else?" once more
            match = FaqMatch(self._goodbye, 1.0)
        wordless = not has_words(text)
        understood = match is not None or wordless or person or reference
        answer = answered_from(match)
        ctx = MessageContext(
            text=text,
            sentiment=sentiment,
            history=history,
            understood=understood if judge_understanding else None,
            complaint=self.scorer.complaint_tone(text) if sentiment is not None else None,
            thresholds=self.content.thresholds,
            patterns=self.content.patterns,
            answer=answer,
            praise=self.scorer.praise_after_no(text) if sentiment is not None and sentiment < 0 else None,
            without_faults=(self.scorer.without_fault_names(text)
                            if sentiment is not None and sentiment <= self.content.thresholds.very_negative else None),
        )
        return Understanding(match, self.policy.assess(ctx), understood, wordless,
                             in_another_language(text, sentiment), reference, said)
