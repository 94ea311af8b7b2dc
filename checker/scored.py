"""One report checked, with its reviews and waivers applied, and its scorecard.

The step that ``check``, ``letter`` and the audit's workers share (one place, so that they cannot drift apart).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from checker.cards import Card, card_data
from checker.engine import Report
from checker.pipeline import ChecklistSet, check_file
from checker.rules.checklist import LoadedChecklist
from checker.vocabulary import Level, LevelSource

if TYPE_CHECKING:  # reviews, lint and the scorecard models (pydantic) only when a run uses them (cold start)
    from checker.lint.waivers import Waiver
    from checker.reviews import Reviews
    from checker.scorecard import Scorecard, WaiverOut


@dataclass(frozen=True, slots=True)
class Scored:
    """A checked report, the report as the machine judged it, its scorecard and its waivers.

    ``report`` has the reviewers' verdicts applied, ``machine`` is before reviews; the scorecard is plain data
    (checker.cards).
    """

    report: Report  #: with the reviewers' verdicts
    machine: Report  #: before reviews
    data: Card  #: the scorecard as JSON data (what check and audit write)
    waivers: dict[str, WaiverOut]

    @property
    def card(self) -> Scorecard:
        """The scorecard as the pydantic model (validated from ``data``: for letters and workbooks)."""
        from checker.scorecard import Scorecard

        return Scorecard.model_validate(self.data)

    @property
    def reviews_stale(self) -> bool:
        """Reviews name this file but were made on other content: they were not applied."""
        return bool(self.data["document"]["reviews_stale"])


def score_file(
    path: Path, checklists: Sequence[LoadedChecklist] | ChecklistSet, *, level: Level | None = None,
    year: int | None = None, level_source: LevelSource = LevelSource.OPTION, reviews: Reviews | None = None,
    waivers: Sequence[Waiver] = (), now: dt.datetime | None = None, waiver_path: str | None = None,
    structure: bool = False,
) -> Scored:
    """Check one report, apply ``reviews`` and the ``waivers`` naming it, and make its scorecard.

    Waivers are matched on ``waiver_path`` (by default the report's path), expired or not at ``now`` (required with
    waivers). InputError for an unreadable file. ``structure``: the report-structure results are wanted (a review
    letter), see :func:`checker.pipeline.check_file`.
    """
    machine = check_file(path, checklists, level=level, year=year, level_source=level_source, structure=structure)
    report, stale = machine, False
    if reviews is not None:
        from checker.reviews import review_report

        report, lookup = review_report(machine, reviews)
        stale = lookup.stale
    waived: dict[str, WaiverOut] = {}
    if waivers:
        if now is None:
            raise ValueError("score_file: waivers need the time of the run (now)")
        from checker.lint.diagnostics import item_waivers

        waived = item_waivers(waivers, waiver_path or report.document.path, (r.item.id for r in report.items), now)
    return Scored(report, machine, card_data(report, waived, reviews_stale=stale), waived)
