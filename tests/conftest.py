from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

import config
from bots.app import Service, build_service
from bots.settings import load_settings
from tests import platform_requests as pr
from tests.fake_platforms import TELEGRAM_TOKEN, FakePlatforms


@pytest.fixture
def content() -> config.Content:
    return config.load_content()


@pytest.fixture
async def fake() -> AsyncIterator[FakePlatforms]:
    platforms = await FakePlatforms().start()
    yield platforms
    await platforms.stop()


def platform_env(fake: FakePlatforms, database: Path, **overrides: str) -> dict[str, str]:
    env = {
        "DATABASE_URL": f"sqlite:///{database}",
        "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": pr.SLACK_SECRET,
        "SLACK_HANDOFF_CHANNEL": pr.HANDOFF_CHANNEL, "SLACK_API_URL": fake.slack_api,
        "TELEGRAM_BOT_TOKEN": TELEGRAM_TOKEN, "TELEGRAM_WEBHOOK_SECRET": pr.TELEGRAM_SECRET,
        "TELEGRAM_API_URL": fake.telegram_api,
        "MESSENGER_PAGE_ACCESS_TOKEN": "page-token", "MESSENGER_APP_SECRET": pr.MESSENGER_SECRET,
        "MESSENGER_VERIFY_TOKEN": pr.MESSENGER_VERIFY, "GRAPH_API_URL": fake.graph_api,
        "LOG_LEVEL": "WARNING",
    }
    env.update(overrides)
    return {k: v for k, v in env.items() if v != ""}


@dataclass
class Running:
    """A Warmline service on a loopback port, talking to the fake platforms."""

    service: Service
    url: str
    http: aiohttp.ClientSession

    async def post(self, path: str, data: bytes, headers: dict[str, str]) -> aiohttp.ClientResponse:
        async with self.http.post(self.url + path, data=data, headers=headers) as resp:
            await resp.read()
            return resp

    async def telegram(self, update: dict, secret: str = pr.TELEGRAM_SECRET) -> int:
        return (await self.post("/telegram/webhook", pr.body(update), pr.telegram_headers(secret))).status

    async def messenger(self, batch: dict) -> int:
        raw = pr.body(batch)
        return (await self.post("/messenger/webhook", raw, pr.messenger_headers(raw))).status

    async def slack(self, envelope: dict) -> int:
        raw = pr.body(envelope)
        return (await self.post("/slack/events", raw, pr.slack_headers(raw))).status


async def start_service(env: dict[str, str], content: config.Content) -> tuple[Running, web.AppRunner]:
    service = build_service(load_settings(env), content)
    runner = web.AppRunner(service.web_app(), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    return Running(service, f"http://127.0.0.1:{port}", aiohttp.ClientSession()), runner


@pytest.fixture
async def running(fake: FakePlatforms, tmp_path: Path, content: config.Content) -> AsyncIterator[Running]:
    app, runner = await start_service(platform_env(fake, tmp_path / "warmline.db"), content)
    yield app
    await app.http.close()
    await runner.cleanup()


# -- PostgreSQL: a fresh database per test on TEST_DATABASE_URL, skipped with a reason where none answers --------
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
_pg_problem: list[str] = []


async def _admin_connection():
    import asyncpg

    return await asyncpg.connect(TEST_DATABASE_URL, timeout=3)


@asynccontextmanager
async def fresh_postgres_database() -> AsyncIterator[str]:
    """A new, empty database on the test server (dropped afterwards); skips the test with the reason when no
    server answers at TEST_DATABASE_URL."""
    if _pg_problem:
        pytest.skip(_pg_problem[0])
    try:
        admin = await _admin_connection()
    except Exception as exc:  # no server, refused, bad credentials
        _pg_problem.append(f"PostgreSQL not available at TEST_DATABASE_URL ({type(exc).__name__}: {exc})")
        pytest.skip(_pg_problem[0])
    name = f"warmline_test_{uuid.uuid4().hex[:12]}"
    await admin.execute(f'CREATE DATABASE "{name}"')
    base = TEST_DATABASE_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@pytest.fixture
async def postgres_url() -> AsyncIterator[str]:
    async with fresh_postgres_database() as url:
        yield url
