"""Run a checklist's own examples, like Semgrep's rule tests.

Every item carries texts it must cover and texts it must not (expected ``partial`` or
``missing``). An example is read as a small report whose unheaded text is an account of
the year's work, so a one-sentence example of a result counts as a result.
"""

from __future__ import annotations

from dataclasses import dataclass

from checker.document.model import from_text
from checker.document.profile import profile
from checker.engine import judge_item
from checker.rules.checklist import LoadedChecklist
from checker.rules.matching import DocIndex
from checker.rules.patterns import Budget
from checker.vocabulary import Role, Status


@dataclass(frozen=True, slots=True)
class ExampleResult:
    """One example of a checklist item run through the checker: the status expected and the status got."""

    checklist: str
    item: str
    expected: Status
    got: Status
    text: str
    reason: str

    @property
    def ok(self) -> bool:
        """Whether the example gave the status it expects."""
        return self.expected == self.got


def run_examples(lc: LoadedChecklist, only: str | None = None) -> list[ExampleResult]:
    """Run every example of a checklist's items (or of one item) as checks run."""
    results: list[ExampleResult] = []
    compiled = lc.compiled
    for item in lc.checklist.items:
        if only is not None and item.id != only:
            continue
        cases = [(Status.COVERED, t) for t in item.examples.covered]
        cases += [(Status.PARTIAL, t) for t in item.examples.partial]
        cases += [(Status.MISSING, t) for t in item.examples.missing]
        for expected, text in cases:
            doc = from_text(text, default_role=Role.ACHIEVEMENTS, path=f"<{item.id} 例子>")
            index = DocIndex(doc, compiled.hedges, profile(doc), compiled.scanner,  # as in real checks
                             None if lc.bundled else Budget())
            result = judge_item(item, lc.checklist.id, index, applicable=True)
            results.append(ExampleResult(lc.checklist.id, item.id, expected, result.found, text, result.reason))
    return results
