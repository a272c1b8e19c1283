"""Processes the load benchmark starts: the bare aiohttp baseline and the fake platform APIs.

    python -m benchmarks.servers bare PORT     # parse JSON, answer 200: the framework's ceiling
    python -m benchmarks.servers fake PORT     # tests/fake_platforms.py, counting calls at GET /_calls
"""

from __future__ import annotations

import asyncio
import sys

from aiohttp import web


async def bare_handler(request: web.Request) -> web.Response:
    await request.json()
    return web.json_response({"ok": True})


def bare(port: int) -> None:
    app = web.Application()
    app.router.add_post("/{tail:.*}", bare_handler)
    web.run_app(app, host="127.0.0.1", port=port, access_log=None, print=None)


def fake(port: int) -> None:
    from tests.fake_platforms import FakePlatforms

    async def serve() -> None:
        await FakePlatforms().start(port)
        await asyncio.Event().wait()

    asyncio.run(serve())


if __name__ == "__main__":
    {"bare": bare, "fake": fake}[sys.argv[1]](int(sys.argv[2]))
