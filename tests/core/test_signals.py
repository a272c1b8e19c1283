"""Each handoff signal with positive and negative examples, including VADER's known misses."""

from __future__ import annotations

import pytest

import config
from core.policy import HandoffPolicy
from core.sentiment import SentimentScorer
from core.signals import MessageContext, asked_for_person, bot_failing, negative_streak, very_negative

CONTENT = config.load_content()
SCORER = SentimentScorer()


def ctx(text: str, previous=(), fallback_streak: int = 0, understood: bool = True) -> MessageContext:
    return MessageContext(text, SCORER.compound(text), tuple(previous), fallback_streak, understood,
                          CONTENT.thresholds, CONTENT.person_patterns)


@pytest.mark.parametrize("text", [
    "I want to talk to a human", "talk to a human", "can I speak to someone", "stop, I want a real person",
    "Let me speak with an agent please", "agent", "HUMAN!!", "get me your manager", "representative",
    "can someone call me back", "quiero hablar con una persona", "je veux parler à un humain",
    "ich möchte mit einem Menschen sprechen", "ik wil met een medewerker spreken", "quero falar com um atendente",
])
def test_asked_for_person_fires_on_requests_for_a_person(text):
    assert asked_for_person(ctx(text)) is not None


@pytest.mark.parametrize("text", [
    "where is my order", "how do I change my password", "is the blue jacket available in M",
    "when are you open", "thanks for your help", "I need to return an item",
])
def test_asked_for_person_stays_quiet_on_routine_questions(text):
    assert asked_for_person(ctx(text)) is None


def test_very_negative_needs_a_strongly_negative_message():
    assert very_negative(ctx("This is the worst service ever, I hate this")) is not None
    assert very_negative(ctx("my order is a bit late")) is None
    assert very_negative(ctx("")) is None


def test_negative_streak_needs_consecutive_negative_messages():
    first = SCORER.compound("This is ridiculous, my order is late again")
    assert negative_streak(ctx("I am so angry, nobody helps me", previous=[first])) is not None
    assert negative_streak(ctx("I am so angry, nobody helps me", previous=[first, 0.5])) is None
    assert negative_streak(ctx("I am so angry, nobody helps me")) is None  # one alone is not a trend
    fired = negative_streak(ctx("I am so angry, nobody helps me", previous=[first]))
    assert fired.detail == "2 negative messages in a row"


def test_bot_failing_counts_misunderstandings_in_a_row():
    assert bot_failing(ctx("blorp", fallback_streak=CONTENT.thresholds.max_fallbacks, understood=False)).hands_off
    soft = bot_failing(ctx("blorp", fallback_streak=1, understood=False))
    assert soft is not None and not soft.hands_off
    assert bot_failing(ctx("blorp", fallback_streak=0, understood=False)) is None
    assert bot_failing(ctx("where is my order", fallback_streak=5, understood=True)) is None


def test_policy_combines_signals_into_a_bounded_score_with_reasons():
    policy = HandoffPolicy()
    calm = policy.assess(ctx("where is my order"))
    assert not calm.handoff and calm.frustration == 0 and calm.reasons == []
    angry = policy.assess(ctx("This is the worst service ever, I hate this, get me a human"))
    assert angry.handoff and 0 < angry.frustration <= 1
    assert set(angry.handoff_reasons) >= {"asked_for_person", "very_negative"}


def test_sentiment_is_capped_and_absent_for_no_text():
    assert SCORER.compound("") is None
    assert SCORER.compound("   ") is None
    assert SCORER.compound("...") is None
    assert isinstance(SCORER.compound("good " * 100_000), float)  # capped: returns quickly
