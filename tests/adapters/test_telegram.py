"""Telegram over real HTTP: python-telegram-bot's Bot talks to the fake Bot API on loopback."""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from telegram import Chat, Message, PhotoSize, Sticker, Update, User

from adapters import telegram
from core.messages import ConversationRef, InboundMessage
from tests import platform_requests as pr
from tests.fake_platforms import TELEGRAM_TOKEN, FakePlatforms

# Telegram's own webhook-guide samples (see its SOURCE.txt); the test runs on the built updates without them.
ROOT = Path(__file__).resolve().parents[2]
TELEGRAM_SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "data" / "webhooks" / "telegram" / \
    "official_webhooks_guide"


async def test_routine_question_is_answered_in_the_same_chat_without_paging(running, fake: FakePlatforms):
    assert await running.telegram(pr.telegram_update("where is my order", chat_id=101)) == 200
    sent = await fake.wait_for(lambda: fake.of("sendMessage", chat_id=101))
    assert "automated assistant" in sent[0].params["text"]
    assert "Account > Orders" in sent[0].params["text"]
    await fake.settle(0.3)
    assert not fake.of("chat.postMessage")


async def test_wrong_or_missing_secret_is_401_and_sends_nothing(running, fake: FakePlatforms):
    update = pr.telegram_update("hello", chat_id=102)
    assert await running.telegram(update, secret="wrong") == 401
    resp = await running.post("/telegram/webhook", pr.body(update), {"Content-Type": "application/json"})
    assert resp.status == 401
    await fake.settle(0.3)
    assert not fake.of("sendMessage")


async def test_malformed_bodies_are_400_and_oversized_413(running):
    headers = pr.telegram_headers()
    assert (await running.post("/telegram/webhook", b"{not json", headers)).status == 400
    assert (await running.post("/telegram/webhook", b"\xff\xfe{}", headers)).status == 400
    assert (await running.post("/telegram/webhook", b"[" * 5000 + b"]" * 5000, headers)).status == 400
    assert (await running.post("/telegram/webhook", b'{"a":' * 100 + b"1" + b"}" * 100, headers)).status == 400
    assert (await running.post("/telegram/webhook", b'{"no_update_id": 1}', headers)).status == 400
    big = pr.body({"update_id": 1, "pad": "x" * (1024 * 1024)})
    assert (await running.post("/telegram/webhook", big, headers)).status == 413


async def test_redelivered_update_changes_nothing(running, fake: FakePlatforms):
    update = pr.telegram_update("when are you open", chat_id=103)
    assert await running.telegram(update) == 200
    await fake.wait_for(lambda: fake.of("sendMessage", chat_id=103))
    assert await running.telegram(update) == 200
    await fake.settle(0.5)
    assert len(fake.of("sendMessage", chat_id=103)) == 1


async def test_unhandled_update_types_are_acknowledged(running, fake: FakePlatforms):
    edited = pr.telegram_update("edited text", chat_id=104)
    edited["edited_message"] = edited.pop("message")
    assert await running.telegram(edited) == 200
    await fake.settle(0.3)
    assert not fake.of("sendMessage", chat_id=104)


async def test_sticker_only_message_gets_a_gentle_text_request(running, fake: FakePlatforms):
    from telegram import Sticker
    sticker = Sticker("file-id", "unique", 512, 512, False, False, Sticker.REGULAR)
    assert await running.telegram(pr.telegram_update(None, chat_id=105, sticker=sticker)) == 200
    sent = await fake.wait_for(lambda: fake.of("sendMessage", chat_id=105))
    assert "only read text" in sent[0].params["text"]


async def test_rate_limit_is_honoured_and_message_sent_once(running, fake: FakePlatforms):
    fake.fail("sendMessage", 429, {"ok": False, "error_code": 429, "description": "Too Many Requests",
                                   "parameters": {"retry_after": 1}})
    assert await running.telegram(pr.telegram_update("hi", chat_id=106)) == 200
    await fake.wait_for(lambda: len(fake.of("sendMessage", chat_id=106)) == 2)
    calls = fake.of("sendMessage", chat_id=106)
    assert calls[1].at - calls[0].at >= 0.9  # waited for retry_after
    await fake.settle(0.3)
    assert len(fake.of("sendMessage", chat_id=106)) == 2  # one refused, one delivered


async def test_two_angry_messages_at_once_open_exactly_one_thread(running, fake: FakePlatforms):
    first = pr.telegram_update("This is ridiculous, my order is late again and nobody helps", chat_id=107)
    second = pr.telegram_update("I hate this, worst service ever", chat_id=107)
    statuses = await asyncio.gather(running.telegram(first), running.telegram(second))
    assert statuses == [200, 200]
    cards = await fake.wait_for(lambda: [c for c in fake.of("chat.postMessage") if "thread_ts" not in c.params])
    await fake.settle(0.5)
    cards = [c for c in fake.of("chat.postMessage") if "thread_ts" not in c.params]
    assert len(cards) == 1
    await fake.wait_for(lambda: any("bringing in a person" in c.params["text"]
                                    for c in fake.of("sendMessage", chat_id=107)))
    await fake.settle(1.2)  # replies to one chat are paced at about one per second
    told = [c.params["text"] for c in fake.of("sendMessage", chat_id=107)]
    assert sum("bringing in a person" in t for t in told) == 1


async def test_sending_prints_no_warning_in_production(fake: FakePlatforms):
    """Sends go through `Bot.do_api_request`, which PTB warns about for the methods it knows; the adapter
    silences exactly that warning. A child process shows what an operator's log would (pytest collects and
    resets warning filters itself), with user warnings turned into errors."""
    send = (f"TelegramChannel(make_bot({TELEGRAM_TOKEN!r}, {fake.telegram_api!r}))"
            ".send('201', 'hello', from_human=False, last_customer_at=None)")
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-W", "error::UserWarning", "-c",
        f"import asyncio; from adapters.telegram import TelegramChannel, make_bot; asyncio.run({send})",
        cwd=ROOT, stderr=asyncio.subprocess.PIPE)
    _, errors = await child.communicate()
    assert child.returncode == 0, errors.decode()
    assert [c.params["text"] for c in fake.of("sendMessage", chat_id=201)] == ["hello"]


async def test_a_revoked_token_is_a_permanent_failure_that_never_quotes_it(fake: FakePlatforms):
    from core.delivery import PermanentSendError

    channel = telegram.TelegramChannel(telegram.make_bot(TELEGRAM_TOKEN, fake.telegram_api))
    await channel.ensure_initialized()
    fake.fail("sendMessage", 401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
    with pytest.raises(PermanentSendError, match="TELEGRAM_BOT_TOKEN") as refused:
        await channel.send("202", "hello", from_human=False, last_customer_at=None)
    assert TELEGRAM_TOKEN not in str(refused.value)
    await channel.bot.shutdown()


def test_errors_never_carry_the_bot_token():
    from telegram.error import InvalidToken, NetworkError

    from adapters.telegram import make_bot, safe_error

    bot = make_bot("123456:SECRET-token", "http://127.0.0.1:9/bot")
    assert "SECRET" not in safe_error(InvalidToken("The token `123456:SECRET-token` was rejected"), bot)
    assert "SECRET" not in safe_error(NetworkError("http://127.0.0.1:9/bot123456:SECRET-token/getMe failed"), bot)


def ptb_reading(payload: str) -> InboundMessage | None:
    """What python-telegram-bot's own parsing makes of an update (the reference for our direct reading)."""
    message = Update.de_json(json.loads(payload), None).message
    if message is None or message.chat.type != "private" or message.from_user is None or message.from_user.is_bot:
        return None
    return InboundMessage(ConversationRef("telegram", str(message.chat.id)),
                          message.from_user.full_name or str(message.from_user.id),
                          message.text or message.caption or "", str(json.loads(payload)["update_id"]),
                          message.date.astimezone(UTC),
                          tuple(kind for kind in telegram.ATTACHMENT_KINDS if getattr(message, kind, None)))


def modern_updates() -> list[dict]:
    """Updates built with python-telegram-bot's classes: the shapes Telegram sends today."""
    when = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    ann = User(7, "Ann", False, last_name="Lee")
    private = Chat(7, Chat.PRIVATE)
    updates = [
        Update(1, message=Message(1, when, private, from_user=ann, text="where is my order?")),
        Update(2, message=Message(2, when, private, from_user=ann, caption="this arrived broken",
                                  photo=(PhotoSize("f", "u", 10, 10),))),
        Update(3, message=Message(3, when, private, from_user=ann,
                                  sticker=Sticker("s", "u", 512, 512, False, False, Sticker.REGULAR))),
        Update(4, message=Message(4, when, Chat(-5, Chat.GROUP), from_user=ann, text="hi group")),
        Update(5, message=Message(5, when, private, from_user=User(8, "Helper", True), text="a bot")),
        Update(6, edited_message=Message(6, when, private, from_user=ann, text="edited")),
        Update(7, message=Message(7, when, private, from_user=User(9, "Bo", False), text="no last name")),
    ]
    return [u.to_dict() for u in updates]


def test_direct_reading_agrees_with_python_telegram_bot():
    payloads = [json.dumps(u) for u in modern_updates()]
    readings = [telegram.parse_update(p) for p in payloads]
    assert readings == [ptb_reading(p) for p in payloads]
    assert [r is not None for r in readings] == [True, True, True, False, False, False, True]
    assert readings[1].attachments == ("photo",) and readings[1].text == "this arrived broken"
    assert readings[0].sender_name == "Ann Lee" and readings[6].sender_name == "Bo"


@pytest.mark.skipif(not TELEGRAM_SAMPLES.is_dir(), reason="Telegram's samples are in ../shared/data (absent)")
def test_telegrams_own_older_samples_are_read_tolerantly():
    """2015-era shapes (no is_bot, which python-telegram-bot itself refuses): messages read, the rest ignored."""
    readings = {p.stem: telegram.parse_update(p.read_text()) for p in TELEGRAM_SAMPLES.glob("*.json")}
    assert readings["message_text"].text == "/start"
    assert readings["message_text"].sender_name == "Test Firstname Test Lastname"
    assert readings["message_audio"].attachments == ("audio",)
    for ignored in ("edited_message", "inline_query", "chosen_inline_result", "callback_query_inline"):
        assert readings[ignored] is None
