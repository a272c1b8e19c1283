"""POST /slack/events: our own checks first (size, timestamp, signature, UTF-8, JSON); then an Events API
callback is stored under its event_id before the 200 goes out (a bot's message, ours echoed back included, is
only acknowledged: it is never relayed), and anything else goes to slack-bolt.

Why not hand event callbacks to bolt too: bolt calls auth.test on its first request and, if that fails, answers
200 with an apology (the event acknowledged and lost) or 500; it answers 500 for a non-numeric timestamp or a
non-UTF-8 body and 404 for types without a listener; and it acknowledges before its listeners run. Storing a
verified event needs none of that. bolt keeps what it is good at: url_verification, ssl_check and interactive
payloads (form-encoded `payload=`), each acknowledged with 200.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from adapters.http_input import Rejected, decode_utf8, parse_json, read_body, same_secret, store_event
from adapters.slack.events import from_a_bot
from core.store import Store

log = logging.getLogger("warmline.slack")

CHANNEL = "slack"
MAX_SKEW = 300  # seconds: Slack's replay window


def sign(signing_secret: str, timestamp: str, body: bytes) -> str:
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(signing_secret.encode(), base, hashlib.sha256).hexdigest()


def build_bolt_app(client: AsyncWebClient, signing_secret: str) -> AsyncApp:
    # SlackWebhook has already checked the timestamp and the signature over the raw bytes (bolt would answer 500
    # for some bad headers), so bolt's own verification would only repeat that work.
    app = AsyncApp(client=client, signing_secret=signing_secret, process_before_response=True,
                   request_verification_enabled=False)

    @app.middleware
    async def acknowledge(req: AsyncBoltRequest, resp: BoltResponse, next) -> BoltResponse:  # noqa: A002
        # Every authenticated type is acknowledged, handled or not (bolt would answer 404 without a listener).
        return BoltResponse(status=200, body="")

    return app


def order_key(envelope: dict) -> str | None:
    """A DM or a handoff thread: its events are processed in order."""
    event = envelope.get("event")
    if not isinstance(event, dict) or not isinstance(event.get("channel"), str):
        return None
    thread = event.get("thread_ts")
    return f"{CHANNEL}:{event['channel']}" + (f":{thread}" if isinstance(thread, str) else "")


class SlackWebhook:
    def __init__(self, bolt_app: AsyncApp, signing_secret: str, store: Store,
                 clock: Callable[[], float] = time.time) -> None:
        self.bolt_app = bolt_app
        self.signing_secret = signing_secret
        self.store = store
        self.clock = clock

    async def handle(self, request: web.Request) -> web.Response:
        try:
            body = await read_body(request)
            self._authenticate(request, body)
            text = decode_utf8(body)
            envelope = self._check_shape(request, text)
        except Rejected as rejected:
            return rejected.response()
        if envelope is not None and envelope.get("type") == "event_callback":
            if from_a_bot(envelope):  # our own posts come back as events: acknowledged, not stored
                return web.Response(status=200)
            return await self._store(envelope, text)
        bolt_request = AsyncBoltRequest(body=text, query=request.query_string, headers=dict(request.headers))
        return await to_aiohttp_response(await self.bolt_app.async_dispatch(bolt_request))

    async def _store(self, envelope: dict[str, Any], text: str) -> web.Response:
        event_id = envelope.get("event_id")
        if not event_id:
            log.warning("an event callback without event_id: acknowledged, nothing to store")
            return web.Response(status=200)
        return await store_event(self.store, CHANNEL, str(event_id), text, order_key(envelope))

    def _authenticate(self, request: web.Request, body: bytes) -> None:
        timestamp = request.headers.get("X-Slack-Request-Timestamp", "")
        if not timestamp.isdigit() or abs(self.clock() - int(timestamp)) > MAX_SKEW:
            raise Rejected(401, "missing or stale X-Slack-Request-Timestamp")
        if not same_secret(request.headers.get("X-Slack-Signature"), sign(self.signing_secret, timestamp, body)):
            raise Rejected(401, "missing or wrong X-Slack-Signature")

    @staticmethod
    def _check_shape(request: web.Request, text: str) -> dict[str, Any] | None:
        """The JSON envelope of an Events API request; None for a form-encoded interactive payload."""
        if request.content_type == "application/x-www-form-urlencoded":
            payload = parse_qs(text).get("payload")
            if payload:
                parse_json(payload[0])
            return None
        envelope = parse_json(text)
        if not isinstance(envelope, dict):
            raise Rejected(400, "body is not a JSON object")
        return envelope
