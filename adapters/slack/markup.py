"""Slack text in both directions: customer text escaped so it can never ping or spoof a link; agent markup
turned into plain readable text for customers on other apps."""

from __future__ import annotations

import re
from collections.abc import Mapping

_ANGLE = re.compile(r"<([^<>]*)>")


def escape(text: str) -> str:
    """Slack's three control characters; `<!channel>` becomes harmless `&lt;!channel&gt;`."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def user_ids(text: str) -> set[str]:
    return {m.group(1)[1:].split("|")[0] for m in _ANGLE.finditer(text) if m.group(1).startswith("@")}


def to_plain(text: str, names: Mapping[str, str] | None = None) -> str:
    """`<@U1>` -> @Name, `<#C1|general>` -> #general, `<!here>` -> @here, `<url|label>` -> label (url)."""
    names = names or {}

    def plain(match: re.Match[str]) -> str:
        inner = match.group(1)
        target, _, label = inner.partition("|")
        if target.startswith("@"):
            return "@" + (label or names.get(target[1:], "colleague"))
        if target.startswith("#"):
            return "#" + (label or "channel")
        if target.startswith("!"):
            command = target[1:]
            if command.startswith("subteam^"):
                return label or "@team"
            if command.startswith("date^"):
                return label or ""
            return label or "@" + command
        if target.startswith("mailto:"):
            return label or target[len("mailto:"):]
        if label and label != target:
            return f"{label} ({target})"
        return target

    return unescape(_ANGLE.sub(plain, text))
