"""A checklist item described in words a reviewer reads (``checker checklists show``).

Detectors are shown field by field with Chinese names, not as raw YAML keys; a field this table
does not know yet is shown under its key, so nothing is ever hidden.
"""

from __future__ import annotations

from typing import Any

from checker.rules.runtime import RuntimeItem
from checker.rules.schema import Item
from checker.vocabulary import LEVEL_LABELS, ROLE_LABELS, SEVERITY_LABELS, Level, Role

KIND_LABELS = {
    "keywords": "关键词",
    "regex": "正则表达式",
    "part": "报告中有这一部分",
    "title": "标题格式",
    "signoff": "落款（署名和日期）",
    "year_consistency": "年份前后一致",
}
FIELD_LABELS = {
    "any": "出现任一词",
    "all": "同时出现（每组任一词）",
    "within": "范围",
    "pattern": "匹配",
    "unless": "出现这些词时不算",
    "unless_within": "排除词的范围",
    "roles": "只在这些部分中算",
    "role": "部分",
    "cap": "最多判为",
    "require": "这一部分还须写到",
    "require_label": "须写到的内容",
    "missing_label": "不符合时的说明",
    "note": "说明",
}
SCOPE_LABELS = {"sentence": "同一句", "clause": "同一分句", "partial": "部分覆盖"}


def levels_text(item: Item | RuntimeItem) -> str:
    """The levels an item applies to, in Chinese (全部 when it applies to every level)."""
    return "全部" if item.all_levels else "、".join(LEVEL_LABELS[lv] for lv in item.levels)


def _value(key: str, value: Any) -> str:
    if key == "within" and isinstance(value, int):
        return f"{value} 字以内"
    if isinstance(value, str):
        if key in ("role",) and value in Role.__members__.values():
            return ROLE_LABELS[Role(value)]
        return SCOPE_LABELS.get(value, value) if key in ("within", "unless_within", "cap") else value
    if isinstance(value, list | tuple):
        if key == "roles":
            return "、".join(ROLE_LABELS[Role(v)] for v in value)
        if key == "all":
            return " 且 ".join("（" + "｜".join(v) + "）" if isinstance(v, list | tuple) else v for v in value)
        return "｜".join(str(v) for v in value)
    return str(value)


def detector_lines(item: Item) -> list[str]:
    """One block of lines per detector: its kind, then each field set in the checklist."""
    lines: list[str] = []
    for number, det in enumerate(item.detectors, 1):
        dump = det.model_dump(mode="json", exclude_defaults=True)
        kind = dump.pop("kind", "")
        lines.append(f"{number}. {KIND_LABELS.get(kind, kind)}")
        lines.extend(f"   {FIELD_LABELS.get(key, key)}：{_value(key, value)}" for key, value in dump.items())
    return lines


def item_header(item: Item | RuntimeItem, checklist_id: str) -> list[str]:
    """The lines above the rules: checklist, part, clause, severity, levels and what to write."""
    return [
        f"清单：{checklist_id}    纲要部分：{item.part}    出处：{item.ref}",
        f"必备/建议：{SEVERITY_LABELS[item.severity]}    适用层级：{levels_text(item)}",
        f"应写明：{item.hint}",
    ]


__all__ = ["Level", "detector_lines", "item_header", "levels_text"]
