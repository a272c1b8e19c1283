"""A load generator in its own process: N signed webhook requests over C concurrent connections.

Requests are built the way each platform sends them (unique delivery keys, real signatures), before the clock
starts. Reports requests/s and acknowledgement latency percentiles.
"""

from __future__ import annotations

import asyncio
import gc
import hashlib
import hmac
import json
import multiprocessing
import time
from dataclasses import dataclass

import aiohttp

SLACK_SECRET = "bench-slack-secret"
TELEGRAM_SECRET = "bench_telegram_secret"
MESSENGER_SECRET = "bench-messenger-secret"


@dataclass(frozen=True)
class Result:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


def telegram_update(i: int, text: str) -> dict:
    return {"update_id": i, "message": {"message_id": i, "date": int(time.time()), "text": text,
                                        "chat": {"id": i, "type": "private", "first_name": "Bench"},
                                        "from": {"id": i, "is_bot": False, "first_name": "Bench"}}}


def build(kind: str, i: int, text: str) -> tuple[str, bytes, dict[str, str]]:
    """(path, body, headers) of request number i."""
    if kind in ("bare", "telegram"):
        body = json.dumps(telegram_update(i, text)).encode()
        return "/telegram/webhook", body, {"Content-Type": "application/json",
                                           "X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET}
    if kind == "messenger":
        item = {"sender": {"id": str(i)}, "recipient": {"id": "page"}, "timestamp": int(time.time() * 1000),
                "message": {"mid": f"mid.{i}", "text": text}}
        body = json.dumps({"object": "page", "entry": [{"id": "page", "time": 0, "messaging": [item]}]}).encode()
        signature = "sha256=" + hmac.new(MESSENGER_SECRET.encode(), body, hashlib.sha256).hexdigest()
        return "/messenger/webhook", body, {"Content-Type": "application/json", "X-Hub-Signature-256": signature}
    if kind == "slack":
        event = {"type": "message", "user": f"U{i}", "text": text, "ts": f"{time.time():.6f}", "channel": f"D{i}",
                 "channel_type": "im"}
        body = json.dumps({"type": "event_callback", "event_id": f"Ev{i}", "team_id": "T1", "api_app_id": "A1",
                           "event": event, "event_time": int(time.time())}).encode()
        stamp = str(int(time.time()))
        signature = "v0=" + hmac.new(SLACK_SECRET.encode(), f"v0:{stamp}:".encode() + body,
                                     hashlib.sha256).hexdigest()
        return "/slack/events", body, {"Content-Type": "application/json", "X-Slack-Request-Timestamp": stamp,
                                       "X-Slack-Signature": signature}
    raise ValueError(kind)


async def _drive(urls: list[str], kind: str, first: int, count: int, concurrency: int, text: str) -> Result:
    requests = [build(kind, first + n, text) for n in range(count)]
    # The prebuilt requests would make each of the client's own full collections long; its pauses would be
    # counted as the server's latency (clusters of 50 slow requests, seen against the bare handler too).
    gc.collect()
    gc.freeze()
    latencies: list[float] = []
    errors = 0
    next_index = 0
    connector = aiohttp.TCPConnector(limit=concurrency * len(urls))
    async with aiohttp.ClientSession(connector=connector) as http:
        async def worker(w: int) -> None:
            nonlocal next_index, errors
            while next_index < count:
                n = next_index
                next_index += 1
                path, body, headers = requests[n]
                started = time.perf_counter()
                async with http.post(urls[n % len(urls)] + path, data=body, headers=headers) as resp:
                    await resp.read()
                    if resp.status != 200:
                        errors += 1
                latencies.append(time.perf_counter() - started)

        started = time.perf_counter()
        await asyncio.gather(*(worker(w) for w in range(concurrency)))
        seconds = time.perf_counter() - started
    latencies.sort()
    return Result(count, seconds, latencies[len(latencies) // 2] * 1000, latencies[int(len(latencies) * 0.99)] * 1000,
                  errors)


def _child(queue, *args) -> None:
    queue.put(asyncio.run(_drive(*args)))


def run_load(urls: list[str], kind: str, first: int, count: int, concurrency: int = 50,
             text: str = "when are you open") -> Result:
    """Drive the load from a separate process, so the client does not share an event loop with anything."""
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    process = ctx.Process(target=_child, args=(queue, urls, kind, first, count, concurrency, text))
    process.start()
    result = queue.get()
    process.join()
    return result
