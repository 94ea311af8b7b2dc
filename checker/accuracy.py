"""Accuracy of the checklists against human labels (``checker eval``).

A label file (YAML, the format of ``seeds/gold.yaml``) gives, per document file name, the
reporting body's level, the report year, the kind of document and the status of each
labelled item; items not listed are missing. Labels say what the text says, also for items
whose levels exclude the body, so they are compared with :attr:`ItemResult.found`.

Measures (see docs/eval.md):

* precision, recall and F1 of "covered" (partial and missing both count as not covered),
  over all (document, item) pairs and per item;
* three-way agreement (covered / partial / missing) over the pairs that either side marks
  as present, i.e. not both missing;
* structure agreement: three-way agreement over all pairs of the structure items (RS*),
  both-missing pairs included;
* every disagreement, with the checker's evidence and the label's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from checker.engine import Report
from checker.pipeline import check_file
from checker.rules.checklist import LoadedChecklist, _describe, _node_at, is_structure_checklist, safe_load
from checker.text.decode import InputError, read_utf8
from checker.text.sanitize import printable
from checker.vocabulary import Level, Status

GoldStatus = Literal["covered", "partial", "missing", "not_applicable"]
REVIEWS_FORMAT = "checker.reviews/1"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GoldItem(_Model):
    """One item's label: the expected status, the evidence the labeller saw and a note."""

    status: GoldStatus = Field(description="not_applicable: the item does not apply (not compared in eval).")
    evidence: str = ""
    note: str = ""
    reviewer: str = Field(default="", description="Reviews: who gave the verdict (复核人).")
    date: dt.date | None = Field(default=None, description="Reviews: when the verdict was given.")

    @field_validator("evidence", "note", "reviewer")
    @classmethod
    def _printable(cls, value: str) -> str:
        """People's text reaches terminals, letters and workbooks: no control characters."""
        return printable(value)


class GoldDocument(_Model):
    """One document's labels: the content they were made on, its kind, level and year, its items."""

    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")] | None = Field(
        default=None, description="The content the labels were made on: another content makes them stale."
    )
    level: Level | None = None
    year: Annotated[int, Field(ge=2000, le=2100)] | None = None
    kind: Literal["report", "other"] = "report"
    items: dict[Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_-]{0,31}$")], GoldItem] = {}
    note: str = ""


class GoldFile(_Model):
    """A labels file (or a reviews file, ``checker.reviews/1``): its documents by file name."""

    format: Literal["checker.reviews/1"] | None = Field(
        default=None,
        description="checker.reviews/1: reviewers' verdicts (checker reviews import), where items not listed are "
        "not judged; without it, a label file where items not listed are missing.",
    )
    documents: dict[str, GoldDocument] = Field(min_length=1)

    @property
    def listed_only(self) -> bool:
        """Only the listed items are judged (a reviews file)."""
        return self.format == REVIEWS_FORMAT

    def find(self, name: str, sha256: str | None) -> tuple[str | None, bool]:
        """The document entry for a file: by name, else by content (a renamed copy).

        Returns (key, stale): stale when the entry found by name was made on other content.
        """
        entry = self.documents.get(name)
        if entry is not None and (entry.sha256 is None or sha256 is None or entry.sha256 == sha256):
            return name, False
        if sha256 is not None:
            for key, doc in self.documents.items():
                if doc.sha256 == sha256:
                    return key, False
        return (None, entry is not None)


class GoldError(Exception):
    """A label file that cannot be used. The message names file, line and document, in Chinese."""


_MESSAGES = {
    "greater_than_equal": "“{field}”应不小于 {ge}",
    "less_than_equal": "“{field}”应不大于 {le}",
    "int_parsing": "“{field}”应为整数",
    "int_type": "“{field}”应为整数",
    "int_from_float": "“{field}”应为整数",
    "dict_type": "“{field}”应为映射（键: 值）",
    "model_type": "“{field}”应为映射（键: 值）",
    "too_short": "“{field}”不能为空",
}


def _message(err: Any, loc: tuple[int | str, ...]) -> str:
    if len(loc) == 4 and loc[2] == "items" and err["type"] == "model_type":
        return "条目应写成 {status: covered|partial|missing, evidence: 原文引语, note: 说明}"
    template = _MESSAGES.get(err["type"])
    if template is None:
        return _describe(err).replace("' or '", "'、'").replace("', '", "'、'")
    field = next((str(p) for p in reversed(loc) if isinstance(p, str)), "documents")
    return template.format(field=field, **(err.get("ctx") or {}))


def _format(path: Path, root: yaml.Node | None, exc: ValidationError) -> str:
    lines = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        node = _node_at(root, loc)
        line = node.start_mark.line + 1 if node is not None else 1
        where = ""
        if len(loc) >= 2 and loc[0] == "documents":
            where = f"文档 {loc[1]}"
            if len(loc) >= 4 and loc[2] == "items":
                where += f"，条目 {loc[3]}"
            where += ": "
        lines.append(f"{path}:{line}: {where}{_message(err, loc)}")
    return "\n".join(lines)


def parse_gold(text: str, path: Path) -> GoldFile:
    """Validate labels YAML text; raise GoldError naming file, line and report."""
    data = safe_load(text, path, GoldError)
    if not isinstance(data, dict):
        raise GoldError(f"{path}:1: 标注文件应是一个 YAML 映射，顶层为 documents（文件名 → level、year、kind、items）")
    try:
        return GoldFile.model_validate(data)
    except ValidationError as exc:  # locate the errors: compose the line-numbered nodes only now
        raise GoldError(_format(path, yaml.compose(text, Loader=yaml.SafeLoader), exc)) from None


def load_gold(path: Path) -> GoldFile:
    """Read and validate a labels file (seeds/gold.yaml format)."""
    _, text = read_utf8(path, "标注文件", GoldError)
    return parse_gold(text, path)


# ---------------------------------------------------------------------------------------
# Measures


@dataclass(slots=True)
class Tally:
    """Counts behind the measures, for one item or for all."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    agree: int = 0  # three-way agreement on pairs that either side marks present
    present: int = 0
    same: int = 0  # three-way agreement on all pairs
    pairs: int = 0

    def add(self, expected: str, got: str) -> None:
        """Count one (expected, got) pair of statuses."""
        gold_cov, got_cov = expected == "covered", got == "covered"
        if gold_cov and got_cov:
            self.tp += 1
        elif got_cov:
            self.fp += 1
        elif gold_cov:
            self.fn += 1
        else:
            self.tn += 1
        self.pairs += 1
        self.same += expected == got
        if expected != "missing" or got != "missing":
            self.present += 1
            self.agree += expected == got

    @property
    def precision(self) -> float | None:
        """Of the items found covered, the share labelled covered (None: nothing found)."""
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float | None:
        """Of the items labelled covered, the share found covered (None: nothing labelled)."""
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float | None:
        """The harmonic mean of precision and recall (None: nothing found or labelled)."""
        return _ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn)

    @property
    def agreement(self) -> float | None:
        """Three-way agreement (covered / partial / missing) on the pairs either side marks present."""
        return _ratio(self.agree, self.present)

    @property
    def exact(self) -> float | None:
        """Three-way agreement on all pairs."""
        return _ratio(self.same, self.pairs)

    def counts(self) -> dict[str, int]:
        """The raw counts, by name (for the JSON output)."""
        return {
            "tp": self.tp, "fp": self.fp, "fn": self.fn, "tn": self.tn, "agree": self.agree, "present": self.present,
        }

    def measures(self) -> dict[str, Any]:
        """The measures and the counts, by name (for the JSON output)."""
        return {
            "precision": self.precision, "recall": self.recall, "f1": self.f1, "agreement": self.agreement,
            **self.counts(),
        }


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


@dataclass(frozen=True, slots=True)
class Disagreement:
    """One item on which the checker and the labels differ, with the checker's reason and evidence."""

    document: str
    item: str
    title: str
    expected: str
    got: str
    reason: str
    line: int | None
    quote: str
    gold_evidence: str
    gold_note: str


@dataclass(frozen=True, slots=True)
class DocumentCheck:
    """What the checker decided about a document as a whole, next to the labels."""

    name: str
    path: str
    tally: Tally
    level: str | None
    gold_level: str | None
    year: int | None
    gold_year: int | None
    annual: bool
    gold_kind: str
    claimed: bool = False  #: a look-alike with some content item judged covered

    @property
    def kind_right(self) -> bool:
        """The checker's "annual report or not" agrees with the labelled kind."""
        return self.annual == (self.gold_kind == "report")

    @property
    def lookalike_recognised(self) -> bool:
        """A look-alike (kind other) judged not an annual report, with no coverage claimed."""
        return self.gold_kind == "other" and not self.annual and not self.claimed


@dataclass(slots=True)
class Evaluation:
    """The outcome of ``checker eval``: every document compared, the tallies and what did not match."""

    gold_path: str
    checklists: tuple[str, ...]
    documents: list[DocumentCheck] = field(default_factory=list)
    items: dict[str, tuple[str, Tally]] = field(default_factory=dict)  # id -> (title, tally)
    overall: Tally = field(default_factory=Tally)
    structure: Tally = field(default_factory=Tally)
    disagreements: list[Disagreement] = field(default_factory=list)
    unlabelled: list[str] = field(default_factory=list)  # files given without labels
    unmatched: list[str] = field(default_factory=list)  # labelled documents not among the files
    unknown_items: list[str] = field(default_factory=list)  # labelled ids no checklist has
    evidence_not_found: list[tuple[str, str]] = field(default_factory=list)  # (document, item)
    stale: list[str] = field(default_factory=list)  # files whose labels were made on other content
    errors: list[InputError] = field(default_factory=list)

    @property
    def kind_accuracy(self) -> float | None:
        """Share of documents whose kind (annual report or not) the checker got right."""
        return _ratio(sum(d.kind_right for d in self.documents), len(self.documents))

    def kind_counts(self) -> dict[str, int]:
        """Documents of the right kind, and look-alikes recognised as such."""
        others = [d for d in self.documents if d.gold_kind == "other"]
        return {
            "right": sum(d.kind_right for d in self.documents), "documents": len(self.documents),
            "lookalikes": len(others), "lookalikes_recognised": sum(d.lookalike_recognised for d in others),
        }

    def to_dict(self) -> dict[str, Any]:
        """The evaluation as the JSON ``eval --format json`` writes."""
        return {
            "gold": self.gold_path,
            "checklists": list(self.checklists),
            "documents_evaluated": len(self.documents),
            "f1": self.overall.f1,
            "precision": self.overall.precision,
            "recall": self.overall.recall,
            "agreement": self.overall.agreement,
            "structure_agreement": self.structure.exact,
            "kind_accuracy": self.kind_accuracy,
            "kind_counts": self.kind_counts(),
            "counts": self.overall.counts(),
            "structure_counts": {"agree": self.structure.same, "pairs": self.structure.pairs},
            "items": [{"id": k, "title": title, **t.measures()} for k, (title, t) in self.items.items()],
            "documents": [
                {
                    "document": d.name, "path": d.path, **d.tally.measures(),
                    "level": d.level, "gold_level": d.gold_level, "year": d.year, "gold_year": d.gold_year,
                    "annual_report": d.annual, "gold_kind": d.gold_kind, "kind_right": d.kind_right,
                }
                for d in self.documents
            ],
            "disagreements": [
                {
                    "document": d.document, "item": d.item, "title": d.title, "expected": d.expected, "got": d.got,
                    "reason": d.reason, "line": d.line, "quote": d.quote,
                    "gold_evidence": d.gold_evidence, "gold_note": d.gold_note,
                }
                for d in self.disagreements
            ],
            "unlabelled": self.unlabelled,
            "warnings": self.warnings(),
        }

    def warnings(self) -> list[str]:
        """What the user should know about the labels (files not found, unknown items), in Chinese."""
        out = [f"标注文件中的文档没有找到对应文件：{name}" for name in self.unmatched]
        if self.unknown_items:
            shown = "、".join(self.unknown_items[:8]) + ("等" if len(self.unknown_items) > 8 else "")
            out.append(f"标注中有{len(self.unknown_items)}个条目不在所评估的清单中，未参与评估：{shown}")
        out += [f"{doc}：{item} 的标注证据在原文中找不到（标注可能有误）" for doc, item in self.evidence_not_found]
        out += [f"{path}：标注（复核意见）针对的是此文件的另一版本（SHA-256 不同），未参与评估，请重新复核"
                for path in self.stale]
        return out


def _compact(text: str) -> str:
    return "".join(text.split())


def evaluate(
    gold: GoldFile,
    gold_path: str,
    files: Sequence[Path],
    checklists: Sequence[LoadedChecklist],
) -> Evaluation:
    """Run the checklists over the labelled files (matched by file name) and compare."""
    ev = Evaluation(gold_path, tuple(lc.checklist.id for lc in checklists))
    known: dict[str, str] = {}
    for lc in checklists:
        for item in lc.checklist.items:
            known[item.id] = item.title
            ev.items[item.id] = (item.title, Tally())
    labelled_ids: set[str] = set()
    seen: set[str] = set()
    by_content = any(d.sha256 for d in gold.documents.values())
    for path in files:
        key, stale = gold.find(path.name, file_sha256(path) if by_content else None)
        if stale:
            ev.stale.append(str(path))
            seen.add(path.name)
            continue
        if key is None:
            ev.unlabelled.append(str(path))
            continue
        labels = gold.documents[key]
        if key in seen:
            ev.unlabelled.append(f"{path}（同名文件已评估）")
            continue
        try:
            report = check_file(path, checklists)
        except InputError as exc:
            ev.errors.append(exc)
            continue
        seen.add(key)
        labelled_ids.update(labels.items)
        _compare(ev, path, labels, report, listed_only=gold.listed_only)
    ev.unmatched = sorted(set(gold.documents) - seen - {Path(e.path).name for e in ev.errors})
    ev.unknown_items = sorted(labelled_ids - set(known))
    return ev


def file_sha256(path: Path) -> str | None:
    """SHA-256 of a file's bytes (None if it cannot be read: checking it will say why)."""
    import hashlib

    try:
        with path.open("rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError:
        return None


def _compare(ev: Evaluation, path: Path, labels: GoldDocument, report: Report, *, listed_only: bool = False) -> None:
    tally = Tally()
    compact_raw = _compact(report.document.raw)
    lookalike = labels.kind == "other"
    claimed = False
    for r in report.items:
        label = labels.items.get(r.item.id)
        if (label is None and listed_only) or (label is not None and label.status == "not_applicable"):
            continue  # not judged: a reviews file lists only the items a reviewer looked at
        expected = label.status if label else Status.MISSING.value
        got = r.found.value
        structure = is_structure_checklist(r.checklist)
        if lookalike and not structure:
            # A look-alike is labelled on kind and structure only: for content, what counts is
            # that no coverage is claimed (partial or missing both say "not done this year").
            # The verdict (status), not what the text contains (found), is what is claimed.
            claimed = claimed or r.status == Status.COVERED
            expected = Status.MISSING.value
            got = Status.COVERED.value if r.status == Status.COVERED else Status.MISSING.value
        for t in (tally, ev.items[r.item.id][1], ev.overall):
            t.add(expected, got)
        if structure:
            ev.structure.add(expected, got)
        if label and label.evidence and _compact(label.evidence) not in compact_raw:
            ev.evidence_not_found.append((path.name, r.item.id))
        if expected != got:
            first = r.evidence[0] if r.evidence else None
            ev.disagreements.append(Disagreement(
                document=path.name, item=r.item.id, title=r.item.title, expected=expected, got=got,
                reason=r.reason, line=first.line if first else None, quote=first.quote if first else "",
                gold_evidence=label.evidence if label else "", gold_note=label.note if label else "",
            ))
    prof = report.profile
    ev.documents.append(DocumentCheck(
        name=path.name, path=str(path), tally=tally,
        level=prof.level.value if prof.level else None, gold_level=labels.level.value if labels.level else None,
        year=prof.year, gold_year=labels.year, annual=prof.is_annual_report, gold_kind=labels.kind,
        claimed=claimed,
    ))


def below(ev: Evaluation, min_f1: float | None, min_agreement: float | None) -> list[str]:
    """Thresholds the evaluation does not reach, as Chinese sentences (empty: all reached)."""
    out = []
    for name, value, bar in (("F1", ev.overall.f1, min_f1), ("三类一致率", ev.overall.agreement, min_agreement)):
        if bar is None:
            continue
        if value is None:
            out.append(f"{name} 无法计算（没有可比较的条目），要求不低于 {bar:.2f}")
        elif value < bar:
            out.append(f"{name} 为 {value:.3f}，低于要求的 {bar:.2f}")
    return out


def evaluate_paths(gold_path: Path, paths: Sequence[Path], checklists: Sequence[LoadedChecklist]) -> Evaluation:
    """Load the labels (:class:`GoldError` if unusable), find the files and evaluate them."""
    from checker.pipeline import collect

    gold = load_gold(gold_path)
    files, errors = collect(paths)
    ev = evaluate(gold, str(gold_path), files, checklists)
    ev.errors[:0] = errors
    return ev
