"""The runtime form of a checklist: plain slotted classes built from validated data, no pydantic, no yaml.

A checklist is validated once, by its pydantic schema (:mod:`checker.rules.schema`), when it is read
from YAML. Its data – ``model_dump(mode="json")`` with the normalised term groups of each keywords
detector added (:func:`checker.rules.schema.checklist_data`) – is what the checklist cache stores, and
:func:`runtime_checklist` builds the objects checking uses from it, the same way on a cache miss and a
hit. So a check with a warm cache imports neither pydantic nor yaml (issue 17: cold start).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from checker.rules.matching import RULES, Rule
from checker.vocabulary import Level, Severity


@dataclass(frozen=True, slots=True)
class Examples:
    """Texts an item must cover, and texts it must not (partial or missing)."""

    covered: tuple[str, ...]
    partial: tuple[str, ...]
    missing: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RuntimeItem:
    """One checklist item as checking uses it (the fields of :class:`checker.rules.schema.Item`)."""

    id: str
    title: str
    part: str
    ref: str
    severity: Severity
    levels: tuple[Level, ...]
    hint: str
    detectors: tuple[Rule, ...]
    examples: Examples
    level_set: frozenset[Level]

    @property
    def all_levels(self) -> bool:
        """The item applies to every level."""
        return self.level_set == frozenset(Level)


@dataclass(frozen=True, slots=True)
class RuntimeChecklist:
    """A validated checklist as checking uses it (the fields of :class:`checker.rules.schema.Checklist`)."""

    id: str
    title: str
    version: str
    source: str
    description: str
    hedges: tuple[str, ...]
    extra_hedges: tuple[str, ...]
    items: tuple[RuntimeItem, ...]

    def item(self, item_id: str) -> RuntimeItem | None:
        """The item with this id, or None."""
        return next((i for i in self.items if i.id == item_id), None)


def _strs(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in value)


def rule_from_data(data: Mapping[str, Any]) -> Rule:
    """The runtime detector of one detector's validated data (KeyError for an unknown kind)."""
    return RULES[str(data["kind"])].from_data(data)


def _item(d: Mapping[str, Any]) -> RuntimeItem:
    levels = tuple(Level(v) for v in d["levels"])
    ex = d["examples"]
    return RuntimeItem(
        id=str(d["id"]), title=str(d["title"]), part=str(d["part"]), ref=str(d["ref"]),
        severity=Severity(d["severity"]), levels=levels, hint=str(d["hint"]),
        detectors=tuple(rule_from_data(x) for x in d["detectors"]),
        examples=Examples(_strs(ex.get("covered", ())), _strs(ex.get("partial", ())), _strs(ex.get("missing", ()))),
        level_set=frozenset(levels),
    )


def runtime_checklist(data: Mapping[str, Any]) -> RuntimeChecklist:
    """The runtime checklist of :func:`checker.rules.schema.checklist_data`'s output (validated data)."""
    return RuntimeChecklist(
        id=str(data["id"]), title=str(data["title"]), version=str(data["version"]), source=str(data["source"]),
        description=str(data.get("description", "")), hedges=_strs(data["hedges"]),
        extra_hedges=_strs(data.get("extra_hedges", ())), items=tuple(_item(x) for x in data["items"]),
    )
