"""One customer message understood in its context: FAQ match, sentiment, signals and the handoff decision.

Shared by the live engine and `warmline replay`, so what replay reports is what the bot would have done.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass

from core.batching import Batcher
from core.content import Content
from core.faq import FaqMatch, FaqMatcher
from core.policy import Assessment, HandoffPolicy
from core.sentiment import SentimentScorer
from core.signals import History, MessageContext, accepts_offer, asks_for_person

_LEADING_MENTIONS = re.compile(r"^\s*(?:(?:@[\w.]+|<@\w+(?:\|[^>]*)?>)[\s,:;]*)+")


def without_mentions(text: str) -> str:
    """The message without the handles it opens with ("@ShopCo hello??", Slack's "<@U123> yes"): they say whom it
    is for, not what it says, and would hide its start from the phrase patterns anchored there."""
    rest = _LEADING_MENTIONS.sub("", text, count=1)
    return rest if rest.strip() else text


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


class Understander:
    def __init__(self, content: Content, scorer: SentimentScorer | None = None,
                 policy: HandoffPolicy | None = None) -> None:
        self.content = content
        self.scorer = scorer or SentimentScorer(complaint_words=content.complaint_words)
        self.policy = policy or HandoffPolicy()
        self.matcher = FaqMatcher(content.faq, content.faq_threshold)
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
                    results.append(self._understand(text, history))
                except Exception as exc:  # a bug on one message must not fail the others
                    results.append(exc)
            return results
        return await asyncio.to_thread(run)

    def _understand(self, text: str, history: History) -> Understanding:
        return self.understand_scored(text, self.scorer.compound(text), history)

    def understand_scored(self, text: str, sentiment: float | None, history: History, *,
                          judge_understanding: bool = True) -> Understanding:
        """`judge_understanding=False` for recorded transcripts, where the recorded replies say whether the bot
        understood, not this bot's FAQ."""
        text = without_mentions(text)
        patterns = self.content.patterns
        person = asks_for_person(text, patterns.person) or accepts_offer(text, history, patterns)
        match = None if person else self.matcher.match(text)
        wordless = not has_words(text)
        understood = match is not None or wordless or person
        ctx = MessageContext(
            text=text,
            sentiment=sentiment,
            history=history,
            understood=understood if judge_understanding else None,
            complaint=self.scorer.complaint_tone(text) if sentiment is not None else None,
            thresholds=self.content.thresholds,
            patterns=self.content.patterns,
            answer=match.entry.id if match is not None and not match.entry.smalltalk else None,
        )
        other_language = sentiment is None and any(c.isalpha() for c in text)
        return Understanding(match, self.policy.assess(ctx), understood, wordless, other_language)
