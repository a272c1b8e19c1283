"""A message's words, split the same way everywhere (signals, language, complaint words): letters and digits, with
an apostrophe's tail kept ("don't", "quelqu'un"), lowercased."""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W_]+(?:'[a-z]+)?", re.UNICODE)


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())
