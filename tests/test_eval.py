"""``checker eval``: accuracy against labels, through the CLI on the seed files."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT, SEED_FILES, SEEDS, cli

GOLD = SEEDS / "gold.yaml"
KEYS = {"f1", "precision", "recall", "agreement", "structure_agreement", "disagreements", "items"}


def _gold() -> dict[str, Any]:
    data = yaml.safe_load(GOLD.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _write(path: Path, data: object) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_the_hook_invocation_works_and_is_deterministic() -> None:
    cmd = [sys.executable, "-m", "checker", "eval", "--gold", "seeds/gold.yaml", "seeds/", "--format", "json"]
    first = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, encoding="utf-8", check=False)
    second = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, encoding="utf-8", check=False)
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    out = json.loads(first.stdout)
    assert set(out) >= KEYS
    assert out["documents_evaluated"] == 5
    for key in ("f1", "precision", "recall", "agreement", "structure_agreement"):
        assert 0.0 <= out[key] <= 1.0
    ids = [i["id"] for i in out["items"]]
    assert "LD01" in ids and "RS07" in ids


def test_rich_output_names_the_measures() -> None:
    result = cli("eval", "--gold", GOLD, SEEDS)
    assert result.code == 0, result.stderr
    for words in ("F1", "精确率", "召回率", "三类一致率", "结构条目一致率", "按文档", "按条目"):
        assert words in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 100


def test_a_wrong_label_is_a_disagreement_with_both_evidences(tmp_path: Path) -> None:
    data = _gold()
    doc = data["documents"]["002_43717beec33bc72e.txt"]
    covered = next(k for k, v in doc["items"].items() if v["status"] == "covered" and not k.startswith("RS"))
    doc["items"][covered] = {"status": "missing", "note": "deliberately wrong"}
    doc["items"]["RS01"] = {"status": "covered", "evidence": "莲塘镇2023年法治政府建设工作总结"}
    result = cli("eval", "--gold", _write(tmp_path / "g.yaml", data), SEEDS, "--format", "json")
    assert result.code == 0, result.stderr
    out = result.json()
    assert isinstance(out, dict)
    mine = [d for d in out["disagreements"] if d["document"] == "002_43717beec33bc72e.txt"]
    by_item = {d["item"]: d for d in mine}
    assert by_item[covered]["expected"] == "missing"
    assert by_item[covered]["got"] == "covered"
    assert by_item[covered]["quote"] and by_item[covered]["line"] >= 1
    assert by_item[covered]["gold_note"] == "deliberately wrong"
    assert by_item["RS01"]["expected"] == "covered" and by_item["RS01"]["got"] == "missing"
    assert by_item["RS01"]["gold_evidence"] == "莲塘镇2023年法治政府建设工作总结"
    assert out["structure_agreement"] < 1.0
    assert any("RS01" in w and "找不到" in w for w in out["warnings"])


def test_measures_by_hand(tmp_path: Path) -> None:
    """One document; the labels claim three items covered: the checker's verdicts decide P/R/F1."""
    seed = SEED_FILES[2]
    (tmp_path / seed.name).write_bytes(seed.read_bytes())
    baseline = cli("check", tmp_path / seed.name, "--format", "json").json()
    assert isinstance(baseline, dict)
    found = {i["id"]: i["found"] for i in baseline["items"]}
    covered = sorted(k for k, v in found.items() if v == "covered")[:2]
    not_covered = sorted(k for k, v in found.items() if v == "missing")[:1]
    items = {k: {"status": "covered"} for k in covered + not_covered}
    gold = _write(tmp_path / "g.yaml", {"documents": {seed.name: {"level": "township", "year": 2023, "items": items}}})
    out = cli("eval", "--gold", gold, tmp_path, "--format", "json").json()
    assert isinstance(out, dict)
    n_covered = sum(v == "covered" for v in found.values())
    assert out["counts"]["tp"] == 2 and out["counts"]["fn"] == 1 and out["counts"]["fp"] == n_covered - 2
    assert out["recall"] == round(2 / 3, 4)
    assert out["precision"] == round(2 / n_covered, 4)
    assert out["f1"] == round(4 / (4 + 1 + n_covered - 2), 4)


def test_thresholds_set_the_exit_code() -> None:
    out = cli("eval", "--gold", GOLD, SEEDS, "--format", "json").json()
    assert isinstance(out, dict)
    assert cli("eval", "--gold", GOLD, SEEDS, "--min-f1", "0", "--min-agreement", "0").code == 0
    if out["f1"] < 1.0:
        failed = cli("eval", "--gold", GOLD, SEEDS, "--min-f1", "1")
        assert failed.code == 1 and "未达标：F1" in failed.stderr
    if out["agreement"] < 1.0:
        failed = cli("eval", "--gold", GOLD, SEEDS, "--min-agreement", "1")
        assert failed.code == 1 and "三类一致率" in failed.stderr


def test_thresholds_fail_when_the_labels_disagree(tmp_path: Path) -> None:
    data = _gold()
    for doc in data["documents"].values():
        doc["items"] = {k: {"status": "missing"} for k in doc["items"]}
    result = cli("eval", "--gold", _write(tmp_path / "g.yaml", data), SEEDS, "--min-f1", "0.5")
    assert result.code == 1
    assert "未达标：F1 无法计算" in result.stderr or "未达标：F1 为" in result.stderr


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("documents:\n  a.txt:\n    items:\n      LD01: {status: coverd}\n",
         "g.yaml:4: 文档 a.txt，条目 LD01: 取值 'coverd' 无效"),
        ("documents:\n  a.txt:\n    items:\n      LD01: {status: covered, evdence: x}\n",
         "g.yaml:4: 文档 a.txt，条目 LD01: 未知字段“evdence”"),
        ("documents:\n  a.txt:\n    level: village\n", "g.yaml:3: 文档 a.txt: 取值 'village' 无效"),
        ("documents:\n  a.txt:\n    year: 23\n", "g.yaml:3: 文档 a.txt: “year”应不小于 2000"),
        ("documents:\n  a.txt:\n    kind: report\n    extra: 1\n", "g.yaml:4: 文档 a.txt: 未知字段“extra”"),
        ("documents:\n  a.txt:\n    items: {LD01: covered}\n", "文档 a.txt，条目 LD01: 条目应写成"),
        ("documents: {}\n", "g.yaml:1: “documents”不能为空"),
        ("- a\n", "g.yaml:1: 标注文件应是一个 YAML 映射"),
        ("documents:\n  a.txt: {items: {LD01: {status: covered}}\n", "g.yaml:3: YAML 格式错误"),
    ],
)
def test_bad_label_files_are_named_with_line_and_document(tmp_path: Path, text: str, expected: str) -> None:
    (tmp_path / "g.yaml").write_text(text, encoding="utf-8")
    result = cli("eval", "--gold", tmp_path / "g.yaml", SEEDS)
    assert result.code == 2
    assert result.stdout == ""
    assert "标注文件错误" in result.stderr
    assert expected in result.stderr.replace(str(tmp_path) + "/", "")


def test_notes_are_allowed_and_missing_label_file_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "g.yaml").write_text(
        "documents:\n  x.txt:\n    note: 说明\n    items:\n      LD01: {status: partial, note: 只在计划中}\n", encoding="utf-8"
    )
    result = cli("eval", "--gold", tmp_path / "g.yaml", SEEDS, "--format", "json")
    assert result.code == 0
    out = result.json()
    assert isinstance(out, dict)
    assert out["documents_evaluated"] == 0 and out["f1"] is None
    assert any("x.txt" in w for w in out["warnings"])
    missing = cli("eval", "--gold", tmp_path / "nope.yaml", SEEDS)
    assert missing.code == 2 and "标注文件不存在" in missing.stderr


def test_unreadable_labelled_file_is_an_input_error(tmp_path: Path) -> None:
    seed = SEED_FILES[0]
    shutil.copy(seed, tmp_path / seed.name)
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01" * 10)
    gold = _write(tmp_path / "g.yaml", {"documents": {seed.name: {"items": {}}, "bad.txt": {"items": {}}}})
    result = cli("eval", "--gold", gold, tmp_path, "--format", "json")
    assert result.code == 3
    assert "bad.txt" in result.stderr
    out = result.json()
    assert isinstance(out, dict)
    assert out["documents_evaluated"] == 1


def test_look_alikes_are_scored_on_kind_and_on_claiming_no_coverage(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    kinds = ROOT / "tests" / "fixtures" / "kinds"
    for name in ("news_meeting.txt", "issuing_notice.txt", "fazhi_jianshe_report.txt"):
        shutil.copy(kinds / name, docs / name)
    gold = {"documents": {
        "news_meeting.txt": {"level": "county", "kind": "other", "items": {}},
        "issuing_notice.txt": {"level": "county", "year": 2024, "kind": "other", "items": {}},
        "fazhi_jianshe_report.txt": {"level": "county", "year": 2023, "kind": "report", "items": {
            "LD01": {"status": "covered"}, "EN03": {"status": "covered"}}},
    }}
    result = cli("eval", "--gold", _write(tmp_path / "g.yaml", gold), docs, "--format", "json")
    assert result.code == 0, result.stderr
    out = result.json()
    assert isinstance(out, dict)
    assert out["kind_accuracy"] == 1.0
    assert out["kind_counts"] == {"right": 3, "documents": 3, "lookalikes": 2, "lookalikes_recognised": 2}
    # The news item names 行政执法公示 (EN03): judged partial, which claims no coverage, so for a
    # look-alike it is no disagreement.
    assert not [d for d in out["disagreements"] if d["document"] == "news_meeting.txt" and d["item"] == "EN03"]
    rich = cli("eval", "--gold", tmp_path / "g.yaml", docs)
    assert "文档类型准确率 1.000（3/3" in rich.stdout
