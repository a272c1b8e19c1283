"""The rule that decides whether an agent's thread reply goes to the customer (part of the public contract)."""

from __future__ import annotations

INTERNAL_PREFIXES = ("note:", "//")


def is_internal(text: str) -> bool:
    """A reply that starts (after leading spaces, any case) with `note:` or `//` stays in Slack."""
    return text.lstrip().lower().startswith(INTERNAL_PREFIXES)
