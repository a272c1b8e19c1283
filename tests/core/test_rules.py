"""Small rules of the public contract: relaying, lifecycle transitions, replies' tone, locks, card wording."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

import config
from core.conversation import Conversation, IllegalTransition, Status, transition
from core.handoff_card import HandoffCard, mood_words, trend_words
from core.language import written_in
from core.locks import KeyedLocks
from core.messages import ConversationRef
from core.relaying import is_internal
from core.replies import ReplyWriter


@pytest.mark.parametrize(("text", "internal"), [
    ("note: she was charged twice", True), ("  NOTE: check", True), ("Note:x", True), ("// later", True),
    ("   //todo", True), ("Hello, I'm Sam", False), ("a note: this is for you", False), ("/ not a comment", False),
    ("notes are attached", False),
])
def test_internal_prefixes(text, internal):
    assert is_internal(text) is internal


def test_transitions_follow_the_lifecycle():
    now = datetime.now(UTC)
    conv = Conversation("c1", ConversationRef("telegram", "1"), "Ann", Status.BOT, now)
    t = transition(conv, Status.HANDOFF, "bot", "asked_for_person", now)
    assert (t.from_status, t.to_status, t.actor, t.reason) == (Status.BOT, Status.HANDOFF, "bot", "asked_for_person")
    closed = Conversation("c1", conv.ref, "Ann", Status.CLOSED, now)
    with pytest.raises(IllegalTransition):
        transition(closed, Status.HANDOFF, "bot", "x", now)


def test_replies_apologise_to_upset_customers_and_vary():
    content = config.load_content()
    writer = ReplyWriter(content)
    entry = next(e for e in content.faq if e.id == "order_status")
    upset = writer.faq_answer(entry, upset=True, repeated=False, said_again=False, rotation=0)
    assert upset.startswith("I'm sorry") and "!" not in upset
    answers = {writer.faq_answer(entry, upset=False, repeated=False, said_again=False, rotation=i) for i in range(3)}
    assert len(answers) == 3
    assert writer.fallback(upset=False, rotation=0) != writer.fallback(upset=False, rotation=1)
    assert "sorry" in writer.fallback(upset=True, rotation=0).lower()


def test_trend_words_for_agents():
    assert trend_words((0.0, -0.4, -0.8)) .startswith("very negative, getting worse")
    assert trend_words((None, None)) == "no sentiment (no scorable text)"
    assert trend_words((0.5,)) == "positive (+0.50)"


def test_the_card_shows_the_mood_by_the_frustration_that_decided_the_handoff():
    """VADER scores "still nothing, this is ridiculous" +0.28 ("nothing" negates "ridiculous"): by VADER alone the
    card said "positive, improving" for a customer handed off for frustration."""
    card = HandoffCard("c1", "Ann", "telegram", ("frustrated_again",), ("frustrated in 2 messages in a row",),
                       (0.0, 0.0, 0.28), (), (), "2026-01-01T00:00:00", frustrations=(0.0, 0.42, 0.71))
    assert mood_words(card) == "very frustrated, getting worse (frustration 0.00 → 0.42 → 0.71)"
    assert mood_words(HandoffCard(**{**card.__dict__, "frustrations": (0.5,)})) == "frustrated (frustration 0.50)"
    # Calm at the handoff (a plain request for a person) right after an outburst: the outburst stays in sight.
    assert mood_words(HandoffCard(**{**card.__dict__, "frustrations": (0.0, 0.5, 0.0)})) == \
        "calm now, frustrated before (frustration 0.00 → 0.50 → 0.00)"
    assert mood_words(HandoffCard(**{**card.__dict__, "frustrations": (0.5, 0.55)})) == \
        "frustrated, steady (frustration 0.50 → 0.55)"
    # Higher than at first, but well down from a message ago: not "getting worse".
    assert mood_words(HandoffCard(**{**card.__dict__, "frustrations": (0.0, 0.65, 0.24)})) == \
        "a little frustrated now, frustrated before (frustration 0.00 → 0.65 → 0.24)"
    # (a plain request for a person is not a mood: the engine puts the policy's mood on the card, see test_engine)
    # a card queued by an older version (no frustration scores) still shows VADER's trend
    older = {k: v for k, v in card.to_dict().items() if k != "frustrations"}
    assert mood_words(HandoffCard.from_dict(older)).startswith("positive, improving")


async def test_keyed_locks_serialise_per_key_and_clean_up():
    locks = KeyedLocks()
    order: list[str] = []

    async def work(key: str, name: str, delay: float) -> None:
        async with locks.hold(key):
            order.append(f"{name}+")
            await asyncio.sleep(delay)
            order.append(f"{name}-")

    await asyncio.gather(work("a", "1", 0.02), work("a", "2", 0), work("b", "3", 0))
    assert order.index("1-") < order.index("2+")
    assert order.index("3+") < order.index("1-")  # another key does not wait
    assert len(locks) == 0


def test_the_language_a_customer_writes_in_is_named_when_it_is_not_english():
    assert written_in(["¿Dónde está mi pedido?", "Lo compré hace una semana"]) == "Spanish"
    assert written_in(["Wo ist mein Paket? Ich warte seit zwei Wochen"]) == "German"
    assert written_in(["where is my order?", "I ordered it a week ago"]) is None
    assert written_in(["hola"]) is None  # too little to tell
    assert written_in(["😡😡", ""]) is None
