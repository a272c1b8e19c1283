"""The `warmline` command line: serve, work, chat, replay, migrate."""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import logging
import signal
import sys
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from aiohttp import web

import config
from adapters import console
from adapters.database_url import without_password
from bots.app import build_service, is_postgres, open_store
from bots.settings import Settings, SettingsError, load_settings, read_environment
from core.engine import Engine
from core.inbox import InboxProcessor
from core.messages import ConversationRef
from core.relaying import is_internal
from core.replay import ReplayError, Summary, replay
from core.sender import Sender
from core.store import StoreUnavailable
from core.understanding import Understander

log = logging.getLogger("warmline")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="warmline",
        description="Answer customers on their chat apps and hand frustrated ones, with context, to a person "
                    "on call in Slack. Settings come from the environment and a .env file (see README).")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve = sub.add_parser("serve", help="run the web server with every channel whose credentials are set",
                           description="Listen on HOST:PORT with every configured channel; apply migrations "
                                       "first. Routes: /slack/events, /telegram/webhook, /messenger/webhook, "
                                       "/healthz, /readyz.")
    serve.add_argument("--telegram-polling", action="store_true",
                       help="fetch Telegram updates by long polling instead of a webhook (for a laptop with "
                            "no public URL; TELEGRAM_WEBHOOK_SECRET is then not needed)")
    serve.add_argument("--no-workers", action="store_true",
                       help="only receive and store events; `warmline work` processes (needs PostgreSQL)")
    sub.add_parser("work", help="process stored events and send replies, without a web server (needs PostgreSQL)",
                   description="Process what `warmline serve --no-workers` processes store and send the replies; "
                               "run as many as the load needs. Stops cleanly on SIGTERM.")
    sub.add_parser("chat", help="talk to the bot in the terminal and answer as the agent; no credentials",
                   description="Talk to the bot as a customer. A handoff is shown as it would appear in "
                               "Slack; answer as the agent with /agent <text>. Type /help for commands.")
    rep = sub.add_parser("replay", help="run recorded conversations (JSON Lines) through scoring and handoff",
                         description="Read JSON Lines {conversation, role, text, ts?} and print one JSON line "
                                     "per customer message: {conversation, turn, sentiment, frustration, "
                                     "handoff, reason}. A summary goes to stderr. Exit status 2 names a "
                                     "malformed line.")
    rep.add_argument("file", nargs="?", default="-", help="input file; '-' or omitted reads stdin")
    sub.add_parser("migrate", help="create or upgrade the database schema (the Procfile release step)")
    args = parser.parse_args(argv)

    env = read_environment()
    try:
        settings = load_settings(env, telegram_polling=getattr(args, "telegram_polling", False))
        content = config.load_content(settings.config_path)
    except SettingsError as exc:
        for problem in exc.problems:
            print(f"warmline: {problem}", file=sys.stderr)
        return 2
    except config.ConfigError as exc:
        print(f"warmline: {exc}", file=sys.stderr)
        return 2
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("httpx", "aiohttp.access", "slack_bolt"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLevelName(settings.log_level)))

    split = args.command == "work" or getattr(args, "no_workers", False)
    if split and not is_postgres(settings.database_url):
        print("warmline: `serve --no-workers` and `work` need PostgreSQL (DATABASE_URL=postgresql://...): "
              "several processes must share one database; with SQLite, run one `warmline serve`",
              file=sys.stderr)
        return 2
    try:
        if args.command == "serve":
            return serve_command(settings, content, args.telegram_polling, workers=not args.no_workers)
        if args.command == "work":
            asyncio.run(work(settings, content))
            return 0
        if args.command == "migrate":
            asyncio.run(_migrate(settings))
            print(f"warmline: schema is up to date ({without_password(settings.database_url)})")
            return 0
        if args.command == "replay":
            return replay_command(args.file, content)
        return asyncio.run(chat(settings, content))
    except StoreUnavailable as exc:
        print(f"warmline: {exc}. Check DATABASE_URL.", file=sys.stderr)
        return 2


def serve_command(settings: Settings, content: config.Content, telegram_polling: bool, *, workers: bool = True
                  ) -> int:
    if not settings.customer_channels:
        log.warning("no channel is configured: set Telegram, Messenger or Slack variables (see README); "
                    "try `warmline chat` to talk to the bot without any")
    elif settings.slack is None:
        log.warning("Slack is not configured: handoffs cannot reach anyone. Customers who need a person are "
                    "told so honestly and their handoff is recorded for follow-up")
    try:
        asyncio.run(serve(settings, content, telegram_polling, workers=workers))
    except CannotListen as exc:  # port taken, address not available
        print(f"warmline: cannot listen on {settings.host}:{settings.port}: {exc} (check HOST and PORT)",
              file=sys.stderr)
        return 2
    return 0


class CannotListen(Exception):
    """Binding HOST:PORT failed (taken, not an address of this machine): told apart from other OSErrors."""


async def serve(settings: Settings, content: config.Content, telegram_polling: bool, *, workers: bool = True
                ) -> None:
    """Serve until SIGTERM or SIGINT; then stop accepting, let in-flight work finish, and exit."""
    service = build_service(settings, content)
    runner = web.AppRunner(service.web_app(telegram_polling=telegram_polling, workers=workers), shutdown_timeout=10)
    await runner.setup()
    try:
        try:
            await web.TCPSite(runner, settings.host, settings.port).start()
        except OSError as exc:
            raise CannotListen(exc.strerror or str(exc)) from exc
        log.info("listening on %s:%d with channels: %s", settings.host, settings.port,
                 ", ".join(settings.customer_channels) or "none")
        tune_for_serving()
        await _until_stopped()
    finally:
        await runner.cleanup()


async def work(settings: Settings, content: config.Content) -> None:
    """Process events and send replies until SIGTERM or SIGINT, then finish what is in hand and exit."""
    service = build_service(settings, content)
    try:
        await service.start(web=False)
        log.info("working with channels: %s", ", ".join(settings.customer_channels) or "none")
        tune_for_serving()
        await _until_stopped()
    finally:
        await service.stop()


SWITCH_INTERVAL = 0.001  # seconds; Python's default is 0.005


def tune_for_serving() -> None:
    """Two runtime settings for a long-running server, applied once start-up is done.

    What start-up built (VADER's lexicon, the FAQ index, imported modules) lives as long as the process: it is
    taken out of the garbage collector's view, so a full collection scans only newer objects. Each full
    collection otherwise paused the event loop for ~30 ms, stalling every request in flight.

    The event loop shares the GIL with the database and understanding threads. When it comes back from I/O while
    one of them runs Python code, it waits up to the switch interval before Python hands the GIL back, and every
    request in flight waits with it. At 1 ms instead of 5 ms, the webhook acknowledgement p99 measured 10.1-11.7 ms
    instead of 12.5-13.1 ms, with 4-10% more requests/s (four side-by-side runs of benchmarks/load.py's ack path
    against the old code, 2 cores)."""
    gc.collect()
    gc.freeze()
    sys.setswitchinterval(SWITCH_INTERVAL)


async def _until_stopped() -> None:
    """Wait for SIGTERM (a PaaS stopping the process) or SIGINT (Ctrl-C)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    log.info("stopping: finishing in-flight work")


async def _migrate(settings: Settings) -> None:
    store = open_store(settings.database_url)
    try:
        await store.migrate()
    finally:
        await store.close()


def replay_command(path: str, content: config.Content) -> int:
    understander = Understander(content)
    summary = Summary()
    stream = sys.stdin if path == "-" else None
    try:
        handle = stream or open(path, encoding="utf-8")  # noqa: SIM115
    except OSError as exc:
        print(f"warmline replay: cannot read {path}: {exc.strerror}", file=sys.stderr)
        return 2
    try:
        for result in replay(handle, understander, summary):
            sys.stdout.write(json.dumps(result) + "\n")
    except ReplayError as exc:
        print(f"warmline replay: {exc}", file=sys.stderr)
        return 2
    except UnicodeDecodeError:
        print(f"warmline replay: {path} is not UTF-8", file=sys.stderr)
        return 2
    finally:
        if handle is not sys.stdin:
            handle.close()
    sys.stdout.flush()  # the results first, then the summary, when both go to one terminal or file
    print(summary.text(), file=sys.stderr)
    return 0


CHAT_HELP = """Commands:
  <text>           write as the customer
  /agent <text>    answer as the agent in the handoff thread (start with note: or // to keep it internal)
  /back            the agent hands the conversation back to the bot
  /new             start over as a new customer
  /quit            leave"""


async def chat(settings: Settings, content: config.Content) -> int:
    """The whole flow in a terminal: same core, store and sender; the terminal plays customer and desk."""
    store = open_store(settings.database_url)
    await store.migrate()
    desk = console.ConsoleDesk()
    sender = Sender(store, {console.CHANNEL: console.ConsoleChannel()}, desk)
    engine = Engine(store, Understander(content), desk_available=True)

    async def customer(item):
        return console.parse_customer(item.payload, item.key)

    async def agent(item):
        return console.parse_agent(item.payload, item.key)

    processor = InboxProcessor(store, engine, {console.CHANNEL: customer, console.DESK: agent})
    address = f"terminal-{uuid.uuid4().hex[:6]}"
    print(f"Warmline chat — you are a customer of {content.company}. Type /help for commands.")
    try:
        while True:
            try:
                line = (await asyncio.to_thread(input, "  you> ")).strip()
            except EOFError:
                break
            if not line:
                continue
            if line in ("/quit", "/exit"):
                break
            if line == "/help":
                print(CHAT_HELP)
                continue
            if line == "/new":
                address = f"terminal-{uuid.uuid4().hex[:6]}"
                print("(a new customer starts a conversation)")
                continue
            conv = await store.conversation_for(ConversationRef(console.CHANNEL, address), "You",
                                                datetime.now(UTC))
            if line == "/back":
                if await engine.hand_back(conv.id, "agent:Agent", datetime.now(UTC)) is None:
                    print("(the bot already owns this conversation)")
            elif line.startswith("/agent"):
                text = line[len("/agent"):].strip()
                if not conv.with_people:
                    print("(no handoff yet: ask for a person or get frustrated first)")
                    continue
                await store.inbox_add(console.DESK, uuid.uuid4().hex, console.agent_event(conv.id, text),
                                      datetime.now(UTC), conv.id)
                if is_internal(text):
                    print("  (internal note: stays in the Slack thread, not sent to the customer)")
            elif line.startswith("/"):
                print("(unknown command; /help lists them)")
                continue
            else:
                await store.inbox_add(console.CHANNEL, uuid.uuid4().hex, console.customer_event(line, "You", address),
                                      datetime.now(UTC), address)
            await processor.drain()
            await sender.drain()
    finally:
        await store.close()
    return 0
