"""A message's words, split the same way everywhere (signals, language, complaint words): letters and digits, with
an apostrophe's tail kept ("don't", "quelqu'un"), lowercased; and its sentences, split the same way by the FAQ and the
understanding that reads what the customer says they did."""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W_]+(?:'[a-z]+)?", re.UNICODE)
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+|\n+")


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def sentences(text: str) -> list[str]:
    """After a full stop, a question or exclamation mark, or at a line break."""
    return _SENTENCE_BREAK.split(text)
