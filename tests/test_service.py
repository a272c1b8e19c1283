"""The assembled service: restart with a backlog, Telegram registration and polling, running without Slack."""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.sqlite_store import SQLiteStore
from bots.app import build_service
from bots.settings import load_settings
from tests import platform_requests as pr
from tests.conftest import platform_env, start_service
from tests.fake_platforms import FakePlatforms


async def test_restart_with_a_backlog_loses_nothing_and_sends_once(fake: FakePlatforms, tmp_path, content):
    env = platform_env(fake, tmp_path / "w.db")
    # Telegram is down: answers are queued, not lost.
    fake.fail("sendMessage", 502, {"ok": False, "error_code": 502, "description": "Bad Gateway"}, times=1000)
    first, runner = await start_service(env, content)
    for chat in (1, 2, 3):
        assert await first.telegram(pr.telegram_update("when are you open", chat_id=chat)) == 200
    await fake.wait_for(lambda: len(fake.of("sendMessage")) >= 3)
    await first.http.close()
    await runner.cleanup()

    # Events accepted while the process was down (stored, never processed) are processed after the restart.
    store = SQLiteStore(str(tmp_path / "w.db"))
    await store.inbox_add("telegram", "900001", pr.body(pr.telegram_update("how do i return an item", chat_id=4,
                                                                              update_id=900001)).decode(),
                          datetime.now(UTC))
    await store.close()
    fake.failures.clear()
    second, runner = await start_service(env, content)
    try:
        await fake.wait_for(lambda: all(any(c.params.get("chat_id") == chat for c in fake.of("sendMessage")[3:])
                                        for chat in (1, 2, 3, 4)), within=20)
        await fake.settle(0.5)
        delivered = [c.params["chat_id"] for c in fake.of("sendMessage")[3:]]
        assert sorted(delivered) == [1, 2, 3, 4]  # each exactly once
    finally:
        await second.http.close()
        await runner.cleanup()


async def test_public_url_registers_the_telegram_webhook_with_its_secret(fake: FakePlatforms, tmp_path, content):
    env = platform_env(fake, tmp_path / "w.db", PUBLIC_URL="https://bot.example.com/")
    app, runner = await start_service(env, content)
    try:
        (call,) = await fake.wait_for(lambda: fake.of("setWebhook"))
        assert call.params["url"] == "https://bot.example.com/telegram/webhook"
        assert call.params["secret_token"] == pr.TELEGRAM_SECRET
    finally:
        await app.http.close()
        await runner.cleanup()


async def test_telegram_polling_feeds_the_same_inbox(fake: FakePlatforms, tmp_path, content):
    env = platform_env(fake, tmp_path / "w.db", TELEGRAM_WEBHOOK_SECRET="")
    fake.telegram_updates.append(pr.telegram_update("where is my order", chat_id=77, update_id=5000))
    service = build_service(load_settings(env, telegram_polling=True), content)
    await service.start(telegram_polling=True)
    try:
        await fake.wait_for(lambda: fake.of("sendMessage", chat_id=77))
        assert fake.of("deleteWebhook")
        # Later polls ask past the stored update, and it is not answered twice.
        await fake.wait_for(lambda: len([c for c in fake.of("getUpdates") if c.params.get("offset") == 5001]) >= 3)
        assert len(fake.of("sendMessage", chat_id=77)) == 1
    finally:
        await service.stop()


async def test_without_slack_customers_are_told_honestly(fake: FakePlatforms, tmp_path, content):
    env = platform_env(fake, tmp_path / "w.db", SLACK_BOT_TOKEN="", SLACK_SIGNING_SECRET="",
                       SLACK_HANDOFF_CHANNEL="")
    app, runner = await start_service(env, content)
    try:
        assert await app.telegram(pr.telegram_update("let me talk to a real person", chat_id=88)) == 200
        (sent,) = await fake.wait_for(lambda: fake.of("sendMessage", chat_id=88))
        assert "nobody from our team can be reached" in sent.params["text"]
        async with app.http.post(app.url + "/slack/events", data=b"{}") as resp:
            assert resp.status == 404  # the route only exists when Slack is configured
    finally:
        await app.http.close()
        await runner.cleanup()


async def test_readiness_reflects_the_database(running, monkeypatch):
    async with running.http.get(running.url + "/readyz") as resp:
        assert resp.status == 200

    async def down():
        raise OSError("gone")
    monkeypatch.setattr(running.service.store, "ping", down)
    async with running.http.get(running.url + "/readyz") as resp:
        assert resp.status == 503 and "database" in (await resp.json())["problems"][0]
    async with running.http.get(running.url + "/healthz") as resp:
        assert resp.status == 200


