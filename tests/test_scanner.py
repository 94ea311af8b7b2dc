"""The one-pass term scanner and the detector registry: the prefilter never changes a verdict."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import pytest

from checker.document.model import build, from_text
from checker.document.profile import profile
from checker.engine import ItemResult, judge_item
from checker.pipeline import check_file
from checker.rules.checklist import ChecklistError, LoadedChecklist, bundled, parse_checklist
from checker.rules.detectors import KINDS, DetectorBase, DocIndex, Match
from checker.rules.loader import load_many
from checker.rules.scanner import _FREQUENT, _NEVER, TermScanner, checklist_scanner, required_literals
from checker.vocabulary import Role
from tests.conftest import SEED_FILES
from tests.test_detectors import HEAD


def test_term_scanner_finds_every_occurrence_overlapping_ones_included() -> None:
    scanner = TermScanner(["法治", "法治政府", "政府", ""])
    found = scanner.scan("法治政府建设和法治政府")
    assert found == {"法治": [0, 7], "法治政府": [0, 7], "政府": [2, 9]}
    assert scanner.terms == frozenset({"法治", "法治政府", "政府"})
    assert TermScanner([]).scan("任何文字") == {}


def _found_by_str_find(terms: list[str], text: str) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for term in terms:
        pos = text.find(term)
        while pos != -1:
            found.setdefault(term, []).append(pos)
            pos = text.find(term, pos + 1)
    return found


def test_a_whole_checklist_s_scanner_finds_what_str_find_finds_in_every_seed() -> None:
    # A checklist has more first characters than the scanner's frequent ones: the automaton then also holds
    # placeholder words that order its root (checker.rules.scanner._FREQUENT); a text containing them, or the
    # noncharacter they end with, still gives exactly the terms' occurrences.
    terms = sorted(checklist_scanner(item for lc in load_many([]) for item in lc.checklist.items).terms)
    assert len({t[0] for t in terms}) > len(_FREQUENT)
    scanner = TermScanner(terms)
    texts = [build(p.read_text(encoding="utf-8")).text for p in SEED_FILES[:3]]
    texts.append(texts[0][:2000] + "".join(ch + _NEVER for ch in _FREQUENT) + _NEVER * 3 + texts[1][:2000])
    for text in texts:
        assert scanner.scan(text) == _found_by_str_find(terms, text)


def test_required_literals_of_a_pattern() -> None:
    assert required_literals("合法性(审核|审查)") == ("合法性",)
    assert required_literals("(行政复议|行政应诉)案件") == ("行政",)  # the longest literal every match has
    assert required_literals(r"\d+") is None  # no literal every match must contain
    assert required_literals("(?i)abc") is None  # case-insensitive: the stdlib parser reads it differently


def test_the_scanner_collects_the_terms_each_detector_kind_declares() -> None:
    [lc] = load_many(["report-structure"])
    scanner = checklist_scanner(lc.checklist.items)
    terms = {t for item in lc.checklist.items for det in item.detectors for t in det.literal_terms()}
    assert terms and terms <= scanner.terms
    assert "原因" in scanner.terms  # RS03's part detector requires causes


def test_the_registry_lists_every_kind_and_each_kind_matches_on_its_own() -> None:
    assert set(KINDS) == {"keywords", "regex", "part", "title", "signoff", "year_consistency"}
    for kind, cls in KINDS.items():
        assert issubclass(cls, DetectorBase) and not getattr(cls, "__abstractmethods__", None), kind
        assert cls.find is not DetectorBase.find, kind


def test_every_schema_kind_has_its_runtime_rule_with_its_own_matching() -> None:
    """A kind is a schema class (validated at load) and a runtime rule (what a warm run uses): the two agree."""
    from checker.rules.matching import RULES, Rule

    assert set(RULES) == set(KINDS)
    for kind, rule in RULES.items():
        assert issubclass(rule, Rule) and rule.find is not Rule.find, kind


def test_a_kind_without_its_own_matching_cannot_be_constructed() -> None:
    class Unfinished(DetectorBase):
        kind: Literal["unfinished"]

    with pytest.raises(TypeError):
        Unfinished(kind="unfinished")  # type: ignore[abstract]  # what this test proves impossible

    class Finished(Unfinished):
        def find(self, index: DocIndex) -> Iterator[Match]:
            return iter(())

    assert Finished(kind="unfinished").literal_terms() == ()


def test_an_unknown_kind_in_a_checklist_is_refused_with_its_line() -> None:
    text = HEAD + "      - kind: sometimes\n        any: [法治]\n"
    with pytest.raises(ChecklistError) as err:
        parse_checklist(text, Path("t.yaml"))
    assert "t.yaml:14" in str(err.value) and "未知的检测器类型" in str(err.value)


def _without_scanner(lc: LoadedChecklist) -> LoadedChecklist:
    copy = LoadedChecklist(lc.checklist, lc.path, lc.sha256)
    copy.__dict__["compiled"] = dataclasses.replace(lc.compiled, scanner=None)
    return copy


def _key(r: ItemResult) -> tuple[object, ...]:
    return (r.item.id, r.status, r.found, r.reasons, r.evidence, r.strength)


@pytest.mark.parametrize("name", sorted(bundled()))
def test_every_example_gets_the_same_verdict_with_and_without_the_prefilter(name: str) -> None:
    [lc] = [c for c in load_many([name]) if c.checklist.id == name]
    plain = _without_scanner(lc)
    assert lc.compiled.scanner is not None and plain.compiled.scanner is None
    compared = 0
    for item in lc.checklist.items:
        for text in (*item.examples.covered, *item.examples.partial, *item.examples.missing):
            doc = from_text(text, default_role=Role.ACHIEVEMENTS, path=f"<{item.id}>")
            prof = profile(doc)
            results = []
            for compiled in (lc.compiled, plain.compiled):
                index = DocIndex(doc, compiled.hedges, prof, compiled.scanner)
                results.append(_key(judge_item(item, name, index, applicable=True)))
            assert results[0] == results[1], (item.id, text)
            compared += 1
    assert compared >= len(lc.checklist.items) * 2


def test_every_seed_gets_the_same_verdicts_with_and_without_the_prefilter() -> None:
    checklists = load_many([])
    plain = [_without_scanner(lc) for lc in checklists]
    for seed in SEED_FILES:
        scanned = check_file(seed, checklists)
        unscanned = check_file(seed, plain)
        assert [_key(r) for r in scanned.items] == [_key(r) for r in unscanned.items], seed.name
        assert any(r.evidence for r in scanned.items)
