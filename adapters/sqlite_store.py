"""The SQLite store (the embedded default), built on sqlite-utils.

sqlite3 connections are bound to the thread that made them and every call blocks, so all database work runs
on one dedicated thread; the event loop only awaits it. Writes that read first use BEGIN IMMEDIATE (a plain
BEGIN fails at once with "database is locked" when another process writes). Durability: WAL with
synchronous=NORMAL -- a process crash loses nothing; a power cut may lose the last transactions. WAL
checkpoints (the only fsyncs) run on a thread of their own, off the write path.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
import threading
import uuid
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime
from typing import Any, TypeVar

import sqlite_utils

from adapters.database_thread import DatabaseThread
from core.batching import Batcher
from core.chunks import in_parts
from core.conversation import Conversation, Status, Transition
from core.locks import KeyedLocks
from core.messages import ConversationRef
from core.store import (
    LANES,
    InboxItem,
    MessageRecord,
    Outgoing,
    QueuedSend,
    Role,
    StoreUnavailable,
    Target,
    Thread,
    Turn,
)

T = TypeVar("T")
log = logging.getLogger("warmline.sqlite")

MIGRATIONS: dict[int, str] = {
    1: """
    CREATE TABLE inbox (
        id INTEGER PRIMARY KEY, channel TEXT NOT NULL, key TEXT NOT NULL, payload TEXT NOT NULL,
        received_at REAL NOT NULL, status TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0,
        claimed_until REAL, error TEXT, UNIQUE (channel, key));
    CREATE INDEX inbox_pending ON inbox (id) WHERE status = 'pending';
    CREATE TABLE conversations (
        id TEXT PRIMARY KEY, channel TEXT NOT NULL, address TEXT NOT NULL, customer_name TEXT NOT NULL,
        status TEXT NOT NULL, created_at REAL NOT NULL, updated_at REAL NOT NULL, last_customer_at REAL,
        UNIQUE (channel, address));
    CREATE TABLE messages (
        id INTEGER PRIMARY KEY, conversation_id TEXT NOT NULL, role TEXT NOT NULL, kind TEXT NOT NULL,
        author TEXT NOT NULL, text TEXT NOT NULL, sentiment REAL, frustration REAL, reasons TEXT NOT NULL,
        at REAL NOT NULL);
    CREATE INDEX messages_by_conversation ON messages (conversation_id, id);
    CREATE TABLE transitions (
        id INTEGER PRIMARY KEY, conversation_id TEXT NOT NULL, from_status TEXT NOT NULL,
        to_status TEXT NOT NULL, actor TEXT NOT NULL, reason TEXT NOT NULL, at REAL NOT NULL);
    CREATE INDEX transitions_by_conversation ON transitions (conversation_id, id);
    CREATE TABLE handoffs (
        id INTEGER PRIMARY KEY, conversation_id TEXT NOT NULL, reasons TEXT NOT NULL, opened_at REAL NOT NULL,
        desk_channel TEXT, thread TEXT);
    CREATE INDEX handoffs_by_conversation ON handoffs (conversation_id, id);
    CREATE INDEX handoffs_by_thread ON handoffs (thread, desk_channel);
    CREATE TABLE outbox (
        id INTEGER PRIMARY KEY, conversation_id TEXT NOT NULL, lane TEXT NOT NULL, target TEXT NOT NULL,
        text TEXT NOT NULL, author TEXT NOT NULL, from_human INTEGER NOT NULL, card TEXT,
        status TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0,
        in_flight INTEGER NOT NULL DEFAULT 0, not_before REAL NOT NULL, claimed_until REAL, last_error TEXT,
        created_at REAL NOT NULL, sent_at REAL);
    CREATE INDEX outbox_pending ON outbox (conversation_id, lane, id) WHERE status = 'pending';
    """,
    2: """
    ALTER TABLE inbox ADD COLUMN order_key TEXT;
    CREATE INDEX inbox_pending_by_order ON inbox (order_key, id) WHERE status = 'pending';
    """,
    # A conversation's messages are scattered through the table (many conversations at once): a covering index
    # keeps reading the recent history a few contiguous pages however large the table grows.
    3: """
    CREATE INDEX messages_history ON messages (conversation_id, id, role, kind, author, text, sentiment,
                                               frustration, reasons, at);
    DROP INDEX messages_by_conversation;
    """,
    # The outbox claim walks pending sends in id order. Without this index SQLite walked the whole table, every
    # send ever made, on each claim: a claim cost grew with the history (3 ms at 60,000 sent messages).
    4: "CREATE INDEX outbox_pending_by_id ON outbox (id) WHERE status = 'pending';",
}
SCHEMA_VERSION = max(MIGRATIONS)


def ts(moment: datetime) -> float:
    return moment.timestamp()


def dt(seconds: float | None) -> datetime | None:
    return None if seconds is None else datetime.fromtimestamp(seconds, UTC)


def path_from_url(url: str) -> str:
    """`sqlite:///relative.db`, `sqlite:////absolute.db` or `sqlite:///:memory:` -> a sqlite3 path."""
    if not url.startswith("sqlite:///"):
        raise ValueError("a SQLite URL starts with sqlite:/// (e.g. sqlite:///warmline.db)")
    path = url[len("sqlite:///"):]
    if not path:
        raise ValueError("the SQLite URL names no file (e.g. sqlite:///warmline.db)")
    return path


Lookup = tuple[Conversation, list[MessageRecord]] | Exception


class Checkpointer:
    """Copies committed pages from the WAL into the database file every `interval` seconds, on a thread and a
    connection of its own. Left to itself SQLite checkpoints inside whichever commit grows the WAL past 1,000
    pages, fsync included, and every webhook in that group commit waits for the disk. On this project's test
    machine (a fast disk) the acknowledgement p99 moved within noise (12.1 -> 11.6 ms); on a slow volume the
    fsync, and so the stall, is longer. The writer keeps a ten times larger automatic threshold as a safety net."""

    WRITER_THRESHOLD = 10_000  # WAL pages (about 40 MB)

    def __init__(self, path: str, interval: float = 1.0) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(path, interval), daemon=True,
                                        name="warmline-sqlite-checkpoint")
        self._thread.start()

    def _run(self, path: str, interval: float) -> None:
        conn = sqlite3.connect(path, isolation_level=None, timeout=10)
        try:
            while not self._stop.wait(interval):
                try:
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
                except sqlite3.Error as exc:  # busy or gone: the next round, or the writer's threshold, catches up
                    log.warning("WAL checkpoint failed: %s", exc)
        finally:
            conn.close()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)


class SQLiteStore:
    def __init__(self, path: str, *, checkpoint_seconds: float = 1.0) -> None:
        self.path = path
        self.checkpoint_seconds = checkpoint_seconds
        self._thread = DatabaseThread("warmline-sqlite")
        self._db: sqlite_utils.Database | None = None
        self._checkpointer: Checkpointer | None = None
        self._locks = KeyedLocks()
        self._inbox_writes: Batcher[tuple, bool] = Batcher(self._insert_inbox)
        self._sent_marks: Batcher[tuple[float, int], None] = Batcher(self._mark_sent)
        self._lookups: Batcher[tuple[ConversationRef, str, datetime, int], Lookup] = Batcher(self._look_up)
        self._turn_writes: Batcher[tuple[Turn, int | None], Exception | None] = Batcher(self._write_turns)

    @classmethod
    def from_url(cls, url: str) -> SQLiteStore:
        return cls(path_from_url(url))

    # -- plumbing ---------------------------------------------------------------------------------------
    async def _run(self, fn: Callable[..., T], *args: Any, urgent: bool = False) -> T:
        """On the database thread; `urgent` work (a webhook's insert) goes ahead of what is queued."""
        return await asyncio.wrap_future(self._thread.submit(fn, *args, urgent=urgent))

    @property
    def db(self) -> sqlite_utils.Database:
        if self._db is None:  # first use, on the database thread
            conn = sqlite3.connect(self.path, isolation_level=None, timeout=10)
            self._db = sqlite_utils.Database(conn)
            if self.path != ":memory:":
                self._db.enable_wal()
                conn.execute(f"PRAGMA wal_autocheckpoint={Checkpointer.WRITER_THRESHOLD}")
                self._checkpointer = Checkpointer(self.path, self.checkpoint_seconds)
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA busy_timeout=10000")
            conn.execute("PRAGMA cache_size=-32768")  # 32 MiB of pages: lookups stay flat as history grows
        return self._db

    def _tx(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        conn = self.db.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            result = fn(conn)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        return result

    def _rows(self, sql: str, params: tuple | dict = ()) -> list[dict[str, Any]]:
        return list(self.db.query(sql, params))

    async def migrate(self) -> None:
        def run() -> None:
            def upgrade(conn: sqlite3.Connection) -> None:
                current = conn.execute("PRAGMA user_version").fetchone()[0]
                for version in range(current + 1, SCHEMA_VERSION + 1):
                    for statement in MIGRATIONS[version].split(";"):
                        if statement.strip():
                            conn.execute(statement)
                    conn.execute(f"PRAGMA user_version = {version}")
            self._tx(upgrade)
        try:
            await self._run(run)
        except sqlite3.DatabaseError as exc:  # a missing folder, no permission, a file that is not SQLite
            raise StoreUnavailable(f"cannot open the SQLite database {self.path!r}: {exc} (does its folder "
                                   "exist, and may this process write there?)") from exc

    async def close(self) -> None:
        def run() -> None:
            if self._checkpointer is not None:
                self._checkpointer.stop()
                self._checkpointer = None
            if self._db is not None:
                self._db.conn.close()
                self._db = None
        await self._run(run)
        self._thread.shutdown()

    async def ping(self) -> None:
        await self._run(lambda: self.db.execute("SELECT 1").fetchone())

    def conversation_lock(self, key: str) -> AbstractAsyncContextManager[None]:
        # One process owns a SQLite file's traffic (see README), so an in-process lock serialises the work.
        return self._locks.hold(key)

    # -- inbox ------------------------------------------------------------------------------------------
    async def inbox_add(self, channel: str, key: str, payload: str, received_at: datetime,
                        order_key: str | None = None) -> bool:
        return await self._inbox_writes.submit((channel, key, payload, ts(received_at), order_key))

    async def _insert_inbox(self, rows: list[tuple]) -> list[bool]:
        """Many webhook events in one transaction (group commit); True for each that was new."""
        def write(conn: sqlite3.Connection) -> list[bool]:
            return [conn.execute("INSERT OR IGNORE INTO inbox (channel, key, payload, received_at, order_key)"
                                 " VALUES (?, ?, ?, ?, ?)", row).rowcount == 1 for row in rows]
        return await self._run(self._tx, write, urgent=True)

    async def on_new_events(self, callback: Callable[[], None]) -> None:
        """One process owns a SQLite file: its web handlers wake its workers directly."""

    async def inbox_claim(self, now: datetime, limit: int, lease_seconds: float) -> list[InboxItem]:
        def claim(conn: sqlite3.Connection) -> list[InboxItem]:
            rows = self._rows(
                "SELECT * FROM inbox i WHERE status = 'pending' AND (claimed_until IS NULL OR claimed_until <= :now)"
                " AND (order_key IS NULL OR id = (SELECT min(p.id) FROM inbox p WHERE p.status = 'pending'"
                "                                 AND p.order_key = i.order_key))"
                " ORDER BY id LIMIT :limit", {"now": ts(now), "limit": limit})
            conn.executemany("UPDATE inbox SET claimed_until = ?, attempts = attempts + 1 WHERE id = ?",
                             [(ts(now) + lease_seconds, r["id"]) for r in rows])
            return [InboxItem(r["id"], r["channel"], r["key"], r["payload"], dt(r["received_at"]),
                              r["attempts"] + 1) for r in rows]
        return await self._run(self._tx, claim)

    async def inbox_done(self, item_id: int) -> None:
        await self._run(lambda: self.db.execute("UPDATE inbox SET status = 'done' WHERE id = ?", (item_id,)))

    async def inbox_failed(self, item_id: int, error: str, give_up: bool) -> None:
        # Not given up: the claim's lease stays, so the event is retried when it expires (a natural backoff).
        status = "failed" if give_up else "pending"
        await self._run(lambda: self.db.execute("UPDATE inbox SET status = ?, error = ? WHERE id = ?",
                                                (status, error, item_id)))

    # -- conversations ----------------------------------------------------------------------------------
    @staticmethod
    def _conversation(row: dict[str, Any]) -> Conversation:
        return Conversation(row["id"], ConversationRef(row["channel"], row["address"]), row["customer_name"],
                            Status(row["status"]), dt(row["created_at"]))

    def _conversation_for(self, ref: ConversationRef, customer_name: str, now: datetime) -> Conversation:
        select = "SELECT * FROM conversations WHERE channel = ? AND address = ?"
        rows = self._rows(select, (ref.channel, ref.address))
        if not rows:  # first contact: a write only then
            self.db.execute(
                "INSERT OR IGNORE INTO conversations (id, channel, address, customer_name, status, created_at,"
                " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (uuid.uuid4().hex, ref.channel, ref.address, customer_name, Status.BOT.value, ts(now), ts(now)))
            rows = self._rows(select, (ref.channel, ref.address))
        return self._conversation(rows[0])

    def _history(self, conversation_id: str, limit: int) -> list[MessageRecord]:
        rows = self._rows("SELECT * FROM messages WHERE conversation_id = ? ORDER BY id DESC LIMIT ?",
                          (conversation_id, limit))
        return [MessageRecord(Role(r["role"]), r["text"], dt(r["at"]), r["kind"], r["author"], r["sentiment"],
                              r["frustration"], tuple(json.loads(r["reasons"]))) for r in reversed(rows)]

    async def conversation_for(self, ref: ConversationRef, customer_name: str, now: datetime) -> Conversation:
        return await self._run(self._conversation_for, ref, customer_name, now)

    async def conversation_with_history(self, ref: ConversationRef, customer_name: str, now: datetime, limit: int
                                        ) -> tuple[Conversation, list[MessageRecord]]:
        found = await self._lookups.submit((ref, customer_name, now, limit))
        if isinstance(found, Exception):
            raise found
        return found

    async def _look_up(self, requests: list[tuple[ConversationRef, str, datetime, int]]) -> list[Lookup]:
        """Many conversations' look-ups in one trip to the database thread (and first contacts in one write)."""
        def one(ref: ConversationRef, customer_name: str, now: datetime, limit: int) -> Lookup:
            try:
                conv = self._conversation_for(ref, customer_name, now)
                return conv, self._history(conv.id, limit)
            except Exception as exc:
                return exc
        return await self._run(self._tx, lambda _conn: [one(*request) for request in requests])

    async def conversation(self, conversation_id: str) -> Conversation | None:
        rows = await self._run(self._rows, "SELECT * FROM conversations WHERE id = ?", (conversation_id,))
        return self._conversation(rows[0]) if rows else None

    async def conversation_by_thread(self, desk_channel: str, thread: str) -> Conversation | None:
        rows = await self._run(self._rows,
                               "SELECT c.* FROM handoffs h JOIN conversations c ON c.id = h.conversation_id"
                               " WHERE h.thread = ? AND h.desk_channel = ? ORDER BY h.id DESC LIMIT 1",
                               (thread, desk_channel))
        return self._conversation(rows[0]) if rows else None

    async def history(self, conversation_id: str, limit: int) -> list[MessageRecord]:
        return await self._run(self._history, conversation_id, limit)

    async def transitions(self, conversation_id: str) -> list[Transition]:
        rows = await self._run(self._rows, "SELECT * FROM transitions WHERE conversation_id = ? ORDER BY id",
                               (conversation_id,))
        return [Transition(r["conversation_id"], Status(r["from_status"]), Status(r["to_status"]), r["actor"],
                           r["reason"], dt(r["at"])) for r in rows]

    async def commit(self, turn: Turn, inbox_id: int | None) -> None:
        problem = await self._turn_writes.submit((turn, inbox_id))
        if problem is not None:
            raise problem

    async def _write_turns(self, turns: list[tuple[Turn, int | None]]) -> list[Exception | None]:
        """Turns of different conversations in one transaction (group commit: one WAL write for many turns).
        If the batch fails, each turn is tried in a transaction of its own, so one bad turn fails alone."""
        def write_all(conn: sqlite3.Connection) -> list[Exception | None]:
            for turn, inbox_id in turns:
                self._write_turn(conn, turn, inbox_id)
            return [None] * len(turns)

        def write_each() -> list[Exception | None]:
            results: list[Exception | None] = []
            for turn, inbox_id in turns:
                try:
                    self._tx(lambda conn, t=turn, i=inbox_id: self._write_turn(conn, t, i))
                    results.append(None)
                except Exception as exc:
                    results.append(exc)
            return results

        def run() -> list[Exception | None]:
            try:
                return self._tx(write_all)
            except Exception:
                if len(turns) == 1:
                    raise
                return write_each()
        return await self._run(run)

    def _write_turn(self, conn: sqlite3.Connection, turn: Turn, inbox_id: int | None) -> None:
        now = max((ts(m.at) for m in turn.messages), default=None)
        for m in turn.messages:
            conn.execute(
                "INSERT INTO messages (conversation_id, role, kind, author, text, sentiment, frustration,"
                " reasons, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (turn.conversation_id, m.role.value, m.kind, m.author, m.text, m.sentiment, m.frustration,
                 json.dumps(list(m.reasons)), ts(m.at)))
        customer_at = max((ts(m.at) for m in turn.messages if m.role is Role.CUSTOMER), default=None)
        if now is not None:
            conn.execute("UPDATE conversations SET updated_at = ?, last_customer_at ="
                         " COALESCE(?, last_customer_at) WHERE id = ?",
                         (now, customer_at, turn.conversation_id))
        for t in turn.transitions:
            conn.execute("INSERT INTO transitions (conversation_id, from_status, to_status, actor, reason, at)"
                         " VALUES (?, ?, ?, ?, ?, ?)", (t.conversation_id, t.from_status.value,
                                                       t.to_status.value, t.actor, t.reason, ts(t.at)))
        if turn.new_status is not None:
            conn.execute("UPDATE conversations SET status = ? WHERE id = ?",
                         (turn.new_status.value, turn.conversation_id))
        if turn.handoff_reasons is not None:
            opened = turn.transitions[-1].at if turn.transitions else datetime.now(UTC)
            conn.execute("INSERT INTO handoffs (conversation_id, reasons, opened_at) VALUES (?, ?, ?)",
                         (turn.conversation_id, json.dumps(list(turn.handoff_reasons)), ts(opened)))
        self._enqueue(conn, turn.conversation_id, turn.outgoing)
        if inbox_id is not None:
            conn.execute("UPDATE inbox SET status = 'done' WHERE id = ?", (inbox_id,))

    @staticmethod
    def _enqueue(conn: sqlite3.Connection, conversation_id: str, outgoing: tuple[Outgoing, ...]) -> None:
        now = datetime.now(UTC).timestamp()
        for o in in_parts(outgoing):
            conn.execute(
                "INSERT INTO outbox (conversation_id, lane, target, text, author, from_human, card, not_before,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (conversation_id, LANES[o.target], o.target.value, o.text, o.author, int(o.from_human),
                 json.dumps(o.card.to_dict()) if o.card else None, now, now))

    # -- outbox -----------------------------------------------------------------------------------------
    async def outbox_claim(self, now: datetime, limit: int, lease_seconds: float) -> list[QueuedSend]:
        def claim(conn: sqlite3.Connection) -> list[QueuedSend]:
            rows = self._rows(
                "SELECT o.*, c.channel, c.address, c.last_customer_at FROM outbox o"
                " JOIN conversations c ON c.id = o.conversation_id"
                " WHERE o.status = 'pending' AND o.not_before <= :now"
                " AND (o.claimed_until IS NULL OR o.claimed_until <= :now)"
                " AND o.id = (SELECT min(p.id) FROM outbox p WHERE p.status = 'pending'"
                "             AND p.conversation_id = o.conversation_id AND p.lane = o.lane)"
                " ORDER BY o.id LIMIT :limit", {"now": ts(now), "limit": limit})
            conn.executemany("UPDATE outbox SET claimed_until = ?, attempts = attempts + 1, in_flight = 1"
                             " WHERE id = ?", [(ts(now) + lease_seconds, r["id"]) for r in rows])
            return [QueuedSend(r["id"], r["conversation_id"], Target(r["target"]),
                               ConversationRef(r["channel"], r["address"]), r["text"], r["author"],
                               bool(r["from_human"]), json.loads(r["card"]) if r["card"] else None,
                               r["attempts"] + 1, dt(r["created_at"]), dt(r["last_customer_at"]),
                               reclaimed=bool(r["in_flight"])) for r in rows]
        return await self._run(self._tx, claim)

    async def outbox_sent(self, send_id: int, now: datetime) -> None:
        await self._sent_marks.submit((ts(now), send_id))

    async def _mark_sent(self, rows: list[tuple[float, int]]) -> list[None]:
        def write(conn: sqlite3.Connection) -> list[None]:
            conn.executemany("UPDATE outbox SET status = 'sent', sent_at = ?, in_flight = 0, claimed_until = NULL"
                             " WHERE id = ?", rows)
            return [None] * len(rows)
        return await self._run(self._tx, write)

    async def release(self, inbox_ids: list[int], send_ids: list[int]) -> None:
        def write(conn: sqlite3.Connection) -> None:
            conn.executemany("UPDATE inbox SET claimed_until = NULL WHERE id = ?", [(i,) for i in inbox_ids])
            conn.executemany("UPDATE outbox SET claimed_until = NULL WHERE id = ?", [(i,) for i in send_ids])
        await self._run(self._tx, write)

    async def outbox_retry(self, send_id: int, not_before: datetime, error: str) -> None:
        await self._run(lambda: self.db.execute(
            "UPDATE outbox SET not_before = ?, last_error = ?, in_flight = 0, claimed_until = NULL WHERE id = ?",
            (ts(not_before), error[:500], send_id)))

    async def outbox_failed(self, send_id: int, error: str, notice: Outgoing | None) -> None:
        def write(conn: sqlite3.Connection) -> None:
            conn.execute("UPDATE outbox SET status = 'failed', last_error = ?, in_flight = 0, claimed_until = NULL"
                         " WHERE id = ?", (error[:500], send_id))
            if notice is not None:
                row = conn.execute("SELECT conversation_id FROM outbox WHERE id = ?", (send_id,)).fetchone()
                self._enqueue(conn, row[0], (notice,))
        await self._run(self._tx, write)

    async def next_outbox_due(self) -> datetime | None:
        rows = await self._run(self._rows, "SELECT min(max(not_before, coalesce(claimed_until, 0))) AS due"
                               " FROM outbox WHERE status = 'pending'")
        return dt(rows[0]["due"])

    async def pending_sends(self) -> int:
        rows = await self._run(self._rows, "SELECT count(*) AS n FROM outbox WHERE status = 'pending'")
        return rows[0]["n"]

    # -- handoff threads --------------------------------------------------------------------------------
    async def open_thread(self, conversation_id: str) -> Thread | None:
        rows = await self._run(self._rows, "SELECT * FROM handoffs WHERE conversation_id = ? ORDER BY id DESC"
                               " LIMIT 1", (conversation_id,))
        if not rows or rows[0]["thread"] is None:
            return None
        return Thread(rows[0]["id"], rows[0]["desk_channel"], rows[0]["thread"])

    async def set_thread(self, conversation_id: str, desk_channel: str, thread: str) -> None:
        await self._run(lambda: self.db.execute(
            "UPDATE handoffs SET desk_channel = ?, thread = ? WHERE id = (SELECT max(id) FROM handoffs"
            " WHERE conversation_id = ?)", (desk_channel, thread, conversation_id)))
