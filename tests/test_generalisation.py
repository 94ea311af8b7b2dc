"""Accuracy bars and level/year recognition on every labelled set, through the CLI.

The sets and their bars are in tests/labelled_sets.py; what each unseen set contains and how it
was labelled is in its own module (tests/test_unseen*.py), with the checks particular to it.
"""

from __future__ import annotations

import pytest

from tests.labelled_sets import LABELLED_SETS, assert_bar, evaluate_set, misrecognised

MEASURES = ("f1", "agreement", "structure_agreement")


@pytest.mark.parametrize(
    ("name", "measure"), [(name, m) for name in LABELLED_SETS if name != "seeds" for m in MEASURES]
)
def test_accuracy_bar(name: str, measure: str) -> None:
    folder, documents, *bars = LABELLED_SETS[name]
    assert_bar(evaluate_set(folder, documents), measure, bars[MEASURES.index(measure)])


@pytest.mark.parametrize("name", [name for name in LABELLED_SETS if name != "seeds"])
def test_levels_and_years_are_recognised(name: str) -> None:
    folder, documents, *_ = LABELLED_SETS[name]
    assert not misrecognised(evaluate_set(folder, documents))
