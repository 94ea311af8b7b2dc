"""The CLI used as a reviewer would: on the seed files, copies in other encodings and
character forms, and bad inputs."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from checker.rules.checklist import bundled
from checker.scorecard import json_schema
from tests.conftest import ROOT, SEED_FILES, SEEDS, cli

CATALOGUE = ROOT.parent / "shared" / "spec" / "catalogue.yaml"
SCHEMA = ROOT / "docs" / "scorecard.schema.json"


@pytest.fixture(scope="module")
def seed_cards() -> list[dict[str, Any]]:
    result = cli("check", SEEDS, "--format", "json")
    assert result.code == 0, result.stderr
    cards = result.json()
    assert isinstance(cards, list)
    return cards


def _statuses(card: dict[str, Any]) -> dict[str, str]:
    return {i["id"]: i["status"] for i in card["items"]}


def test_rich_output_on_the_seeds_reads_like_a_report() -> None:
    result = cli("check", SEEDS)
    assert result.code == 0
    out = result.stdout
    assert out.count(" / 100 ") == 5  # one header per report (the closing overview has one line each)
    for heading in ("一、党的领导", "报告结构", "缺失的必备条目"):
        assert heading in out
    assert "紫阳县2023年法治政府建设工作总结" in out
    assert max(len(line) for line in out.splitlines()) <= 100


def test_json_has_every_catalogue_id_in_every_scorecard(seed_cards: list[dict[str, Any]]) -> None:
    """Every id of the catalogue of the report's period (seed 003 is on 2020: the 2015 catalogue)."""
    def ids(path: Path, fallback: list[str]) -> set[str]:
        return {i["id"] for i in yaml.safe_load(path.read_text(encoding="utf-8"))["items"]} \
            if path.exists() else set(fallback)
    rs = {f"RS0{n}" for n in range(1, 8)}
    by_period = {"gangyao-2021": ids(CATALOGUE, ["LD01", "RS01", "RS07"]),
                 "gangyao-2015": ids(CATALOGUE.with_name("catalogue-2015.yaml"), ["GF01", "LD02"]) | rs}
    assert len(seed_cards) == 5
    periods = []
    for card in seed_cards:
        assert card["schema"] == "checker.scorecard/1"
        period = card["checklist_choice"]["period"]["checklist"]
        periods.append(period)
        present = {i["id"] for i in card["items"]}
        assert by_period[period] <= present
        assert card["summary"]["counts"]["covered"] > 10
    assert periods == ["gangyao-2021"] * 3 + ["gangyao-2015", "gangyao-2021"]


def test_scorecards_validate_against_the_published_schema(seed_cards: list[dict[str, Any]]) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    for card in seed_cards:
        jsonschema.validate(card, schema)


def test_published_schema_is_current() -> None:
    assert SCHEMA.read_text(encoding="utf-8") == json_schema(), "run: checker schema > docs/scorecard.schema.json"


def test_evidence_points_at_the_original_text(seed_cards: list[dict[str, Any]]) -> None:
    checked = 0
    for card in seed_cards:
        lines = Path(card["document"]["path"]).read_text(encoding="utf-8").split("\n")
        for item in card["items"]:
            for ev in item["evidence"]:
                hit = ev["quote"][ev["highlight"][0] : ev["highlight"][1]]
                line = lines[ev["line"] - 1]
                assert line[ev["column"] - 1] == hit[0], (item["id"], ev)
                joined = "".join(lines[ev["line"] - 1 : ev["line"] + 1])
                assert hit in joined[ev["column"] - 1 :], (item["id"], ev)
                checked += 1
    assert checked > 100


def test_evidence_across_a_hard_line_break_in_seed_000(seed_cards: list[dict[str, Any]]) -> None:
    card = next(c for c in seed_cards if c["document"]["path"].endswith("000_53e87cc2c0a26054.txt"))
    quotes = [(e["line"], e["quote"]) for i in card["items"] for e in i["evidence"]]
    assert any(line == 9 and "认真贯彻" in quote for line, quote in quotes) or any(
        line == 11 and "重大行政决策事项目录管理办法" in quote for line, quote in quotes
    )


def test_output_is_deterministic_and_written_atomically(tmp_path: Path) -> None:
    first = cli("check", SEEDS, "-f", "json")
    second = cli("check", SEEDS, "-f", "json")
    assert first.stdout == second.stdout
    out = tmp_path / "sub" / "cards.json"
    assert cli("check", SEEDS, "-f", "json", "-o", out).code == 0
    assert out.read_text(encoding="utf-8") == first.stdout
    assert [p.name for p in out.parent.iterdir()] == ["cards.json"]


def test_single_file_gives_one_scorecard_object() -> None:
    card = cli("check", SEED_FILES[1], "-f", "json").json()
    assert isinstance(card, dict)
    assert card["document"]["title"] == "紫阳县2023年法治政府建设工作总结"


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-16"])
def test_other_encodings_give_the_same_verdicts(tmp_path: Path, encoding: str, seed_cards: list[dict[str, Any]]) -> None:
    for seed, card in zip(SEED_FILES, seed_cards, strict=True):
        copy = tmp_path / seed.name
        copy.write_bytes(seed.read_text(encoding="utf-8").encode(encoding))
        other = cli("check", copy, "-f", "json").json()
        assert _statuses(other) == _statuses(card), seed.name


def test_traditional_characters_give_the_same_verdicts(tmp_path: Path, seed_cards: list[dict[str, Any]]) -> None:
    import opencc

    s2t = opencc.OpenCC("s2t")
    for seed, card in zip(SEED_FILES, seed_cards, strict=True):
        copy = tmp_path / seed.name
        copy.write_text(s2t.convert(seed.read_text(encoding="utf-8")), encoding="utf-8")
        other = cli("check", copy, "-f", "json").json()
        assert _statuses(other) == _statuses(card), seed.name


def test_bad_inputs_give_one_line_errors_and_do_not_stop_the_others(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 20)
    shutil.copy(SEED_FILES[0], tmp_path / "good.txt")
    result = cli("check", tmp_path, tmp_path / "missing.txt", "-f", "json")
    assert result.code == 3
    cards = result.json()
    assert [Path(c["document"]["path"]).name for c in cards] == ["good.txt"]
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 3
    assert any("empty.txt：文件为空" in e for e in errors)
    assert any("binary.txt：这是二进制文件" in e for e in errors)
    assert any("missing.txt：文件不存在" in e for e in errors)
    assert "Traceback" not in result.stderr


def test_broken_checklist_is_a_usage_error_naming_file_line_and_item(tmp_path: Path) -> None:
    bad = tmp_path / "mine.yaml"
    text = bundled()["report-structure"].read_text(encoding="utf-8")
    bad.write_text(text.replace("kind: signoff", "kind: signature"), encoding="utf-8")
    result = cli("check", SEED_FILES[0], "-c", bad)
    assert result.code == 2
    assert f"{bad}:" in result.stderr and "条目 RS06" in result.stderr and "未知的检测器类型" in result.stderr


def test_level_and_year_override(seed_cards: list[dict[str, Any]]) -> None:
    card = cli("check", SEED_FILES[2], "-f", "json", "--level", "county", "--year", "2023").json()
    assert card["document"]["level"] == "county"
    assert card["document"]["level_reason"] == "由 --level 指定"
    bad = cli("check", SEED_FILES[2], "--level", "village")
    assert bad.code == 2


def test_checklists_list_show_and_test() -> None:
    listing = cli("checklists")
    assert listing.code == 0
    assert "report-structure" in listing.stdout and "RS07" in listing.stdout
    show = cli("checklists", "show", "RS03")
    assert show.code == 0
    assert "报告中有这一部分" in show.stdout and "部分：存在的不足" in show.stdout and "[应判为已覆盖]" in show.stdout
    assert "必备/建议：必备" in show.stdout and "kind:" not in show.stdout and "roles" not in show.stdout
    assert cli("checklists", "show", "ZZ99").code == 2
    tested = cli("checklists", "test")
    assert tested.code == 0, tested.stdout
    assert "个符合预期，0 个不符合" in tested.stdout and "passed" not in tested.stdout


def test_checklists_test_reports_a_failing_example(tmp_path: Path) -> None:
    text = bundled()["report-structure"].read_text(encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text(text.replace("require_label: 原因分析", "require_label: 原因分析\n        cap: partial"),
                      encoding="utf-8")
    result = cli("checklists", "test", broken)
    assert result.code == 1
    assert "RS03：应为已覆盖，实际为部分覆盖" in result.stdout


def test_console_script_runs_without_traceback() -> None:
    exe = Path(sys.executable).with_name("checker")
    done = subprocess.run([str(exe), "check", str(SEED_FILES[3]), "-c", "report-structure"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert "高州市2020年法治政府建设年度报告" in done.stdout
    missing = subprocess.run([str(exe), "check", "/nonexistent.txt"], capture_output=True, text=True, timeout=60,
                             check=False)
    assert missing.returncode == 3
    assert "Traceback" not in missing.stderr
