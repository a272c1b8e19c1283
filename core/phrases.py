"""Operator phrase lists (regular expressions, case-insensitive), searched in every customer message.

Most of a message's understanding time went to these searches (about 250 patterns, 287 us per CLINC150 question),
and almost every pattern needs a word of its own to match: "charged twice" cannot match without "charged" or
"billed". Each pattern's required words are worked out once from its parsed form, and a message that contains
none of them is not searched (`str.__contains__` is a C loop): the same matches on 120,787 texts, 77 us instead of
287. A pattern whose parse cannot be read, or that needs no literal of three letters or more, is always searched.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache

try:  # CPython's own parser of regular expressions (sre_parse before 3.11)
    from re import _constants as _op
    from re import _parser
except ImportError:  # pragma: no cover - another Python: every pattern is searched, as before
    _parser = None

_IGNORECASE = re.IGNORECASE.value  # a plain int: `&` with the enum member costs more than a short search
_CASE_SENSITIVE_PART = re.compile(r"\(\?[a-z]*-[a-z]*i")
MIN_LITERAL = 3  # shorter required literals ("no", "i") are in nearly every message: not worth checking

# Texting shorthand, spelled out before the search so that every phrase list reads "that's what u said last week"
# and "im still waiting" as it reads "that's what you said last week" and "i'm still waiting": customers write to
# brands' social accounts this way, and a pattern should not have to spell each word twice. Only words with one
# meaning in a support chat ("ill", "id", "ya" and "wont" are words too); "ur"/"your" before "a"/"an"/"joking" is
# "you're" ("ur a joke").
SHORTHAND = {
    "u": "you", "ur": "your", "r": "are", "im": "i'm", "ive": "i've", "youre": "you're", "youve": "you've",
    "dont": "don't", "cant": "can't", "didnt": "didn't", "doesnt": "doesn't", "isnt": "isn't", "wasnt": "wasn't",
    "arent": "aren't", "werent": "weren't", "havent": "haven't", "hasnt": "hasn't", "hadnt": "hadn't",
    "couldnt": "couldn't", "wouldnt": "wouldn't", "shouldnt": "shouldn't", "thats": "that's", "whats": "what's",
    "theres": "there's", "theyre": "they're", "pls": "please", "plz": "please", "thx": "thanks", "ty": "thank you",
    "bc": "because", "cuz": "because", "coz": "because", "idk": "i don't know", "abt": "about", "ppl": "people",
    "b4": "before", "w/o": "without", "msg": "message", "tbh": "to be honest", "nvm": "never mind",
}
_SHORTHAND = re.compile(r"(?<![\w'-])(?:(?P<youre>ur|your)(?= (?:a|an|joking|kidding)\b)|(?P<short>"
                        + "|".join(sorted(map(re.escape, SHORTHAND), key=len, reverse=True)) + r")(?![\w'-]))")


# Dutch "u" is the polite "you" already ("dank u wel", "kunt u mij terugbellen", "u begrijpt me niet"): next to these
# Dutch words it is left as it is, and the Dutch patterns are written with it.
DUTCH_BEFORE_U = frozenset("""dank kunt kan bent heeft hebt wilt begrijpt zou mag moet weet ziet vindt krijgt geeft
    vraagt voor aan bij van naar met door als dan dat wat hoe heb had bedankt zal zult""".split())
DUTCH_AFTER_U = frozenset("bent begrijpt heeft hebt kunt wilt moet mag zult krijgt".split())
_WORD_BEFORE = re.compile(r"(\w+)\W*$")
_WORD_AFTER = re.compile(r"\W*(\w+)")


def _spelled_out(match: re.Match[str]) -> str:
    if match["youre"]:
        return "you're"
    word = match["short"]
    return word if word == "u" and _dutch_u(match) else SHORTHAND[word]


def _dutch_u(match: re.Match[str]) -> bool:
    before = _WORD_BEFORE.search(match.string, 0, match.start())
    after = _WORD_AFTER.match(match.string, match.end())
    return bool(before and before[1] in DUTCH_BEFORE_U) or bool(after and after[1] in DUTCH_AFTER_U)


@lru_cache(maxsize=256)  # every phrase list searches the same message: spelled out once
def as_searched(text: str) -> str:
    """The text the phrase patterns are searched in: lowercased, texting shorthand spelled out."""
    return _SHORTHAND.sub(_spelled_out, text.lower())


def compile_phrase(pattern: str) -> re.Pattern[str]:
    """Compile an operator's phrase pattern, to be matched case-insensitively by `PhraseList.search`. Python's
    re.IGNORECASE folds case at every step of the search: a pattern with no capital letters of its own is compiled
    case-sensitive and searched in the lowercased text instead, the same matches in 62-80% of the time (all the phrase
    lists on 2,000 CLINC150 questions, several runs). One with capitals ("[A-Z]", "\\bI\\b", "\\u00C9")
    or a case-sensitive part ("(?-i:...)") keeps re.IGNORECASE."""
    own = re.sub(r"\\.", "", pattern)
    if any(c.isupper() for c in own) or _CASE_SENSITIVE_PART.search(own):
        return re.compile(pattern, re.IGNORECASE)
    return re.compile(pattern)


def required_literals(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Strings one of which occurs in every match of a pattern compiled case-sensitive by `compile_phrase`, or None
    when there are none worth checking (then the pattern is always searched). Patterns with re.IGNORECASE are left
    to their search: their literals would need Python's own case folding."""
    if _parser is None or pattern.flags & _IGNORECASE:
        return None
    try:
        found = _required(_parser.parse(pattern.pattern))
    except Exception:  # an unexpected parse shape: the search alone is still right
        return None
    return tuple(sorted(found)) if found else None


def _required(sequence) -> set[str] | None:  # sequence: re._parser.SubPattern, a list of (op, argument)
    """The most selective set of alternatives one of which must occur, read off the parsed sequence: a run of
    literal characters, a group's own requirement, a repeat of at least once, or the union of every branch's."""
    candidates: list[set[str]] = []
    run: list[str] = []
    for op, arg in sequence:
        if op is _op.LITERAL:
            run.append(chr(arg))
            continue
        if run:
            candidates.append({"".join(run)})
            run = []
        inner = None
        if op is _op.SUBPATTERN:
            inner = _required(arg[3])
        elif op is _op.ATOMIC_GROUP:
            inner = _required(arg)
        elif op is _op.BRANCH:
            branches = [_required(branch) for branch in arg[1]]
            inner = set().union(*branches) if all(branches) else None
        elif op in (_op.MAX_REPEAT, _op.MIN_REPEAT, _op.POSSESSIVE_REPEAT) and arg[0] >= 1:
            inner = _required(arg[2])
        if inner:
            candidates.append(inner)
    if run:
        candidates.append({"".join(run)})
    worth = [c for c in candidates if min(map(len, c)) >= MIN_LITERAL]
    return max(worth, key=lambda c: (min(map(len, c)), -len(c))) if worth else None


class PhraseList:
    """One list of compiled phrase patterns with each pattern's required literals. Hashed by identity: the
    lists are built once at start-up and used as cache keys on every message."""

    __slots__ = ("patterns", "_checks")

    def __init__(self, patterns: Sequence[re.Pattern[str]] = ()) -> None:
        self.patterns = tuple(patterns)
        self._checks = tuple((p, required_literals(p), bool(p.flags & _IGNORECASE)) for p in self.patterns)

    @classmethod
    def of(cls, *patterns: str) -> PhraseList:
        return cls([compile_phrase(p) for p in patterns])

    def __iter__(self) -> Iterator[re.Pattern[str]]:
        return iter(self.patterns)

    def __len__(self) -> int:
        return len(self.patterns)

    def __repr__(self) -> str:
        return f"PhraseList({len(self.patterns)} patterns)"

    def search(self, text: str) -> bool:
        """Whether any of the patterns occurs in the text, whatever its case or shorthand (patterns compiled with
        re.IGNORECASE read the text as written)."""
        lowered = as_searched(text)
        for pattern, literals, ignorecase in self._checks:
            if literals is not None:
                for literal in literals:  # a plain loop: `any()` over a generator cost as much as the searches
                    if literal in lowered:
                        break
                else:
                    continue
            if pattern.search(text if ignorecase else lowered):
                return True
        return False
