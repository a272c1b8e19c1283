"""Showing a database URL in a message or a log line."""

from __future__ import annotations

from urllib.parse import urlsplit


def without_password(url: str) -> str:
    """The URL as a message may show it: the password (in the user part or the query) left out."""
    parts = urlsplit(url)
    shown = url
    if parts.password is not None:
        userinfo = parts.netloc.rpartition("@")[0]
        shown = shown.replace(f"{userinfo}@", f"{userinfo.split(':', 1)[0]}:***@", 1)
    if "password" in parts.query.lower():
        shown = shown.split("?", 1)[0] + "?…"
    return shown
