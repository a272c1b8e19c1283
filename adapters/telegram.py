"""Telegram: the webhook route, update parsing, sending, webhook registration and a polling loop.

Uses python-telegram-bot's `Bot` with `base_url` (the "custom webhook" pattern) on our own aiohttp app,
instead of its built-in webhook server, which queues updates in memory and compares the secret with `!=`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import warnings
from collections.abc import Callable
from datetime import UTC, datetime

from aiohttp import web
from telegram import Bot
from telegram.error import (
    BadRequest,
    ChatMigrated,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    RetryAfter,
    TelegramError,
)
from telegram.warnings import PTBUserWarning

from adapters.http_input import Rejected, parse_json_object, read_body, same_secret, store_event
from adapters.telegram_http import AiohttpRequest
from core.chunks import split_text
from core.delivery import PermanentSendError, TransientSendError
from core.messages import ConversationRef, InboundMessage
from core.store import Store

log = logging.getLogger("warmline.telegram")

CHANNEL = "telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ALLOWED_UPDATES = ["message"]
MAX_TEXT = 4096
ATTACHMENT_KINDS = ("sticker", "photo", "voice", "audio", "video", "video_note", "animation", "document",
                    "location", "contact")

# `TelegramChannel.send` calls sendMessage through `Bot.do_api_request` on purpose (see there); PTB suggests
# `Bot.send_message` for every method it knows.
warnings.filterwarnings("ignore", message=r"Please use 'Bot\.sendMessage'", category=PTBUserWarning)


def file_url_for(api_url: str) -> str:
    """python-telegram-bot's convention: `…/bot` serves the API, `…/file/bot` serves files."""
    base = api_url.rstrip("/")
    if base.endswith("/bot"):
        return base[: -len("/bot")] + "/file/bot"
    return base + "/file/bot"


def make_bot(token: str, api_url: str, file_url: str | None = None) -> Bot:
    # The pool matches the sender's concurrent sends (core.sender), so no send waits for a connection.
    return Bot(token, base_url=api_url, base_file_url=file_url or file_url_for(api_url),
               request=AiohttpRequest(pool_size=32), get_updates_request=AiohttpRequest(pool_size=2, read_timeout=40))


class TelegramWebhook:
    """POST /telegram/webhook: check the secret header, store the update under its update_id, answer 200."""

    def __init__(self, store: Store, secret: str) -> None:
        self.store = store
        self.secret = secret

    async def handle(self, request: web.Request) -> web.Response:
        try:
            body = await read_body(request)
            if not same_secret(request.headers.get(SECRET_HEADER), self.secret):
                raise Rejected(401, "missing or wrong secret token")
            update = parse_json_object(body)
            update_id = update.get("update_id")
            if not isinstance(update_id, int) or isinstance(update_id, bool):
                raise Rejected(400, "update has no integer update_id")
        except Rejected as rejected:
            return rejected.response()
        return await store_event(self.store, CHANNEL, str(update_id), body.decode("utf-8"), order_key(update))


def order_key(update: dict) -> str | None:
    """The chat an update belongs to, so one chat's updates are processed in order."""
    for field in ("message", "edited_message", "callback_query"):
        body = update.get(field)
        if isinstance(body, dict):
            chat = (body.get("message") or body).get("chat") if field == "callback_query" else body.get("chat")
            if isinstance(chat, dict) and chat.get("id") is not None:
                return f"{CHANNEL}:{chat['id']}"
    return None


def parse_update(payload: str) -> InboundMessage | None:
    """A customer's message from a private chat; None for edits, group chats, channel posts and the rest.

    Read straight from the JSON: python-telegram-bot's `Update.de_json` builds the whole object tree (~120 us an
    update, a tenth of a message's processing) for the five fields we use. Tests check that it reads updates
    built with python-telegram-bot's own classes exactly as python-telegram-bot does."""
    update = json.loads(payload)
    message = update.get("message")
    if not isinstance(message, dict):
        return None
    chat, user = message.get("chat"), message.get("from")
    if not isinstance(chat, dict) or chat.get("type") != "private" or not isinstance(user, dict):
        return None
    if user.get("is_bot"):
        return None
    text = message.get("text") or message.get("caption") or ""
    date = message.get("date")
    name = " ".join(str(part) for part in (user.get("first_name"), user.get("last_name")) if part)
    return InboundMessage(
        ref=ConversationRef(CHANNEL, str(chat["id"])),
        sender_name=name or str(user.get("id")),
        text=text if isinstance(text, str) else "",
        delivery_id=str(update["update_id"]),
        received_at=datetime.fromtimestamp(date, UTC) if isinstance(date, int) else datetime.now(UTC),
        attachments=tuple(kind for kind in ATTACHMENT_KINDS if message.get(kind)),
    )


class TelegramChannel:
    name = CHANNEL

    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self._init_lock = asyncio.Lock()

    async def ensure_initialized(self) -> None:
        async with self._init_lock:
            await self.bot.initialize()  # getMe once; fails while Telegram is unreachable, retried by the caller

    async def send(self, address: str, text: str, *, from_human: bool, last_customer_at: datetime | None) -> None:
        try:
            await self.ensure_initialized()
            # Queued replies already fit (core/chunks.py); this only guards a direct caller.
            for part in split_text(text, MAX_TEXT):
                # PTB's own request, encoding and error mapping, minus `send_message`'s parse of the sent
                # message into a `Message`, which nothing here reads: that parse was 11% of the end-to-end
                # time, and skipping it gave 13% more messages/s (benchmarks/load.py, same-run A/B).
                await self.bot.do_api_request("sendMessage", {"chat_id": int(address), "text": part})
        except RetryAfter as exc:
            delay = exc._retry_after  # a timedelta; the public property warns while PTB migrates its type
            raise TransientSendError("rate limited by Telegram", delay.total_seconds()) from None
        except Forbidden as exc:
            raise PermanentSendError(f"Telegram refused: {exc.message} (the customer may have blocked the bot)") \
                from None
        except (InvalidToken, EndPointNotFound):  # the token was revoked; InvalidToken's message quotes it
            raise PermanentSendError("Telegram rejected the bot token (check TELEGRAM_BOT_TOKEN)") from None
        except (BadRequest, ChatMigrated) as exc:
            raise PermanentSendError(f"Telegram refused: {safe_error(exc, self.bot)}") from None
        except TelegramError as exc:  # TimedOut, NetworkError, 5xx
            raise TransientSendError(f"Telegram unavailable: {safe_error(exc, self.bot)}") from None


def safe_error(exc: BaseException, bot: Bot) -> str:
    """An error's text fit for logs and for agents: the bot token appears in Bot API URLs, and some errors
    (InvalidToken, network errors carrying the URL) quote it."""
    return str(exc).replace(bot.token, "<TELEGRAM_BOT_TOKEN>") or type(exc).__name__


async def register_webhook(bot: Bot, public_url: str, secret: str) -> None:
    url = public_url.rstrip("/") + "/telegram/webhook"
    await bot.initialize()  # Bot.shutdown() skips a bot never initialised, leaving this call's HTTP session open
    await bot.set_webhook(url=url, secret_token=secret, allowed_updates=ALLOWED_UPDATES)
    log.info("Telegram webhook registered at %s", url)


async def poll_updates(bot: Bot, store: Store, on_stored: Callable[[], None]) -> None:
    """--telegram-polling: long-poll getUpdates into the same inbox (for a laptop with no public URL)."""
    offset: int | None = None
    webhook_removed = False
    failures = 0
    while True:
        try:
            if not webhook_removed:
                webhook_removed = await bot.delete_webhook()  # getUpdates is refused while a webhook is set
            updates = await bot.get_updates(offset=offset, timeout=30, allowed_updates=ALLOWED_UPDATES)
            for update in updates:
                # Stored before the offset moves past it: a failure here fetches it again instead of losing it.
                data = update.to_dict()
                await store.inbox_add(CHANNEL, str(update.update_id), json.dumps(data), datetime.now(UTC),
                                      order_key(data))
                offset = update.update_id + 1
            failures = 0
        except Exception as exc:  # Telegram or the database unavailable: back off and try again
            failures += 1
            delay = min(60.0, 2.0**failures)
            log.warning("Telegram polling failed (%s); retrying in %.0fs", type(exc).__name__, delay)
            await asyncio.sleep(delay)
            continue
        if updates:
            on_stored()
