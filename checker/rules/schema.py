"""The checklist schema (pydantic): what a checklist YAML may contain, validated when it is loaded.

Loading is strict: an unknown field, detector kind or level, a duplicate id, an invalid regex or a
rule that can never match fails (:func:`checker.rules.checklist.parse_checklist` names the file, the
line and the item, in Chinese). Checking itself runs on the plain runtime form
(:mod:`checker.rules.runtime`) built from :func:`checklist_data`: pydantic is imported only when a
checklist is validated, not when it comes from the cache.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from checker.rules.detectors import Detector, detector_data
from checker.vocabulary import Level, Severity

ItemId = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_-]{0,31}$")]
Text = Annotated[str, Field(min_length=1)]


class _Model(BaseModel):
    # defer_build: the schema is built on first validation, not at import (cold start, issue 7)
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Examples(_Model):
    """Texts an item must cover, and texts it must not (partial or missing)."""

    covered: tuple[Text, ...] = Field(min_length=1)
    partial: tuple[Text, ...] = ()
    missing: tuple[Text, ...] = ()

    @model_validator(mode="after")
    def _needs_negative(self) -> Examples:
        if not self.partial and not self.missing:
            raise ValueError("examples 至少需要一条不应判为覆盖的例子（partial 或 missing）")
        return self


class Item(_Model):
    """One checklist item: what it requires, where it comes from, how it is detected, its examples."""

    id: ItemId
    title: Text
    part: Text
    ref: Text
    severity: Severity
    levels: tuple[Level, ...] = Field(default=tuple(Level), min_length=1)
    hint: Text
    detectors: tuple[Detector, ...] = Field(min_length=1)
    examples: Examples

    @field_validator("levels", mode="before")
    @classmethod
    def _all_levels(cls, value: Any) -> Any:
        return tuple(Level) if value == "all" else value

    @property
    def level_set(self) -> frozenset[Level]:
        """The levels the item applies to."""
        return frozenset(self.levels)

    @property
    def all_levels(self) -> bool:
        """Whether the item applies at every level."""
        return self.level_set == frozenset(Level)


class Checklist(_Model):
    """A checklist: its id, title, version, source and items."""

    id: ItemId
    title: Text
    version: Annotated[str, Field(min_length=1)]
    source: Text
    description: str = ""
    hedges: tuple[Text, ...] = Field(
        default=(
            r"尚未", r"未能", r"未(?!成年|来|曾)", r"没有", r"有待", r"还需", r"仍需", r"尚需", r"亟需", r"亟待",
            r"需要进一步", r"需进一步", r"还要", r"不够", r"不到位", r"不足", r"欠缺", r"缺乏", r"薄弱", r"滞后",
            # 拟 as an attribute (拟签订的合同, 拟修订的文件; 拟任/拟提拔/拟录用 干部: the candidates) names the object,
            # and in 模拟法庭, 虚拟, 草拟 it is part of another word: none of these hedges.
            r"(?<![模虚草比])拟(?!定|订|任|聘|提拔|录用|\p{Han}{1,2}的)", r"争取", r"力争", r"计划于",
            r"将(?:要|会|进一步|继续|持续)",
            # 将 as the 把-construction (将…纳入/作为/列入/摆上…, 将…与…相结合) states what was done.
            r"将(?:加快|加大|全面|不断|积极|深入|着力|切实|重点|坚持|大力|努力|逐步|适时|尽快|探索|推动|推进|开展|建立|完善"
            r"|强化|严格)(?![^，。；]{0,40}?(?:纳入|作为|列入|摆上|摆在|融入|写入|贯穿|嵌入|转化为|固化为|上升为|相结合))",
        ),
        description="Regex fragments that hedge or negate a match in the same clause (replaces the defaults).",
    )
    extra_hedges: tuple[Text, ...] = Field(
        default=(), description="More hedge fragments, added to ``hedges`` (keeps the defaults current)."
    )
    items: tuple[Item, ...] = Field(min_length=1)

    @field_validator("version", mode="before")
    @classmethod
    def _version_str(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int | float) else value

    @field_validator("hedges", "extra_hedges")
    @classmethod
    def _hedges_compile(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        from checker.rules.detectors import check_pattern

        for pattern in value:
            check_pattern(pattern)
        return value

    @model_validator(mode="after")
    def _unique_ids(self) -> Checklist:
        seen: set[str] = set()
        for item in self.items:
            if item.id in seen:
                raise ValueError(f"条目编号 {item.id} 重复")
            seen.add(item.id)
        return self

    def item(self, item_id: str) -> Item | None:
        """The item ``item_id``, or None."""
        return next((i for i in self.items if i.id == item_id), None)


def checklist_data(checklist: Checklist) -> dict[str, Any]:
    """A validated checklist as plain JSON data.

    ``model_dump(mode="json")`` with each keywords detector's normalised term groups (the form the cache stores and the
    runtime form is built from).
    """
    data: dict[str, Any] = checklist.model_dump(mode="json")
    for item, item_data in zip(checklist.items, data["items"], strict=True):
        item_data["detectors"] = [detector_data(det) for det in item.detectors]
    return data


def model_from_data(data: dict[str, Any]) -> Checklist:
    """The schema model of :func:`checklist_data`'s output.

    Validated again: for the commands that show a checklist's fields, not for checking.
    """
    plain = dict(data)
    plain["items"] = [
        {**item, "detectors": [{k: v for k, v in det.items() if k != "groups"} for det in item["detectors"]]}
        for item in data["items"]
    ]
    return Checklist.model_validate(plain)
