"""The store contract, run against a real SQLite file and a real PostgreSQL database."""

from __future__ import annotations

import asyncio
import sqlite3
from contextlib import AsyncExitStack
from datetime import UTC, datetime, timedelta

import pytest

from adapters.postgres_store import PostgresStore
from adapters.sqlite_store import SQLiteStore, path_from_url
from core.chunks import MAX_CUSTOMER_TEXT
from core.conversation import Status, Transition
from core.messages import ConversationRef
from core.store import MessageRecord, Outgoing, Role, Target, Turn
from tests.conftest import fresh_postgres_database


@pytest.fixture(params=["sqlite", "postgres"])
async def store(request, tmp_path):
    async with AsyncExitStack() as stack:
        if request.param == "sqlite":
            s = SQLiteStore(str(tmp_path / "store.db"))
        else:
            s = PostgresStore(await stack.enter_async_context(fresh_postgres_database()))
        await s.migrate()
        await s.migrate()  # a second run changes nothing
        yield s
        await s.close()


NOW = datetime(2026, 1, 1, tzinfo=UTC)


async def conversation(store, address="1"):
    return await store.conversation_for(ConversationRef("telegram", address), "Ann", NOW)


async def test_inbox_is_deduplicated_on_the_delivery_key(store):
    assert await store.inbox_add("telegram", "42", "{}", NOW)
    assert not await store.inbox_add("telegram", "42", '{"again": 1}', NOW)
    assert await store.inbox_add("messenger", "42", "{}", NOW)  # keys are per channel
    items = await store.inbox_claim(NOW, 10, 60)
    assert [i.key for i in items] == ["42", "42"] and items[0].payload == "{}"


async def test_inbox_claims_are_leased_and_expire(store):
    await store.inbox_add("telegram", "1", "{}", NOW)
    assert len(await store.inbox_claim(NOW, 10, 60)) == 1
    assert await store.inbox_claim(NOW + timedelta(seconds=30), 10, 60) == []
    again = await store.inbox_claim(NOW + timedelta(seconds=61), 10, 60)
    assert len(again) == 1 and again[0].attempts == 2
    await store.inbox_done(again[0].id)
    assert await store.inbox_claim(NOW + timedelta(hours=1), 10, 60) == []


async def test_commit_is_atomic_and_marks_the_event_done(store):
    conv = await conversation(store)
    await store.inbox_add("telegram", "7", "{}", NOW)
    item = (await store.inbox_claim(NOW, 1, 60))[0]
    turn = Turn(conv.id, (MessageRecord(Role.CUSTOMER, "hi", NOW, sentiment=0.1, frustration=0.0),
                          MessageRecord(Role.BOT, "hello", NOW, kind="smalltalk:greeting")),
                (Transition(conv.id, Status.BOT, Status.HANDOFF, "bot", "asked_for_person", NOW),),
                (Outgoing(Target.CUSTOMER, "hello"),), handoff_reasons=("asked_for_person",))
    await store.commit(turn, item.id)
    assert [m.text for m in await store.history(conv.id, 10)] == ["hi", "hello"]
    assert (await store.conversation(conv.id)).status is Status.HANDOFF
    assert await store.inbox_claim(NOW + timedelta(hours=1), 10, 60) == []

    broken = Turn(conv.id, (MessageRecord(Role.CUSTOMER, "lost?", NOW),), outgoing=(Outgoing(Target.CUSTOMER, "x"),))
    object.__setattr__(broken, "outgoing", ("not an Outgoing",))
    with pytest.raises(AttributeError):
        await store.commit(broken, None)
    assert [m.text for m in await store.history(conv.id, 10)] == ["hi", "hello"]  # rolled back


async def test_a_broken_turn_committed_alongside_others_fails_alone(store):
    """SQLite writes concurrent turns in one transaction: a failing one must not take the others with it."""
    convs = [await conversation(store, str(n)) for n in range(5)]
    turns = [Turn(c.id, (MessageRecord(Role.CUSTOMER, f"hi {n}", NOW),), outgoing=(Outgoing(Target.CUSTOMER, "x"),))
             for n, c in enumerate(convs)]
    object.__setattr__(turns[2], "outgoing", ("not an Outgoing",))
    results = await asyncio.gather(*(store.commit(t, None) for t in turns), return_exceptions=True)
    assert [isinstance(r, AttributeError) for r in results] == [False, False, True, False, False]
    assert [len(await store.history(c.id, 10)) for c in convs] == [1, 1, 0, 1, 1]
    # and many first contacts looked up at once each get their own conversation
    found = await asyncio.gather(*(store.conversation_with_history(ConversationRef("messenger", str(n)), "Bo", NOW, 5)
                                   for n in range(20)))
    assert len({c.id for c, history in found}) == 20 and all(history == [] for _, history in found)


async def test_a_long_reply_is_queued_in_parts_and_a_retry_repeats_only_the_part_that_failed(store):
    conv = await conversation(store)
    paragraphs = [f"Paragraph {n}: " + "word " * 150 for n in range(10)]  # ~7,600 characters
    long_reply = "\n".join(paragraphs)
    await store.commit(Turn(conv.id, outgoing=(Outgoing(Target.CUSTOMER, long_reply, from_human=True),)), None)
    later = datetime.now(UTC) + timedelta(seconds=1)
    delivered: list[str] = []
    failed_once = False
    while claimed := await store.outbox_claim(later, 10, 60):
        (part,) = claimed  # one at a time: the parts keep their order
        if len(delivered) == 1 and not failed_once:  # the platform fails on the second part
            failed_once = True
            await store.outbox_retry(part.id, later, "503")
            continue
        delivered.append(part.text)
        assert len(part.text) <= MAX_CUSTOMER_TEXT and part.from_human
        await store.outbox_sent(part.id, later)
    assert failed_once and len(delivered) == 4
    assert " ".join(" ".join(delivered).split()) == " ".join(long_reply.split())  # nothing lost, nothing twice


async def test_outbox_keeps_order_per_conversation_and_lane(store):
    a, b = await conversation(store, "a"), await conversation(store, "b")
    await store.commit(Turn(a.id, outgoing=(Outgoing(Target.CUSTOMER, "a1"), Outgoing(Target.THREAD, "a-desk"),
                                            Outgoing(Target.CUSTOMER, "a2"))), None)
    await store.commit(Turn(b.id, outgoing=(Outgoing(Target.CUSTOMER, "b1"),)), None)
    later = datetime.now(UTC) + timedelta(seconds=1)
    first = await store.outbox_claim(later, 10, 60)
    assert sorted(s.text for s in first) == ["a-desk", "a1", "b1"]  # a2 waits behind a1
    a1 = next(s for s in first if s.text == "a1")
    await store.outbox_retry(a1.id, later + timedelta(seconds=30), "429")
    assert await store.outbox_claim(later + timedelta(seconds=10), 10, 60) == []  # a1 not due, others leased
    retried = await store.outbox_claim(later + timedelta(seconds=35), 10, 60)
    assert [s.text for s in retried] == ["a1"]  # a2 still waits behind it
    assert retried[0].attempts == 2 and not retried[0].reclaimed
    await store.outbox_sent(retried[0].id, later)
    assert [s.text for s in await store.outbox_claim(later + timedelta(seconds=40), 10, 60)] == ["a2"]


async def test_expired_lease_marks_a_send_as_possibly_sent(store):
    conv = await conversation(store)
    await store.commit(Turn(conv.id, outgoing=(Outgoing(Target.CUSTOMER, "x"),)), None)
    later = datetime.now(UTC) + timedelta(seconds=1)
    (first,) = await store.outbox_claim(later, 10, 60)
    assert not first.reclaimed
    (again,) = await store.outbox_claim(later + timedelta(seconds=61), 10, 60)
    assert again.id == first.id and again.reclaimed


async def test_giving_up_can_queue_a_notice_in_the_same_transaction(store):
    conv = await conversation(store)
    await store.commit(Turn(conv.id, outgoing=(Outgoing(Target.CUSTOMER, "x"),)), None)
    (send,) = await store.outbox_claim(datetime.now(UTC) + timedelta(seconds=1), 10, 60)
    await store.outbox_failed(send.id, "blocked", Outgoing(Target.THREAD, "could not deliver", author="warmline"))
    (notice,) = await store.outbox_claim(datetime.now(UTC) + timedelta(seconds=1), 10, 60)
    assert notice.target is Target.THREAD and notice.text == "could not deliver"
    assert await store.pending_sends() == 1


async def test_threads_map_back_to_their_conversation(store):
    conv = await conversation(store)
    await store.commit(Turn(conv.id, handoff_reasons=("asked_for_person",)), None)
    assert await store.open_thread(conv.id) is None
    await store.set_thread(conv.id, "CDESK", "1.2")
    assert (await store.open_thread(conv.id)).thread == "1.2"
    assert (await store.conversation_by_thread("CDESK", "1.2")).id == conv.id
    assert await store.conversation_by_thread("COTHER", "1.2") is None


async def test_an_sqlite_claim_does_not_read_the_sends_already_made(tmp_path):
    """A claim's work stays flat as the outbox's history grows: counted in SQLite virtual-machine steps, which
    do not depend on the machine's speed. (Without the pending index it read every send ever made.)"""
    store = SQLiteStore(str(tmp_path / "history.db"))
    await store.migrate()
    conv = await conversation(store)

    async def send_all(count: int) -> None:
        await store.commit(Turn(conv.id, outgoing=tuple(Outgoing(Target.CUSTOMER, f"m{n}") for n in range(count))),
                           None)
        later = datetime.now(UTC) + timedelta(seconds=1)
        for _ in range(count):
            (send,) = await store.outbox_claim(later, 10, 60)
            await store.outbox_sent(send.id, later)

    async def claim_steps() -> int:
        steps = 0

        def count() -> int:
            nonlocal steps
            steps += 1
            return 0
        await store._run(store.db.conn.set_progress_handler, count, 1)
        await store.outbox_claim(datetime.now(UTC) + timedelta(seconds=1), 32, 60)
        await store._run(store.db.conn.set_progress_handler, None, 1)
        return steps

    await send_all(10)
    few = await claim_steps()
    await send_all(2_000)
    assert await claim_steps() < 2 * few
    await store.close()


async def test_sqlite_checkpoints_run_beside_the_writes_not_inside_them(tmp_path):
    """Committed pages reach the database file itself (not only the WAL) without a commit doing it: the writer's
    own threshold is far above what these writes produce, so only the checkpoint thread can have moved them."""
    path = tmp_path / "wal.db"
    store = SQLiteStore(str(path), checkpoint_seconds=0.05)
    await store.migrate()
    assert await store._run(lambda: store.db.execute("PRAGMA wal_autocheckpoint").fetchone()[0]) == 10_000
    for n in range(50):
        assert await store.inbox_add("telegram", str(n), "{}", NOW)

    def in_the_file_alone() -> int:
        copy = tmp_path / "copy.db"
        copy.write_bytes(path.read_bytes())  # the database file without its -wal
        with sqlite3.connect(copy) as db:
            try:
                return db.execute("SELECT count(*) FROM inbox").fetchone()[0]
            except sqlite3.DatabaseError:  # not even the schema yet, or copied mid-checkpoint
                return 0
    for _ in range(100):
        if in_the_file_alone() == 50:
            break
        await asyncio.sleep(0.05)
    assert in_the_file_alone() == 50
    await store.close()


async def test_data_survives_reopening_the_file(tmp_path):
    path = str(tmp_path / "persist.db")
    first = SQLiteStore(path)
    await first.migrate()
    await first.inbox_add("telegram", "1", "{}", NOW)
    await first.close()
    second = SQLiteStore(path)
    await second.migrate()  # idempotent
    assert not await second.inbox_add("telegram", "1", "{}", NOW)
    await second.close()
    mode = sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_database_urls():
    assert path_from_url("sqlite:///warmline.db") == "warmline.db"
    assert path_from_url("sqlite:////var/data/w.db") == "/var/data/w.db"
    assert path_from_url("sqlite:///:memory:") == ":memory:"
    with pytest.raises(ValueError):
        path_from_url("mysql://x")


async def test_concurrent_adds_are_grouped_and_still_deduplicated(store):
    keys = [str(n) for n in range(40)] + [str(n) for n in range(10)]  # ten redelivered at the same moment
    results = await asyncio.gather(*(store.inbox_add("telegram", k, "{}", NOW, f"telegram:{k}") for k in keys))
    assert sum(results) == 40
    assert len(await store.inbox_claim(NOW, 100, 60)) == 40


async def test_workers_in_other_processes_hear_of_new_events(postgres_url):
    """PostgreSQL notifies listeners of stored events (a `warmline work` process wakes at once, not at its poll);
    a redelivery, which stores nothing, notifies nobody."""
    web, worker = PostgresStore(postgres_url), PostgresStore(postgres_url)
    await web.migrate()
    heard = asyncio.Event()
    try:
        await worker.on_new_events(heard.set)
        assert await web.inbox_add("telegram", "n1", "{}", NOW)
        async with asyncio.timeout(10):
            await heard.wait()
        heard.clear()
        assert not await web.inbox_add("telegram", "n1", "{}", NOW)
        await asyncio.sleep(0.5)  # a notification would have arrived by now; there is none to wait for
        assert not heard.is_set()
    finally:
        await web.close()
        await worker.close()


async def test_a_conversation_lock_serialises_processes_and_its_turn_commits_or_rolls_back_whole(postgres_url):
    """Two stores stand for two processes. The key holds a quote (it is sent as a SQL literal with BEGIN)."""
    first, second = PostgresStore(postgres_url), PostgresStore(postgres_url)
    await first.migrate()
    key = "telegram:o'brien"
    try:
        conv = await conversation(first, "o'brien")
        order: list[str] = []
        inside = asyncio.Event()

        async def hold() -> None:
            async with first.conversation_lock(key):
                inside.set()
                await asyncio.sleep(0.3)
                order.append("first done")

        async def wait_then_enter() -> None:
            await inside.wait()
            async with second.conversation_lock(key):
                order.append("second in")

        await asyncio.gather(hold(), wait_then_enter())
        assert order == ["first done", "second in"]

        with pytest.raises(RuntimeError):
            async with first.conversation_lock(key):
                await first.commit(Turn(conv.id, (MessageRecord(Role.CUSTOMER, "lost", NOW),)), None)
                raise RuntimeError("the turn fails after writing")
        async with first.conversation_lock(key):  # the connection went back clean, the lock was released
            await first.commit(Turn(conv.id, (MessageRecord(Role.CUSTOMER, "kept", NOW),)), None)
        assert [m.text for m in await second.history(conv.id, 10)] == ["kept"]
    finally:
        await first.close()
        await second.close()


@pytest.mark.parametrize(("url", "shown"), [
    ("postgresql://shop:hunter2@db.example.com:5432/warmline", "postgresql://shop:***@db.example.com:5432/warmline"),
    ("postgresql://shop:p%40ss:w@db/w?sslmode=require", "postgresql://shop:***@db/w?sslmode=require"),
    ("postgresql://shop@db/w?password=hunter2&sslmode=require", "postgresql://shop@db/w?…"),
    ("postgresql://db/w", "postgresql://db/w"),
    ("sqlite:///warmline.db", "sqlite:///warmline.db"),
])
def test_database_urls_are_shown_without_their_password(url, shown):
    from adapters.database_url import without_password

    assert without_password(url) == shown
