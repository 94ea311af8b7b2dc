"""JUnit XML for CI test reports.

One test suite per report, one test case per checklist item or structural rule; a finding at or above ``--fail-on`` is a
failure, a waived one is skipped (with the waiver's reason), lower findings go to the case's system-out.
"""

from __future__ import annotations

from collections import defaultdict
from xml.etree import ElementTree as ET

from checker.lint.diagnostics import STRUCT_RULES, Diagnostic, LintResult, is_structure_item
from checker.render.registry import Output
from checker.rules.reasons import Note, Reason
from checker.text.sanitize import for_xml
from checker.vocabulary import Status


def _case(suite: ET.Element, classname: str, name: str, diags: list[Diagnostic], result: LintResult,
          skipped: str | None = None) -> tuple[int, int]:
    case = ET.SubElement(suite, "testcase", classname=classname, name=name, time="0")
    failures = skips = 0
    failing = [d for d in diags if result.policy.fails(d)]
    waived = [d for d in diags if d.waived]
    other = [d for d in diags if d not in failing and d not in waived]
    if failing:
        for d in failing:
            f = ET.SubElement(case, "failure", message=d.message, type=d.level.value)
            f.text = f"{d.path}:{d.line}:{d.column}: {d.level.value} {d.id} {d.message}"
        failures = 1
    elif waived:
        w = waived[0].waiver
        assert w is not None
        ET.SubElement(case, "skipped", message=f"已豁免：{w.describe()}")
        skips = 1
    elif skipped is not None:
        ET.SubElement(case, "skipped", message=skipped)
        skips = 1
    if other:
        out = ET.SubElement(case, "system-out")
        out.text = "\n".join(f"{d.path}:{d.line}:{d.column}: {d.level.value} {d.id} {d.message}" for d in other)
    return failures, skips


#: The skip message of an item that does not apply at the report's level.
_NOT_APPLICABLE = Note(Reason.NOT_APPLICABLE_LEVEL).message


def render(result: LintResult) -> str:
    """The lint result as JUnit XML: a test suite per report, a test case per structure rule and item."""
    root = ET.Element("testsuites", name="checker lint")
    by_path: dict[str, list[Diagnostic]] = defaultdict(list)
    for d in result.shown:
        by_path[d.path].append(d)
    total = total_failures = total_skips = 0
    reports = {r.document.path: r for r in result.reports}
    order = list(result.paths) + [p for p in by_path if p not in result.paths]
    for path in order:
        suite = ET.SubElement(root, "testsuite", name=path)
        diags = by_path.get(path, [])
        tests = failures = skips = 0
        cases: list[tuple[str, str, list[Diagnostic], str | None]] = []
        report = reports.get(path)
        if report is not None:
            cases.extend(("structure", f"{rule.id} {rule.title}", [d for d in diags if d.id == rule.id], None)
                         for rule in STRUCT_RULES)
            cases.extend((r.checklist, f"{r.item.id} {r.item.title}", [d for d in diags if d.id == r.item.id],
                          _NOT_APPLICABLE if r.status == Status.NOT_APPLICABLE else None)
                         for r in report.items if not is_structure_item(r.checklist, r.item.id))
        covered = {d.id for _, _, ds, _ in cases for d in ds}
        cases.extend(("lint", d.id, [d], None) for d in diags if d.id not in covered)
        for classname, name, ds, skipped in cases:
            f, s = _case(suite, classname, name, ds, result, skipped)
            tests += 1
            failures += f
            skips += s
        suite.set("tests", str(tests))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        suite.set("skipped", str(skips))
        total += tests
        total_failures += failures
        total_skips += skips
    root.set("tests", str(total))
    root.set("failures", str(total_failures))
    root.set("errors", "0")
    root.set("skipped", str(total_skips))
    ET.indent(root)
    # File names and titles may hold characters XML 1.0 forbids (\x01, \x0b): dropped, so the file parses.
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + for_xml(ET.tostring(root, encoding="unicode")) + "\n"


def format(result: LintResult, out: Output) -> None:
    """Write the rendered result."""
    out.write(render(result))
