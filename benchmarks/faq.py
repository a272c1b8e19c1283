"""How often the FAQ answers routine questions, and answers them from the right entry.

    python benchmarks/faq.py [--data ../shared/data] [--config shop.toml] [-v]

The built-in content (config/defaults.toml) is a fictional online shop's FAQ; Bitext's customer-support sample
(its SOURCE.txt gives origin and licence; none of it ships with Warmline) asks an online shop's questions in 27
intents, about 240 each. For the 14 intents an entry of the built-in FAQ covers (RIGHT_ENTRIES), a question is
answered right, answered from another entry, or not answered (the bot says it did not understand and offers a
person). For the other 12 (changing an order, invoices, payment methods, newsletters...), any answer is a wrong
one. `contact_human_agent` is left out: those hand off (see benchmarks/detection.py). CLINC150's in-scope test
questions (a general assistant's: travel, banking, small talk) are another business's: the share answered from an
entry other than small talk is the rate of answers to questions the FAQ does not hold.

With --config, an operator's content file is measured instead (its FAQ replaces the built-in one only where the
file sets [[faq]]); the mapping below names the built-in entries, so for an FAQ with other entry ids only the rows of
questions answered anyway apply (edit RIGHT_ENTRIES to map Bitext's intents to yours).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import config  # noqa: E402
from core.faq import FaqMatcher  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data"

# Bitext intent -> the built-in entries whose answer serves it.
RIGHT_ENTRIES = {
    "track_order": {"order_status"}, "delivery_period": {"delivery", "order_status"},
    "delivery_options": {"delivery"}, "change_shipping_address": {"change_address", "account"},
    "set_up_shipping_address": {"change_address", "account"}, "cancel_order": {"cancel_order"},
    "get_refund": {"refunds"}, "track_refund": {"refunds"}, "check_refund_policy": {"refunds", "returns"},
    "complaint": {"complaint"}, "contact_customer_service": {"contact_us", "opening_hours"},
    "recover_password": {"account"}, "registration_problems": {"account"}, "edit_account": {"account"},
    "check_payment_methods": {"payment_methods"}, "check_invoice": {"invoices"}, "get_invoice": {"invoices"},
    "change_order": {"change_order"}, "delete_account": {"delete_account"},
    "newsletter_subscription": {"newsletter"},
}
LEFT_OUT = {"contact_human_agent"}


def bitext_outcomes(matcher: FaqMatcher, data: Path) -> tuple[dict[str, Counter[str]], dict[str, list[str]]]:
    """Per Bitext intent, how many questions were answered "right", "wrong" or "none"; and the wrong answers."""
    outcomes: dict[str, Counter[str]] = {}
    wrong: dict[str, list[str]] = {}
    path = data / "bitext_customer_support" / "Bitext_Sample_Customer_Support_Training_Dataset.csv"
    with open(path, encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            intent = row["intent"]
            if intent in LEFT_OUT:
                continue
            match = matcher.match(row["instruction"])
            outcome = ("none" if match is None else
                       "right" if match.entry.id in RIGHT_ENTRIES.get(intent, ()) else "wrong")
            outcomes.setdefault(intent, Counter())[outcome] += 1
            if outcome == "wrong":
                wrong.setdefault(intent, []).append(f"{row['instruction']!r} -> {match.entry.id}")
    return outcomes, wrong


def outcome_share(outcomes: dict[str, Counter[str]], intents: list[str], outcome: str) -> float:
    return sum(outcomes[i][outcome] for i in intents) / sum(sum(outcomes[i].values()) for i in intents)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data folder")
    parser.add_argument("--config", help="a content file (WARMLINE_CONFIG) to measure instead of the defaults")
    parser.add_argument("-v", action="store_true", help="per intent, with examples of wrong answers")
    args = parser.parse_args()
    if not args.data.is_dir():
        sys.exit(f"no data at {args.data}: pass --data")
    content = config.load_content(args.config)
    matcher = FaqMatcher(content.faq, content.faq_threshold)
    outcomes, wrong = bitext_outcomes(matcher, args.data)

    def share(intents: list[str], outcome: str) -> str:
        return f"{outcome_share(outcomes, intents, outcome):.1%}"

    covered = sorted(i for i in outcomes if i in RIGHT_ENTRIES)
    other = sorted(i for i in outcomes if i not in RIGHT_ENTRIES)
    n_covered = sum(sum(outcomes[i].values()) for i in covered)
    n_other = sum(sum(outcomes[i].values()) for i in other)
    clinc = [text for text, _ in json.loads((args.data / "intent_clinc150" / "data_small.json").read_text())["test"]]
    answered = [m for m in map(matcher.match, clinc) if m is not None and not m.entry.smalltalk]

    print("| measurement | share |\n|---|---|")
    print(f"| Bitext, {len(covered)} intents the FAQ covers ({n_covered} questions): answered from a right entry | "
          f"{share(covered, 'right')} |")
    print(f"| the same: answered from another entry | {share(covered, 'wrong')} |")
    print(f"| the same: not answered (\"did not understand\", a person offered) | {share(covered, 'none')} |")
    print(f"| Bitext, {len(other)} intents the FAQ does not cover ({n_other} questions): answered anyway | "
          f"{share(other, 'wrong')} |")
    print(f"| CLINC150 in-scope test ({len(clinc)}, another business's questions): answered from an entry other "
          f"than small talk | {len(answered) / len(clinc):.1%} |")
    named = {entry for entries in RIGHT_ENTRIES.values() for entry in entries}
    if not named & {e.id for e in content.faq}:
        print("\n(This FAQ has none of the built-in entry ids the intents are mapped to: only the rows of questions "
              "answered anyway say something about it.)")
    if args.v:
        for intent in covered + other:
            c = outcomes[intent]
            total = sum(c.values())
            print(f"{intent:26} {'covered' if intent in RIGHT_ENTRIES else '       '} right {c['right'] / total:4.0%}"
                  f"  wrong {c['wrong'] / total:4.0%}  none {c['none'] / total:4.0%}  {wrong.get(intent, [])[:2]}")


if __name__ == "__main__":
    main()
