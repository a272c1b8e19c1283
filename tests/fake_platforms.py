"""One local fake of the Slack Web API, the Telegram Bot API and the Graph Send API, on an ephemeral
loopback port. It records every call so tests can assert on what the real client libraries sent, and can be
told to fail the next calls of a method (429 with a delay, 5xx, a refusal)."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_USER = "UBOT"
BOT_ID = "BBOT"
TELEGRAM_TOKEN = "123456:TEST-token"


@dataclass
class Call:
    platform: str  # "slack", "telegram", "graph"
    method: str  # "chat.postMessage", "sendMessage", "me/messages"
    params: dict[str, Any]
    at: float = field(default_factory=time.monotonic)


@dataclass
class Failure:
    status: int
    body: dict[str, Any]
    headers: dict[str, str]
    times: int


class FakePlatforms:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.counts: dict[str, int] = {}
        self.failures: dict[str, list[Failure]] = {}
        self.slack_messages: dict[str, list[dict[str, Any]]] = {}
        self.telegram_updates: list[dict[str, Any]] = []
        self.messenger_profiles: dict[str, dict[str, str]] = {}  # PSID -> {"first_name": ..., "last_name": ...}
        self._ts = itertools.count(1)
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.url = ""

    # -- lifecycle --------------------------------------------------------------------------------------
    async def start(self, port: int = 0) -> FakePlatforms:
        app = web.Application(client_max_size=10 * 1024 * 1024)
        app.router.add_route("*", "/api/{method}", self._slack)
        app.router.add_route("*", "/bot{token}/{method}", self._telegram)
        app.router.add_route("*", "/v21.0/{path:.*}", self._graph)
        app.router.add_get("/_calls", self._counts)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def stop(self) -> None:
        if self._runner:
            await self._runner.cleanup()

    @property
    def slack_api(self) -> str:
        return f"{self.url}/api/"

    @property
    def telegram_api(self) -> str:
        return f"{self.url}/bot"

    @property
    def graph_api(self) -> str:
        return f"{self.url}/v21.0"

    # -- test helpers -----------------------------------------------------------------------------------
    def fail(self, method: str, status: int, body: dict[str, Any] | None = None,
             headers: dict[str, str] | None = None, times: int = 1) -> None:
        self.failures.setdefault(method, []).append(Failure(status, body or {}, headers or {}, times))

    def of(self, method: str, **match: Any) -> list[Call]:
        return [c for c in self.calls if c.method == method and all(c.params.get(k) == v for k, v in match.items())]

    async def wait_for(self, predicate, within: float = 15.0) -> Any:
        """Wait until predicate() is truthy (re-checked on every recorded call); return its value."""
        async def until() -> Any:
            async with self._changed:
                while not (result := predicate()):
                    await self._changed.wait()
                return result
        return await asyncio.wait_for(until(), within)

    async def settle(self, quiet: float = 0.5) -> None:
        """Wait until no call has arrived for `quiet` seconds (to show that nothing more is sent)."""
        while True:
            count = len(self.calls)
            await asyncio.sleep(quiet)
            if len(self.calls) == count:
                return

    async def _record(self, platform: str, method: str, params: dict[str, Any]) -> web.Response | None:
        self.calls.append(Call(platform, method, params))
        self.counts[method] = self.counts.get(method, 0) + 1
        async with self._changed:
            self._changed.notify_all()
        queue = self.failures.get(method)
        if queue:
            failure = queue[0]
            failure.times -= 1
            if failure.times <= 0:
                queue.pop(0)
            return web.json_response(failure.body, status=failure.status, headers=failure.headers)
        return None

    @staticmethod
    async def _params(request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query)
        if request.can_read_body:
            if request.content_type == "application/json":
                params.update(await request.json())
            else:
                for key, value in (await request.post()).items():
                    try:
                        params[key] = json.loads(value) if isinstance(value, str) else value
                    except ValueError:
                        params[key] = value
        return params

    async def _counts(self, request: web.Request) -> web.Response:
        """How many calls of each method arrived (for benchmarks driving the fake from another process)."""
        return web.json_response(self.counts)

    # -- Slack Web API ----------------------------------------------------------------------------------
    async def _slack(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await self._params(request)
        failed = await self._record("slack", method, params)
        if failed is not None:
            return failed
        if method == "auth.test":
            return web.json_response({"ok": True, "user_id": BOT_USER, "bot_id": BOT_ID, "team_id": "T1",
                                      "user": "warmline", "url": "https://example.slack.com/"})
        if method == "chat.postMessage":
            ts = f"{time.time():.6f}"  # Slack timestamps are unique per channel; nudge on a collision
            while any(m["ts"] == ts for m in self.slack_messages.get(params["channel"], [])):
                ts = f"{float(ts) + 0.000001:.6f}"
            message = {"ts": ts, "text": params.get("text", ""), "user": BOT_USER, "bot_id": BOT_ID}
            for key in ("thread_ts", "metadata", "blocks"):
                if key in params:
                    message[key] = params[key]
            self.slack_messages.setdefault(params["channel"], []).append(message)
            return web.json_response({"ok": True, "channel": params["channel"], "ts": ts, "message": message})
        if method == "conversations.history":
            oldest = float(params.get("oldest", 0))
            messages = [m for m in self.slack_messages.get(params["channel"], []) if float(m["ts"]) >= oldest
                        and "thread_ts" not in m]
            if str(params.get("include_all_metadata")).lower() not in ("true", "1"):
                messages = [{k: v for k, v in m.items() if k != "metadata"} for m in messages]
            return web.json_response({"ok": True, "messages": list(reversed(messages)), "has_more": False})
        if method == "users.info":
            user = params.get("user", "")
            name = {"UAGENT": "Sam"}.get(user, f"agent-{user}")
            return web.json_response({"ok": True, "user": {"id": user, "name": name.lower(), "real_name": name,
                                                           "profile": {"display_name": name}}})
        return web.json_response({"ok": False, "error": "unknown_method"})

    # -- Telegram Bot API -------------------------------------------------------------------------------
    async def _telegram(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await self._params(request)
        params["_token"] = request.match_info["token"]
        failed = await self._record("telegram", method, params)
        if failed is not None:
            return failed
        if method == "getMe":
            result: Any = {"id": 123456, "is_bot": True, "first_name": "Warmline", "username": "warmline_bot",
                           "can_join_groups": False, "can_read_all_group_messages": False,
                           "supports_inline_queries": False}
        elif method == "sendMessage":
            result = {"message_id": next(self._ts), "date": int(time.time()),
                      "chat": {"id": int(params["chat_id"]), "type": "private"}, "text": params.get("text", "")}
        elif method in ("setWebhook", "deleteWebhook"):
            result = True
        elif method == "getUpdates":
            offset = int(params.get("offset") or 0)
            pending = [u for u in self.telegram_updates if u["update_id"] >= offset]
            if not pending:
                await asyncio.sleep(0.2)
            result = pending
        else:
            return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"}, status=404)
        return web.json_response({"ok": True, "result": result})

    # -- Graph Send API ---------------------------------------------------------------------------------
    async def _graph(self, request: web.Request) -> web.Response:
        path = request.match_info["path"]
        params = await self._params(request)
        failed = await self._record("graph", path, params)
        if failed is not None:
            return failed
        if path == "me/messages":
            return web.json_response({"recipient_id": params["recipient"]["id"], "message_id": f"m_{next(self._ts)}"})
        if request.method == "GET" and path in self.messenger_profiles:  # the User Profile API
            return web.json_response({**self.messenger_profiles[path], "id": path})
        return web.json_response({"error": {"message": "Unsupported get request", "code": 100}}, status=400)
