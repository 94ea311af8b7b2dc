"""Every bundled checklist item's examples: must-cover texts are covered, the others are not."""

import pytest

from checker.rules.checklist import bundled, load_checklist
from checker.rules.examples import ExampleResult, run_examples

CASES = [
    (name, r)
    for name, path in bundled().items()
    for r in run_examples(load_checklist(path))
]


@pytest.mark.parametrize(("checklist", "result"), CASES, ids=[f"{c}:{r.item}:{r.expected.value}:{i}" for i, (c, r) in enumerate(CASES)])
def test_example(checklist: str, result: ExampleResult) -> None:
    assert result.got == result.expected, f"{result.item} {result.text!r}: {result.reason}"


def test_every_item_has_two_positive_and_two_negative_examples() -> None:
    for path in bundled().values():
        for item in load_checklist(path).checklist.items:
            ex = item.examples
            assert len(ex.covered) >= 2, item.id
            assert len(ex.partial) + len(ex.missing) >= 2, item.id
