"""Compare two scorecards or two audit folders: items newly covered, newly missing, score changes.

OLD and NEW are each a scorecard JSON file (``checker check -f json``: one scorecard or a
list), or an audit folder (``checker audit --out``). Reports are paired:

1. by path (the same file audited twice);
2. then by body and year (the same report, moved or renamed);
3. then by body alone, when the body has one report left on each side (year over year:
   OLD the 2023 report, NEW the 2024 report of the same body).

A single scorecard on each side is always compared with the other.

Reports checked against the checklists of different 纲要 periods (a 2020 report against
gangyao-2015, a 2023 one against gangyao-2021) are compared on the item ids the two
checklists share; the ids of one period only are listed apart, not as changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from checker.scorecard import ItemOut, Scorecard, content_checklist

if TYPE_CHECKING:
    from checker.reviews import Reviews

DIFF_SCHEMA = "checker.diff/1"
STATUS_RANK = {"missing": 0, "partial": 1, "covered": 2}


class DiffError(Exception):
    """OLD or NEW cannot be read as scorecards. The message is in Chinese."""


@dataclass(frozen=True, slots=True)
class Side:
    """One side of a comparison: a report's key and its scorecard."""

    key: str  #: path of the report (relative within an audit folder)
    card: Scorecard


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ReportRef(_Out):
    """A report as the diff names it: path, body, year, level and score."""

    path: str
    body: str | None
    year: int | None
    level: str | None
    score: float


class Change(_Out):
    """One item whose status changed (or appeared, or went) between the two sides."""

    id: str
    title: str
    part: str
    severity: str
    old: str | None = Field(description="Status in OLD; null when the item is not in OLD's checklists.")
    new: str | None = Field(description="Status in NEW; null when the item is not in NEW's checklists.")
    reviewed: bool = Field(default=False, description="A reviewer's verdict gives the status on either side.")


class Pair(_Out):
    """Two scorecards of one report compared: how they were paired, the score change and the item changes."""

    old: ReportRef
    new: ReportRef
    matched_by: Literal["path", "body_year", "body", "single"]
    score_change: float
    newly_covered: list[Change]
    newly_missing: list[Change]
    other_changes: list[Change] = Field(description="Other status changes (to or from partial / not applicable).")
    old_checklist: str | None = Field(default=None, description="The content checklist OLD was checked against.")
    new_checklist: str | None = Field(default=None, description="The content checklist NEW was checked against.")
    only_in_old: list[Change] = Field(
        default=[], description="When the two were checked against different content checklists (纲要 periods): "
        "items of OLD's checklist only, with OLD's status (not compared).")
    only_in_new: list[Change] = Field(
        default=[], description="Likewise, items of NEW's checklist only, with NEW's status (not compared).")

    @property
    def across_periods(self) -> bool:
        """True when OLD and NEW were checked against different content checklists."""
        return self.old_checklist != self.new_checklist


class Diff(_Out):
    """The outcome of ``checker diff`` (checker.diff/1): the pairs and the reports found on one side only."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    schema_: Literal["checker.diff/1"] = Field(alias="schema")
    old: str
    new: str
    pairs: list[Pair]
    only_old: list[ReportRef] = Field(description="Reports in OLD with no counterpart in NEW.")
    only_new: list[ReportRef] = Field(description="Reports in NEW with no counterpart in OLD.")


def _problem(exc: ValidationError) -> str:
    """The first thing wrong with a file, in Chinese (pydantic's own messages are English)."""
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"])
    kind = err["type"]
    if kind == "json_invalid":
        return "不是有效的 JSON（格式错误、嵌套过深或数字过大）"
    if kind == "missing":
        return f"缺少字段 {where}"
    if kind == "extra_forbidden":
        return f"有未知字段 {where}"
    more = f"（共 {exc.error_count()} 处不符）" if exc.error_count() > 1 else ""
    return f"字段 {where or '（顶层）'} 的值不对{more}"


def _read(path: Path) -> bytes:
    from checker.text.decode import InputError, read_bytes

    try:
        return read_bytes(path)
    except InputError as exc:
        raise DiffError(f"{path}：{exc.cause}") from None


def _cards(path: Path) -> list[Scorecard]:
    """The scorecards in a ``check -f json`` file (one scorecard or a list), validated by their model."""
    from pydantic import TypeAdapter

    try:
        data = TypeAdapter(Scorecard | list[Scorecard]).validate_json(_read(path))
    except ValidationError as exc:
        raise DiffError(f"{path}：不是 checker.scorecard/1 评分卡：{_problem(exc)}") from None
    return data if isinstance(data, list) else [data]


def load_side(path: Path) -> list[Side]:
    """The scorecards in a scorecard file or an audit folder, validated with our output models."""
    if path.is_dir():
        summary = path / "summary.json"
        if summary.is_file():
            from checker.audit.summary import Summary

            try:
                rows = Summary.model_validate_json(_read(summary)).reports
            except ValidationError as exc:
                raise DiffError(f"{summary}：不是 checker audit 的汇总文件：{_problem(exc)}") from None
            files = [(r.path, _inside(path, r.scorecard, summary)) for r in rows if r.scorecard]
        else:
            base = path / "scorecards" if (path / "scorecards").is_dir() else path
            files = [(p.relative_to(base).as_posix().removesuffix(".json"), p) for p in sorted(base.rglob("*.json"))]
        if not files:
            raise DiffError(f"{path}：文件夹中没有评分卡（应为 checker audit 的输出文件夹）")
        return [Side(key, c) for key, file in files for c in _cards(file)]
    if not path.exists():
        raise DiffError(f"{path}：文件或文件夹不存在")
    return [Side(c.document.path, c) for c in _cards(path)]


def _inside(folder: Path, rel: str, summary: Path) -> Path:
    """A scorecard path from summary.json, which must stay inside the audit folder."""
    target = folder / rel
    if Path(rel).is_absolute() or ".." in Path(rel).parts:
        raise DiffError(f"{summary}：评分卡路径 {rel} 不在审计文件夹内")
    return target


def _ref(side: Side) -> ReportRef:
    doc = side.card.document
    return ReportRef(path=side.key, body=doc.body, year=doc.year, level=doc.level, score=side.card.summary.score)


def _change(old: ItemOut | None, new: ItemOut | None) -> Change:
    item = new or old
    assert item is not None
    return Change(id=item.id, title=item.title, part=item.part, severity=item.severity,
                  old=old.status if old else None, new=new.status if new else None,
                  reviewed=any(i is not None and i.review is not None for i in (old, new)))


def compare(old: Side, new: Side, matched_by: Literal["path", "body_year", "body", "single"]) -> Pair:
    """The changes between two scorecards of the same report: score and item statuses."""
    before = {i.id: i for i in old.card.items}
    after = {i.id: i for i in new.card.items}
    old_checklist, new_checklist = content_checklist(old.card), content_checklist(new.card)
    covered: list[Change] = []
    missing: list[Change] = []
    other: list[Change] = []
    only_old: list[Change] = []
    only_new: list[Change] = []
    ids = list(after) + [i for i in before if i not in after]
    for item_id in ids:
        a, b = before.get(item_id), after.get(item_id)
        if old_checklist != new_checklist and (a is None or b is None):
            (only_new if a is None else only_old).append(_change(a, b))
            continue
        sa, sb = (a.status if a else None), (b.status if b else None)
        if sa == sb:
            continue
        change = _change(a, b)
        if sb == "covered":
            covered.append(change)
        elif sb == "missing":
            missing.append(change)
        else:
            other.append(change)
    return Pair(old=_ref(old), new=_ref(new), matched_by=matched_by,
                score_change=round(new.card.summary.score - old.card.summary.score, 1),
                newly_covered=covered, newly_missing=missing, other_changes=other,
                old_checklist=old_checklist, new_checklist=new_checklist, only_in_old=only_old, only_in_new=only_new)


def _reviewed(sides: list[Side], reviews: Reviews | None) -> list[Side]:
    if reviews is None:
        return sides
    from checker.reviews import apply_to_card

    return [Side(s.key, apply_to_card(s.card, reviews.lookup(s.card.document.path, s.card.document.sha256)))
            for s in sides]


def diff(old_path: Path, new_path: Path, reviews: Reviews | None = None) -> Diff:
    """Pair the reports of OLD and NEW and list their changes (with reviewers' verdicts applied, if given)."""
    old, new = _reviewed(load_side(old_path), reviews), _reviewed(load_side(new_path), reviews)
    pairs: list[Pair] = []
    if len(old) == 1 and len(new) == 1 and not old_path.is_dir() and not new_path.is_dir():
        pairs.append(compare(old[0], new[0], "single"))
        old, new = [], []
    # 1. by path
    by_path = {s.key: s for s in new}
    rest_old: list[Side] = []
    for s in old:
        match = by_path.pop(s.key, None)
        if match is not None:
            pairs.append(compare(s, match, "path"))
        else:
            rest_old.append(s)
    rest_new = sorted(by_path.values(), key=lambda s: s.key)
    # 2. by body and year, 3. by body alone when it is unambiguous
    for mode in ("body_year", "body"):
        def key(s: Side, mode: str = mode) -> tuple[str | None, int | None] | None:
            body = s.card.document.body
            if body is None:
                return None
            return (body, s.card.document.year) if mode == "body_year" else (body, None)

        def unique(sides: Sequence[Side]) -> dict[tuple[str | None, int | None], Side]:
            seen: dict[tuple[str | None, int | None], list[Side]] = {}
            for s in sides:
                k = key(s)
                if k is not None:
                    seen.setdefault(k, []).append(s)
            return {k: v[0] for k, v in seen.items() if len(v) == 1}

        old_keys, new_keys = unique(rest_old), unique(rest_new)
        matched_old: set[str] = set()
        matched_new: set[str] = set()
        for k, s in sorted(old_keys.items(), key=lambda kv: kv[1].key):
            if k in new_keys:
                pairs.append(compare(s, new_keys[k], "body_year" if mode == "body_year" else "body"))
                matched_old.add(s.key)
                matched_new.add(new_keys[k].key)
        rest_old = [s for s in rest_old if s.key not in matched_old]
        rest_new = [s for s in rest_new if s.key not in matched_new]
    pairs.sort(key=lambda p: (p.new.path, p.old.path))
    return Diff(schema_=DIFF_SCHEMA, old=str(old_path), new=str(new_path), pairs=pairs,
                only_old=[_ref(s) for s in sorted(rest_old, key=lambda s: s.key)],
                only_new=[_ref(s) for s in sorted(rest_new, key=lambda s: s.key)])


def command(old: Path, new: Path, fmt: str, reviews_path: Path | None = None) -> int:
    """The ``checker diff`` command; returns the exit code."""
    import sys

    from rich.console import Console

    from checker.exitcodes import ExitCode
    from checker.render.console import SafeConsole
    from checker.render.registry import Output, get

    reviews = None
    if reviews_path is not None:
        from checker.reviews import ReviewsError, load_reviews

        try:
            reviews = load_reviews(reviews_path)
        except ReviewsError as exc:
            SafeConsole(stderr=True, highlight=False, soft_wrap=True).print(
                f"复核文件错误：\n{exc}", markup=False, style="red")
            return int(ExitCode.USAGE)
    try:
        result = diff(old, new, reviews)
    except DiffError as exc:
        SafeConsole(stderr=True, highlight=False, soft_wrap=True).print(f"错误：{exc}", markup=False, style="red")
        return int(ExitCode.INPUT)
    get("diff", fmt).format(result, Output(sys.stdout, width=min(100, Console().width)))
    return int(ExitCode.OK)
