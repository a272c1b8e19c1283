"""A real `warmline serve` process on a free loopback port, and helpers to send it signed webhooks."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import sys
from pathlib import Path

import aiohttp

from tests import platform_requests as pr


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def warmline_command() -> list[str]:
    script = Path(sys.executable).with_name("warmline")
    if script.exists():
        return [str(script)]
    found = shutil.which("warmline")
    return [found] if found else [sys.executable, "-m", "bots"]


class Server:
    def __init__(self, env: dict[str, str], cwd: Path, *serve_args: str) -> None:
        self.serve_args = serve_args
        self.port = free_port()
        self.env = {**os.environ, **env, "PORT": str(self.port), "HOST": "127.0.0.1"}
        self.cwd = cwd
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> Server:
        self.process = await asyncio.create_subprocess_exec(*warmline_command(), "serve", *self.serve_args,
                                                            env=self.env, cwd=self.cwd,
                                                            stdout=asyncio.subprocess.PIPE,
                                                            stderr=asyncio.subprocess.STDOUT)
        async with aiohttp.ClientSession() as http:
            for _ in range(300):
                if self.process.returncode is not None:
                    output = await self.process.stdout.read()
                    raise AssertionError(f"warmline serve exited: {output.decode()}")
                try:
                    async with http.get(self.url + "/readyz") as resp:
                        if resp.status == 200:
                            return self
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.05)  # the process is starting: there is no event to await
        raise AssertionError("warmline serve did not become ready")

    async def stop(self) -> str:
        assert self.process is not None
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
        output, _ = await asyncio.wait_for(self.process.communicate(), 30)
        return output.decode()

    async def post(self, path: str, data: bytes, headers: dict[str, str]) -> int:
        async with aiohttp.ClientSession() as http, http.post(self.url + path, data=data, headers=headers) as r:
            return r.status

    async def telegram(self, update: dict) -> int:
        return await self.post("/telegram/webhook", pr.body(update), pr.telegram_headers())

    async def messenger(self, batch: dict) -> int:
        raw = pr.body(batch)
        return await self.post("/messenger/webhook", raw, pr.messenger_headers(raw))

    async def slack(self, envelope: dict) -> int:
        raw = pr.body(envelope)
        return await self.post("/slack/events", raw, pr.slack_headers(raw))
