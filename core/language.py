"""Is a message English? VADER is an English lexicon: text in another language gets no sentiment score (not a
misleading "neutral" 0), and the decision leans on the language-independent signals.

py3langid (an offline model of a few MB) is unreliable on very short text, so messages of one or two words
count as English unless written in another script, and another language must be identified with confidence.
"""

from __future__ import annotations

import threading
import unicodedata

MIN_WORDS = 3
MIN_CONFIDENCE = 0.75
_lock = threading.Lock()
_identifier = None


def _model():
    global _identifier
    with _lock:
        if _identifier is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return _identifier


def warm_up() -> None:
    """Load the model now (about a second) rather than on the first customer's message."""
    _model()


def is_english(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    latin = sum(1 for c in letters if "LATIN" in unicodedata.name(c, ""))
    if latin / len(letters) < 0.5:
        return False
    if len(text.split()) < MIN_WORDS:
        return True
    language, confidence = _model().classify(text)
    return language == "en" or confidence < MIN_CONFIDENCE
