"""Builds the running service from settings: store, core, channel adapters, routes and background workers."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

from adapters import messenger, telegram
from adapters.slack import events as slack_events
from adapters.slack.desk import SlackChannel, SlackDesk, SlackDirectory, make_client
from adapters.slack.markup import to_plain, user_ids
from adapters.slack.webhook import SlackWebhook, build_bolt_app
from adapters.sqlite_store import SQLiteStore
from bots.settings import Settings
from core.content import Content
from core.delivery import CustomerChannel
from core.engine import Engine
from core.inbox import InboxProcessor, Parser
from core.messages import AgentReply, ConversationRef, InboundMessage
from core.pacing import Pacer
from core.sender import Sender
from core.store import InboxItem, Store
from core.understanding import Understander

log = logging.getLogger("warmline")


def is_postgres(database_url: str) -> bool:
    return database_url.startswith(("postgres://", "postgresql://"))


def open_store(database_url: str) -> Store:
    if is_postgres(database_url):
        from adapters.postgres_store import PostgresStore  # asyncpg is only loaded when it is used

        return PostgresStore.from_url(database_url)
    return SQLiteStore.from_url(database_url)


@dataclass
class Service:
    """The parts of a running Warmline, wired together; `web_app()` exposes them over HTTP."""

    settings: Settings
    store: Store
    engine: Engine
    sender: Sender
    processor: InboxProcessor
    telegram_bot: Any = None
    slack_webhook: SlackWebhook | None = None
    telegram_webhook: telegram.TelegramWebhook | None = None
    messenger_webhook: messenger.MessengerWebhook | None = None
    http: aiohttp.ClientSession | None = None
    tasks: list[asyncio.Task[Any]] = field(default_factory=list)
    workers: bool = True  # whether this process processes events and sends (see `start`)

    def wake(self) -> None:
        self.processor.wake()

    def web_app(self, *, telegram_polling: bool = False, workers: bool = True) -> web.Application:
        app = web.Application()
        app.router.add_get("/healthz", self.healthz)
        app.router.add_get("/readyz", self.readyz)
        if self.slack_webhook:
            app.router.add_post("/slack/events", self._waking(self.slack_webhook.handle))
        if self.telegram_webhook:
            app.router.add_post("/telegram/webhook", self._waking(self.telegram_webhook.handle))
        if self.messenger_webhook:
            app.router.add_get("/messenger/webhook", self.messenger_webhook.verify)
            app.router.add_post("/messenger/webhook", self._waking(self.messenger_webhook.handle))
        app.cleanup_ctx.append(lambda _app: self._lifecycle(telegram_polling, workers))
        return app

    def _waking(self, handler):
        async def handle(request: web.Request) -> web.StreamResponse:
            response = await handler(request)
            if response.status == 200:
                self.wake()
            return response
        return handle

    async def _lifecycle(self, telegram_polling: bool, workers: bool) -> AsyncIterator[None]:
        await self.start(telegram_polling=telegram_polling, workers=workers)
        yield
        await self.stop()

    async def start(self, *, telegram_polling: bool = False, web: bool = True, workers: bool = True) -> None:
        """`web`: this process receives platform events (webhook registration, polling). `workers`: it also
        processes them and sends the replies. `warmline serve` does both; with PostgreSQL the two can run in
        separate processes (`serve --no-workers`, `work`)."""
        await self.store.migrate()
        self.workers = workers
        if workers:
            self.tasks.append(asyncio.create_task(self.processor.run(), name="inbox"))
            self.tasks.append(asyncio.create_task(self.sender.run(), name="sender"))
            await self.store.on_new_events(self.processor.wake)
        if self.telegram_bot is not None and web:
            if telegram_polling:
                self.tasks.append(asyncio.create_task(
                    telegram.poll_updates(self.telegram_bot, self.store, self.wake), name="telegram-polling"))
            elif self.settings.public_url:
                self.tasks.append(asyncio.create_task(self._register_telegram(), name="telegram-webhook"))

    async def _register_telegram(self) -> None:
        delay = 2.0
        while True:
            try:
                await telegram.register_webhook(self.telegram_bot, self.settings.public_url,
                                                self.settings.telegram.webhook_secret)
                return
            except Exception as exc:
                log.warning("could not register the Telegram webhook (%s); retrying in %.0fs",
                            telegram.safe_error(exc, self.telegram_bot), delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 300)

    async def stop(self, grace_seconds: float = 10.0) -> None:
        """Let the workers finish what they hold (a PaaS allows about 30 s after SIGTERM), then cancel."""
        self.processor.stop()
        self.sender.stop()
        workers = [t for t in self.tasks if t.get_name() in ("inbox", "sender")]
        for task in self.tasks:
            if task not in workers:
                task.cancel()  # polling and webhook registration hold nothing that needs finishing
        pending = (await asyncio.wait(workers, timeout=grace_seconds))[1] if workers else set()
        for task in pending:
            task.cancel()
        if pending:  # hand what we hold to the next process now instead of when its lease expires
            await asyncio.gather(*pending, return_exceptions=True)
            try:
                await self.store.release(sorted(self.processor.in_flight), sorted(self.sender.in_flight))
            except Exception:
                log.exception("could not release claims; they are taken again when their lease expires")
        await asyncio.gather(*self.tasks, return_exceptions=True)
        self.tasks.clear()
        if self.telegram_bot is not None:
            await self.telegram_bot.shutdown()
        if self.http is not None:
            await self.http.close()
        await self.store.close()

    async def healthz(self, request: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    async def readyz(self, request: web.Request) -> web.Response:
        problems = []
        try:
            await asyncio.wait_for(self.store.ping(), timeout=2)
        except Exception:
            problems.append("database not answering")
        if self.workers and not self.sender.running:
            problems.append("sender not running")
        if self.workers and not self.processor.running:
            problems.append("inbox processor not running")
        status = 503 if problems else 200
        counters = {"sent": self.sender.sent, "failed": self.sender.failed,
                    "possible_duplicates": self.sender.possible_duplicates, "processed": self.processor.processed}
        return web.json_response({"ok": not problems, "problems": problems, **counters}, status=status)


def build_service(settings: Settings, content: Content, *, store: Store | None = None) -> Service:
    store = store or open_store(settings.database_url)
    channels: dict[str, CustomerChannel] = {}
    parsers: dict[str, Parser] = {}
    pieces: dict[str, Any] = {}
    http = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=64)) if (
        settings.slack or settings.messenger) else None
    slack_client = make_client(settings.slack.bot_token, settings.slack.api_url, http) if settings.slack else None
    desk = SlackDesk(slack_client, settings.slack.handoff_channel) if settings.slack else None

    sender = Sender(store, channels, desk, pacer=Pacer(content.rates),
                    desk_unreachable=content.replies["handoff_unavailable"][0])
    engine = Engine(store, Understander(content), desk_available=desk is not None, on_commit=sender.wake)
    processor = InboxProcessor(store, engine, parsers)

    if settings.slack:
        s = settings.slack
        channels["slack"] = SlackChannel(slack_client)
        parsers["slack"] = slack_parser(SlackDirectory(slack_client), s.handoff_channel)
        pieces["slack_webhook"] = SlackWebhook(build_bolt_app(slack_client, s.signing_secret), s.signing_secret,
                                               store)
    if settings.telegram:
        t = settings.telegram
        bot = telegram.make_bot(t.bot_token, t.api_url, t.file_url)
        channels["telegram"] = telegram.TelegramChannel(bot)
        parsers["telegram"] = _sync_parser(lambda item: telegram.parse_update(item.payload))
        pieces["telegram_bot"] = bot
        if t.webhook_secret:
            pieces["telegram_webhook"] = telegram.TelegramWebhook(store, t.webhook_secret)
    if settings.messenger:
        m = settings.messenger
        channels["messenger"] = messenger.MessengerChannel(m.graph_url, m.page_token, http)
        named = messenger.named(messenger.MessengerProfiles(m.graph_url, m.page_token, http))
        parsers["messenger"] = lambda item: named(item.payload)
        pieces["messenger_webhook"] = messenger.MessengerWebhook(store, m.app_secret, m.verify_token)
    return Service(settings, store, engine, sender, processor, http=http, **pieces)


def _sync_parser(fn: Callable[[InboxItem], InboundMessage | None]) -> Parser:
    async def parse(item: InboxItem) -> InboundMessage | None:
        return fn(item)
    return parse


def slack_parser(directory: SlackDirectory, handoff_channel: str) -> Parser:
    """Slack events: a DM is a customer's message, a reply in a handoff thread is an agent's."""

    async def parse(item: InboxItem) -> InboundMessage | AgentReply | None:
        envelope = json.loads(item.payload)
        found = slack_events.classify(envelope, handoff_channel, await directory.me())
        if found is None:
            return None
        names = {uid: await directory.name(uid) for uid in user_ids(found.text)}
        text = to_plain(found.text, names)
        if isinstance(found, slack_events.DirectMessage):
            return InboundMessage(ConversationRef("slack", found.channel), await directory.name(found.user), text,
                                  item.key, item.received_at, ("file",) if found.has_files else ())
        return AgentReply(found.channel, found.thread_ts, await directory.name(found.user), text, item.key,
                          item.received_at)

    return parse
