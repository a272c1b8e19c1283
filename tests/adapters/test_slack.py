"""Slack over real HTTP: signed Events API requests (event callbacks stored by our route, the rest through
slack-bolt), the Web API client to the fake."""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

from adapters.slack.desk import SlackDesk, make_client
from core.handoff_card import CardLine, HandoffCard
from tests import platform_requests as pr
from tests.fake_platforms import BOT_ID, BOT_USER, FakePlatforms


def cards(fake: FakePlatforms) -> list:
    return [c for c in fake.of("chat.postMessage", channel=pr.HANDOFF_CHANNEL) if "thread_ts" not in c.params]


def thread_posts(fake: FakePlatforms, thread: str) -> list[str]:
    return [c.params["text"] for c in fake.of("chat.postMessage", thread_ts=thread)]


def telegram_texts(fake: FakePlatforms, chat_id: int) -> list[str]:
    return [c.params["text"] for c in fake.of("sendMessage", chat_id=chat_id)]




async def open_handoff(running, fake: FakePlatforms, chat_id: int, text: str = "I want to talk to a human") -> str:
    """A Telegram customer asks for a person; returns the handoff thread's ts."""
    before = len(cards(fake))
    assert await running.telegram(pr.telegram_update(text, chat_id=chat_id)) == 200
    await fake.wait_for(lambda: len(cards(fake)) > before)
    card = cards(fake)[-1]
    await fake.wait_for(lambda: any("person" in t for t in telegram_texts(fake, chat_id)))
    # the thread is recorded right after the post returns
    conv = None
    for _ in range(100):
        conv = await running.service.store.conversation_by_thread(pr.HANDOFF_CHANNEL, _ts_of(fake, card))
        if conv:
            break
        await fake.settle(0.02)
    assert conv is not None
    return _ts_of(fake, card)


def _ts_of(fake: FakePlatforms, card_call) -> str:
    for message in fake.slack_messages[pr.HANDOFF_CHANNEL]:
        if message.get("metadata") == card_call.params.get("metadata") and "thread_ts" not in message:
            return message["ts"]
    raise AssertionError("card not stored")


async def test_url_verification_and_unhandled_types_are_200(running):
    raw = pr.body(pr.fixture("slack/url_verification.json"))
    async with running.http.post(running.url + "/slack/events", data=raw, headers=pr.slack_headers(raw)) as resp:
        assert resp.status == 200
        assert pr.fixture("slack/url_verification.json")["challenge"] in await resp.text()
    assert await running.slack(pr.fixture("slack/event_callback_reaction_added.json")) == 200
    form = ("payload=" + quote(pr.body(pr.fixture("slack/interactivity_block_actions_button.json")).decode())
            ).encode()
    headers = pr.slack_headers(form) | {"Content-Type": "application/x-www-form-urlencoded"}
    assert (await running.post("/slack/events", form, headers)).status == 200


async def test_authentication_failures_are_401(running, fake: FakePlatforms):
    raw = pr.body(pr.slack_dm("hello"))
    stale = pr.slack_headers(raw, timestamp=int(time.time()) - 600)
    future = pr.slack_headers(raw, timestamp=int(time.time()) + 600)
    wrong = pr.slack_headers(raw, secret="not-the-secret")
    not_a_number = pr.slack_headers(raw) | {"X-Slack-Request-Timestamp": "soon"}
    missing = {"Content-Type": "application/json"}
    for headers in (stale, future, wrong, not_a_number, missing):
        assert (await running.post("/slack/events", raw, headers)).status == 401
    await fake.settle(0.3)
    assert not fake.of("chat.postMessage")


async def test_malformed_and_oversized_bodies(running):
    for raw in (b"{nope", b"\xff\xfe\xfd", b"[" * 3000 + b"]" * 3000, b'"just a string"'):
        assert (await running.post("/slack/events", raw, pr.slack_headers(raw))).status == 400
    big = pr.body({"type": "event_callback", "pad": "x" * (1024 * 1024 + 10)})
    assert (await running.post("/slack/events", big, pr.slack_headers(big))).status == 413


async def test_dm_routine_question_is_answered_in_the_dm_without_paging(running, fake: FakePlatforms):
    assert await running.slack(pr.slack_dm("how long does delivery take?")) == 200
    answer = await fake.wait_for(lambda: fake.of("chat.postMessage", channel="DCUSTOMER"))
    assert "business days" in answer[0].params["text"]
    await fake.settle(0.3)
    assert not cards(fake)


async def test_an_event_is_stored_even_while_the_web_api_fails(running, fake: FakePlatforms):
    """Storing a verified event must not depend on a call out to Slack: bolt calls auth.test on its first
    request and, when that fails, answers 200 with an apology without running our middleware (the event
    would be acknowledged and lost) or 500 when Slack is unreachable."""
    fake.fail("auth.test", 200, {"ok": False, "error": "internal_error"}, times=2)
    assert await running.slack(pr.slack_dm("how long does delivery take?")) == 200
    answer = await fake.wait_for(lambda: fake.of("chat.postMessage", channel="DCUSTOMER"))
    assert "business days" in answer[0].params["text"]


async def test_bot_own_dm_messages_are_not_answered(running, fake: FakePlatforms):
    own = pr.slack_dm("I am the bot", user=BOT_USER)
    own["event"]["bot_id"] = BOT_ID
    assert await running.slack(own) == 200
    assert await running.slack(pr.fixture("slack/event_callback_message_subtype_bot_message.json")) == 200
    await fake.settle(0.4)
    assert not fake.of("chat.postMessage")
    with sqlite3.connect(running.service.store.path) as db:  # acknowledged at the route, never stored
        assert db.execute("SELECT count(*) FROM inbox WHERE channel = 'slack'").fetchone()[0] == 0


async def test_full_handoff_relay_and_internal_notes(running, fake: FakePlatforms):
    chat = 301
    thread = await open_handoff(running, fake, chat, "stop, I want a real person")
    card = cards(fake)[-1].params
    assert card["metadata"]["event_type"] == "warmline_handoff"
    assert card["unfurl_links"] is False and card["unfurl_media"] is False
    blocks_text = str(card["blocks"])
    assert "stop, I want a real person" in blocks_text and "asked for a person" in blocks_text
    assert "Ann Lee" in card["text"] and "telegram" in card["text"]
    assert "Writes in" not in blocks_text  # English: nothing to say

    # an agent answers in the thread: it reaches the customer on Telegram
    assert await running.slack(pr.slack_thread_reply(thread, "Hi Ann, Sam here. Looking into it now.")) == 200
    await fake.wait_for(lambda: any("Sam here" in t for t in telegram_texts(fake, chat)))
    # internal notes stay in Slack
    for note in ("note: she was charged twice", "  NOTE: check billing", "// escalate tomorrow"):
        assert await running.slack(pr.slack_thread_reply(thread, note)) == 200
    # the customer writes again: into the thread, and the bot stays quiet
    told_before = len(telegram_texts(fake, chat))
    assert await running.telegram(pr.telegram_update("thanks, my order number is 1234", chat_id=chat)) == 200
    await fake.wait_for(lambda: any("order number is 1234" in t for t in thread_posts(fake, thread)))
    await fake.settle(0.5)
    assert len(telegram_texts(fake, chat)) == told_before
    assert not any("charged twice" in t or "billing" in t or "escalate" in t for t in telegram_texts(fake, chat))


async def test_edits_deletions_broadcasts_and_bots_in_the_thread_are_not_relayed(running, fake: FakePlatforms):
    chat = 302
    thread = await open_handoff(running, fake, chat)
    told = len(telegram_texts(fake, chat))
    edit = pr.fixture("slack/event_callback_message_changed.json")
    edit["event"]["channel"] = pr.HANDOFF_CHANNEL
    edit["event"]["message"]["thread_ts"] = thread
    deleted = pr.fixture("slack/event_callback_message_deleted.json")
    deleted["event"]["channel"] = pr.HANDOFF_CHANNEL
    broadcast = pr.slack_thread_reply(thread, "broadcast to channel", subtype="thread_broadcast")
    other_bot = pr.slack_thread_reply(thread, "I am another bot", user="UOTHER", bot_id="BOTHER")
    ourselves = pr.slack_thread_reply(thread, "our own post", user=BOT_USER, bot_id=BOT_ID)
    join = pr.slack_thread_reply(thread, "<@U9> has joined the channel", user="U9", subtype="channel_join")
    for event in (edit, deleted, broadcast, other_bot, ourselves, join):
        assert await running.slack(event) == 200
    await fake.settle(0.5)
    assert len(telegram_texts(fake, chat)) == told


async def test_the_card_names_the_language_of_a_customer_who_does_not_write_english(running, fake: FakePlatforms):
    await open_handoff(running, fake, 304, "quiero hablar con una persona, llevo tres semanas esperando mi pedido")
    assert "*Writes in*\\nSpanish" in str(cards(fake)[-1].params["blocks"])


async def test_customer_text_cannot_ping_or_spoof_links(running, fake: FakePlatforms):
    chat = 303
    thread = await open_handoff(running, fake, chat, "<!channel> <!here> <@U123> I want a human <http://evil|bank>")
    card = cards(fake)[-1].params
    everything = card["text"] + str(card["blocks"])
    for raw in ("<!channel>", "<!here>", "<@U123>", "<http://evil|bank>"):
        assert raw not in everything
    assert "&lt;!channel&gt;" in str(card["blocks"])
    assert await running.telegram(pr.telegram_update("<!everyone> hello <@U999>", chat_id=chat)) == 200
    posted = await fake.wait_for(lambda: [t for t in thread_posts(fake, thread) if "hello" in t])
    assert "<!everyone>" not in posted[0] and "<@U999>" not in posted[0]
    assert fake.of("chat.postMessage", thread_ts=thread)[-1].params["unfurl_links"] is False


async def test_agent_markup_reaches_the_customer_as_plain_text(running, fake: FakePlatforms):
    chat = 304
    thread = await open_handoff(running, fake, chat)
    reply = "Thanks <@UAGENT>! See <https://shop.example/help|our help page> &amp; <#C1|billing> &lt;3"
    assert await running.slack(pr.slack_thread_reply(thread, reply)) == 200
    text = (await fake.wait_for(lambda: [t for t in telegram_texts(fake, chat) if "help page" in t]))[0]
    assert text == "Thanks @Sam! See our help page (https://shop.example/help) & #billing <3"


async def test_redelivered_slack_event_is_processed_once(running, fake: FakePlatforms):
    chat = 305
    thread = await open_handoff(running, fake, chat)
    reply = pr.slack_thread_reply(thread, "One moment please")
    assert await running.slack(reply) == 200
    raw = pr.body(reply)
    retry = pr.slack_headers(raw) | {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    assert (await running.post("/slack/events", raw, retry)).status == 200
    await fake.wait_for(lambda: any("One moment" in t for t in telegram_texts(fake, chat)))
    await fake.settle(0.4)
    assert sum("One moment" in t for t in telegram_texts(fake, chat)) == 1


async def test_blocked_customer_is_reported_in_the_thread(running, fake: FakePlatforms):
    chat = 306
    thread = await open_handoff(running, fake, chat)
    fake.fail("sendMessage", 403, {"ok": False, "error_code": 403,
                                   "description": "Forbidden: bot was blocked by the user"})
    assert await running.slack(pr.slack_thread_reply(thread, "Are you still there?")) == 200
    notice = await fake.wait_for(lambda: [t for t in thread_posts(fake, thread) if "could not be delivered" in t])
    assert "blocked" in notice[0]


async def test_storage_outage_answers_503_on_every_channel(running, fake: FakePlatforms, monkeypatch):
    async def unavailable(*args, **kwargs):
        raise OSError("disk gone")
    monkeypatch.setattr(running.service.store, "inbox_add", unavailable)
    assert await running.slack(pr.slack_dm("hello")) == 503
    assert await running.telegram(pr.telegram_update("hello", chat_id=307)) == 503
    assert await running.messenger(pr.messenger_batch([pr.messenger_item("hello", psid="307")])) == 503


async def test_opening_a_thread_is_idempotent_across_a_crash(fake: FakePlatforms):
    """A card posted just before a crash (so never recorded) is found by its metadata, not posted again."""
    desk = SlackDesk(make_client("xoxb-test", fake.slack_api), pr.HANDOFF_CHANNEL)
    card = HandoffCard("conv-1", "Ann", "telegram", ("asked_for_person",), ("asked for a person",), (-0.2,),
                       (CardLine("customer", "human please"),), (), datetime.now(UTC).isoformat())
    since = datetime.now(UTC) - timedelta(minutes=5)
    first = await desk.open_thread(card, since)
    again = await desk.open_thread(card, since)
    assert first == again
    assert len(cards(fake)) == 1
    other = HandoffCard(**{**card.__dict__, "conversation_id": "conv-2"})
    assert (await desk.open_thread(other, since))[1] != first[1]


async def test_a_slack_dm_customer_is_handed_off_and_answered_in_the_dm(running, fake: FakePlatforms):
    assert await running.slack(pr.slack_dm("I want to speak to a person", user="UCUST2", channel="DCUST2")) == 200
    card = (await fake.wait_for(lambda: [c for c in cards(fake) if " on slack" in c.params["text"]]))[0]
    thread = _ts_of(fake, card)
    told = fake.of  # the customer is told in their DM that a person is coming
    await fake.wait_for(lambda: any("person" in c.params["text"] for c in told("chat.postMessage", channel="DCUST2")))
    for _ in range(100):  # the thread is recorded right after the card is posted
        if await running.service.store.conversation_by_thread(pr.HANDOFF_CHANNEL, thread):
            break
        await fake.settle(0.02)
    assert await running.slack(pr.slack_thread_reply(thread, "Hi, Sam here <3")) == 200
    answer = await fake.wait_for(lambda: [c for c in fake.of("chat.postMessage", channel="DCUST2")
                                          if "Sam here" in c.params["text"]])
    assert answer[0].params["text"] == "Hi, Sam here &lt;3"  # escaped for Slack, shown as "<3"


async def test_a_handoff_slack_refuses_is_told_to_the_customer(running, fake: FakePlatforms):
    fake.fail("chat.postMessage", 200, {"ok": False, "error": "not_in_channel"})
    assert await running.telegram(pr.telegram_update("I want a real person", chat_id=308)) == 200
    told = await fake.wait_for(lambda: [t for t in telegram_texts(fake, 308) if "nobody from our team" in t])
    assert len(told) == 1
    assert any("bringing in a person" in t for t in telegram_texts(fake, 308))
