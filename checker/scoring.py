"""Scoring: one weighted coverage figure for a report and for each of its parts.

Covered counts 1, partial 0.5, missing 0; required items weigh 2, recommended 1;
not-applicable items are left out. Used by the engine (a report's score) and by audits
(the per-part scores of the heat map), so both always agree.
"""

from __future__ import annotations

from collections.abc import Iterable

from checker.vocabulary import Severity, Status

WEIGHTS = {Severity.REQUIRED: 2.0, Severity.RECOMMENDED: 1.0}
STATUS_VALUE = {Status.COVERED: 1.0, Status.PARTIAL: 0.5, Status.MISSING: 0.0}


def score(entries: Iterable[tuple[str, str]]) -> float | None:
    """Weighted coverage in percent of (severity, status) pairs; None when nothing applies."""
    total = got = 0.0
    for severity, status in entries:
        if status == Status.NOT_APPLICABLE:
            continue
        weight = WEIGHTS[Severity(severity)]
        total += weight
        got += weight * STATUS_VALUE[Status(status)]
    return round(100.0 * got / total, 1) if total else None


def part_scores(entries: Iterable[tuple[str, str, str]]) -> dict[str, float | None]:
    """Weighted coverage per part of (part, severity, status) triples, parts in first-seen order."""
    got: dict[str, float] = {}
    total: dict[str, float] = {}
    for part, severity, status in entries:
        got.setdefault(part, 0.0)
        total.setdefault(part, 0.0)
        if status == Status.NOT_APPLICABLE:
            continue
        weight = WEIGHTS[Severity(severity)]
        total[part] += weight
        got[part] += weight * STATUS_VALUE[Status(status)]
    return {p: (round(100.0 * got[p] / total[p], 1) if total[p] else None) for p in total}
