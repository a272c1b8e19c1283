"""The conversation engine with a real (in-memory) SQLite store: decisions, lifecycle and what gets queued."""

from __future__ import annotations

import asyncio
import itertools
from contextlib import AsyncExitStack
from datetime import UTC, datetime, timedelta

import pytest

import config
from adapters.postgres_store import PostgresStore
from adapters.sqlite_store import SQLiteStore
from core.conversation import Status
from core.engine import Engine, answered_yet
from core.handoff_card import mood_words
from core.messages import AgentReply, ConversationRef, InboundMessage
from core.store import MessageRecord, Role, Target
from core.understanding import Understander
from tests.conftest import fresh_postgres_database

_ids = itertools.count()


@pytest.fixture(params=["sqlite", "postgres"])
async def store(request):
    async with AsyncExitStack() as stack:
        if request.param == "sqlite":
            s = SQLiteStore(":memory:")
        else:
            s = PostgresStore(await stack.enter_async_context(fresh_postgres_database()))
        await s.migrate()
        yield s
        await s.close()


CONTENT = config.load_content()


def engine_for(store, desk: bool = True) -> Engine:
    return Engine(store, Understander(CONTENT), desk_available=desk)


def msg(text: str, address: str = "1") -> InboundMessage:
    return InboundMessage(ConversationRef("telegram", address), "Ann", text, str(next(_ids)), datetime.now(UTC))


async def test_first_contact_discloses_the_bot_once(store):
    engine = engine_for(store)
    first = await engine.handle_customer(msg("where is my order"))
    second = await engine.handle_customer(msg("when are you open"))
    assert "automated assistant" in first.outgoing[0].text and "Account > Orders" in first.outgoing[0].text
    assert "automated assistant" not in second.outgoing[0].text


async def test_asking_again_gets_the_answer_with_a_person_offered_and_asking_again_upset_hands_off(store):
    """An answer the customer asks for again did not help the first time: it comes again with a way to a person,
    and a customer who is upset by then is handed off rather than given the same answer twice."""
    engine = engine_for(store)
    await engine.handle_customer(msg("where is my order", address="again1"))
    again = await engine.handle_customer(msg("how can I track my order", address="again1"))
    assert again.handoff_reasons is None
    text = again.outgoing[0].text
    assert "Account > Orders" in text and 'say "person"' in text
    asked = await engine.handle_customer(msg("person", address="again1"))
    assert asked.handoff_reasons == ("asked_for_person",)
    card = next(o.card for o in asked.outgoing if o.target is Target.THREAD_OPEN)
    assert "frustrated" not in mood_words(card)  # asking again calmly is not a mood

    await engine.handle_customer(msg("where is my order", address="again2"))
    upset = await engine.handle_customer(msg("where is my order?? it still has not arrived", address="again2"))
    assert upset.handoff_reasons is not None and "asked_again" in upset.handoff_reasons
    card = next(o.card for o in upset.outgoing if o.target is Target.THREAD_OPEN)
    assert "asked again, upset, what the bot had already answered" in card.reason_details

    await engine.handle_customer(msg("where is my order", address="again3"))
    other = await engine.handle_customer(msg("when are you open", address="again3"))
    assert 'say "person"' not in other.outgoing[0].text


async def test_the_answer_says_it_is_said_again_only_to_the_same_question_again(store):
    """"Here it is again:" before the returns answer read oddly after "and do I pay for the return shipping?",
    a new question the same answer covers; it is kept for the same question asked again."""
    engine = engine_for(store)
    again = CONTENT.replies["repeat"]
    await engine.handle_customer(msg("i want to return a jacket, it is too small", address="said"))
    new = await engine.handle_customer(msg("ok, and do i pay for the return shipping?", address="said"))
    assert not new.outgoing[0].text.startswith(again) and 'say "person"' in new.outgoing[0].text
    await engine.handle_customer(msg("when are you open", address="said2"))
    await engine.handle_customer(msg("how do I return an item", address="said2"))
    same = await engine.handle_customer(msg("how do I return an item?", address="said2"))
    assert same.outgoing[0].text.startswith(again) and 'say "person"' in same.outgoing[0].text


async def test_an_order_number_alone_is_told_honestly_that_it_cannot_be_looked_up(store):
    """After the double-charge answer, "for order 5521" got the order-tracking answer (the FAQ read "order"). The
    bot cannot look orders up: it says so and how to reach someone who can, and that is not the bot failing."""
    engine = engine_for(store)
    await engine.handle_customer(msg("I was charged twice", address="ref1"))
    given = await engine.handle_customer(msg("for order 5521", address="ref1"))
    assert given.handoff_reasons is None
    assert [m.kind for m in given.messages if m.role is Role.BOT] == ["reference"]
    assert "can't look up" in given.outgoing[0].text and "Account > Orders" not in given.outgoing[0].text
    again = await engine.handle_customer(msg("order number is 5521", address="ref1"))
    assert "not_understood_again" not in again.messages[0].reasons
    assert (await engine.handle_customer(msg("person", address="ref1"))).handoff_reasons == ("asked_for_person",)


async def test_asking_whether_it_is_a_bot_is_answered_not_handed_off(store):
    """"Am I talking to a real person?" asks what is answering (CLINC150 had it handed off as a request for a
    person): the disclosure answers it on first contact, the FAQ afterwards, and the customer is told how to get
    a person."""
    engine = engine_for(store)
    first = await engine.handle_customer(msg("am i talking to a real person?", address="bot1"))
    assert first.handoff_reasons is None and first.outgoing[0].text.count("automated assistant") == 1
    later = await engine.handle_customer(msg("are you a bot?", address="bot1"))
    assert "automated assistant of Northwind Goods" in later.outgoing[0].text
    assert "talk to a person" in later.outgoing[0].text


async def test_an_operators_faq_entry_can_leave_first_contact_to_the_disclosure(store, tmp_path):
    """`covered_by_disclosure` is the operator's to set on their own entries (a [[faq]] list replaces the
    defaults): on a first message only the disclosure is said, later the entry's own answer."""
    shop = tmp_path / "shop.toml"
    shop.write_text('[[faq]]\nid = "hello"\nsmalltalk = true\ncovered_by_disclosure = true\n'
                    'answer = "Hi! Ask me about bikes."\nexamples = ["hello there"]\n')
    engine = Engine(store, Understander(config.load_content(shop)), desk_available=True)
    first = await engine.handle_customer(msg("hello there", address="cov1"))
    assert "automated assistant" in first.outgoing[0].text and "bikes" not in first.outgoing[0].text
    later = await engine.handle_customer(msg("hello there", address="cov1"))
    assert later.outgoing[0].text == "Hi! Ask me about bikes."


async def test_a_message_that_breaks_understanding_fails_alone(store, monkeypatch):
    """Messages understood at the same moment share one trip to the worker thread; a bug on one of them must
    fail only that one (its event is retried, then parked), not its neighbours."""
    engine = engine_for(store)
    understand = engine.understander.read

    def fragile(text, history):
        if text == "boom":
            raise ValueError("a bug")
        return understand(text, history)
    monkeypatch.setattr(engine.understander, "read", fragile)
    texts = ["where is my order", "boom", "when are you open"]
    results = await asyncio.gather(*(engine.handle_customer(msg(t, address=f"u{n}")) for n, t in enumerate(texts)),
                                   return_exceptions=True)
    assert isinstance(results[1], ValueError)
    assert "Account > Orders" in results[0].outgoing[0].text and not isinstance(results[2], Exception)


async def test_what_the_bot_cannot_read_right_after_an_answer_is_offered_a_person(store):
    """"I checked with the neighbours, nothing" after the missing-parcel answer is the customer's case, which the
    answer could not settle: "put it another way" would not help, a person is offered and "yes" brings one."""
    engine = engine_for(store)
    await engine.handle_customer(msg("my parcel says delivered but it isn't here", address="aa"))
    case = await engine.handle_customer(msg("I checked with the neighbours, nothing", address="aa"))
    reply = next(m for m in case.messages if m.role is Role.BOT)
    assert reply.kind == "fallback" and reply.text in CONTENT.replies["fallback_after_answer"]
    yes = await engine.handle_customer(msg("yes", address="aa"))
    assert yes.new_status is Status.HANDOFF
    # Not after a reply that was not an answer: the plain "did not understand" first.
    plain = await engine.handle_customer(msg("blorp zzz", address="ab"))
    assert next(m for m in plain.messages if m.role is Role.BOT).text.endswith(CONTENT.replies["fallback"][0])


async def test_repeated_misunderstanding_hands_off_with_reason(store):
    engine = engine_for(store)
    turns = [await engine.handle_customer(msg(t)) for t in ("blorp zzz", "qwerty asdf", "flibber jabber")]
    assert [t.new_status for t in turns] == [None, None, Status.HANDOFF]
    assert turns[2].handoff_reasons == ("bot_failing",)
    card = next(o.card for o in turns[2].outgoing if o.target is Target.THREAD_OPEN)
    assert "did not understand 2x" in card.bot_tried


async def test_yes_to_the_offer_of_a_person_hands_off(store):
    """The bot's "did not understand" replies offer a person; "ok" to that is a request for one, and only
    right after it."""
    engine = engine_for(store)
    await engine.handle_customer(msg("blorp zzz"))
    yes = await engine.handle_customer(msg("ok"))
    assert yes.new_status is Status.HANDOFF and yes.handoff_reasons == ("asked_for_person",)
    card = next(o.card for o in yes.outgoing if o.target is Target.THREAD_OPEN)
    assert card.reason_details == ("said yes to a person",)
    other = engine_for(store)
    await other.handle_customer(msg("where is my order?", address="2"))
    assert (await other.handle_customer(msg("ok", address="2"))).new_status is None  # no offer was made


async def test_no_to_the_offer_of_a_person_is_not_correcting_the_bot(store):
    """An upset customer who declines the offered person ("no") had been read as correcting the bot, which with the
    earlier upset message made a trend and handed them to a person they had just declined."""
    engine = engine_for(store)
    await engine.handle_customer(msg("my parcel never arrived and I waited 40 minutes on hold", address="dec"))
    offer = await engine.handle_customer(msg("blorp zzz", address="dec"))
    assert next(m.kind for m in offer.messages if m.role is Role.BOT) == "fallback"
    declined = await engine.handle_customer(msg("no", address="dec"))
    said = next(m for m in declined.messages if m.role is Role.CUSTOMER)
    assert "correcting_bot" not in said.reasons and declined.new_status is None
    reply = next(m for m in declined.messages if m.role is Role.BOT)
    assert reply.kind == "declined_person" and "What else can I help you with?" in reply.text  # not a second fallback


async def test_the_card_shows_a_request_for_a_person_as_a_need_not_a_mood(store):
    """ "can I talk to someone please" weighs 0.5 in the frustration score for the request alone."""
    engine = engine_for(store)
    await engine.handle_customer(msg("where is my order?"))
    asked = await engine.handle_customer(msg("can I talk to a person please"))
    card = next(o.card for o in asked.outgoing if o.target is Target.THREAD_OPEN)
    stored = next(m for m in asked.messages if m.role is Role.CUSTOMER)
    assert stored.frustration >= 0.5 and card.frustrations == (0.0, 0.0)
    assert mood_words(card) == "calm, steady (frustration 0.00 → 0.00)"
    angry = await engine_for(store).handle_customer(msg("I want a human, this is useless", address="2"))
    card = next(o.card for o in angry.outgoing if o.target is Target.THREAD_OPEN)
    assert mood_words(card).startswith("very frustrated")


async def test_the_card_says_which_language_the_customer_writes_in(store):
    """For the desk to send someone who reads it; only when it is not English."""
    engine = engine_for(store)
    await engine.handle_customer(msg("¿Dónde está mi pedido? Lo compré hace una semana", address="es"))
    spanish = await engine.handle_customer(msg("sí, por favor", address="es"))
    assert next(o.card for o in spanish.outgoing if o.target is Target.THREAD_OPEN).language == "Spanish"
    english = await engine.handle_customer(msg("I want to talk to a human", address="en"))
    assert next(o.card for o in english.outgoing if o.target is Target.THREAD_OPEN).language is None


async def test_a_message_in_another_language_is_offered_a_person_not_asked_to_rephrase(store):
    engine = engine_for(store)
    spanish = await engine.handle_customer(msg("¿Puedo cambiar la dirección de entrega?", address="es2"))
    assert "only read English" in spanish.outgoing[0].text and spanish.new_status is None
    yes = await engine.handle_customer(msg("sí", address="es2"))
    assert yes.new_status is Status.HANDOFF
    assert "Una persona de nuestro equipo" in yes.outgoing[0].text  # told in their language too
    assert next(o.card for o in yes.outgoing if o.target is Target.THREAD_OPEN).language == "Spanish"
    gibberish = await engine.handle_customer(msg("blorp zzz", address="en2"))
    emoji = await engine.handle_customer(msg("🙈🙈", address="emoji"))
    assert not any("only read English" in t.outgoing[0].text for t in (gibberish, emoji))
    # A second message the bot cannot read, instead of the "yes": the same reply again would not help them.
    await engine.handle_customer(msg("hola, mi pedido no ha llegado", address="es3"))
    again = await engine.handle_customer(msg("llevo una semana esperando", address="es3"))
    assert again.new_status is Status.HANDOFF and "unreadable_again" in again.handoff_reasons
    await engine.handle_customer(msg("blorp zzz", address="en3"))  # unread, but not another language
    assert (await engine.handle_customer(msg("qwerty uiop", address="en3"))).new_status is None


async def test_acknowledgements_are_answered_never_counted_as_the_bot_failing(store):
    """"ok", "got it", "cool" after an answer had each got "I didn't understand", and the third paged a person."""
    engine = engine_for(store)
    await engine.handle_customer(msg("where is my order", address="ack"))
    turns = [await engine.handle_customer(msg(t, address="ack")) for t in ("ok", "got it", "cool", "👍")]
    assert all(t.new_status is None for t in turns)
    assert [m.kind for t in turns for m in t.messages if m.role is Role.BOT] == [
        "smalltalk:acknowledgement", "smalltalk:acknowledgement", "smalltalk:acknowledgement", "emoji_only"]
    handle = await engine.handle_customer(msg("@ShopCo 👍", address="ack"))  # the handle is not words of its own
    assert next(m.kind for m in handle.messages if m.role is Role.BOT) == "emoji_only"
    angry = await engine.handle_customer(msg("😡😡😡", address="ack"))
    assert next(m.kind for m in angry.messages if m.role is Role.BOT) in ("fallback", "handoff")


async def test_never_mind_after_a_question_the_bot_could_not_answer_is_answered_and_pages_nobody(store):
    """"never mind" after "I didn't understand" had got a second "I didn't understand" and an offer of a person;
    a calm customer who lets it go twice is not paged either."""
    engine = engine_for(store)
    await engine.handle_customer(msg("do you sell gift cards", address="nm"))
    turns = [await engine.handle_customer(msg(t, address="nm")) for t in ("never mind", "forget it", "nvm")]
    assert all(t.new_status is None for t in turns)
    assert [m.kind for t in turns for m in t.messages if m.role is Role.BOT] == ["smalltalk:never_mind"] * 3


async def test_a_customer_frustrated_twice_in_a_row_is_handed_off(store):
    """Neither message hands off alone; the second, right after the first, does, and the card says why."""
    engine = engine_for(store)
    await engine.handle_customer(msg("where is my order?"))
    first = await engine.handle_customer(msg("this is the third time I'm contacting you about this"))
    assert first.new_status is None
    second = await engine.handle_customer(msg("still nothing, I want my money back now"))
    assert second.new_status is Status.HANDOFF and "frustrated_again" in second.handoff_reasons
    card = next(o.card for o in second.outgoing if o.target is Target.THREAD_OPEN)
    assert "frustrated in 2 messages in a row (now: a complaint about the service)" in card.reason_details


async def test_an_upset_opening_is_answered_with_sympathy_and_still_upset_once_answered_hands_off(store):
    """The first message after a greeting tells the problem: the bot answers it, sorry, rather than paging at once
    (its score counts half); the customer still upset at the answer is a trend, and a person takes over."""
    engine = engine_for(store)
    await engine.handle_customer(msg("hi"))
    opening = await engine.handle_customer(msg("this is ridiculous, my order is late AGAIN!!"))
    assert opening.new_status is None
    assert opening.outgoing[0].text.startswith("I'm sorry") and "Account > Orders" in opening.outgoing[0].text
    again = await engine.handle_customer(msg("that doesn't help, I still have nothing"))
    assert again.new_status is Status.HANDOFF and "frustrated_again" in again.handoff_reasons
    card = next(o.card for o in again.outgoing if o.target is Target.THREAD_OPEN)
    assert card.frustrations[-2] >= 0.7  # the agent sees the opening as it was felt: very frustrated


async def test_announcing_a_problem_then_telling_it_calmly_is_answered_not_paged(store):
    """"I have a problem" (VADER -0.40) and then "my order arrived but its the wrong colour" (-0.63) had made two
    negative messages in a row and paged a person at once: the first only announces the problem (`preface`), and the
    returns entry answers the second."""
    engine = engine_for(store)
    await engine.handle_customer(msg("hi", address="preface"))
    await engine.handle_customer(msg("I have a problem", address="preface"))
    turn = await engine.handle_customer(msg("my order arrived but its the wrong colour", address="preface"))
    assert turn.new_status is None
    assert next(m for m in turn.messages if m.role is Role.BOT).kind == "faq:returns"


async def test_venting_is_not_told_it_was_not_understood(store):
    """"this is the worst service ever" had been answered "I'm sorry, I didn't understand": an upset customer with
    nothing the FAQ answers is offered a person, and asked what happened, without being told they were unclear."""
    engine = engine_for(store)
    turn = await engine.handle_customer(msg("this is the worst service ever"))
    reply = next(m for m in turn.messages if m.role is Role.BOT)
    assert reply.kind == "fallback" and "understand" not in reply.text and '"person"' in reply.text


def test_the_opening_ends_at_the_first_reply_the_customer_sees_to_what_they_said():
    """A reply to their greeting answers nothing yet, nor does an agent's internal note, which they never see."""
    at = datetime.now(UTC)
    greetings = frozenset({"smalltalk:greeting"})
    said, hello = MessageRecord(Role.CUSTOMER, "my order is late", at), MessageRecord(Role.CUSTOMER, "hi", at)
    assert not answered_yet([hello, MessageRecord(Role.BOT, "Hello!", at, kind="smalltalk:greeting"), said], greetings)
    assert not answered_yet([said, MessageRecord(Role.NOTE, "note: VIP", at)], greetings)
    assert answered_yet([said, MessageRecord(Role.AGENT, "It ships today.", at)], greetings)
    assert answered_yet([said, MessageRecord(Role.BOT, "Sorry, I didn't understand.", at, kind="fallback")], greetings)


async def test_handoff_once_then_customer_messages_go_to_the_thread_and_bot_is_quiet(store):
    engine = engine_for(store)
    turn = await engine.handle_customer(msg("I want to talk to a human"))
    assert turn.new_status is Status.HANDOFF
    assert [o.target for o in turn.outgoing] == [Target.CUSTOMER, Target.THREAD_OPEN]
    later = await engine.handle_customer(msg("I hate this, worst service ever"))
    assert later.new_status is None
    assert [(o.target, o.text) for o in later.outgoing] == [(Target.THREAD, "I hate this, worst service ever")]


async def test_concurrent_messages_open_one_handoff(store):
    engine = engine_for(store)
    turns = await asyncio.gather(*(engine.handle_customer(msg(t, "7")) for t in (
        "this is the worst, I hate you", "get me a human now", "awful awful service")))
    assert sum(t.new_status is Status.HANDOFF for t in turns) == 1


async def test_two_processes_on_one_database_open_one_handoff():
    """Two stores with their own connection pools stand for two processes: the advisory lock serialises them."""
    async with fresh_postgres_database() as url:
        stores = [PostgresStore(url), PostgresStore(url)]
        await stores[0].migrate()
        engines = [engine_for(s) for s in stores]
        await engines[0].handle_customer(msg("hi", "77"))  # the conversation exists: no insert to queue on
        await stores[1].ping()  # both pools are open before the race
        angry = ("this is the worst, I hate you", "get me a human now", "awful awful service", "I want a person")
        turns = await asyncio.gather(*(engines[i % 2].handle_customer(msg(t, "77")) for i, t in enumerate(angry)))
        assert sum(t.new_status is Status.HANDOFF for t in turns) == 1
        for s in stores:
            await s.close()


async def test_agent_reply_note_and_hand_back(store):
    engine = engine_for(store)
    await engine.handle_customer(msg("human please", "9"))
    conv = await store.conversation_for(ConversationRef("telegram", "9"), "Ann", datetime.now(UTC))
    await store.set_thread(conv.id, "CDESK", "111.222")
    now = datetime.now(UTC)
    reply = await engine.handle_agent(AgentReply("CDESK", "111.222", "Sam", "Hi, Sam here", "e1", now))
    assert reply.new_status is Status.HUMAN and reply.outgoing[0].from_human
    note = await engine.handle_agent(AgentReply("CDESK", "111.222", "Sam", "note: VIP", "e2", now))
    assert note.outgoing == () and note.messages[0].role is Role.NOTE
    assert await engine.handle_agent(AgentReply("CDESK", "999.000", "Sam", "other thread", "e3", now)) is None
    file_only = await engine.handle_agent(AgentReply("CDESK", "111.222", "Sam", "", "e4", now))
    assert [o.target for o in file_only.outgoing] == [Target.THREAD] and "not sent" in file_only.outgoing[0].text
    back = await engine.hand_back(conv.id, "agent:Sam", now)
    assert back.new_status is Status.BOT and "automated assistant" in back.outgoing[0].text
    posted = [o.text for o in back.outgoing if o.target is Target.THREAD]
    assert posted == ["Sam handed the conversation back to the bot."]
    answer = await engine.handle_customer(msg("when are you open", "9"))
    assert "Monday to Friday" in answer.outgoing[0].text
    history = [(t.from_status, t.to_status, t.actor) for t in await store.transitions(conv.id)]
    assert history == [(Status.BOT, Status.HANDOFF, "bot"), (Status.HANDOFF, Status.HUMAN, "agent:Sam"),
                       (Status.HUMAN, Status.BOT, "agent:Sam")]


async def test_without_a_desk_the_customer_is_told_honestly(store):
    engine = engine_for(store, desk=False)
    turn = await engine.handle_customer(msg("I want a real person"))
    assert turn.new_status is Status.HANDOFF and turn.handoff_reasons == ("asked_for_person",)
    assert [o.target for o in turn.outgoing] == [Target.CUSTOMER]
    assert "nobody from our team can be reached" in turn.outgoing[0].text


async def test_upset_customer_gets_an_apology_not_cheer(store):
    engine = engine_for(store)
    await engine.handle_customer(msg("hi", "11"))
    turn = await engine.handle_customer(msg("this is so annoying, where is my stupid order", "11"))
    assert turn.outgoing[0].text.startswith("I'm sorry")
    late = await engine.handle_customer(msg("where is my order, it's a week late", "12"))
    answer = late.outgoing[0].text
    assert late.new_status is None and "I'm sorry" in answer and "Account > Orders" in answer
    assert answer.endswith("say \"person\" and I'll bring someone in.")  # the way to a person, said plainly


async def test_no_text_message_is_answered_without_counting_as_a_failure(store):
    engine = engine_for(store)
    sticker = InboundMessage(ConversationRef("telegram", "12"), "Ann", "", "s1", datetime.now(UTC), ("sticker",))
    turn = await engine.handle_customer(sticker)
    assert "only read text" in turn.outgoing[0].text
    assert turn.messages[0].text == "[sent sticker]" and turn.messages[0].sentiment is None


async def reasons_at(engine: Engine, address: str, text: str, start: datetime, minutes: float) -> tuple[str, ...]:
    """The reasons of one customer message sent `minutes` after `start` (its delivery key: address and time)."""
    at = start + timedelta(minutes=minutes)
    msg = InboundMessage(ConversationRef("telegram", address), "Ann", text, f"{address}-{minutes}-{text}", at)
    return (await engine.handle_customer(msg)).messages[0].reasons


async def test_a_customer_kept_waiting_for_a_person_is_seen_waiting(store):
    """After the handoff nobody answers; when the customer writes again 25 minutes later, that message says so."""
    engine = engine_for(store)
    start = datetime.now(UTC)
    assert "asked_for_person" in await reasons_at(engine, "w1", "I want a real person", start, 0)
    assert (await store.conversation_for(ConversationRef("telegram", "w1"), "Ann", start)).status is Status.HANDOFF
    assert "kept_waiting" not in await reasons_at(engine, "w1", "my order 5521 is missing", start, 1)
    assert "kept_waiting" in await reasons_at(engine, "w1", "hello?", start, 26)


async def test_a_customer_chasing_an_unanswered_message_is_seen_chasing(store):
    """"hello??" two minutes after a message nobody answered is impatience, even before `kept_waiting` counts; as a
    first message it is a greeting."""
    engine = engine_for(store)
    start = datetime.now(UTC)
    assert "chasing" not in await reasons_at(engine, "c1", "hello?", start, 0)
    assert "asked_for_person" in await reasons_at(engine, "c1", "I want a real person", start, 0.5)
    assert (await store.conversation_for(ConversationRef("telegram", "c1"), "Ann", start)).status is Status.HANDOFF
    assert "chasing" not in await reasons_at(engine, "c1", "it's about order 5521", start, 1)
    chased = await reasons_at(engine, "c1", "hello??", start, 3)
    assert "chasing" in chased and "kept_waiting" not in chased


async def test_a_lone_surrogate_does_not_lose_the_message(store):
    """JSON can escape half a surrogate pair ("\\ud800"); no database stores that, so the turn failed on every
    retry. It is replaced by U+FFFD where a message enters the core, and the customer is answered."""
    engine = engine_for(store)
    msg = InboundMessage(ConversationRef("telegram", "s1"), "Ann\ud800", "where is my order \ud800", "s-1",
                         datetime.now(UTC))
    turn = await engine.handle_customer(msg)
    assert turn.outgoing and "Account > Orders" in turn.outgoing[0].text
    history = await store.history(turn.conversation_id, 5)
    assert history[0].text == "where is my order \ufffd"
    reply = AgentReply("CDESK", "1.0", "Sam\udc00", "hello \udfff", "a-1", datetime.now(UTC))
    assert reply.text == "hello \ufffd" and reply.agent_name == "Sam\ufffd"


async def test_no_to_anything_else_is_a_goodbye_not_a_correction(store):
    """The bot's answers end "Is there anything else I can help with?": a "no" to that says goodbye, it does not
    correct the bot (on USS such a "no" is rated dissatisfied as often as any turn)."""
    engine = engine_for(store)
    first = await engine.handle_customer(msg("thanks", address="else"))
    answer = next(m.text for m in reversed(first.messages) if m.role is Role.BOT)
    assert answer.endswith("anything else I can help with?")
    turn = await engine.handle_customer(msg("no", address="else"))
    said = next(m for m in turn.messages if m.role is Role.CUSTOMER)
    assert "correcting_bot" not in said.reasons and turn.new_status is None


async def test_a_no_to_anything_else_is_answered_with_a_goodbye(store):
    """ "nope, all good", "no that's it thank you" or "no thanks" to "anything else?" get the goodbye, not "Sorry, I
    didn't understand" (which counted as the bot failing) nor a "you're welcome, anything else?" asked once more. A
    "no" with something more in it is read as usual."""
    engine = engine_for(store)
    for n, leaving in enumerate(("nope, all good", "no that's it thank you", "no thanks", "no", "no, you've been very "
                                 "helpful")):
        address = f"bye-{n}"
        await engine.handle_customer(msg("thanks", address=address))
        turn = await engine.handle_customer(msg(leaving, address=address))
        reply = next(m for m in turn.messages if m.role is Role.BOT)
        assert reply.kind == "smalltalk:goodbye" and "Goodbye" in reply.text, leaving
    await engine.handle_customer(msg("thanks", address="more"))
    turn = await engine.handle_customer(msg("no, my parcel still hasn't arrived", address="more"))
    assert next(m for m in turn.messages if m.role is Role.BOT).kind != "smalltalk:goodbye"


async def test_a_bereavement_is_handed_to_a_person_gently(store):
    """"my dad passed away last month and I need to close his account": not the account entry's password reset, not
    "sorry for the trouble", but a person, at once; the card reads the mood as calm."""
    engine = engine_for(store)
    turn = await engine.handle_customer(msg("hello my dad passed away last month and I need to close his account",
                                            address="bereaved"))
    assert turn.new_status is Status.HANDOFF and turn.handoff_reasons == ("sensitive",)
    told = next(o.text for o in turn.outgoing if o.target is Target.CUSTOMER)
    assert "I'm so sorry" in told and "trouble" not in told and "password" not in told
    card = next(o.card for o in turn.outgoing if o.target is Target.THREAD_OPEN)
    assert mood_words(card).startswith("calm")


async def test_saying_they_already_did_what_an_entry_explains_is_their_case(store):
    """After the refund answer, "I returned it 2 weeks ago" matched the returns entry by its "return": the how-to of
    what they already did. It is their case, which an answer cannot settle: a person is offered. Asked as a question,
    or before any answer, the entry still answers."""
    engine = engine_for(store)
    await engine.handle_customer(msg("where is my refund", address="done"))
    turn = await engine.handle_customer(msg("I returned it 2 weeks ago", address="done"))
    reply = next(m for m in turn.messages if m.role is Role.BOT)
    assert reply.kind == "fallback" and "bring in someone" in reply.text
    await engine.handle_customer(msg("where is my refund", address="asked"))
    asked = await engine.handle_customer(msg("I returned the shoes, how do I return the jacket?", address="asked"))
    assert next(m for m in asked.messages if m.role is Role.BOT).kind == "faq:returns"


async def test_what_they_already_did_is_not_what_they_ask(store):
    """"where is my refund??? I returned the item 3 weeks ago" had been answered with how to return an item (its
    "returned the item" is close to "return an item"): what they did is their case, what they ask is the refund."""
    engine = engine_for(store)
    for n, text in enumerate(["where is my refund??? I returned the item 3 weeks ago",
                              "I cancelled my order yesterday, when do I get my money back",
                              "I returned it last week. When will I get the refund?"]):
        turn = await engine.handle_customer(msg(text, address=f"case{n}"))
        assert next(m for m in turn.messages if m.role is Role.BOT).kind == "faq:refunds", text
