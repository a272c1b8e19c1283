"""The webhook routes alone (verify, store durably, answer 200), with no inbox processing or sending running:
the acknowledgement path the load benchmark measures on its own.

    python -m benchmarks.webhooks_only PORT   # settings from the environment, as `warmline serve`
"""

from __future__ import annotations

import asyncio
import sys

from aiohttp import web

import config
from bots.app import build_service
from bots.cli import tune_for_serving
from bots.settings import load_settings, read_environment


async def serve(port: int) -> None:
    settings = load_settings(read_environment())
    service = build_service(settings, config.load_content(settings.config_path))
    await service.store.migrate()
    app = web.Application()
    app.router.add_post("/telegram/webhook", service.telegram_webhook.handle)
    app.router.add_post("/messenger/webhook", service.messenger_webhook.handle)
    app.router.add_post("/slack/events", service.slack_webhook.handle)
    app.router.add_get("/readyz", service.healthz)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    tune_for_serving()  # as `warmline serve` does
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(serve(int(sys.argv[1])))
