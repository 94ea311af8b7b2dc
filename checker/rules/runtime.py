"""The runtime form of a checklist: plain slotted classes built from validated data, no pydantic, no yaml.

A checklist is validated once, by its pydantic schema (:mod:`checker.rules.schema`), when it is read
from YAML. Its data – ``model_dump(mode="json")`` with the normalised term groups of each keywords
detector added (:func:`checker.rules.schema.checklist_data`) – is what the checklist cache stores, and
:func:`runtime_checklist` builds the objects checking uses from it, the same way on a cache miss and a
hit. So a check with a warm cache imports neither pydantic nor yaml (issue 17: cold start).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from checker.rules.matching import (
    KeywordsRule,
    PartRule,
    RegexRule,
    Rule,
    SignoffRule,
    TitleRule,
    YearRule,
)
from checker.vocabulary import Level, Role, Severity

_BODY_ROLES = frozenset(Role) - {Role.TITLE, Role.SIGNOFF}


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


def _content(d: Mapping[str, Any]) -> dict[str, Any]:
    roles = d.get("roles")
    return {
        "note": str(d.get("note", "")),
        "unless": _strs(d.get("unless", ())),
        "unless_within": str(d.get("unless_within", "sentence")),
        "cap": d.get("cap"),
        "body_roles": _BODY_ROLES if roles is None else frozenset(Role(r) for r in roles) & _BODY_ROLES,
    }


def _keywords(d: Mapping[str, Any]) -> Rule:
    within = d.get("within", "sentence")
    return KeywordsRule(**_content(d), groups=tuple(_strs(g) for g in d["groups"]),
                        within=within if isinstance(within, int) else str(within))


def _regex(d: Mapping[str, Any]) -> Rule:
    return RegexRule(**_content(d), pattern=str(d["pattern"]))


def _part(d: Mapping[str, Any]) -> Rule:
    return PartRule(note=str(d.get("note", "")), role=Role(d["role"]), cap=d.get("cap"),
                    require=_strs(d.get("require", ())), require_label=str(d.get("require_label", "")))


def _title(d: Mapping[str, Any]) -> Rule:
    return TitleRule(note=str(d.get("note", "")), pattern=str(d["pattern"]),
                     missing_label=str(d.get("missing_label", "标题不完整")))


_BUILDERS: dict[str, Callable[[Mapping[str, Any]], Rule]] = {
    "keywords": _keywords,
    "regex": _regex,
    "part": _part,
    "title": _title,
    "signoff": lambda d: SignoffRule(note=str(d.get("note", ""))),
    "year_consistency": lambda d: YearRule(note=str(d.get("note", ""))),
}


def rule_from_data(data: Mapping[str, Any]) -> Rule:
    """The runtime detector of one detector's validated data (KeyError for an unknown kind)."""
    return _BUILDERS[str(data["kind"])](data)


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
