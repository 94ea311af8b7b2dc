"""The bundled 2015–2020 纲要 checklist (gangyao-2015) against its specification and labels.

* every item of ../shared/spec/catalogue-2015.yaml is in the checklist with the same id,
  severity and levels, two must-cover and two must-not examples, and a ref that still says
  "unconfirmed" where the catalogue could not confirm it;
* seed 003 (高州市, 2020) against ../shared/gold/seeds-2015.yaml through ``checker eval``, F1 ≥ 0.9;
* what the checklist reads in the 2020 reports of ../shared/devset, for the shared ids.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from checker.rules.checklist import bundled, load_checklist
from checker.vocabulary import Level
from tests.conftest import ROOT, SEEDS, cli

SHARED = ROOT.parent / "shared"
CATALOGUE = SHARED / "spec" / "catalogue-2015.yaml"
GOLD = SHARED / "gold" / "seeds-2015.yaml"
DEVSET = SHARED / "devset"
SEED_003 = SEEDS / "003_9b77debbcb7cfcd8.txt"
MIN_F1 = 0.9


def _needs(path: Path) -> None:
    if not path.exists():
        pytest.skip(f"{path} not present")


@pytest.fixture(scope="module")
def checklist() -> Any:
    return load_checklist(bundled()["gangyao-2015"]).checklist


def _unconfirmed_refs(text: str) -> set[str]:
    """Ids whose ref line in the catalogue says the placement is not confirmed."""
    out: set[str] = set()
    current = ""
    for line in text.splitlines():
        m = re.match(r"\s*- id: (\w+)", line)
        if m:
            current = m.group(1)
        elif re.match(r"\s*ref:", line) and re.search(r"unconfirmed|not confirmed|could be confirmed", line):
            out.add(current)
    return out


def test_every_catalogue_item_is_in_the_checklist(checklist: Any) -> None:
    _needs(CATALOGUE)
    text = CATALOGUE.read_text(encoding="utf-8")
    catalogue = yaml.safe_load(text)
    ids = [spec["id"] for spec in catalogue["items"]]
    assert len(ids) == 49
    assert sorted(i.id for i in checklist.items) == sorted(ids)
    for spec in catalogue["items"]:
        item = checklist.item(spec["id"])
        assert item.severity.value == spec["severity"], spec["id"]
        levels = spec["levels"]
        assert item.level_set == (set(Level) if levels == "all" else {Level(v) for v in levels}), spec["id"]
        assert len(item.examples.covered) >= 2, spec["id"]
        assert len(item.examples.partial) + len(item.examples.missing) >= 2, spec["id"]
    unconfirmed = _unconfirmed_refs(text)
    assert {"LD02", "EN04", "DS04"} <= unconfirmed
    for item_id in unconfirmed:
        assert "unconfirmed" in checklist.item(item_id).ref, item_id


def test_the_2021_only_items_are_not_in_it(checklist: Any) -> None:
    ids = {i.id for i in checklist.items}
    assert not ids & {"LD01", "FN06", "DC02", "EM01", "SV03", "SV06", "DG01", "DG02", "DG03"}


def test_its_examples_pass_through_the_cli() -> None:
    result = cli("checklists", "test", bundled()["gangyao-2015"])
    assert result.code == 0, result.stdout + result.stderr
    assert "个符合预期，0 个不符合" in result.stdout


def test_seed_003_against_the_2015_labels() -> None:
    _needs(GOLD)
    result = cli("eval", "--gold", GOLD, SEED_003, "-c", "gangyao-2015", "-c", "report-structure", "--format", "json")
    assert result.code == 0, result.stderr
    out = result.json()
    assert isinstance(out, dict)
    assert out["documents_evaluated"] == 1
    assert out["checklists"] == ["gangyao-2015", "report-structure"]
    content = [d for d in out["disagreements"] if not d["item"].startswith("RS")]
    assert out["f1"] >= MIN_F1, content
    # The labels cover content items only: every content verdict agrees on covered / not covered.
    assert [d["item"] for d in content if "covered" in (d["expected"], d["got"])] == []
    gate = cli("eval", "--gold", GOLD, SEED_003, "-c", "gangyao-2015", "-c", "report-structure",
               "--min-f1", str(MIN_F1))
    assert gate.code == 0, gate.stdout


def test_period_pitfalls_in_seed_003() -> None:
    """The hard misses of the labels: powers handed down are not 机构改革, a plan to fund 基层工作 is not
    执法保障, a problem named is not 问责, 环境保护 as a field of 综合执法 is not 生态环境保护."""
    out = cli("check", SEED_003, "-c", "gangyao-2015", "--format", "json").json()
    report = out[0] if isinstance(out, list) else out
    assert isinstance(report, dict)
    found = {i["id"]: i["found"] for i in report["items"]}
    assert "LD01" not in found
    hard = ("GF01", "GF03", "GS01", "GE01", "LD03")
    assert {k: found[k] for k in hard} == dict.fromkeys(hard, "missing")
    assert {k: found[k] for k in ("GF02", "GR01", "GL01", "DC01", "FN03")} == dict.fromkeys(
        ("GF02", "GR01", "GL01", "DC01", "FN03"), "covered")


def _devset_2020() -> list[Path]:
    index = DEVSET / "index.tsv"
    if not index.exists():
        return []
    rows = [line.split("\t") for line in index.read_text(encoding="utf-8").splitlines()[1:]]
    return [DEVSET / "docs" / r[0] for r in rows if r[2].isdigit() and int(r[2]) <= 2020 and r[3] == "report"]


def test_the_2020_devset_reports_read_sensibly() -> None:
    """On the shared ids the 2015 checklist scores the 2020 dev-set texts (labelled against the 2021
    catalogue) at least as well as the 2021 checklist does."""
    files = _devset_2020()
    if not files:
        pytest.skip("../shared/devset not present")
    f1: dict[str, float] = {}
    items: dict[str, dict[str, dict[str, int]]] = {}
    for name in ("gangyao-2015", "gangyao-2021"):
        result = cli("eval", "--gold", DEVSET / "labels.yaml", *files, "-c", name, "--format", "json")
        assert result.code == 0, result.stderr
        out = result.json()
        assert isinstance(out, dict)
        assert out["documents_evaluated"] == len(files) == 13
        f1[name] = out["f1"]
        items[name] = {i["id"]: i for i in out["items"]}
    # Compared on the shared ids only: items one checklist has and the other lacks (GF01…, FN06, EM01 …)
    # would otherwise decide the comparison.
    shared = items["gangyao-2015"].keys() & items["gangyao-2021"].keys()
    assert len(shared) >= 40

    def shared_f1(name: str) -> float:
        tp, fp, fn = (sum(items[name][i][k] for i in shared) for k in ("tp", "fp", "fn"))
        return 2 * tp / (2 * tp + fp + fn)

    assert shared_f1("gangyao-2015") >= shared_f1("gangyao-2021")
    assert f1["gangyao-2015"] >= 0.75


def test_show_finds_items_of_every_bundled_checklist() -> None:
    only_2015 = cli("checklists", "show", "GF01")
    assert only_2015.code == 0, only_2015.stderr
    assert "清单：gangyao-2015" in only_2015.stdout and "机构职能法定化" in only_2015.stdout
    shared = cli("checklists", "show", "LD02")
    assert shared.code == 0
    assert "清单：gangyao-2015" in shared.stdout and "清单：gangyao-2021" in shared.stdout
    assert cli("checklists", "show", "GF01", "-c", "gangyao-2021").code == 2
