"""How far USS dialogue-level dissatisfaction can be read from the words at all: a supervised text classifier trained
on each corpus itself, next to Warmline's unsupervised, general signals.

    pip install scikit-learn          # only for this script; Warmline does not use it
    python benchmarks/uss_ceiling.py [--data ../shared/data]

For each USS corpus: TF-IDF of the whole dialogue (customer and system turns, words and word pairs seen in at least
two dialogues) and a class-balanced logistic regression, scored by 5-fold cross-validation (each dialogue scored by
a model that never saw it), the mean AUC over three shufflings of the folds. One fixed setting, not the best of
several: choosing among settings on the same folds would flatter it. Dissatisfied as in benchmarks/detection.py
(OVERALL mean rating at most 2.5). A classifier fitted to a corpus's own words is an upper reference for what the
words carry, not something to ship: it learns that corpus's topics, and issue 4 asks for general signals.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from statistics import mean

from detection import DEFAULT_DATA, auc, per_conversation, replay_lines, uss_dialogues

import config
from core.replay import Summary, replay
from core.understanding import Understander

try:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
except ImportError:  # pragma: no cover - an optional research tool
    sys.exit("this script needs scikit-learn: pip install scikit-learn")


def supervised_auc(texts: list[str], labels: list[bool], seeds: tuple[int, ...] = (0, 1, 2)) -> float:
    features = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True).fit_transform(texts)
    scores = []
    for seed in seeds:
        predicted = cross_val_predict(LogisticRegression(C=1.0, class_weight="balanced", max_iter=3000), features,
                                      labels, cv=StratifiedKFold(5, shuffle=True, random_state=seed),
                                      method="predict_proba")[:, 1]
        scores.append(auc(list(predicted), labels))
    return mean(scores)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data folder")
    args = parser.parse_args()
    understander = Understander(config.load_content(None))
    print("| USS corpus | Warmline (`warmline replay`, general signals) | text classifier trained on the corpus (CV) |")
    print("|---|---|---|")
    for corpus in ("MWOZ", "SGD", "ReDial", "CCPE"):
        dialogues = list(uss_dialogues(args.data / "uss_user_satisfaction" / f"{corpus}.txt"))
        labels = [overall <= 2.5 for _, _, overall, _ in dialogues]
        judged = per_conversation(replay(replay_lines((d, t) for d, t, _, _ in dialogues), understander, Summary()))
        ours = auc([judged[d][0] for d, _, _, _ in dialogues], labels)
        texts = [" ".join(text for _, text in turns) for _, turns, _, _ in dialogues]
        print(f"| {corpus} | {ours:.2f} | {supervised_auc(texts, labels):.2f} |")


if __name__ == "__main__":
    main()
