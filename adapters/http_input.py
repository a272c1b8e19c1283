"""Reading an untrusted webhook body: size limit, UTF-8, JSON with bounded nesting. One clear status each."""

from __future__ import annotations

import hmac
import json
import logging
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from core.store import Store

log = logging.getLogger("warmline.webhooks")

MAX_BODY = 1024 * 1024  # 1 MiB
MAX_DEPTH = 64


class Rejected(Exception):
    """The request gets `status` and no processing."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason

    def response(self) -> web.Response:
        return web.json_response({"ok": False, "error": self.reason}, status=self.status)


async def read_body(request: web.Request) -> bytes:
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise Rejected(413, "body larger than 1 MiB")
    try:
        body = await request.content.read(MAX_BODY + 1)
    except Exception as exc:  # a client that hangs up mid-body
        raise Rejected(400, "could not read the body") from exc
    if len(body) > MAX_BODY:
        raise Rejected(413, "body larger than 1 MiB")
    return body


def decode_utf8(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise Rejected(400, "body is not UTF-8") from None


def parse_json(text: str) -> Any:
    try:
        data = json.loads(text)
    except RecursionError:  # json.loads gives up on ~1000 levels (a 2 KB body)
        raise Rejected(400, "JSON nested too deeply") from None
    except ValueError:
        raise Rejected(400, "body is not valid JSON") from None
    if _too_deep(data):
        raise Rejected(400, "JSON nested too deeply")
    return data


def parse_json_object(body: bytes) -> dict[str, Any]:
    data = parse_json(decode_utf8(body))
    if not isinstance(data, dict):
        raise Rejected(400, "body is not a JSON object")
    return data


async def store_event(store: Store, channel: str, key: str, payload: str, order_key: str | None = None
                      ) -> web.Response:
    """Persist a verified event before acknowledging it; 503 makes the platform deliver it again later."""
    try:
        await store.inbox_add(channel, key, payload, datetime.now(UTC), order_key)
    except Exception:
        log.exception("could not store a %s event; answering 503 so it is retried", channel)
        return web.json_response({"ok": False, "error": "storage unavailable"}, status=503)
    return web.json_response({"ok": True})


def same_secret(given: str | bytes | None, expected: str | bytes) -> bool:
    """Constant-time comparison that treats a missing value as a mismatch."""
    if given is None:
        return False
    a = given.encode() if isinstance(given, str) else given
    b = expected.encode() if isinstance(expected, str) else expected
    return hmac.compare_digest(a, b)


def _too_deep(data: Any) -> bool:
    """Whether containers nest deeper than MAX_DEPTH (checked without recursion)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            return True
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values() if isinstance(v, (dict, list)))
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value if isinstance(v, (dict, list)))
    return False
