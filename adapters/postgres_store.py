"""The PostgreSQL store (asyncpg): the same contract as the SQLite store, shared by several processes.

- Work on one conversation holds a transaction-level advisory lock for the whole turn, and every store call
  made inside `conversation_lock` runs on that lock's connection and transaction: two processes can never
  both decide for the same customer, and the turn commits (or rolls back) as a whole.
- Claims (inbox, outbox) use `FOR UPDATE SKIP LOCKED` with a lease (`claimed_until`): each row goes to
  exactly one process, and a row claimed by a process that died is taken again when its lease expires.
- Migrations run under an advisory lock, so several processes starting at once do not race.
Times are stored as epoch seconds (double precision), as in the SQLite store.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager, suppress
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

import asyncpg

from adapters.database_url import without_password
from adapters.sqlite_store import dt, ts
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

NEW_EVENTS = "warmline_new_events"  # the NOTIFY channel web processes signal workers on
MIGRATION_LOCK = 7_710_001  # advisory lock ids: one for migrations, a namespace for conversations
CONVERSATION_LOCKS = 7_710

MIGRATIONS: dict[int, str] = {
    1: """
    CREATE TABLE inbox (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, channel text NOT NULL, key text NOT NULL,
        payload text NOT NULL, received_at double precision NOT NULL, status text NOT NULL DEFAULT 'pending',
        attempts integer NOT NULL DEFAULT 0, claimed_until double precision, error text, order_key text,
        UNIQUE (channel, key));
    CREATE INDEX inbox_pending ON inbox (id) WHERE status = 'pending';
    CREATE INDEX inbox_pending_by_order ON inbox (order_key, id) WHERE status = 'pending';
    CREATE TABLE conversations (
        id text PRIMARY KEY, channel text NOT NULL, address text NOT NULL, customer_name text NOT NULL,
        status text NOT NULL, created_at double precision NOT NULL, updated_at double precision NOT NULL,
        last_customer_at double precision, UNIQUE (channel, address));
    CREATE TABLE messages (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, conversation_id text NOT NULL, role text NOT NULL,
        kind text NOT NULL, author text NOT NULL, text text NOT NULL, sentiment double precision,
        frustration double precision, reasons text NOT NULL, at double precision NOT NULL);
    CREATE INDEX messages_by_conversation ON messages (conversation_id, id);
    CREATE TABLE transitions (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, conversation_id text NOT NULL,
        from_status text NOT NULL, to_status text NOT NULL, actor text NOT NULL, reason text NOT NULL,
        at double precision NOT NULL);
    CREATE INDEX transitions_by_conversation ON transitions (conversation_id, id);
    CREATE TABLE handoffs (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, conversation_id text NOT NULL, reasons text NOT NULL,
        opened_at double precision NOT NULL, desk_channel text, thread text);
    CREATE INDEX handoffs_by_conversation ON handoffs (conversation_id, id);
    CREATE INDEX handoffs_by_thread ON handoffs (thread, desk_channel);
    CREATE TABLE outbox (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, conversation_id text NOT NULL, lane text NOT NULL,
        target text NOT NULL, text text NOT NULL, author text NOT NULL, from_human boolean NOT NULL, card text,
        status text NOT NULL DEFAULT 'pending', attempts integer NOT NULL DEFAULT 0,
        in_flight boolean NOT NULL DEFAULT false, not_before double precision NOT NULL,
        claimed_until double precision, last_error text, created_at double precision NOT NULL,
        sent_at double precision);
    CREATE INDEX outbox_pending ON outbox (conversation_id, lane, id) WHERE status = 'pending';
    """,
    # Claims walk the pending sends in id order (see `_claiming`).
    2: "CREATE INDEX outbox_pending_by_id ON outbox (id) WHERE status = 'pending';",
}
SCHEMA_VERSION = max(MIGRATIONS)

_turn_connection: ContextVar[asyncpg.Connection | None] = ContextVar("warmline_pg_turn", default=None)


def normalise_url(url: str) -> str:
    """PaaS add-ons hand out postgres://; asyncpg takes both spellings, we keep one."""
    return "postgresql://" + url.split("://", 1)[1] if url.startswith("postgres://") else url


def literal(text: str) -> str:
    """A SQL string literal (standard_conforming_strings, on by default since PostgreSQL 9.1)."""
    if "\0" in text:
        raise ValueError("PostgreSQL text cannot hold NUL characters")
    return "'" + text.replace("'", "''") + "'"


def _columns(rows: list[tuple], width: int) -> list[list]:
    """Rows as columns, for unnest()."""
    return [list(column) for column in zip(*rows, strict=True)] if rows else [[] for _ in range(width)]


@asynccontextmanager
async def _transaction(conn: asyncpg.Connection, opening: str = "") -> AsyncIterator[None]:
    """A transaction whose BEGIN travels with `opening` (statements without parameters): one round trip, not two.
    Every transaction of this store goes through here, so none is nested in another (that would cost a SAVEPOINT
    and a RELEASE)."""
    await conn.execute("BEGIN; " + opening)
    try:
        yield
    except BaseException:
        if not conn.is_closed():
            with suppress(Exception):  # the original error matters; a broken connection is discarded by the pool
                await conn.execute("ROLLBACK")
        raise
    await conn.execute("COMMIT")


class _Connection(asyncpg.Connection):
    """Pooled connections keep no session state (only SET LOCAL and transaction-scoped advisory locks; LISTEN
    has a connection of its own), so one going back to the pool needs no reset query: one round trip less."""

    def get_reset_query(self) -> str:
        return ""


class PostgresStore:
    def __init__(self, url: str, *, min_size: int = 2, max_size: int = 40) -> None:
        self.url = normalise_url(url)
        self.min_size = min_size
        self.max_size = max_size
        self._pool: asyncpg.Pool | None = None
        self._local = KeyedLocks()
        self._inbox_writes: Batcher[tuple, bool] = Batcher(self._insert_inbox)
        self._listener: asyncpg.Connection | None = None
        self._sent_marks: Batcher[tuple[float, int], None] = Batcher(self._mark_sent)

    @classmethod
    def from_url(cls, url: str) -> PostgresStore:
        return cls(url)

    # -- plumbing ---------------------------------------------------------------------------------------
    async def pool(self) -> asyncpg.Pool:
        if self._pool is None:
            self._pool = await asyncpg.create_pool(self.url, min_size=self.min_size, max_size=self.max_size,
                                                   command_timeout=30, connection_class=_Connection)
        return self._pool

    @asynccontextmanager
    async def _conn(self) -> AsyncIterator[asyncpg.Connection]:
        """The current turn's connection inside `conversation_lock`, else one from the pool."""
        current = _turn_connection.get()
        if current is not None:
            yield current
            return
        async with (await self.pool()).acquire() as conn:
            yield conn

    @asynccontextmanager
    async def _tx(self) -> AsyncIterator[asyncpg.Connection]:
        """A transaction: inside `conversation_lock`, the turn's own (already open: a nested one would cost a
        SAVEPOINT and a RELEASE, two round trips), else a new one."""
        current = _turn_connection.get()
        if current is not None:
            yield current
            return
        async with (await self.pool()).acquire() as conn, _transaction(conn):
            yield conn

    async def _fetch(self, sql: str, *args: Any) -> list[asyncpg.Record]:
        async with self._conn() as conn:
            return await conn.fetch(sql, *args)

    async def _execute(self, sql: str, *args: Any) -> None:
        async with self._conn() as conn:
            await conn.execute(sql, *args)

    async def migrate(self) -> None:
        try:
            await self._migrate()
        except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
            # Refused, unknown host, wrong password, no such database, no answer within asyncpg's timeout.
            raise StoreUnavailable(f"cannot open the PostgreSQL database at {without_password(self.url)}: "
                                   f"{exc or type(exc).__name__}") from exc

    async def _migrate(self) -> None:
        async with self._tx() as conn:
            await conn.execute("SELECT pg_advisory_xact_lock($1)", MIGRATION_LOCK)
            await conn.execute("CREATE TABLE IF NOT EXISTS warmline_schema (version integer NOT NULL)")
            current = await conn.fetchval("SELECT max(version) FROM warmline_schema") or 0
            for version in range(current + 1, SCHEMA_VERSION + 1):
                await conn.execute(MIGRATIONS[version])
                await conn.execute("INSERT INTO warmline_schema (version) VALUES ($1)", version)

    async def close(self) -> None:
        if self._listener is not None:
            await self._listener.close()
            self._listener = None
        if self._pool is not None:
            await self._pool.close()
            self._pool = None

    async def ping(self) -> None:
        async with self._conn() as conn:
            await conn.fetchval("SELECT 1")

    def conversation_lock(self, key: str) -> AbstractAsyncContextManager[None]:
        return self._conversation_lock(key)

    @asynccontextmanager
    async def _conversation_lock(self, key: str) -> AsyncIterator[None]:
        # Waiters in this process queue on an asyncio lock first, so they do not each hold a connection.
        lock = f"SELECT pg_advisory_xact_lock({CONVERSATION_LOCKS}, hashtext({literal(key)}))"
        async with self._local.hold(key), (await self.pool()).acquire() as conn, _transaction(conn, lock):
            token = _turn_connection.set(conn)
            try:
                yield
            finally:
                _turn_connection.reset(token)

    @asynccontextmanager
    async def _claiming(self) -> AsyncIterator[asyncpg.Connection]:
        """A claim walks its queue's pending rows in id order and stops at the limit. With statistics that lag a
        burst (autovacuum analyses about once a minute) the planner instead reads every pending row and sorts
        them, just when the backlog is largest: 32 ms a claim at 15,000 pending events instead of 1.3 ms, so a
        backlog drained ever more slowly. For the claim's transaction, bitmap scans and sorts are off."""
        async with (await self.pool()).acquire() as conn, _transaction(
                conn, "SET LOCAL enable_bitmapscan = off; SET LOCAL enable_sort = off"):
            yield conn

    # -- inbox ------------------------------------------------------------------------------------------
    async def inbox_add(self, channel: str, key: str, payload: str, received_at: datetime,
                        order_key: str | None = None) -> bool:
        return await self._inbox_writes.submit((channel, key, payload, ts(received_at), order_key))

    async def _insert_inbox(self, rows: list[tuple]) -> list[bool]:
        """Many webhook events in one statement and commit (group commit); True for each that was new."""
        columns = list(zip(*rows, strict=True))
        async with self._conn() as conn:
            inserted = await conn.fetch(  # new events also notify listening workers (once per commit)
                "WITH new AS (INSERT INTO inbox (channel, key, payload, received_at, order_key)"
                " SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::text[])"
                " ON CONFLICT (channel, key) DO NOTHING RETURNING channel, key)"
                f" SELECT channel, key, pg_notify('{NEW_EVENTS}', '') FROM new", *columns)
        new = {(r["channel"], r["key"]) for r in inserted}
        seen: set[tuple[str, str]] = set()
        results = []
        for channel, key, *_ in rows:  # the same key twice in one batch: only the first is new
            results.append((channel, key) in new and (channel, key) not in seen)
            seen.add((channel, key))
        return results

    async def on_new_events(self, callback: Callable[[], None]) -> None:
        """LISTEN on a connection of its own. If that connection drops, workers still poll every few seconds."""
        if self._listener is None:
            self._listener = await asyncpg.connect(self.url)
        await self._listener.add_listener(NEW_EVENTS, lambda *_: callback())

    async def inbox_claim(self, now: datetime, limit: int, lease_seconds: float) -> list[InboxItem]:
        async with self._claiming() as conn:
            rows = await conn.fetch(
                """
                WITH due AS (
                    SELECT i.id FROM inbox i
                    WHERE i.status = 'pending' AND (i.claimed_until IS NULL OR i.claimed_until <= $1)
                      AND (i.order_key IS NULL OR i.id = (SELECT min(p.id) FROM inbox p
                                                          WHERE p.status = 'pending' AND p.order_key = i.order_key))
                    ORDER BY i.id LIMIT $2 FOR UPDATE SKIP LOCKED)
                UPDATE inbox SET claimed_until = $1 + $3, attempts = inbox.attempts + 1
                FROM due WHERE inbox.id = due.id
                RETURNING inbox.*""", ts(now), limit, lease_seconds)
        return sorted((InboxItem(r["id"], r["channel"], r["key"], r["payload"], dt(r["received_at"]), r["attempts"])
                       for r in rows), key=lambda item: item.id)

    async def inbox_done(self, item_id: int) -> None:
        await self._execute("UPDATE inbox SET status = 'done' WHERE id = $1", item_id)

    async def inbox_failed(self, item_id: int, error: str, give_up: bool) -> None:
        # Not given up: the claim's lease stays, so the event is retried when it expires (a natural backoff).
        await self._execute("UPDATE inbox SET status = $1, error = $2 WHERE id = $3",
                            "failed" if give_up else "pending", error, item_id)

    # -- conversations ----------------------------------------------------------------------------------
    @staticmethod
    def _conversation(row: asyncpg.Record) -> Conversation:
        return Conversation(row["id"], ConversationRef(row["channel"], row["address"]), row["customer_name"],
                            Status(row["status"]), dt(row["created_at"]))

    async def conversation_for(self, ref: ConversationRef, customer_name: str, now: datetime) -> Conversation:
        return (await self.conversation_with_history(ref, customer_name, now, 0))[0]

    async def conversation_with_history(self, ref: ConversationRef, customer_name: str, now: datetime, limit: int
                                        ) -> tuple[Conversation, list[MessageRecord]]:
        """Find or create the conversation and read its recent history: one round trip, first contact or not."""
        async with self._conn() as conn:
            rows = await conn.fetch(
                "WITH created AS (INSERT INTO conversations (id, channel, address, customer_name, status, created_at,"
                "                 updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)"
                "                 ON CONFLICT (channel, address) DO NOTHING RETURNING *),"
                " found AS (SELECT * FROM created UNION ALL"
                "           SELECT * FROM conversations WHERE channel = $2 AND address = $3 LIMIT 1)"
                " SELECT found.*, m.id AS m_id, m.role AS m_role, m.kind AS m_kind, m.author AS m_author,"
                "        m.text AS m_text, m.sentiment AS m_sentiment, m.frustration AS m_frustration,"
                "        m.reasons AS m_reasons, m.at AS m_at"
                " FROM found LEFT JOIN LATERAL (SELECT * FROM messages WHERE conversation_id = found.id"
                "                               ORDER BY id DESC LIMIT $7) m ON true"
                " ORDER BY m.id",
                uuid.uuid4().hex, ref.channel, ref.address, customer_name, Status.BOT.value, ts(now), limit)
        return self._conversation(rows[0]), [self._message(r, "m_") for r in rows if r["m_id"] is not None]

    async def conversation(self, conversation_id: str) -> Conversation | None:
        rows = await self._fetch("SELECT * FROM conversations WHERE id = $1", conversation_id)
        return self._conversation(rows[0]) if rows else None

    async def conversation_by_thread(self, desk_channel: str, thread: str) -> Conversation | None:
        rows = await self._fetch(
            "SELECT c.* FROM handoffs h JOIN conversations c ON c.id = h.conversation_id"
            " WHERE h.thread = $1 AND h.desk_channel = $2 ORDER BY h.id DESC LIMIT 1", thread, desk_channel)
        return self._conversation(rows[0]) if rows else None

    async def history(self, conversation_id: str, limit: int) -> list[MessageRecord]:
        rows = await self._fetch("SELECT * FROM messages WHERE conversation_id = $1 ORDER BY id DESC LIMIT $2",
                                 conversation_id, limit)
        return [self._message(r) for r in reversed(rows)]

    @staticmethod
    def _message(row: asyncpg.Record, prefix: str = "") -> MessageRecord:
        def get(column: str) -> Any:
            return row[prefix + column]
        return MessageRecord(Role(get("role")), get("text"), dt(get("at")), get("kind"), get("author"),
                             get("sentiment"), get("frustration"), tuple(json.loads(get("reasons"))))

    async def transitions(self, conversation_id: str) -> list[Transition]:
        rows = await self._fetch("SELECT * FROM transitions WHERE conversation_id = $1 ORDER BY id",
                                 conversation_id)
        return [Transition(r["conversation_id"], Status(r["from_status"]), Status(r["to_status"]), r["actor"],
                           r["reason"], dt(r["at"])) for r in rows]

    async def commit(self, turn: Turn, inbox_id: int | None) -> None:
        """A turn's usual writes (its messages, the conversation's times, its replies, the event done) in one
        statement, so one round trip; status changes and handoffs, which are rare, add theirs."""
        messages = [(m.role.value, m.kind, m.author, m.text, m.sentiment, m.frustration, json.dumps(list(m.reasons)),
                     ts(m.at)) for m in turn.messages]
        now = datetime.now(UTC).timestamp()
        sends = [(LANES[o.target], o.target.value, o.text, o.author, o.from_human,
                  json.dumps(o.card.to_dict()) if o.card else None) for o in in_parts(turn.outgoing)]
        customer_at = max((ts(m.at) for m in turn.messages if m.role is Role.CUSTOMER), default=None)
        latest = max((ts(m.at) for m in turn.messages), default=None)
        async with self._tx() as conn:
            await conn.execute(
                """
                WITH new_messages AS (
                    INSERT INTO messages (conversation_id, role, kind, author, text, sentiment, frustration,
                                          reasons, at)
                    SELECT $1, role, kind, author, text, sentiment, frustration, reasons, at
                    FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::float8[],
                                $8::text[], $9::float8[]) WITH ORDINALITY
                         AS m(role, kind, author, text, sentiment, frustration, reasons, at, n)
                    ORDER BY n),
                touched AS (
                    UPDATE conversations SET updated_at = $10, last_customer_at = COALESCE($11, last_customer_at)
                    WHERE id = $1 AND $10::float8 IS NOT NULL),
                queued AS (
                    INSERT INTO outbox (conversation_id, lane, target, text, author, from_human, card, not_before,
                                        created_at)
                    SELECT $1, lane, target, text, author, from_human, card, $12, $12
                    FROM unnest($13::text[], $14::text[], $15::text[], $16::text[], $17::bool[], $18::text[])
                         WITH ORDINALITY AS s(lane, target, text, author, from_human, card, n)
                    ORDER BY n)
                UPDATE inbox SET status = 'done' WHERE id = $19
                """,
                turn.conversation_id, *_columns(messages, 8), latest, customer_at, now, *_columns(sends, 6), inbox_id)
            if turn.transitions:
                await conn.executemany(
                    "INSERT INTO transitions (conversation_id, from_status, to_status, actor, reason, at)"
                    " VALUES ($1, $2, $3, $4, $5, $6)",
                    [(t.conversation_id, t.from_status.value, t.to_status.value, t.actor, t.reason, ts(t.at))
                     for t in turn.transitions])
                await conn.execute("UPDATE conversations SET status = $1 WHERE id = $2", turn.new_status.value,
                                   turn.conversation_id)
            if turn.handoff_reasons is not None:
                opened = turn.transitions[-1].at if turn.transitions else datetime.now(UTC)
                await conn.execute("INSERT INTO handoffs (conversation_id, reasons, opened_at) VALUES ($1, $2, $3)",
                                   turn.conversation_id, json.dumps(list(turn.handoff_reasons)), ts(opened))

    @staticmethod
    async def _enqueue(conn: asyncpg.Connection, conversation_id: str, outgoing: tuple[Outgoing, ...]) -> None:
        if not outgoing:
            return
        now = datetime.now(UTC).timestamp()
        await conn.executemany(
            "INSERT INTO outbox (conversation_id, lane, target, text, author, from_human, card, not_before,"
            " created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
            [(conversation_id, LANES[o.target], o.target.value, o.text, o.author, o.from_human,
              json.dumps(o.card.to_dict()) if o.card else None, now) for o in in_parts(outgoing)])

    # -- outbox -----------------------------------------------------------------------------------------
    async def outbox_claim(self, now: datetime, limit: int, lease_seconds: float) -> list[QueuedSend]:
        # Only the first pending send of each conversation and lane is due: order is kept per lane.
        async with self._claiming() as conn:
            rows = await conn.fetch(
                """
                WITH due AS (
                    SELECT o.id, o.in_flight AS was_in_flight FROM outbox o
                    WHERE o.status = 'pending' AND o.not_before <= $1
                      AND (o.claimed_until IS NULL OR o.claimed_until <= $1)
                      AND o.id = (SELECT min(p.id) FROM outbox p WHERE p.status = 'pending'
                                  AND p.conversation_id = o.conversation_id AND p.lane = o.lane)
                    ORDER BY o.id LIMIT $2 FOR UPDATE OF o SKIP LOCKED)
                UPDATE outbox SET claimed_until = $1 + $3, attempts = outbox.attempts + 1, in_flight = true
                FROM due, conversations c
                WHERE outbox.id = due.id AND c.id = outbox.conversation_id
                RETURNING outbox.*, due.was_in_flight, c.channel, c.address, c.last_customer_at""",
                ts(now), limit, lease_seconds)
        sends = [QueuedSend(r["id"], r["conversation_id"], Target(r["target"]),
                            ConversationRef(r["channel"], r["address"]), r["text"], r["author"], r["from_human"],
                            json.loads(r["card"]) if r["card"] else None, r["attempts"], dt(r["created_at"]),
                            dt(r["last_customer_at"]), reclaimed=r["was_in_flight"]) for r in rows]
        return sorted(sends, key=lambda send: send.id)

    async def outbox_sent(self, send_id: int, now: datetime) -> None:
        await self._sent_marks.submit((ts(now), send_id))

    async def _mark_sent(self, rows: list[tuple[float, int]]) -> list[None]:
        """Many sends marked in one statement (executemany would run one UPDATE per send on the server)."""
        async with self._conn() as conn:
            await conn.execute("UPDATE outbox SET status = 'sent', sent_at = s.at, in_flight = false,"
                               " claimed_until = NULL FROM unnest($1::float8[], $2::bigint[]) AS s(at, id)"
                               " WHERE outbox.id = s.id", *_columns(rows, 2))
        return [None] * len(rows)

    async def release(self, inbox_ids: list[int], send_ids: list[int]) -> None:
        async with self._tx() as conn:
            await conn.execute("UPDATE inbox SET claimed_until = NULL WHERE id = ANY($1::bigint[])", inbox_ids)
            await conn.execute("UPDATE outbox SET claimed_until = NULL WHERE id = ANY($1::bigint[])", send_ids)

    async def outbox_retry(self, send_id: int, not_before: datetime, error: str) -> None:
        await self._execute("UPDATE outbox SET not_before = $1, last_error = $2, in_flight = false,"
                            " claimed_until = NULL WHERE id = $3", ts(not_before), error[:500], send_id)

    async def outbox_failed(self, send_id: int, error: str, notice: Outgoing | None) -> None:
        async with self._tx() as conn:
            conversation_id = await conn.fetchval(
                "UPDATE outbox SET status = 'failed', last_error = $1, in_flight = false, claimed_until = NULL"
                " WHERE id = $2 RETURNING conversation_id", error[:500], send_id)
            if notice is not None:
                await self._enqueue(conn, conversation_id, (notice,))

    async def next_outbox_due(self) -> datetime | None:
        rows = await self._fetch("SELECT min(greatest(not_before, coalesce(claimed_until, 0))) AS due FROM outbox"
                                 " WHERE status = 'pending'")
        return dt(rows[0]["due"])

    async def pending_sends(self) -> int:
        rows = await self._fetch("SELECT count(*) AS n FROM outbox WHERE status = 'pending'")
        return rows[0]["n"]

    # -- handoff threads --------------------------------------------------------------------------------
    async def open_thread(self, conversation_id: str) -> Thread | None:
        rows = await self._fetch("SELECT * FROM handoffs WHERE conversation_id = $1 ORDER BY id DESC LIMIT 1",
                                 conversation_id)
        if not rows or rows[0]["thread"] is None:
            return None
        return Thread(rows[0]["id"], rows[0]["desk_channel"], rows[0]["thread"])

    async def set_thread(self, conversation_id: str, desk_channel: str, thread: str) -> None:
        await self._execute(
            "UPDATE handoffs SET desk_channel = $1, thread = $2 WHERE id = (SELECT max(id) FROM handoffs"
            " WHERE conversation_id = $3)", desk_channel, thread, conversation_id)
