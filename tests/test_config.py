"""Project configuration for ``checker lint``: found by walking up from the current folder,
overridden by --config and CHECKER_CONFIG, strict about unknown keys."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import SEED_FILES, cli
from tests.lint_helpers import COMPLETE, WARNINGS_ONLY, clean_env, copy, parse

__all__ = ["clean_env"]


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_checker_toml_is_found_from_a_subfolder(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(clean_env / "checker.toml", 'checklists = ["report-structure"]\nfail-on = "warning"\n')
    sub = clean_env / "drafts" / "2024"
    sub.mkdir(parents=True)
    copy(WARNINGS_ONLY, sub, "draft.txt")
    monkeypatch.chdir(sub)
    result = cli("lint", "draft.txt")
    assert result.code == 1, result.stdout
    assert [d.id for d in parse(result.stdout)] == ["STRUCT-CAUSES"]
    assert "--fail-on warning" in result.stdout
    # The command line wins over the file.
    assert cli("lint", "draft.txt", "--fail-on", "error").code == 0
    assert cli("lint", "draft.txt", "--no-config", "-c", "report-structure").code == 0


def test_pyproject_tool_checker_and_relative_paths(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A pyproject.toml without [tool.checker] is skipped on the way up.
    _write(clean_env / "reports" / "pyproject.toml", '[project]\nname = "drafts"\n')
    _write(clean_env / "pyproject.toml",
           '[project]\nname = "office"\n\n[tool.checker]\nchecklists = ["lists/own.yaml"]\nselect = ["STRUCT-CAUSES"]\n')
    _write(clean_env / "lists" / "own.yaml", "extends: report-structure\nid: own\ntitle: 本单位补充\nitems:\n"
           "  - id: OW01\n    title: 河长制\n    part: 地方\n    ref: 自定\n    severity: required\n"
           "    hint: 写明河长制执法协作。\n    detectors:\n      - kind: keywords\n        any: [河长制]\n"
           "    examples:\n      covered: [\"落实河长制，联合执法12次。\"]\n      missing: [\"开展执法检查。\"]\n")
    copy(WARNINGS_ONLY, clean_env / "reports", "draft.txt")
    monkeypatch.chdir(clean_env / "reports")
    result = cli("lint", "draft.txt", "--format", "json")
    assert result.code == 0, result.stderr
    data = result.json()
    assert isinstance(data, dict)
    assert [d["id"] for d in data["diagnostics"]] == ["STRUCT-CAUSES"]  # select from the file: OW01 not shown
    assert [c["id"] for c in data["scorecards"][0]["checklists"]] == ["report-structure", "own"]


def test_config_option_and_environment_variable_override_the_search(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy(WARNINGS_ONLY, clean_env, "draft.txt")
    _write(clean_env / "checker.toml", 'checklists = ["report-structure"]\n')
    strict = _write(clean_env / "ci" / "strict.toml", 'checklists = ["report-structure"]\nfail-on = "warning"\n')
    assert cli("lint", "draft.txt").code == 0
    assert cli("lint", "draft.txt", "--config", strict).code == 1
    monkeypatch.setenv("CHECKER_CONFIG", str(strict))
    assert cli("lint", "draft.txt").code == 1


def test_severity_overrides_and_ignore(clean_env: Path) -> None:
    copy(WARNINGS_ONLY, clean_env, "draft.txt")
    _write(clean_env / "checker.toml",
           'checklists = ["report-structure"]\n\n[severity]\nRS03 = "error"\n')
    result = cli("lint", "draft.txt")
    assert result.code == 1
    assert [(d.id, d.level) for d in parse(result.stdout)] == [("STRUCT-CAUSES", "error")]
    _write(clean_env / "checker.toml", 'checklists = ["report-structure"]\nignore = ["STRUCT-CAUSES"]\n')
    assert parse(cli("lint", "draft.txt").stdout) == []


def test_unknown_key_names_file_line_and_key(clean_env: Path) -> None:
    copy(COMPLETE, clean_env, "report.txt")
    _write(clean_env / "checker.toml", 'checklists = ["report-structure"]\nfail_on = "warning"\n')
    result = cli("lint", "report.txt")
    assert result.code == 2
    assert "checker.toml:2" in result.stderr
    assert "未知的配置项“fail_on”" in result.stderr and "fail-on" in result.stderr
    assert result.stdout == ""


def test_bad_values_in_pyproject(clean_env: Path) -> None:
    copy(COMPLETE, clean_env, "report.txt")
    _write(clean_env / "pyproject.toml", '[tool.checker]\nlevel = "village"\n\n[tool.checker.severity]\nLD01 = "fatal"\n')
    result = cli("lint", "report.txt")
    assert result.code == 2
    assert "pyproject.toml:2" in result.stderr and "“level”取值 'village' 无效" in result.stderr
    assert "“severity[LD01]”取值 'fatal' 无效" in result.stderr
    _write(clean_env / "pyproject.toml", "[tool.checker\nlevel = 1\n")
    broken = cli("lint", "report.txt")
    assert broken.code == 2 and "TOML 格式错误" in broken.stderr


def test_missing_config_file_is_a_usage_error(clean_env: Path) -> None:
    copy(COMPLETE, clean_env, "report.txt")
    result = cli("lint", "report.txt", "--config", "nope.toml")
    assert result.code == 2 and "nope.toml: 配置文件不存在" in result.stderr


def test_checker_toml_applies_to_check_and_audit_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "checker.toml").write_text('checklists = ["report-structure"]\nlevel = "city"\n', encoding="utf-8")
    seed = tmp_path / "r.txt"
    seed.write_bytes(SEED_FILES[1].read_bytes())
    monkeypatch.chdir(tmp_path)
    card = cli("check", seed, "-f", "json").json()
    assert isinstance(card, dict)
    assert [c["id"] for c in card["checklists"]] == ["report-structure"]
    assert card["document"]["level"] == "city" and card["settings"] == {"level": "city", "year": None}
    # The reason names where the level came from: the configuration, not --level.
    assert card["document"]["level_reason"] == "由配置文件（checker.toml 或 [tool.checker]）中的 level 指定"
    assert "由配置文件" in cli("check", seed).stdout
    # The command line wins over the file; --no-config ignores it.
    given = cli("check", seed, "-f", "json", "--level", "county").json()
    assert isinstance(given, dict) and given["document"]["level"] == "county"
    assert given["document"]["level_reason"] == "由 --level 指定"
    plain = cli("check", seed, "-f", "json", "--no-config").json()
    assert isinstance(plain, dict) and len(plain["checklists"]) == 2 and plain["settings"]["level"] is None
    out = tmp_path / "audit"
    assert cli("audit", tmp_path / "r.txt", "--out", out, "--jobs", "1").code == 0
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["settings"]["level"] == "city" and [c["id"] for c in summary["checklists"]] == ["report-structure"]
    audited = json.loads((out / "scorecards" / "r.txt.json").read_text(encoding="utf-8"))
    assert audited["document"]["level_reason"].startswith("由配置文件")
    bad = tmp_path / "bad.toml"
    bad.write_text("colour = 1\n", encoding="utf-8")
    result = cli("check", seed, "--config", bad)
    assert result.code == 2 and "bad.toml" in result.stderr


def test_checker_toml_applies_to_letter_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from docx import Document

    def text(path: Path) -> str:
        return "\n".join(p.text for p in Document(str(path)).paragraphs)

    (tmp_path / "checker.toml").write_text('checklists = ["report-structure"]\nlevel = "city"\n', encoding="utf-8")
    seed = tmp_path / "r.txt"
    seed.write_bytes(SEED_FILES[1].read_bytes())
    monkeypatch.chdir(tmp_path)
    assert cli("letter", seed, "-o", tmp_path / "config.docx").code == 0
    assert cli("letter", seed, "-o", tmp_path / "given.docx", "--no-config", "-c", "report-structure",
               "--level", "city").code == 0
    assert cli("letter", seed, "-o", tmp_path / "plain.docx", "--no-config").code == 0
    assert text(tmp_path / "config.docx") == text(tmp_path / "given.docx")
    assert text(tmp_path / "config.docx") != text(tmp_path / "plain.docx")
