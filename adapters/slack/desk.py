"""The handoff desk in Slack (a thread per handoff in the on-call channel) and customer DMs, with Slack's
failures sorted into "retry later" and "give up"."""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from datetime import datetime
from typing import Any, TypeVar

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.card import card_blocks, card_text
from adapters.slack.markup import escape
from core.delivery import PermanentSendError, TransientSendError
from core.handoff_card import HandoffCard

log = logging.getLogger("warmline.slack")
T = TypeVar("T")

HANDOFF_EVENT = "warmline_handoff"  # message metadata event_type marking our handoff cards
TRANSIENT_ERRORS = {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"}


def make_client(token: str, api_url: str, session: aiohttp.ClientSession | None = None) -> AsyncWebClient:
    """Pass a shared session: without one, slack_sdk opens a new connection pool for every call."""
    return AsyncWebClient(token=token, base_url=api_url if api_url.endswith("/") else api_url + "/", timeout=20,
                          session=session)


async def call_slack(call: Awaitable[T]) -> T:
    """Run one Web API call, translating failures into the core's retry classes."""
    try:
        return await call
    except SlackApiError as exc:
        status = exc.response.status_code
        error = exc.response.get("error") if isinstance(exc.response.data, dict) else None
        if status == 429 or status >= 500 or error in TRANSIENT_ERRORS:
            retry_after = exc.response.headers.get("Retry-After") or exc.response.headers.get("retry-after")
            raise TransientSendError(f"Slack error {status} {error or ''}".strip(),
                                     float(retry_after) if retry_after and retry_after.isdigit() else None) from None
        raise PermanentSendError(f"Slack refused: {error or status}") from None
    except (aiohttp.ClientError, TimeoutError) as exc:
        raise TransientSendError(f"Slack unreachable: {type(exc).__name__}") from None


class SlackDesk:
    name = "slack"

    def __init__(self, client: AsyncWebClient, channel: str) -> None:
        self.client = client
        self.channel = channel
        self.address = channel

    async def open_thread(self, card: HandoffCard, since: datetime) -> tuple[str, str]:
        earlier = await self._find_card(card.conversation_id, since)
        if earlier is not None:
            log.info("handoff card for %s was already posted; reusing it", card.conversation_id)
            return self.channel, earlier
        resp = await call_slack(self.client.chat_postMessage(
            channel=self.channel, text=card_text(card), blocks=card_blocks(card), unfurl_links=False,
            unfurl_media=False, metadata={"event_type": HANDOFF_EVENT,
                                          "event_payload": {"conversation_id": card.conversation_id}}))
        return resp["channel"], resp["ts"]

    async def _find_card(self, conversation_id: str, since: datetime) -> str | None:
        """Look for a card posted before a crash kept us from recording it (idempotent thread opening)."""
        cursor = None
        while True:
            resp = await call_slack(self.client.conversations_history(
                channel=self.channel, oldest=f"{since.timestamp():.6f}", include_all_metadata=True, limit=200,
                cursor=cursor))
            for message in resp.get("messages", []):
                if _is_card_for(message, conversation_id):
                    return message["ts"]
            cursor = (resp.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return None

    async def post(self, desk_channel: str, thread: str, text: str, *, author: str) -> None:
        prefix = ":speech_balloon: *Customer:* " if author == "customer" else ""
        await call_slack(self.client.chat_postMessage(
            channel=desk_channel, thread_ts=thread, text=prefix + escape(text), unfurl_links=False,
            unfurl_media=False))


def _is_card_for(message: dict[str, Any], conversation_id: str) -> bool:
    metadata = message.get("metadata") or {}
    payload = metadata.get("event_payload") or {}
    return metadata.get("event_type") == HANDOFF_EVENT and payload.get("conversation_id") == conversation_id


class SlackChannel:
    """Customers who write to the bot in a Slack DM are answered in that DM."""

    name = "slack"

    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client

    async def send(self, address: str, text: str, *, from_human: bool, last_customer_at: datetime | None) -> None:
        await call_slack(self.client.chat_postMessage(channel=address, text=escape(text),
                                                              unfurl_links=False, unfurl_media=False))


class SlackDirectory:
    """Display names of Slack users, cached (agents' names on relayed replies, mentions made readable)."""

    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client
        self._names: dict[str, str] = {}
        self.bot_user_id: str | None = None

    async def me(self) -> str | None:
        if self.bot_user_id is None:
            try:
                self.bot_user_id = (await self.client.auth_test()).get("user_id")
            except (SlackApiError, aiohttp.ClientError, TimeoutError):
                log.warning("auth.test failed; relying on event fields to skip the bot's own messages")
        return self.bot_user_id

    async def name(self, user_id: str) -> str:
        if user_id not in self._names:
            try:
                user = (await self.client.users_info(user=user_id)).get("user") or {}
                profile = user.get("profile") or {}
                self._names[user_id] = (profile.get("display_name") or user.get("real_name") or user.get("name")
                                        or user_id)
            except (SlackApiError, aiohttp.ClientError, TimeoutError):
                return user_id  # not cached: try again next time
        return self._names[user_id]
