"""Messenger over real HTTP: signed batches in, the Send API (aiohttp) out to the fake Graph API."""

from __future__ import annotations

import copy
import time
from datetime import UTC, datetime, timedelta

import pytest

from tests import platform_requests as pr
from tests.fake_platforms import FakePlatforms


def sends_to(fake: FakePlatforms, psid: str) -> list[str]:
    return [c.params["message"]["text"] for c in fake.of("me/messages") if c.params["recipient"]["id"] == psid]


async def test_handshake(running):
    ok = f"/messenger/webhook?hub.mode=subscribe&hub.verify_token={pr.MESSENGER_VERIFY}&hub.challenge=abc123"
    async with running.http.get(running.url + ok) as resp:
        assert resp.status == 200 and await resp.text() == "abc123"
    async with running.http.get(running.url + ok.replace(pr.MESSENGER_VERIFY, "nope")) as resp:
        assert resp.status == 403
    async with running.http.get(running.url + ok.replace("subscribe", "unsubscribe")) as resp:
        assert resp.status == 403
    async with running.http.get(running.url + "/messenger/webhook?hub.mode=subscribe") as resp:
        assert resp.status == 400


async def test_every_entry_and_item_of_a_batch_is_handled(running, fake: FakePlatforms):
    batch = pr.messenger_batch([pr.messenger_item("where is my order", psid="201"),
                                pr.messenger_item("when are you open", psid="202")],
                               [pr.messenger_item("how do i return an item", psid="203")])
    assert await running.messenger(batch) == 200
    await fake.wait_for(lambda: all(sends_to(fake, p) for p in ("201", "202", "203")))
    assert "Account > Orders" in sends_to(fake, "201")[0]
    assert "Monday to Friday" in sends_to(fake, "202")[0]
    assert "30 days" in sends_to(fake, "203")[0]
    call = fake.of("me/messages")[0]
    assert call.params["messaging_type"] == "RESPONSE" and call.params["access_token"] == "page-token"


async def test_echoes_and_receipts_are_ignored(running, fake: FakePlatforms):
    echo = pr.fixture("messenger/message_echo_text.json")
    delivery = pr.fixture("messenger/delivery.json")
    read = pr.fixture("messenger/read.json")
    for payload in (echo, delivery, read):
        assert await running.messenger(payload) == 200
    await fake.settle(0.4)
    assert not fake.of("me/messages")


async def test_real_sample_payload_is_answered(running, fake: FakePlatforms):
    sample = pr.fixture("messenger/message_text.json")  # "hello world" from a real test suite
    # Its 2016 timestamp is far outside the 24-hour messaging window; make it recent.
    sample["entry"][0]["messaging"][0]["timestamp"] = int(time.time() * 1000)
    assert await running.messenger(sample) == 200
    await fake.wait_for(lambda: sends_to(fake, "1134343043305865"))


async def test_bad_signature_is_401_and_nothing_is_sent(running, fake: FakePlatforms):
    raw = pr.body(pr.messenger_batch([pr.messenger_item("hi", psid="204")]))
    bad = pr.messenger_headers(raw, secret="other")
    assert (await running.post("/messenger/webhook", raw, bad)).status == 401
    assert (await running.post("/messenger/webhook", raw, {"Content-Type": "application/json"})).status == 401
    sha1 = {"X-Hub-Signature": "sha1=" + "0" * 40, "Content-Type": "application/json"}
    assert (await running.post("/messenger/webhook", raw, sha1)).status == 401
    await fake.settle(0.3)
    assert not sends_to(fake, "204")


async def test_malformed_signed_bodies_are_400(running):
    for raw in (b"{oops", b"\xff\xfe\x00", b'{"object": "page", "entry": "x"}', b"[1, 2]"):
        assert (await running.post("/messenger/webhook", raw, pr.messenger_headers(raw))).status == 400


async def test_redelivered_mid_changes_nothing(running, fake: FakePlatforms):
    item = pr.messenger_item("when are you open", psid="205")
    assert await running.messenger(pr.messenger_batch([item])) == 200
    await fake.wait_for(lambda: sends_to(fake, "205"))
    assert await running.messenger(pr.messenger_batch([copy.deepcopy(item)])) == 200
    await fake.settle(0.4)
    assert len(sends_to(fake, "205")) == 1


async def test_server_errors_are_retried_until_delivered_once(running, fake: FakePlatforms):
    fake.fail("me/messages", 500, {"error": {"message": "oops", "code": 2}}, times=2)
    assert await running.messenger(pr.messenger_batch([pr.messenger_item("hi", psid="206")])) == 200
    await fake.wait_for(lambda: len(fake.of("me/messages")) >= 3, within=20)
    await fake.settle(0.5)
    assert len(fake.of("me/messages")) == 3  # two refused, then exactly one delivered


async def test_permanent_error_is_not_retried(running, fake: FakePlatforms):
    fake.fail("me/messages", 400, {"error": {"message": "This person isn't available right now.", "code": 551}})
    assert await running.messenger(pr.messenger_batch([pr.messenger_item("hi", psid="207")])) == 200
    await fake.wait_for(lambda: fake.of("me/messages"))
    await fake.settle(0.5)
    assert len(fake.of("me/messages")) == 1


async def test_bot_reply_outside_the_messaging_window_is_not_attempted(running, fake: FakePlatforms):
    sample = pr.fixture("messenger/message_text.json")  # timestamped 2016: the 24-hour window is long closed
    assert await running.messenger(sample) == 200
    await fake.settle(0.5)
    assert not fake.of("me/messages")


async def test_messaging_window_rules_for_bot_and_human_replies(fake: FakePlatforms):
    import aiohttp

    from adapters.messenger import MessengerChannel
    from core.delivery import PermanentSendError

    async with aiohttp.ClientSession() as http:
        channel = MessengerChannel(fake.graph_api, "page-token", http)
        now = datetime.now(UTC)
        await channel.send("p1", "within the window", from_human=False, last_customer_at=now - timedelta(hours=2))
        await channel.send("p1", "an agent, two days later", from_human=True, last_customer_at=now - timedelta(days=2))
        with pytest.raises(PermanentSendError):
            await channel.send("p1", "the bot, two days later", from_human=False,
                               last_customer_at=now - timedelta(days=2))
        with pytest.raises(PermanentSendError):
            await channel.send("p1", "an agent, ten days later", from_human=True,
                               last_customer_at=now - timedelta(days=10))
        await channel.send("p1", "x" * 4500, from_human=False, last_customer_at=now)
    calls = fake.of("me/messages")
    assert [c.params.get("messaging_type") for c in calls[:2]] == ["RESPONSE", "MESSAGE_TAG"]
    assert calls[1].params["tag"] == "HUMAN_AGENT"
    assert [len(c.params["message"]["text"]) for c in calls[2:]] == [2000, 2000, 500]  # split at 2,000 characters


def cards(fake: FakePlatforms) -> list[str]:
    return [c.params["text"] for c in fake.of("chat.postMessage", channel=pr.HANDOFF_CHANNEL)
            if "thread_ts" not in c.params]


async def test_agents_see_the_customers_name_from_their_profile(running, fake: FakePlatforms):
    """The User Profile API names the customer on the handoff card; without access the short id stands in, and
    the profile is asked once per customer, not once per message."""
    fake.messenger_profiles["301"] = {"first_name": "Ann", "last_name": "Lee"}
    for psid in ("301", "302"):
        assert await running.messenger(pr.messenger_batch([pr.messenger_item("hi", psid=psid)])) == 200
        assert await running.messenger(pr.messenger_batch([pr.messenger_item("I want a real person", psid=psid)]))\
            == 200
    await fake.wait_for(lambda: len(cards(fake)) == 2)
    assert sorted(card.split(" on ")[0] for card in cards(fake)) == ["Handoff: Ann Lee", "Handoff: Messenger user 302"]
    lookups = [c for c in fake.calls if c.platform == "graph" and c.method in ("301", "302")]
    assert sorted(c.method for c in lookups) == ["301", "302"] and lookups[0].params["fields"] == "first_name,last_name"
