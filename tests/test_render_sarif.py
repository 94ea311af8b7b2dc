"""SARIF output validated against the official SARIF 2.1.0 JSON schema (vendored in
tests/fixtures/sarif, see its README), with rule metadata from the checklists."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote, unquote

import jsonschema
import pytest
import yaml

from checker.rules.checklist import bundled
from tests.conftest import FIXTURES, SEED_FILES, cli
from tests.lint_helpers import WARNINGS_ONLY, clean_env, copy

__all__ = ["clean_env"]

SCHEMA = json.loads((FIXTURES / "sarif" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def _validate(doc: object) -> None:
    validator = jsonschema.Draft4Validator(SCHEMA)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


def test_the_vendored_schema_is_the_official_one() -> None:
    assert SCHEMA["id"] == "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    jsonschema.Draft4Validator.check_schema(SCHEMA)


def test_sarif_for_the_seeds_is_valid_and_has_rule_metadata(clean_env: Path) -> None:
    out = clean_env / "seeds.sarif"
    result = cli("lint", *SEED_FILES, "--format", f"sarif:{out}", "--format", "text")
    assert result.code in (0, 1)
    doc = json.loads(out.read_text(encoding="utf-8"))
    _validate(doc)
    (run,) = doc["runs"]
    assert doc["version"] == "2.1.0" and run["columnKind"] == "unicodeCodePoints"
    rules = run["tool"]["driver"]["rules"]
    by_id = {r["id"]: r for r in rules}
    catalogue = yaml.safe_load(bundled()["gangyao-2021"]
                               .read_text(encoding="utf-8"))
    ld01 = next(i for i in catalogue["items"] if i["id"] == "LD01")
    assert by_id["LD01"]["shortDescription"]["text"] == ld01["title"]
    assert by_id["LD01"]["help"]["text"] == ld01["hint"]
    assert by_id["LD01"]["properties"]["ref"] == ld01["ref"]
    assert by_id["STRUCT-CAUSES"]["properties"]["item"] == "RS03"
    assert "RS03" not in by_id  # reported by the structural rules
    results = run["results"]
    text_lines = [ln for ln in result.stdout.splitlines() if ": " in ln and ln.count(":") >= 3]
    assert len(results) == len(text_lines)
    for res in results:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        region = res["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
    assert {a["location"]["uri"] for a in run["artifacts"]} == {p.as_uri() for p in SEED_FILES}


@pytest.mark.parametrize("name", ["草稿 2024.txt", "draft.txt"])
def test_relative_uris_are_encoded(clean_env: Path, name: str) -> None:
    copy(WARNINGS_ONLY, clean_env, name)
    result = cli("lint", "-c", "report-structure", name, "-f", "sarif")
    doc = json.loads(result.stdout)
    _validate(doc)
    uri = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == quote(name)
    assert unquote(uri) == name
