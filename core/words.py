"""A message's words, split the same way everywhere (signals, language, complaint words): letters and digits, with
an apostrophe's tail kept ("don't", "quelqu'un"), lowercased; and its sentences, split the same way by the FAQ and the
understanding that reads what the customer says they did."""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W_]+(?:'[a-z]+)?", re.UNICODE)
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+|\n+")

# The words a question starts with, in the six languages: a regular-expression alternation, read case-insensitively
# (the FAQ finds a question asked after a comma by them, the signals a customer's question without its "?").
QUESTION_WORDS = (r"how|what|where|when|which|who|why|is|are|do|does|did|has|have|can|could|will|would|should|"
                  r"qu[eé]|c[oó]mo|d[oó]nde|cu[aá]ndo|cu[aá]l|comment|o[uù]|quand|quel(?:le)?s?|est-ce|wie|wo|wann|"
                  r"welche[rs]?|kann|hoe|wat|waar|wanneer|welke|kan|como|onde|quando|qual")


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def sentences(text: str) -> list[str]:
    """After a full stop, a question or exclamation mark, or at a line break."""
    return _SENTENCE_BREAK.split(text)
