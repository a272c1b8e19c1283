"""Assembly: settings -> store -> core -> adapters -> aiohttp app and background workers; the `warmline` CLI."""
