"""The real `warmline serve` process over real HTTP, with every platform API faked on loopback."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import aiohttp
import pytest

from tests import platform_requests as pr
from tests.conftest import platform_env
from tests.fake_platforms import FakePlatforms
from tests.server_process import Server, warmline_command


def cards(fake: FakePlatforms) -> list[dict]:
    return [m for m in fake.slack_messages.get(pr.HANDOFF_CHANNEL, []) if "thread_ts" not in m]


def card_for(fake: FakePlatforms, words: str) -> dict | None:
    return next((m for m in cards(fake) if words in str(m.get("blocks"))), None)


def telegram_texts(fake: FakePlatforms, chat: int) -> list[str]:
    return [c.params["text"] for c in fake.of("sendMessage", chat_id=chat)]


def messenger_texts(fake: FakePlatforms, psid: str) -> list[str]:
    return [c.params["message"]["text"] for c in fake.of("me/messages") if c.params["recipient"]["id"] == psid]


def thread_texts(fake: FakePlatforms, thread: str) -> list[str]:
    return [m["text"] for m in fake.slack_messages.get(pr.HANDOFF_CHANNEL, []) if m.get("thread_ts") == thread]


@pytest.fixture
async def server_env(fake: FakePlatforms, tmp_path: Path) -> dict[str, str]:
    return platform_env(fake, tmp_path / "warmline.db", LOG_LEVEL="INFO")


async def test_full_flow_on_telegram_and_messenger_survives_a_restart(fake, server_env, tmp_path):
    server = await Server(server_env, tmp_path).start()
    try:
        # Routine questions: answered in the same chat, nobody paged.
        assert await server.telegram(pr.telegram_update("where is my order?", chat_id=1)) == 200
        assert await server.messenger(pr.messenger_batch([pr.messenger_item("when are you open", psid="m1")])) == 200
        await fake.wait_for(lambda: telegram_texts(fake, 1) and messenger_texts(fake, "m1"))
        assert "Account > Orders" in telegram_texts(fake, 1)[0]
        assert "Monday to Friday" in messenger_texts(fake, "m1")[0]

        # A frustrated Telegram customer, two angry messages at the same moment, each enough to hand off on its
        # own: exactly one thread. The first to be handled opens it (on the card), the other follows into it.
        angry = [pr.telegram_update("This is ridiculous, my order is late AGAIN and nobody answers", chat_id=2),
                 pr.telegram_update("Worst service ever. I hate this. <!channel>", chat_id=2)]
        assert await asyncio.gather(*(server.telegram(u) for u in angry)) == [200, 200]
        await fake.wait_for(lambda: card_for(fake, "Ann Lee"))
        await fake.wait_for(lambda: any("person" in t for t in telegram_texts(fake, 2)))
        tg_card = card_for(fake, "Ann Lee")
        posts = await fake.wait_for(lambda: [p for p in [str(tg_card["blocks"]), *thread_texts(fake, tg_card["ts"])]
                                             if "Worst service ever" in p])
        assert "<!channel>" not in posts[0] and "&lt;!channel&gt;" in posts[0]  # escaped: it pings nobody
        assert "<!channel>" not in str(tg_card["blocks"])

        # The agent answers in the thread; a note stays internal.
        thread = tg_card["ts"]
        assert await server.slack(pr.slack_thread_reply(thread, "Hi Ann, I'm Sam. I'll sort this out.")) == 200
        assert await server.slack(pr.slack_thread_reply(thread, "note: refund pending in billing")) == 200
        await fake.wait_for(lambda: any("I'm Sam" in t for t in telegram_texts(fake, 2)))

        # The customer's next message lands in the thread; the bot stays quiet.
        told = len(telegram_texts(fake, 2))
        follow_up = pr.telegram_update("ok, order 5521", chat_id=2)
        assert await server.telegram(follow_up) == 200
        await fake.wait_for(lambda: any("order 5521" in t for t in thread_texts(fake, thread)))
        assert await server.telegram(follow_up) == 200  # redelivered: changes nothing

        # A Messenger customer asks for a person.
        assert await server.messenger(pr.messenger_batch([pr.messenger_item("can I speak to someone please",
                                                                            psid="m2")])) == 200
        await fake.wait_for(lambda: card_for(fake, "can I speak to someone"))
        m_thread = card_for(fake, "can I speak to someone")["ts"]
        assert await server.slack(pr.slack_thread_reply(m_thread, "Hello from Sam on Messenger")) == 200
        await fake.wait_for(lambda: any("Hello from Sam" in t for t in messenger_texts(fake, "m2")))
        await fake.settle(0.5)
        assert len(telegram_texts(fake, 2)) == told
        assert not any("refund pending" in t for t in telegram_texts(fake, 2))
        assert len(cards(fake)) == 2
    finally:
        await server.stop()

    # Stopped and started again: open handoffs keep relaying both ways.
    server = await Server(server_env, tmp_path).start()
    try:
        assert await server.slack(pr.slack_thread_reply(thread, "Back after the deploy: refund issued.")) == 200
        assert await server.slack(pr.slack_thread_reply(m_thread, "Still here after the restart")) == 200
        await fake.wait_for(lambda: any("refund issued" in t for t in telegram_texts(fake, 2)))
        await fake.wait_for(lambda: any("after the restart" in t for t in messenger_texts(fake, "m2")))
        assert await server.telegram(pr.telegram_update("thank you!", chat_id=2)) == 200
        await fake.wait_for(lambda: any("thank you!" in t for t in thread_texts(fake, thread)))
        await fake.settle(0.5)
        assert len(cards(fake)) == 2
        assert sum("refund issued" in t for t in telegram_texts(fake, 2)) == 1
    finally:
        output = await server.stop()
    assert "Worst service ever" not in output  # customer text is not logged at the default level
    assert pr.TELEGRAM_SECRET not in output and "xoxb-test" not in output


async def test_bad_requests_get_their_status_and_cause_no_message(fake, server_env, tmp_path):
    server = await Server(server_env, tmp_path).start()
    try:
        raw = pr.body(pr.telegram_update("hello", chat_id=9))
        assert await server.post("/telegram/webhook", raw, pr.telegram_headers("wrong")) == 401
        assert await server.post("/telegram/webhook", b"{", pr.telegram_headers()) == 400
        slack_raw = pr.body(pr.slack_dm("hello"))
        assert await server.post("/slack/events", slack_raw, pr.slack_headers(slack_raw, secret="x")) == 401
        m_raw = pr.body(pr.messenger_batch([pr.messenger_item("hello", psid="m9")]))
        assert await server.post("/messenger/webhook", m_raw, pr.messenger_headers(m_raw, "x")) == 401
        assert await server.post("/messenger/webhook", b"x" * (1024 * 1024 + 1),
                                 pr.messenger_headers(b"x" * (1024 * 1024 + 1))) == 413
        async with aiohttp.ClientSession() as http, http.get(server.url + "/healthz") as resp:
            assert resp.status == 200
        await fake.settle(0.5)
        assert not fake.of("sendMessage") and not fake.of("me/messages") and not fake.of("chat.postMessage")
    finally:
        await server.stop()


async def test_half_configured_channel_stops_start_up_with_one_line(tmp_path):
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": "123:abc", "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}
    env.pop("TELEGRAM_WEBHOOK_SECRET", None)
    proc = await asyncio.create_subprocess_exec(*warmline_command(), "serve", env=env, cwd=tmp_path,
                                                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 2
    lines = err.decode().strip().splitlines()
    assert len(lines) == 1 and "TELEGRAM_WEBHOOK_SECRET" in lines[0] and "Traceback" not in err.decode()
