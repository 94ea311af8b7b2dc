"""Reviewers' verdicts: read them from a returned workbook, keep them in a reviews file, apply them.

A reviews file is a label file (the format of ``seeds/gold.yaml``, see docs/eval.md) with
``format: checker.reviews/1``: per document (file name, with the sha256 of the content that
was reviewed) the items a reviewer judged, each with status, note, reviewer and date. Only
the listed items are judged. ``checker eval --gold reviews.yaml`` measures the checker
against them; ``--reviews reviews.yaml`` on check, lint, audit, diff and letter makes the
reviewer's status the item's status, keeping the machine's.

A document is found by file name, or by content (a renamed copy). When the file named in
the reviews has changed since (another sha256), its reviews are stale: they are not applied,
and the report says so.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path, PurePath
from typing import Any

import yaml

from checker.accuracy import REVIEWS_FORMAT, GoldError, GoldFile, GoldItem, load_gold
from checker.cells import excel_unsafe
from checker.engine import Report, Review
from checker.scorecard import ReviewOut, Scorecard, summary_of
from checker.vocabulary import Status

#: A returned workbook larger than this is refused (read with a cap: the size on disk is not trusted).
MAX_WORKBOOK_BYTES = 100 * 1024 * 1024


class ReviewsError(Exception):
    """A reviews file or workbook that cannot be used. The message names the file, in Chinese."""


@dataclass(frozen=True, slots=True)
class Lookup:
    """The verdicts for one report: by item id; ``stale`` when they were made on other content."""

    verdicts: dict[str, GoldItem]
    stale: bool


NO_REVIEWS = Lookup({}, False)


@dataclass(frozen=True, slots=True)
class Reviews:
    """A loaded reviews (or label) file."""

    data: GoldFile
    path: str

    def lookup(self, path: str, sha256: str) -> Lookup:
        """The verdicts that apply to the report at ``path`` with content ``sha256``."""
        key, stale = self.data.find(PurePath(path).name, sha256)
        if key is None:
            return Lookup({}, stale)
        items = self.data.documents[key].items
        return Lookup(dict(items), False)


def load_reviews(path: Path) -> Reviews:
    """Read a reviews file (:class:`ReviewsError` naming file and line if unusable)."""
    try:
        return Reviews(load_gold(path), str(path))
    except GoldError as exc:
        raise ReviewsError(str(exc)) from None


def _review(label: GoldItem, machine: Status) -> Review:
    return Review(status=Status(label.status), machine=machine, reason=label.note, reviewer=label.reviewer,
                  date=label.date.isoformat() if label.date else "")


def apply_to_report(report: Report, lookup: Lookup) -> Report:
    """The report with each reviewed item's status replaced by the reviewer's."""
    if not lookup.verdicts:
        return report
    items = []
    for r in report.items:
        label = lookup.verdicts.get(r.item.id)
        if label is None:
            items.append(r)
            continue
        review = _review(label, r.review.machine if r.review else r.status)
        items.append(replace(r, status=review.status, review=review))
    return replace(report, items=tuple(items))


def review_report(report: Report, reviews: Reviews | None) -> tuple[Report, Lookup]:
    """The report with the verdicts of ``reviews`` that apply to it, and the lookup (``stale`` included)."""
    lookup = reviews.lookup(report.document.path, report.document.sha256) if reviews else NO_REVIEWS
    return apply_to_report(report, lookup), lookup


def apply_to_card(card: Scorecard, lookup: Lookup) -> Scorecard:
    """The scorecard with the verdicts applied (earlier verdicts in it are replaced first)."""
    items = []
    for item in card.items:
        machine = item.machine_status or item.status
        label = lookup.verdicts.get(item.id)
        if label is None:
            items.append(item.model_copy(update={"status": machine, "machine_status": None, "review": None}))
            continue
        review = _review(label, Status(machine))
        items.append(item.model_copy(update={
            "status": review.status.value, "machine_status": machine,
            "review": ReviewOut(status=review.status.value, reason=review.reason, reviewer=review.reviewer,
                                date=review.date),
        }))
    document = card.document.model_copy(update={"reviews_stale": lookup.stale})
    return card.model_copy(update={"items": items, "summary": summary_of(items), "document": document})


# ---------------------------------------------------------------------------------------
# Importing a returned workbook


@dataclass(frozen=True, slots=True)
class Verdict:
    """One filled-in row of 明细."""

    name: str  #: file name of the report
    path: str  #: the report as the workbook names it (relative path in an audit)
    sha256: str | None
    item: str
    status: Status
    note: str
    reviewer: str
    row: int


def _text(value: Any) -> str:
    if value is None:
        return ""
    return excel_unsafe(str(value).strip())


def read_workbook(path: Path) -> tuple[list[Verdict], list[str]]:
    """The verdicts typed into the 复核 columns of 明细, and the rows that could not be used (Chinese)."""
    import zipfile

    from openpyxl import load_workbook

    from checker.render.workbook import DETAIL_SHEET, VERDICT_CHOICES, VERDICT_OF_LABEL

    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_WORKBOOK_BYTES + 1)
    except OSError as exc:
        raise ReviewsError(f"{path}：无法读取（{exc.strerror or exc}）") from None
    if len(data) > MAX_WORKBOOK_BYTES:
        raise ReviewsError(f"{path}：文件超过 {MAX_WORKBOOK_BYTES // (1024 * 1024)} MB，不像是复核工作簿")
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ReviewsError(f"{path}：不是有效的 Excel 工作簿（.xlsx）：{type(exc).__name__}") from None
    try:
        if DETAIL_SHEET not in book.sheetnames:
            raise ReviewsError(f"{path}：没有“{DETAIL_SHEET}”工作表（应交回 checker 生成的工作簿，不要重命名工作表）")
        rows = book[DETAIL_SHEET].iter_rows(values_only=True)
        header = [_text(v) for v in next(rows, ())]
        need = ("文件", "条目", "复核结论", "复核说明", "复核人")
        absent = [n for n in need if n not in header]
        if absent:
            raise ReviewsError(f"{path}：“{DETAIL_SHEET}”工作表缺少列“{absent[0]}”（不要删除或重命名列）")
        col = {name: header.index(name) for name in header if name}
        verdicts: list[Verdict] = []
        problems: list[str] = []
        for number, values in enumerate(rows, start=2):
            cells = list(values) + [None] * (len(header) - len(values))

            def get(name: str, cells: list[Any] = cells) -> str:
                return _text(cells[col[name]]) if name in col else ""

            label = get("复核结论")
            if not label:
                continue
            where = f"{path}：{DETAIL_SHEET} 第{number}行"
            status = VERDICT_OF_LABEL.get(label)
            item = get("条目编号") or get("条目").split(" ", 1)[0]
            name = PurePath(get("文件")).name
            reviewer = get("复核人")
            if status is None:
                problems.append(f"{where}：复核结论“{label}”应为 {' / '.join(VERDICT_CHOICES)} 之一，未导入")
            elif not item or not name:
                problems.append(f"{where}：缺少文件或条目，未导入")
            elif not reviewer:
                problems.append(f"{where}：填写了复核结论但没有填写复核人，未导入")
            else:
                sha = get("SHA-256").lower() or None
                verdicts.append(Verdict(name, get("文件"), sha, item, status, get("复核说明"), reviewer, number))
        return verdicts, problems
    finally:
        book.close()


def merge(existing: GoldFile | None, verdicts: Iterable[Verdict], date: dt.date) -> tuple[GoldFile, list[str]]:
    """``existing`` with ``verdicts`` added (a verdict replaces an earlier one on the same item).

    A document whose content changed (another sha256) starts afresh: verdicts on the old
    content are dropped, with a note (Chinese) in the returned list.
    """
    docs: dict[str, dict[str, Any]] = {}
    if existing is not None:
        for name, doc in existing.documents.items():
            docs[name] = doc.model_dump(exclude_defaults=True)
    notes: list[str] = []
    here: dict[str, str] = {}  # file name -> sha256 of the report this import keys by that name
    for v in verdicts:
        key = v.name
        if v.sha256 and here.setdefault(v.name, v.sha256) != v.sha256:
            key = v.path  # another report of the same file name in this workbook (other folder): keyed by its path
        entry = docs.setdefault(key, {"items": {}})
        if v.sha256 and entry.get("sha256") not in (None, v.sha256):
            notes.append(f"{key}：报告内容已变化（SHA-256 不同），原有的复核结论已作废，以本次导入为准")
            entry.clear()
        if v.sha256:
            entry["sha256"] = v.sha256
        entry.setdefault("items", {})[v.item] = {"status": v.status.value, "note": v.note, "reviewer": v.reviewer,
                                               "date": date}
    data = GoldFile.model_validate({"format": REVIEWS_FORMAT, "documents": docs})
    return data, notes


HEADER = """\
# 复核意见（checker.reviews/1），由 checker reviews import 从复核工作簿导入。
# 格式与标注文件相同（见 docs/eval.md、docs/review.md）：documents → 文件名 → sha256（复核时报告内容的
# SHA-256）、items → 条目编号 → status（covered/partial/missing/not_applicable）、note（复核说明）、
# reviewer（复核人）、date（日期）。只有列出的条目经过复核。报告内容变化后，其复核意见不再采用。
"""


def dump(data: GoldFile) -> str:
    """The reviews file as YAML: deterministic (documents and items sorted), with a header comment."""
    out: dict[str, Any] = {"format": REVIEWS_FORMAT, "documents": {}}
    for name in sorted(data.documents):
        doc = data.documents[name]
        entry: dict[str, Any] = {}
        if doc.sha256:
            entry["sha256"] = doc.sha256
        for key in ("level", "year", "note"):
            value = getattr(doc, key)
            if value:
                entry[key] = value.value if key == "level" else value
        if doc.kind != "report":
            entry["kind"] = doc.kind
        items = {}
        for item_id in sorted(doc.items):
            label = doc.items[item_id]
            row: dict[str, Any] = {"status": label.status}
            for key in ("evidence", "note", "reviewer"):
                if getattr(label, key):
                    row[key] = getattr(label, key)
            if label.date:
                row["date"] = label.date.isoformat()
            items[item_id] = row
        entry["items"] = items
        out["documents"][name] = entry
    return HEADER + yaml.safe_dump(out, allow_unicode=True, sort_keys=False, width=100)


def import_workbook(workbook: Path, target: Path, date: dt.date) -> tuple[int, int, list[str]]:
    """Merge the verdicts of ``workbook`` into the reviews file ``target`` (created if absent).

    Returns (verdicts imported, reports, problems and notes in Chinese).
    """
    from checker.files.atomic import write_text

    verdicts, problems = read_workbook(workbook)
    existing = load_reviews(target).data if target.exists() else None
    data, notes = merge(existing, verdicts, date)
    write_text(target, dump(data))
    return len(verdicts), len({(v.name, v.sha256) for v in verdicts}), problems + notes


def stale_message(path: str) -> str:
    """Why the reviews of a report were not applied (Chinese)."""
    return f"{path}：复核意见针对的是此报告的另一版本（内容的 SHA-256 不同），本次未采用，请重新复核"

