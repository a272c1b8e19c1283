"""Facebook Messenger: the verification handshake, signed webhook batches, customers' names, and the Send API
over aiohttp."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
from aiohttp import web

from adapters.http_input import Rejected, parse_json_object, read_body, same_secret, store_event
from core.chunks import split_text
from core.delivery import PermanentSendError, TransientSendError
from core.messages import ConversationRef, InboundMessage
from core.store import Store

log = logging.getLogger("warmline.messenger")

CHANNEL = "messenger"
SIGNATURE_HEADER = "X-Hub-Signature-256"
MAX_TEXT = 2000
WINDOW = timedelta(hours=24)  # automated replies only within 24 h of the customer's last message
HUMAN_AGENT_WINDOW = timedelta(days=7)  # a person may answer for 7 days with the HUMAN_AGENT tag
RATE_LIMIT_CODES = {4, 17, 32, 613}


def signature(app_secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def handshake(request: web.Request, verify_token: str) -> web.Response:
    """GET /messenger/webhook: echo hub.challenge when the verify token matches (403 otherwise)."""
    mode = request.query.get("hub.mode")
    token = request.query.get("hub.verify_token")
    challenge = request.query.get("hub.challenge")
    if mode is None or token is None or challenge is None:
        return web.json_response({"ok": False, "error": "missing hub.mode, hub.verify_token or hub.challenge"},
                                 status=400)
    if mode != "subscribe" or not same_secret(token, verify_token):
        return web.json_response({"ok": False, "error": "verification failed"}, status=403)
    return web.Response(text=challenge)


class MessengerWebhook:
    """POST /messenger/webhook: verify the signature over the raw body, store every messaging item of the
    batch under its message id (echoes and delivery/read receipts are skipped), answer 200."""

    def __init__(self, store: Store, app_secret: str, verify_token: str, channel: str = CHANNEL) -> None:
        self.store = store
        self.app_secret = app_secret
        self.verify_token = verify_token
        self.channel = channel

    async def verify(self, request: web.Request) -> web.Response:
        return handshake(request, self.verify_token)

    async def handle(self, request: web.Request) -> web.Response:
        try:
            body = await read_body(request)
            if not same_secret(request.headers.get(SIGNATURE_HEADER), signature(self.app_secret, body)):
                raise Rejected(401, "missing or wrong X-Hub-Signature-256")
            data = parse_json_object(body)
            items = list(messaging_items(data))
        except Rejected as rejected:
            return rejected.response()
        response = web.json_response({"ok": True})
        for key, item in items:
            sender = item["sender"]["id"]
            response = await store_event(self.store, self.channel, key, json.dumps(item), f"{self.channel}:{sender}")
            if response.status != 200:
                break  # the batch comes again; items already stored are deduplicated then
        return response


def messaging_items(data: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(delivery key, item) for every customer message or postback in every entry of a batch."""
    entries = data.get("entry", [])
    if not isinstance(entries, list):
        raise Rejected(400, "entry is not a list")
    found = []
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("messaging", []), list):
            raise Rejected(400, "malformed entry")
        for item in entry.get("messaging", []):
            if not isinstance(item, dict):
                raise Rejected(400, "malformed messaging item")
            message, postback = item.get("message"), item.get("postback")
            sender = (item.get("sender") or {}).get("id") if isinstance(item.get("sender"), dict) else None
            if isinstance(message, dict) and not message.get("is_echo") and message.get("mid") and sender:
                found.append((str(message["mid"]), item))
            elif isinstance(postback, dict) and sender:
                key = postback.get("mid") or f"postback:{sender}:{item.get('timestamp')}"
                found.append((str(key), item))
    return found


def named(profiles: MessengerProfiles) -> Callable[[str], Awaitable[InboundMessage | None]]:
    """`parse_item` with the customer's name from their profile when Meta gives it."""
    async def parse(payload: str) -> InboundMessage | None:
        message = parse_item(payload)
        if message is None:
            return None
        name = await profiles.name(message.ref.address)
        return replace(message, sender_name=name) if name else message
    return parse


def parse_item(payload: str, channel: str = CHANNEL) -> InboundMessage | None:
    item = json.loads(payload)
    sender = str(item["sender"]["id"])
    message = item.get("message") or {}
    postback = item.get("postback") or {}
    text = message.get("text") or postback.get("title") or ""
    attachments = tuple(str(a.get("type", "file")) for a in message.get("attachments", []) if isinstance(a, dict))
    stamp = item.get("timestamp")
    received = datetime.fromtimestamp(stamp / 1000, UTC) if isinstance(stamp, int | float) else datetime.now(UTC)
    return InboundMessage(
        ref=ConversationRef(channel, sender),
        sender_name=f"{channel.title()} user {sender[-4:]}",
        text=text,
        delivery_id=str(message.get("mid") or postback.get("mid") or stamp),
        received_at=received,
        attachments=attachments,
    )


class MessengerProfiles:
    """Customers' names from the Graph API's User Profile API, so agents see "Ann Lee" rather than a number.

    Asked once per customer and process (remembered, bounded); any failure (Business apps need Meta's "Business
    Asset User Profile Access", a slow Graph) falls back to "Messenger user 1234" at once and is not asked again
    for a while, so a missing permission costs one request, not one per message."""

    def __init__(self, graph_url: str, page_token: str, session: aiohttp.ClientSession, *, timeout: float = 2.0,
                 remember: int = 10_000, retry_after: float = 3600.0) -> None:
        self.base = graph_url.rstrip("/")
        self.page_token = page_token
        self.session = session
        self.timeout = timeout
        self.retry_after = retry_after
        self._names: OrderedDict[str, tuple[str | None, float]] = OrderedDict()
        self._remember = remember

    async def name(self, psid: str) -> str | None:
        known = self._names.get(psid)
        if known is not None and (known[0] is not None or time.monotonic() < known[1]):
            self._names.move_to_end(psid)
            return known[0]
        name = await self._ask(psid)
        self._names[psid] = (name, time.monotonic() + self.retry_after)
        if len(self._names) > self._remember:
            self._names.popitem(last=False)
        return name

    async def _ask(self, psid: str) -> str | None:
        try:
            async with self.session.get(f"{self.base}/{psid}", params={
                    "fields": "first_name,last_name", "access_token": self.page_token},
                    timeout=aiohttp.ClientTimeout(total=self.timeout)) as resp:
                profile = await resp.json(content_type=None) if resp.status == 200 else {}
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            log.info("no Messenger profile for a customer (%s); using their short id", type(exc).__name__)
            return None
        if not isinstance(profile, dict):
            return None
        name = " ".join(str(profile[k]) for k in ("first_name", "last_name") if profile.get(k))
        return name or None


class MessengerChannel:
    """Send API client. The page token goes in the query string as the Send API documents; URLs are never
    logged."""

    name = CHANNEL

    def __init__(self, graph_url: str, page_token: str, session: aiohttp.ClientSession) -> None:
        self.url = graph_url.rstrip("/") + "/me/messages"
        self.page_token = page_token
        self.session = session

    async def send(self, address: str, text: str, *, from_human: bool, last_customer_at: datetime | None) -> None:
        age = datetime.now(UTC) - last_customer_at if last_customer_at else timedelta(0)
        if age <= WINDOW:
            envelope: dict[str, Any] = {"messaging_type": "RESPONSE"}
        elif from_human and age <= HUMAN_AGENT_WINDOW:
            envelope = {"messaging_type": "MESSAGE_TAG", "tag": "HUMAN_AGENT"}
        else:
            raise PermanentSendError("the Messenger messaging window has closed (the customer last wrote "
                                     f"{age.days} days ago)")
        # Queued replies already fit (core/chunks.py); this only guards a direct caller.
        for part in split_text(text, MAX_TEXT):
            await self._post({"recipient": {"id": address}, "message": {"text": part}, **envelope})

    async def _post(self, body: dict[str, Any]) -> None:
        try:
            async with self.session.post(self.url, params={"access_token": self.page_token}, json=body,
                                         timeout=aiohttp.ClientTimeout(total=20)) as resp:
                if resp.status < 300:
                    return
                retry_after = _seconds(resp.headers.get("Retry-After"))
                try:
                    error = (await resp.json(content_type=None)).get("error", {})
                except (ValueError, AttributeError, aiohttp.ContentTypeError):
                    error = {}
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise TransientSendError(f"Messenger unreachable: {type(exc).__name__}") from None
        message = f"Messenger error {resp.status}: {error.get('message', 'no details')}"
        if resp.status == 429 or error.get("code") in RATE_LIMIT_CODES or resp.status >= 500:
            raise TransientSendError(message, retry_after)
        raise PermanentSendError(message)


def _seconds(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None
