"""The detection goals that hold, measured on the shared public data through replay's code path (skipped where
the data is absent). The full table, with raw VADER beside it, comes from benchmarks/detection.py."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

import config
from benchmarks.detection import auc, per_conversation, replay_lines, single_messages, uss_dialogues
from core.replay import Summary, replay
from core.understanding import Understander

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
needs_data = pytest.mark.skipif(not DATA.is_dir(), reason=f"shared data not found at {DATA}")


@pytest.fixture(scope="module")
def understander() -> Understander:
    return Understander(config.load_content())


@needs_data
def test_explicit_requests_for_a_person_are_handed_off(understander):
    with open(DATA / "bitext_customer_support" / "Bitext_Sample_Customer_Support_Training_Dataset.csv",
              encoding="utf-8") as handle:
        asks = [r["instruction"] for r in csv.DictReader(handle) if r["intent"] == "contact_human_agent"]
    handed = single_messages(understander, asks)
    assert sum(handed) / len(handed) >= 0.98


@needs_data
def test_routine_questions_page_nobody(understander):
    clinc = [text for text, _ in json.loads((DATA / "intent_clinc150" / "data_small.json").read_text())["test"]]
    handed = single_messages(understander, clinc)
    assert sum(handed) / len(handed) <= 0.01


@needs_data
def test_problems_told_calmly_page_nobody(understander):
    with open(DATA / "intent_banking77" / "test.csv", encoding="utf-8") as handle:
        banking = [r["text"] for r in csv.DictReader(handle)]
    handed = single_messages(understander, banking)
    assert sum(handed) / len(handed) <= 0.01


def test_auc_and_per_conversation_judgement():
    assert auc([0.9, 0.8, 0.1, 0.2], [True, True, False, False]) == 1.0
    assert auc([0.5, 0.5], [True, False]) == 0.5
    judged = per_conversation([{"conversation": "a", "frustration": 0.2, "handoff": False},
                               {"conversation": "a", "frustration": 0.7, "handoff": True},
                               {"conversation": "a", "frustration": 0.1, "handoff": False}])
    assert judged == {"a": (0.7, True)}


@needs_data
def test_dissatisfied_sgd_dialogues_score_higher(understander):
    """USS SGD, dialogue level (dissatisfied: overall mean rating ≤ 2.5): AUC ≥ 0.70, as the issue asks. MultiWOZ
    (0.60) does not hold it: see the README."""
    dialogues = list(uss_dialogues(DATA / "uss_user_satisfaction" / "SGD.txt"))
    judged = per_conversation(replay(replay_lines((name, turns) for name, turns, _, _ in dialogues), understander,
                                     Summary()))
    assert auc([judged[name][0] for name, *_ in dialogues], [overall <= 2.5 for _, _, overall, _ in dialogues]) >= 0.70
