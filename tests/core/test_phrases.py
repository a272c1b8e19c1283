"""Phrase lists: matched whatever the case, and the required-literal check never changes what matches."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import config
from core.phrases import PhraseList, as_searched, compile_phrase, required_literals

ROOT = Path(__file__).resolve().parents[2]
PATTERNS = config.load_content().patterns
DEFAULT_PATTERNS = [p for name in PATTERNS.__dataclass_fields__ for p in getattr(PATTERNS, name)]


@pytest.mark.parametrize(("pattern", "text"), [
    (r"\balready\s+told\b", "I ALREADY TOLD YOU"),  # no capitals: searched in the lowercased text
    (r"\bnadie\s+responde\b", "NADIE RESPONDE"),
    (r"\bpersonne\s+ne\s+r[eé]pond\b", "PERSONNE NE RÉPOND"),
    (r"\bI\s+want\b", "i want a refund"),  # capitals of its own: re.IGNORECASE
    (r"[A-Z]{3}\d", "abc1"),
    (r"\u00C9chec", "échec"),
])
def test_phrase_patterns_match_whatever_the_case(pattern, text):
    assert PhraseList.of(pattern).search(text)


@pytest.mark.parametrize(("text", "searched"), [
    ("that's what u said on day 1", "that's what you said on day 1"),
    ("IM STILL WAITING, thx", "i'm still waiting, thanks"),
    ("ur a joke", "you're a joke"), ("your a joke", "you're a joke"),
    ("ur reply says restart", "your reply says restart"), ("r u kidding", "are you kidding"),
    ("it still dont work bc of u", "it still don't work because of you"), ("w/o notice", "without notice"),
    ("your order", "your order"), ("run", "run"), ("u-turn", "u-turn"), ("tyre", "tyre"), ("plan b4", "plan before"),
    # Dutch "u" is the polite "you" already
    ("dank u wel", "dank u wel"), ("kunt u mij terugbellen", "kunt u mij terugbellen"),
    ("u begrijpt me niet", "u begrijpt me niet"), ("love u guys", "love you guys"),

])
def test_texting_shorthand_is_spelled_out_for_the_patterns(text, searched):
    assert as_searched(text) == searched


def test_a_pattern_written_in_full_reads_shorthand():
    said = PhraseList.of(r"\bthat.?s\s+what\s+you\s+said\b")
    assert said.search("thats what u said last week") and said.search("That's what you said")
    assert not said.search("that's what I said")


def test_a_case_sensitive_part_stays_case_sensitive():
    phrases = PhraseList.of(r"(?-i:abc)")
    assert phrases.search("xx abc")
    assert not phrases.search("xx ABC")


@pytest.mark.parametrize(("pattern", "literals"), [
    (r"\bcharged\s+twice\b", ("charged",)),  # the longest literal run
    (r"\b(refund|money)\s+(never|not)\s+arrived\b", ("arrived",)),
    (r"\b(refunded|reimbursed)\b", ("funded", "imbursed")),  # any of the branches (the parser takes out "re")
    (r"\b(?:still|yet)\s+(waiting|nothing)", ("nothing", "waiting")),  # branches that tie: the fewer
    (r"(ab|cdef)\s+xyz", ("xyz",)),  # a branch too short to check: the next best
    (r"\b(waiting\s+)+forever", ("waiting",)),  # a repeat of at least once is required; a tie: the first
    (r"\b(please\s+)?help", ("help",)),  # an optional group is not required
    (r"^\W*(no[\s,.!]+){2,}", None),  # nothing of three letters
    (r"\bI\s+already\s+told\b", None),  # re.IGNORECASE: left to its search
    (r"\b(charged|x)\b", None),  # one branch needs nothing worth checking
])
def test_required_literals_are_read_off_the_pattern(pattern, literals):
    assert required_literals(compile_phrase(pattern)) == literals


def test_nearly_every_default_pattern_has_required_literals():
    """The check is what keeps understanding fast (77 us instead of 287 per CLINC150 question at f08f3a4): a Python
    whose regular-expression parser reads differently would quietly search every pattern again."""
    without = [p.pattern for p in DEFAULT_PATTERNS if required_literals(p) is None]
    assert len(without) <= len(DEFAULT_PATTERNS) * 0.05, without


def _texts() -> list[str]:
    probes = ROOT / "benchmarks" / "probes"
    texts = [line.split("\t", 1)[1].strip() for name in ("tuning.tsv", "held_out.tsv")
             for line in (probes / name).read_text(encoding="utf-8").splitlines()
             if "\t" in line and not line.startswith("#")]
    texts += [text for c in json.loads((probes / "conversations.json").read_text(encoding="utf-8"))["conversations"]
              for _role, text in c["turns"]]
    return texts + ["I ALREADY TOLD YOU!!! 😡", "CHARGED TWICE", "ﬁne", "İstanbul order still not arrived",
                    "Straße refund not received", "hello??", "no no no", "", "ok"]


def test_the_literal_check_never_changes_a_match():
    """Each default pattern alone, checked and searched, against every probe message: the check only skips
    searches that could not have matched."""
    texts = _texts()
    assert len(texts) > 400
    differ = []
    for pattern in DEFAULT_PATTERNS:
        checked = PhraseList([pattern])
        for text in texts:
            plain = bool(pattern.search(text if pattern.flags & re.IGNORECASE else text.lower()))
            if checked.search(text) != plain:
                differ.append((pattern.pattern, text))
    assert not differ
    assert any(PATTERNS.grievance.search(t) for t in texts)  # the probes do hold complaints the lists find
