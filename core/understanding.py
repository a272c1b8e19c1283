"""One customer message understood in its context: FAQ match, sentiment, signals and the handoff decision.

Shared by the live engine and `warmline replay`, so what replay reports is what the bot would have done.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

from core.content import Content
from core.faq import FaqMatch, FaqMatcher
from core.policy import Assessment, HandoffPolicy
from core.sentiment import SentimentScorer
from core.signals import MessageContext


@dataclass(frozen=True)
class Understanding:
    match: FaqMatch | None
    assessment: Assessment

    @property
    def understood(self) -> bool:
        return self.match is not None


class Understander:
    def __init__(self, content: Content, scorer: SentimentScorer | None = None,
                 policy: HandoffPolicy | None = None) -> None:
        self.content = content
        self.scorer = scorer or SentimentScorer()
        self.policy = policy or HandoffPolicy()
        self.matcher = FaqMatcher(content.faq, content.faq_threshold)

    async def understand(self, text: str, previous_sentiments: Sequence[float | None],
                         fallback_streak: int) -> Understanding:
        sentiment = await asyncio.to_thread(self.scorer.compound, text)
        return self.understand_scored(text, sentiment, previous_sentiments, fallback_streak)

    def understand_scored(self, text: str, sentiment: float | None, previous_sentiments: Sequence[float | None],
                          fallback_streak: int) -> Understanding:
        person = any(p.search(text) for p in self.content.person_patterns)
        match = None if person else self.matcher.match(text)
        ctx = MessageContext(
            text=text,
            sentiment=sentiment,
            previous_sentiments=tuple(previous_sentiments),
            fallback_streak=fallback_streak,
            understood=match is not None or not text.strip() or person,
            thresholds=self.content.thresholds,
            person_patterns=self.content.person_patterns,
        )
        return Understanding(match, self.policy.assess(ctx))
