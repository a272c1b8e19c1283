"""Is a message English? VADER is an English lexicon: text in another language gets no sentiment score (not a
misleading "neutral" 0), and the decision leans on the language-independent signals.

pycld2 (Google's Compact Language Detector 2: offline, about 2 MB in memory, ~40 us a message) says when its
answer is reliable; short or mixed text it cannot place counts as English, so VADER still scores it.
"""

from __future__ import annotations

import unicodedata

import pycld2

MIN_WORDS = 3


def is_english(text: str) -> bool:
    if text.isascii():  # every ASCII letter is Latin: skip the per-letter look-up (most messages)
        if not any(c.isalpha() for c in text):
            return False
    else:
        letters = [c for c in text if c.isalpha()]
        if not letters:
            return False
        latin = sum(1 for c in letters if "LATIN" in unicodedata.name(c, ""))
        if latin / len(letters) < 0.5:
            return False
    if len(text.split()) < MIN_WORDS:
        return True
    try:
        reliable, _bytes, languages = pycld2.detect(text)
    except pycld2.error:  # text it cannot read (e.g. lone surrogates): leave it to VADER
        return True
    code = languages[0][1]
    return not reliable or code in ("en", "un")
