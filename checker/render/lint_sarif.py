"""SARIF 2.1.0 (Static Analysis Results Interchange Format) for code-scanning tools.

One run; the rules are lint's own and every item of the loaded checklists (title, 纲要
reference, help text = the item's hint); waived findings carry an ``accepted`` external
suppression with the waiver's reason. Columns count Unicode code points.
"""

from __future__ import annotations

from pathlib import Path, PurePath
from typing import Any
from urllib.parse import quote

from checker.lint.diagnostics import Diagnostic, LintResult, Rule, tool_version
from checker.render.registry import Output
from checker.scorecard import dumps
from checker.settings import DiagLevel

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
_LEVELS = {DiagLevel.ERROR: "error", DiagLevel.WARNING: "warning", DiagLevel.INFO: "note"}


def artifact_uri(path: str) -> str:
    """A SARIF artifact URI for a path (relative paths stay relative, percent-encoded)."""
    p = Path(path)
    if p.is_absolute():
        return p.as_uri()
    return quote(PurePath(path).as_posix(), safe="/")


def _rule(rule: Rule) -> dict[str, Any]:
    props: dict[str, Any] = {"checklist": rule.checklist, "ref": rule.ref, "tags": [rule.checklist]}
    if rule.item and rule.item != rule.id:
        props["item"] = rule.item
    return {
        "id": rule.id,
        "name": rule.id.replace("-", "_"),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": f"{rule.title}（依据：{rule.ref}）"},
        "help": {"text": rule.hint, "markdown": f"**{rule.title}**\n\n依据：{rule.ref}\n\n应写明：{rule.hint}"},
        "defaultConfiguration": {"level": _LEVELS[rule.level]},
        "properties": props,
    }


def _result(d: Diagnostic, index: dict[str, int]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ruleId": d.id,
        "level": _LEVELS[d.level],
        "message": {"text": d.message},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": {"uri": artifact_uri(d.path)},
                "region": {"startLine": d.line, "startColumn": d.column},
            }
        }],
        "properties": {"checklist": d.checklist},
    }
    if d.id in index:
        out["ruleIndex"] = index[d.id]
    if d.item:
        out["properties"]["item"] = d.item
    if d.waiver is not None:
        w = d.waiver
        out["suppressions"] = [{
            "kind": "external",
            "status": "accepted",
            "justification": f"{w.reason}（批准：{w.approver}，{w.date.isoformat()}；有效至 {w.expires.isoformat()}）",
            "location": {"physicalLocation": {"artifactLocation": {"uri": artifact_uri(w.source)},
                                              "region": {"startLine": w.line}}},
        }]
    return out


def payload(result: LintResult) -> dict[str, Any]:
    """The SARIF 2.1.0 log: one run with the rules and the results."""
    rules = list(result.rules.values())
    index = {r.id: i for i, r in enumerate(rules)}
    artifacts = [
        {"location": {"uri": artifact_uri(r.document.path)}, "encoding": r.document.encoding,
         "hashes": {"sha-256": r.document.sha256}}
        for r in result.reports if r.document.sha256
    ]
    run: dict[str, Any] = {
        "tool": {"driver": {
            "name": "checker",
            "version": tool_version(),
            "informationUri": "https://checker.invalid/docs/lint",
            "language": "zh-CN",
            "rules": [_rule(r) for r in rules],
        }},
        "columnKind": "unicodeCodePoints",
        "results": [_result(d, index) for d in result.shown],
        "invocations": [{"executionSuccessful": int(result.exit_code) in (0, 1), "exitCode": int(result.exit_code)}],
    }
    if artifacts:
        run["artifacts"] = artifacts
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def render(result: LintResult) -> str:
    """The lint result as SARIF JSON."""
    return dumps(payload(result))


def format(result: LintResult, out: Output) -> None:
    """Write the rendered result."""
    out.write(render(result))
