"""Two real `warmline serve` processes on one PostgreSQL database share all state: one thread per handoff,
every agent reply delivered once, nothing lost when one of them is stopped mid-burst. And the split roles: a web
process that only stores events, a `warmline work` process that answers them."""

from __future__ import annotations

import asyncio
import itertools
import signal

from tests import platform_requests as pr
from tests.conftest import platform_env
from tests.fake_platforms import FakePlatforms
from tests.server_process import Server, warmline_command


def cards(fake: FakePlatforms) -> list[dict]:
    return [m for m in fake.slack_messages.get(pr.HANDOFF_CHANNEL, []) if "thread_ts" not in m]


def texts_to(fake: FakePlatforms, chat: int) -> list[str]:
    return [c.params["text"] for c in fake.of("sendMessage", chat_id=chat)]


async def test_two_processes_share_one_truth(fake: FakePlatforms, postgres_url, tmp_path):
    env = platform_env(fake, tmp_path / "unused.db", DATABASE_URL=postgres_url, LOG_LEVEL="WARNING")
    a, b = await asyncio.gather(Server(env, tmp_path).start(), Server(env, tmp_path).start())  # migrate at once
    servers = itertools.cycle([a, b])
    try:
        # Ten frustrated customers; each one's two messages reach the two processes at the same moment.
        chats = range(1, 11)
        deliveries = []
        for chat in chats:
            deliveries.append(a.telegram(pr.telegram_update("This is ridiculous, nobody answers. Worst service "
                                                            "ever.", chat_id=chat, first_name=f"C{chat}")))
            deliveries.append(b.telegram(pr.telegram_update("I hate this, get me a human", chat_id=chat,
                                                            first_name=f"C{chat}")))
        assert set(await asyncio.gather(*deliveries)) == {200}
        await fake.wait_for(lambda: len(cards(fake)) >= 10, within=30)
        await fake.settle(1.5)
        names = sorted(m["text"].split(" on ")[0] for m in cards(fake))
        assert names == sorted(f"Handoff: C{chat} Lee" for chat in chats)  # exactly one thread each

        # Agents answer in every thread, spread over both processes: each reply reaches its customer once.
        threads = {m["text"].split(" on ")[0].split("C")[-1].split()[0]: m["ts"] for m in cards(fake)}
        replies = [next(servers).slack(pr.slack_thread_reply(threads[str(chat)], f"Agent reply for {chat}"))
                   for chat in chats]
        assert set(await asyncio.gather(*replies)) == {200}
        await fake.wait_for(lambda: all(any("Agent reply" in t for t in texts_to(fake, chat)) for chat in chats),
                            within=30)

        # A burst of routine questions over both processes; one process is stopped in the middle of it.
        burst = range(100, 140)
        first_half = [next(servers).telegram(pr.telegram_update("when are you open", chat_id=c)) for c in burst[:20]]
        assert set(await asyncio.gather(*first_half)) == {200}
        stopping = asyncio.create_task(a.stop())
        second_half = [b.telegram(pr.telegram_update("when are you open", chat_id=c)) for c in burst[20:]]
        assert set(await asyncio.gather(*second_half)) == {200}
        await stopping
        await fake.wait_for(lambda: all(texts_to(fake, c) for c in burst), within=60)
        await fake.settle(1.5)
        for chat in chats:
            assert sum("Agent reply" in t for t in texts_to(fake, chat)) == 1
        for chat in burst:
            assert len(texts_to(fake, chat)) == 1, chat
    finally:
        for server in (a, b):
            if server.process and server.process.returncode is None:
                await server.stop()


async def test_a_web_process_stores_and_a_work_process_answers(fake: FakePlatforms, postgres_url, tmp_path):
    env = platform_env(fake, tmp_path / "unused.db", DATABASE_URL=postgres_url, LOG_LEVEL="WARNING")
    web = await Server(env, tmp_path, "--no-workers").start()
    worker = None
    try:
        # Nobody processes yet: the web process only acknowledges and stores.
        assert await web.telegram(pr.telegram_update("when are you open", chat_id=1)) == 200
        await fake.settle(0.5)
        assert not texts_to(fake, 1)

        worker = await asyncio.create_subprocess_exec(*warmline_command(), "work", env=web.env, cwd=tmp_path,
                                                      stdout=asyncio.subprocess.PIPE,
                                                      stderr=asyncio.subprocess.STDOUT)
        await fake.wait_for(lambda: texts_to(fake, 1), within=30)  # the backlog is answered
        # New events reach the worker (notifications or its poll; test_store checks the notifications), and a
        # handoff works end to end.
        assert await web.telegram(pr.telegram_update("I hate this, get me a human", chat_id=2)) == 200
        await fake.wait_for(lambda: cards(fake), within=30)
        thread = cards(fake)[0]["ts"]
        assert await web.slack(pr.slack_thread_reply(thread, "Hi, Sam here")) == 200
        await fake.wait_for(lambda: any("Sam here" in t for t in texts_to(fake, 2)), within=30)
        assert "Monday to Friday" in texts_to(fake, 1)[0] and len(texts_to(fake, 1)) == 1
    finally:
        await web.stop()
        if worker is not None:
            worker.send_signal(signal.SIGTERM)
            output, _ = await asyncio.wait_for(worker.communicate(), 30)
            assert worker.returncode == 0, output.decode()
