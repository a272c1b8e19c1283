"""Load benchmark: Warmline's webhook and end-to-end paths next to a bare aiohttp handler, in the same run.

    python benchmarks/load.py            # the full run (about 10 minutes on 2 cores)
    python benchmarks/load.py --quick    # smaller counts, a minute or so

Everything runs on loopback on this machine: the load client in its own process, each server in its own
process, the platform APIs faked by tests/fake_platforms.py in another. Figures are printed as a Markdown table
with each Warmline figure as a ratio to the bare handler measured in the same run. Durability: SQLite in WAL
mode with synchronous=NORMAL; PostgreSQL with its defaults (synchronous_commit=on). Send pacing is switched
off for the end-to-end figures (it would cap them at the configured platform rates).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.load_client import MESSENGER_SECRET, SLACK_SECRET, TELEGRAM_SECRET, Result, run_load  # noqa: E402

NO_PACING = """
[sending.telegram]
per_destination = 0
overall = 0
[sending.messenger]
per_destination = 0
overall = 0
[sending.slack]
per_destination = 0
overall = 0
"""
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{url} did not answer")


class Processes:
    def __init__(self) -> None:
        self.running: list[subprocess.Popen] = []

    def start(self, args: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.Popen:
        process = subprocess.Popen(args, env={**os.environ, **(env or {})}, cwd=cwd, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        self.running.append(process)
        return process

    def stop(self, process: subprocess.Popen) -> None:
        process.terminate()
        process.wait(30)
        self.running.remove(process)

    def stop_all(self) -> None:
        for process in list(self.running):
            self.stop(process)


def fake_counts(fake_url: str) -> dict[str, int]:
    with urllib.request.urlopen(fake_url + "/_calls") as resp:
        return json.loads(resp.read())


def warmline_env(fake_url: str, database_url: str, config: Path) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url, "WARMLINE_CONFIG": str(config), "LOG_LEVEL": "ERROR", "HOST": "127.0.0.1",
        "SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": SLACK_SECRET, "SLACK_HANDOFF_CHANNEL": "CBENCH",
        "SLACK_API_URL": fake_url + "/api/",
        "TELEGRAM_BOT_TOKEN": "1:bench", "TELEGRAM_WEBHOOK_SECRET": TELEGRAM_SECRET,
        "TELEGRAM_API_URL": fake_url + "/bot",
        "MESSENGER_PAGE_ACCESS_TOKEN": "bench", "MESSENGER_APP_SECRET": MESSENGER_SECRET,
        "MESSENGER_VERIFY_TOKEN": "bench", "GRAPH_API_URL": fake_url + "/v21.0",
    }


def start_warmline(procs: Processes, env: dict[str, str], workdir: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = procs.start([sys.executable, "-m", "bots", "serve"], {**env, "PORT": str(port)}, workdir)
    url = f"http://127.0.0.1:{port}"
    wait_http(url + "/readyz")
    return process, url


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def end_to_end(urls: list[str], fake_url: str, first: int, count: int) -> float:
    """Messages/s from the first request until the fake Telegram API has received every answer."""
    before = fake_counts(fake_url).get("sendMessage", 0)
    started = time.perf_counter()
    run_load(urls, "telegram", first, count)
    while fake_counts(fake_url).get("sendMessage", 0) < before + count:
        time.sleep(0.05)
    return count / (time.perf_counter() - started)


# -- lookups ------------------------------------------------------------------------------------------------
async def lookup_costs(stores: dict[int, tuple[object, int]], rounds: int = 7) -> dict[int, float]:
    """Seconds per lookup for each store: find a conversation by its address and read its recent history, as
    the engine does for every message. Each round times the same 500 random conversations per store; the stores'
    rounds alternate, so a busy moment of this shared machine falls on both alike, and the best round counts
    (the first warms the cache, as a running server's is): the figure shows the index work, not the noise."""
    from core.messages import ConversationRef

    picks = {size: [ConversationRef("telegram", str(random.randrange(conversations))) for _ in range(500)]
             for size, (_, conversations) in stores.items()}
    now = datetime.now(UTC)
    best = {size: float("inf") for size in stores}
    for _ in range(rounds):
        for size, (store, _) in stores.items():
            started = time.perf_counter()
            for ref in picks[size]:
                await store.conversation_with_history(ref, "x", now, 30)
            best[size] = min(best[size], (time.perf_counter() - started) / len(picks[size]))
    return best


def fill_sqlite(path: Path, messages: int, per_conversation: int = 20) -> None:
    db = sqlite3.connect(path)
    now = time.time()
    conversations = messages // per_conversation
    db.executemany("INSERT INTO conversations VALUES (?, 'telegram', ?, 'x', 'bot', ?, ?, ?)",
                   ((f"c{n}", str(n), now, now, now) for n in range(conversations)))
    db.executemany("INSERT INTO messages (conversation_id, role, kind, author, text, sentiment, frustration,"
                   " reasons, at) VALUES (?, 'customer', '', 'x', 'when are you open', 0, 0, '[]', ?)",
                   ((f"c{n % conversations}", now) for n in range(messages)))
    db.commit()
    db.close()


async def sqlite_lookups(workdir: Path, sizes: list[int]) -> dict[int, float]:
    from adapters.sqlite_store import SQLiteStore

    stores = {}
    try:
        for size in sizes:
            path = workdir / f"lookup-{size}.db"
            store = SQLiteStore(str(path))
            await store.migrate()
            await store.close()
            fill_sqlite(path, size)
            stores[size] = (SQLiteStore(str(path)), size // 20)
        return await lookup_costs(stores)
    finally:
        for store, _ in stores.values():
            await store.close()


async def postgres_lookups(sizes: list[int]) -> dict[int, float] | None:
    import asyncpg

    from adapters.postgres_store import PostgresStore

    try:
        admin = await asyncpg.connect(TEST_DATABASE_URL, timeout=3)
    except Exception:
        return None
    base = TEST_DATABASE_URL.rsplit("/", 1)[0]
    names = {size: f"warmline_bench_{uuid.uuid4().hex[:10]}" for size in sizes}
    stores = {}
    try:
        for size, name in names.items():
            await admin.execute(f'CREATE DATABASE "{name}"')
            store = PostgresStore(f"{base}/{name}")
            await store.migrate()
            conn = await asyncpg.connect(f"{base}/{name}")
            now = time.time()
            conversations = size // 20
            await conn.copy_records_to_table(
                "conversations", columns=["id", "channel", "address", "customer_name", "status", "created_at",
                                          "updated_at", "last_customer_at"],
                records=[(f"c{n}", "telegram", str(n), "x", "bot", now, now, now) for n in range(conversations)])
            await conn.copy_records_to_table(
                "messages", columns=["conversation_id", "role", "kind", "author", "text", "sentiment",
                                     "frustration", "reasons", "at"],
                records=[(f"c{n % conversations}", "customer", "", "x", "when are you open", 0.0, 0.0, "[]", now)
                         for n in range(size)])
            await conn.execute("ANALYZE")
            await conn.close()
            stores[size] = (store, conversations)
        return await lookup_costs(stores)
    finally:
        for store, _ in stores.values():
            await store.close()
        for name in names.values():
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


# -- the run ------------------------------------------------------------------------------------------------
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller counts (a rough look, not the README table)")
    args = parser.parse_args()
    ack_requests = 3000 if args.quick else 20000
    e2e_messages = 1000 if args.quick else 5000
    rss_messages = 10_000 if args.quick else 100_000
    lookup_sizes = [1_000, 100_000] if args.quick else [1_000, 1_000_000]

    rows: list[tuple[str, str, str]] = []
    procs = Processes()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        config = workdir / "no-pacing.toml"
        config.write_text(NO_PACING)
        try:
            fake_port, bare_port = free_port(), free_port()
            procs.start([sys.executable, "-m", "benchmarks.servers", "fake", str(fake_port)], cwd=ROOT)
            procs.start([sys.executable, "-m", "benchmarks.servers", "bare", str(bare_port)], cwd=ROOT)
            fake_url, bare_url = f"http://127.0.0.1:{fake_port}", f"http://127.0.0.1:{bare_port}"
            wait_http(fake_url + "/_calls")
            time.sleep(0.5)

            run_load([bare_url], "bare", 0, 2000)  # warm up
            bare = run_load([bare_url], "bare", 0, ack_requests)
            rows.append(("bare aiohttp: parse JSON, answer 200", f"{bare.rate:,.0f} req/s",
                         f"p50 {bare.p50_ms:.1f} ms, p99 {bare.p99_ms:.1f} ms"))

            def ack_rows(url: str, label: str, first: int) -> None:
                for kind in ("telegram", "messenger", "slack"):
                    result: Result = run_load([url], kind, first, ack_requests)
                    first += ack_requests
                    rate = f"{result.rate:,.0f} req/s = {result.rate / bare.rate:.2f}×"
                    rows.append((f"{kind} webhook {label}", rate,
                                 f"p50 {result.p50_ms:.1f} ms, p99 {result.p99_ms:.1f} ms = "
                                 f"{result.p99_ms / bare.p99_ms:.2f}× p99"
                                 + (f", {result.errors} errors" if result.errors else "")))

            # The acknowledgement path alone: verify, store durably (SQLite), answer 200.
            port = free_port()
            env = warmline_env(fake_url, f"sqlite:///{workdir}/ack-only.db", config)
            alone = procs.start([sys.executable, "-m", "benchmarks.webhooks_only", str(port)], env, ROOT)
            wait_http(f"http://127.0.0.1:{port}/readyz")
            ack_rows(f"http://127.0.0.1:{port}", "(verify, store, 200; SQLite)", 1_000_000)
            procs.stop(alone)

            # The same inside `warmline serve`, where the stored events are processed and answered meanwhile.
            env = warmline_env(fake_url, f"sqlite:///{workdir}/ack.db", config)
            warmline, url = start_warmline(procs, env, ROOT)
            ack_rows(url, "in `warmline serve`, processing and answering at the same time", 5_000_000)
            procs.stop(warmline)

            # End to end, one process on SQLite: scored, decided, queued, sent to the fake Telegram API.
            env = warmline_env(fake_url, f"sqlite:///{workdir}/e2e.db", config)
            warmline, url = start_warmline(procs, env, ROOT)
            rate = end_to_end([url], fake_url, 2_000_000, e2e_messages)
            rows.append(("end to end, 1 process, SQLite", f"{rate:,.0f} msg/s = {rate / bare.rate:.3f}×", ""))

            # RSS after many messages through the same process.
            done = e2e_messages
            while done < rss_messages:
                batch = min(10_000, rss_messages - done)
                end_to_end([url], fake_url, 3_000_000 + done, batch)
                done += batch
            rows.append((f"RSS after {rss_messages:,} messages (1 process)", f"{rss_mb(warmline.pid):.0f} MB", ""))
            procs.stop(warmline)

            # End to end, two processes on one PostgreSQL database.
            pg = postgres_database()
            if pg is not None:
                name, pg_url = pg
                try:
                    env = warmline_env(fake_url, pg_url, config)
                    # One process first: what the second one adds on these cores.
                    for count, first in ((1, 4_000_000), (2, 4_500_000)):
                        started = [start_warmline(procs, env, ROOT) for _ in range(count)]
                        rate = end_to_end([u for _, u in started], fake_url, first, e2e_messages)
                        rows.append((f"end to end, {count} process{'es' if count > 1 else ''}, PostgreSQL",
                                     f"{rate:,.0f} msg/s = {rate / bare.rate:.3f}×", ""))
                        for process, _ in started:
                            procs.stop(process)

                    # The split roles: a web process that only stores, a `warmline work` process that answers.
                    web_process = procs.start([sys.executable, "-m", "bots", "serve", "--no-workers"],
                                              {**env, "PORT": str(port := free_port())}, ROOT)
                    web_url = f"http://127.0.0.1:{port}"
                    wait_http(web_url + "/readyz")
                    before = fake_counts(fake_url).get("sendMessage", 0)
                    result = run_load([web_url], "telegram", 6_000_000, ack_requests)
                    # The worker starts after the flood, as if on another machine: this row is the web role's
                    # own capacity (on these 2 shared cores a local worker would take the CPU it needs).
                    worker = procs.start([sys.executable, "-m", "bots", "work"], env, ROOT)
                    rows.append(("telegram webhook in `warmline serve --no-workers` (PostgreSQL; the worker "
                                 "starts after the flood)",
                                 f"{result.rate:,.0f} req/s = {result.rate / bare.rate:.2f}×",
                                 f"p50 {result.p50_ms:.1f} ms, p99 {result.p99_ms:.1f} ms = "
                                 f"{result.p99_ms / bare.p99_ms:.2f}× p99"))
                    deadline = time.monotonic() + 600
                    while fake_counts(fake_url).get("sendMessage", 0) < before + ack_requests:
                        if time.monotonic() > deadline:
                            raise RuntimeError("the worker did not answer the stored events within 10 minutes")
                        time.sleep(0.2)  # let the worker finish that backlog first
                    rate = end_to_end([web_url], fake_url, 7_000_000, e2e_messages)
                    rows.append(("end to end, 1 web + 1 worker process, PostgreSQL",
                                 f"{rate:,.0f} msg/s = {rate / bare.rate:.3f}×", ""))
                    procs.stop(web_process)
                    procs.stop(worker)
                finally:
                    drop_postgres_database(name)
            else:
                rows.append(("end to end, 2 processes, PostgreSQL", "skipped: no server at TEST_DATABASE_URL", ""))
        finally:
            procs.stop_all()

        small, large = lookup_sizes
        sqlite_costs = asyncio.run(sqlite_lookups(workdir, lookup_sizes))
        rows.append((f"find a conversation + read its history, SQLite, {large:,} vs {small:,} messages",
                     f"{sqlite_costs[large] * 1e6:.0f} µs vs {sqlite_costs[small] * 1e6:.0f} µs = "
                     f"{sqlite_costs[large] / sqlite_costs[small]:.2f}×", ""))
        pg_costs = asyncio.run(postgres_lookups(lookup_sizes))
        if pg_costs:
            rows.append((f"find a conversation + read its history, PostgreSQL, {large:,} vs {small:,} messages",
                         f"{pg_costs[large] * 1e6:.0f} µs vs {pg_costs[small] * 1e6:.0f} µs = "
                         f"{pg_costs[large] / pg_costs[small]:.2f}×", ""))

    print(f"\nWarmline load benchmark ({os.cpu_count()} cores, 50 concurrent connections, "
          f"{ack_requests:,} requests per webhook row, {e2e_messages:,} messages end to end)\n")
    print("| measurement | result (ratio to bare aiohttp) | latency |")
    print("|---|---|---|")
    for name, result, latency in rows:
        print(f"| {name} | {result} | {latency} |")


def postgres_database() -> tuple[str, str] | None:
    import asyncpg

    async def create() -> tuple[str, str] | None:
        try:
            admin = await asyncpg.connect(TEST_DATABASE_URL, timeout=3)
        except Exception:
            return None
        name = f"warmline_bench_{uuid.uuid4().hex[:10]}"
        await admin.execute(f'CREATE DATABASE "{name}"')
        await admin.close()
        return name, f"{TEST_DATABASE_URL.rsplit('/', 1)[0]}/{name}"

    return asyncio.run(create())


def drop_postgres_database(name: str) -> None:
    import asyncpg

    async def drop() -> None:
        admin = await asyncpg.connect(TEST_DATABASE_URL, timeout=3)
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()

    asyncio.run(drop())


if __name__ == "__main__":
    main()
