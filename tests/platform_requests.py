"""Builds webhook requests exactly as each platform sends and signs them."""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from slack_sdk.signature import SignatureVerifier
from telegram import Chat, Message, Update, User

FIXTURES = Path(__file__).with_name("fixtures")
SLACK_SECRET = "slack-signing-secret"
TELEGRAM_SECRET = "telegram_secret-123"
MESSENGER_SECRET = "messenger-app-secret"
MESSENGER_VERIFY = "verify-me"
HANDOFF_CHANNEL = "CHANDOFF"


def fixture(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text())


# -- Slack -----------------------------------------------------------------------------------------------
def slack_headers(body: bytes, secret: str = SLACK_SECRET, timestamp: int | None = None) -> dict[str, str]:
    """Signed with slack_sdk's own SignatureVerifier.generate_signature (v0=HMAC-SHA256 of v0:ts:body)."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body.decode("utf-8", "replace"))
    if not _is_utf8(body):  # generate_signature takes text; sign the raw bytes the same way
        signature = "v0=" + hmac.new(secret.encode(), f"v0:{ts}:".encode() + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature, "Content-Type": "application/json"}


def _is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


_event_ids = iter(range(1, 10**9))


def slack_envelope(event: dict[str, Any], event_id: str | None = None) -> dict[str, Any]:
    return {
        "token": "legacy", "team_id": "T1", "api_app_id": "A1", "event": event, "type": "event_callback",
        "event_id": event_id or f"Ev{next(_event_ids):08d}", "event_time": int(time.time()),
        "authorizations": [{"team_id": "T1", "user_id": "UBOT", "is_bot": True, "is_enterprise_install": False}],
    }


def slack_thread_reply(thread_ts: str, text: str, user: str = "UAGENT", channel: str = HANDOFF_CHANNEL,
                       **extra: Any) -> dict[str, Any]:
    ts = f"{time.time():.6f}"
    return slack_envelope({"type": "message", "user": user, "text": text, "ts": ts, "thread_ts": thread_ts,
                           "channel": channel, "channel_type": "channel", "event_ts": ts, **extra})


def slack_dm(text: str, user: str = "UCUSTOMER", channel: str = "DCUSTOMER") -> dict[str, Any]:
    ts = f"{time.time():.6f}"
    return slack_envelope({"type": "message", "user": user, "text": text, "ts": ts, "channel": channel,
                           "channel_type": "im", "event_ts": ts})


# -- Telegram --------------------------------------------------------------------------------------------
_update_ids = iter(range(1000, 10**9))


def telegram_update(text: str | None, chat_id: int = 555, update_id: int | None = None, first_name: str = "Ann",
                    **message_fields: Any) -> dict[str, Any]:
    """A modern update built with python-telegram-bot's own classes (the shared samples are old shapes)."""
    user = User(id=chat_id, first_name=first_name, is_bot=False, last_name="Lee")
    chat = Chat(id=chat_id, type=Chat.PRIVATE, first_name=first_name)
    message = Message(message_id=update_id or 1, date=datetime.now(UTC), chat=chat, from_user=user, text=text,
                      **message_fields)
    return Update(update_id=update_id or next(_update_ids), message=message).to_dict()


def telegram_headers(secret: str = TELEGRAM_SECRET) -> dict[str, str]:
    return {"X-Telegram-Bot-Api-Secret-Token": secret, "Content-Type": "application/json"}


# -- Messenger -------------------------------------------------------------------------------------------
def messenger_headers(body: bytes, secret: str = MESSENGER_SECRET) -> dict[str, str]:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return {"X-Hub-Signature-256": f"sha256={digest}", "Content-Type": "application/json"}


_mids = iter(range(1, 10**9))


def messenger_item(text: str, psid: str = "1134343043305865", mid: str | None = None) -> dict[str, Any]:
    """A messaging item in the shape of the real sample (fixtures/messenger/message_text.json)."""
    item = copy.deepcopy(fixture("messenger/message_text.json")["entry"][0]["messaging"][0])
    item["sender"]["id"] = psid
    item["timestamp"] = int(time.time() * 1000)
    item["message"]["mid"] = mid or f"mid.{next(_mids)}:{psid}"
    item["message"]["text"] = text
    return item


def messenger_batch(*entries: list[dict[str, Any]]) -> dict[str, Any]:
    """A batch with one entry per list of messaging items (Meta may batch several entries and items)."""
    return {"object": "page", "entry": [{"id": "1691462197845448", "time": int(time.time() * 1000),
                                         "messaging": items} for items in entries]}


def body(data: Any) -> bytes:
    return json.dumps(data).encode()
