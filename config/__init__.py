"""Loads the operator content file (TOML), merged over the built-in defaults, and checks it key by key."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from core.content import Content
from core.faq import FaqEntry
from core.pacing import Rate
from core.phrases import PhraseList, compile_phrase
from core.signals import Patterns, Thresholds
from core.words import words

DEFAULTS = Path(__file__).with_name("defaults.toml")
SLACK_MANIFEST = Path(__file__).with_name("slack_manifest.json")
REQUIRED_REPLIES = ("opener", "opener_upset", "repeat", "repeat_offer", "upset_offer", "fallback",
                    "fallback_after_answer", "fallback_upset", "fallback_other_language", "handoff", "handoff_upset",
                    "handoff_sensitive", "handoff_other_language", "handoff_unavailable", "handback", "no_text",
                    "emoji_only", "reference", "declined_person")


class ConfigError(ValueError):
    """A problem in the content file; the message names the key."""


def load_content(path: str | Path | None = None) -> Content:
    data = _read(DEFAULTS)
    if path is not None:
        data = _merge(data, _read(Path(path)))
    return _build(data, str(path or DEFAULTS))


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found (check WARMLINE_CONFIG)") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            merged[key] = _merge(base[key], value)
        else:
            merged[key] = value
    return merged


def _build(data: dict[str, Any], source: str) -> Content:
    def fail(key: str, problem: str) -> ConfigError:
        return ConfigError(f"{source}: {key}: {problem}")

    known = {"bot", "policy", "replies", "faq", "sending", "signals", "complaint_words"}
    for key, value in data.items():
        if key not in known:
            raise fail(key, f"unknown key (expected one of {', '.join(sorted(known))})")
        if key == "faq" and not isinstance(value, list):
            raise fail(key, "must be entries, each under its own [[faq]]")
        if key != "faq" and not isinstance(value, dict):
            raise fail(key, f"must be a table: a [{key}] section with its keys below")

    bot = data.get("bot", {})
    company = _text(bot, "company", "bot.company", fail)
    disclosure = _text(bot, "disclosure", "bot.disclosure", fail)

    policy = data.get("policy", {})
    fields = {"negative": float, "negative_streak": int, "very_negative": float, "max_fallbacks": int,
              "faq_threshold": float, "handoff_threshold": float, "waiting_minutes": float, "frustrated": float,
              "opening": float}
    for key in policy:
        if key not in fields:
            raise fail(f"policy.{key}", "unknown key")
    for key, kind in fields.items():
        value = policy.get(key)
        if value is None or isinstance(value, bool) or not isinstance(value, (kind, int) if kind is float else kind):
            raise fail(f"policy.{key}", f"must be a {kind.__name__}")
    for key in ("negative", "very_negative"):
        if not -1 <= policy[key] <= 1:
            raise fail(f"policy.{key}", "must be between -1 and 1")
    for key in ("faq_threshold", "handoff_threshold", "frustrated", "opening"):
        if not 0 < policy[key] <= 1:
            raise fail(f"policy.{key}", "must be between 0 and 1")
    signal_lists = {}
    for name, patterns in data.get("signals", {}).items():
        if name not in Patterns.__dataclass_fields__:
            raise fail(f"signals.{name}", f"unknown list (expected one of {', '.join(Patterns.__dataclass_fields__)})")
        if not isinstance(patterns, list):
            raise fail(f"signals.{name}", "must be a list of regular expressions")
        compiled = []
        for i, pattern in enumerate(patterns):
            try:
                compiled.append(compile_phrase(pattern))
            except (re.error, TypeError) as exc:
                raise fail(f"signals.{name}[{i}]", f"not a valid regular expression: {exc}") from None
        signal_lists[name] = PhraseList(compiled)

    complaint_words = {}
    for word, valence in data.get("complaint_words", {}).items():
        if words(word) != [word]:  # the signals' own tokeniser: one lowercase word
            raise fail(f"complaint_words.{word}", "must be one lowercase word (phrases belong in signals.grievance)")
        if isinstance(valence, bool) or not isinstance(valence, int | float) or not -4 <= valence <= 4:
            raise fail(f"complaint_words.{word}", "must be a number from -4 to 4 (VADER's scale; 0 switches it off)")
        complaint_words[word] = float(valence)

    replies: dict[str, tuple[str, ...]] = {}
    for key, variants in data.get("replies", {}).items():
        if not isinstance(variants, list) or not variants or not all(isinstance(v, str) for v in variants):
            raise fail(f"replies.{key}", "must be a non-empty list of strings")
        replies[key] = tuple(variants)
    for key in REQUIRED_REPLIES:
        if key not in replies:
            raise fail(f"replies.{key}", "missing")

    faq = []
    seen = set()
    for i, item in enumerate(data.get("faq", [])):
        where = f"faq[{i}]"
        if not isinstance(item, dict):
            raise fail(where, "must be a table ([[faq]])")
        for key in item:
            if key not in {"id", "answer", "examples", "keywords", "smalltalk", "covered_by_disclosure"}:
                raise fail(f"{where}.{key}", "unknown key")
        entry_id = _text(item, "id", f"{where}.id", fail)
        if entry_id in seen:
            raise fail(f"{where}.id", f"duplicate id {entry_id!r}")
        seen.add(entry_id)
        examples = item.get("examples")
        if not isinstance(examples, list) or not examples or not all(isinstance(x, str) for x in examples):
            raise fail(f"{where}.examples", "must be a non-empty list of strings")
        keywords = item.get("keywords", [])
        if not isinstance(keywords, list) or not all(isinstance(x, str) for x in keywords):
            raise fail(f"{where}.keywords", "must be a list of strings")
        answer = _text(item, "answer", f"{where}.answer", fail).replace("{company}", company)
        faq.append(FaqEntry(entry_id, answer, tuple(examples),
                            tuple(k.lower().strip() for k in keywords if k.strip()),
                            bool(item.get("smalltalk", False)), bool(item.get("covered_by_disclosure", False))))

    rates = {}
    for platform, table in data.get("sending", {}).items():
        if not isinstance(table, dict):
            raise fail(f"sending.{platform}", "must be a table with per_destination and overall")
        for key, value in table.items():
            if key not in ("per_destination", "overall"):
                raise fail(f"sending.{platform}.{key}", "unknown key (expected per_destination or overall)")
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise fail(f"sending.{platform}.{key}", "must be a number of messages per second (0 = no limit)")
        rates[platform] = Rate(float(table.get("per_destination", 0)) or None, float(table.get("overall", 0)) or None)

    return Content(
        company=company,
        disclosure=disclosure.replace("{company}", company),
        faq=tuple(faq),
        faq_threshold=float(policy["faq_threshold"]),
        replies={k: tuple(v.replace("{company}", company) for v in vs) for k, vs in replies.items()},
        thresholds=Thresholds(float(policy["negative"]), policy["negative_streak"],
                              float(policy["very_negative"]), policy["max_fallbacks"],
                              float(policy["handoff_threshold"]), float(policy["waiting_minutes"]),
                              float(policy["frustrated"]), float(policy["opening"])),
        patterns=Patterns(**signal_lists),
        complaint_words=complaint_words,
        rates=rates,
    )


def _text(table: dict[str, Any], key: str, name: str, fail) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise fail(name, "must be a non-empty string")
    return value
