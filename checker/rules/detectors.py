"""Detector kinds: the schema (a pydantic tagged union) validated when a checklist is loaded.

What each kind finds is in :mod:`checker.rules.matching`: checking runs on the plain runtime
form of each detector (``DetectorBase.rule``, or :mod:`checker.rules.runtime` from the checklist
cache), so pydantic is needed only to validate. Detectors report *what they found and where* as
:class:`~checker.rules.matching.Match` tuples; they never decide an item's status: that is the
engine's job.

Kinds:

* ``keywords`` – literal terms: ``any`` of a list, or ``all`` of several groups, within
  one sentence, one clause or N characters;
* ``regex`` – a pattern (``regex`` module syntax) matched inside sentences;
* ``part`` – a part of the report with a given role (主要举措和成效, 存在的不足, …);
* ``title`` / ``signoff`` / ``year_consistency`` – the report-structure checks of the
  督察规定, which need the document's title block, 落款 and years.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterable, Iterator
from functools import cached_property
from typing import Annotated, Any, Literal, get_args

import regex
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from checker.rules import matching
from checker.rules.matching import DocIndex, Match, Rule
from checker.rules.patterns import catastrophic
from checker.rules.scanner import Requirement
from checker.text.normalize import normalize_phrase, to_simplified
from checker.vocabulary import Role

_BREAKS = "。！？；\n"


class DetectorError(ValueError):
    """A detector that is invalid or can never match."""


def check_pattern(pattern: str) -> regex.Pattern[str]:
    """Compile a checklist regex; DetectorError when it is invalid or can never match."""
    try:
        compiled = regex.compile(pattern)
    except regex.error as exc:
        raise DetectorError(f"无效的正则表达式 {pattern!r}：{exc}") from None
    if to_simplified(pattern) != pattern:
        raise DetectorError(f"正则表达式 {pattern!r} 含繁体字，而匹配文本已转为简体，它永远不会匹配；请改用简体")
    if any(q in pattern for q in "“”‘’「」"):
        raise DetectorError(f"正则表达式 {pattern!r} 含引号，而匹配文本已去掉引号，它永远不会匹配")
    why = catastrophic(pattern)
    if why is not None:
        raise DetectorError(f"正则表达式 {pattern!r} 可能发生灾难性回溯（一份报告就能运行数分钟）：{why}；"
                            "请改写，例如用占有量词（\\d++）或原子组（(?>…)）")
    return compiled


def _term(value: str) -> str:
    norm = normalize_phrase(value)
    if not norm:
        raise DetectorError(f"关键词 {value!r} 规范化后为空（只有空白或引号），永远不会匹配")
    if any(ch in norm for ch in _BREAKS):
        raise DetectorError(f"关键词 {value!r} 跨越了句子边界（含 。！？；或换行），永远不会在一句之内匹配")
    return norm


class DetectorBase(BaseModel):
    """A detector kind: its fields (validated from YAML), its matching and its literal terms.

    A kind is a subclass with a ``kind`` literal, listed in :data:`Detector`; a subclass that
    does not implement :meth:`find` cannot be instantiated.
    """

    # defer_build: the schema is built on first validation, not at import (cold start, issue 7)
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    note: str = ""

    @abstractmethod
    def find(self, index: DocIndex) -> Iterator[Match]:
        """Everything this detector finds in the indexed document."""

    def literal_terms(self) -> Iterable[str]:
        """Literal terms of this detector that the checklist's one-pass scanner finds for it."""
        return ()

    def regex_literals(self) -> tuple[str, Requirement] | None:
        """(pattern, what every match contains: checker.rules.scanner.required) for the regex prefilter, or None."""
        return None

    @cached_property
    def rule(self) -> Rule:
        """The runtime form of this detector (checker.rules.matching), built from its validated data."""
        from checker.rules.runtime import rule_from_data

        return rule_from_data(detector_data(self))


class _ContentDetector(DetectorBase):
    roles: tuple[Role, ...] | None = Field(default=None, min_length=1)
    unless: tuple[str, ...] = ()
    unless_within: Literal["sentence", "clause"] = "sentence"
    cap: Literal["partial"] | None = None

    @field_validator("unless")
    @classmethod
    def _unless_terms(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(_term(v) for v in value)

    @field_validator("roles")
    @classmethod
    def _body_roles(cls, value: tuple[Role, ...] | None) -> tuple[Role, ...] | None:
        if value is not None and all(r in (Role.TITLE, Role.SIGNOFF) for r in value):
            raise DetectorError("roles 只含 title/signoff：正文检测器不在标题和落款中匹配，永远不会匹配")
        return value


class Keywords(_ContentDetector):
    """Literal terms: any of ``any``, or one term of every group in ``all``."""

    kind: Literal["keywords"]
    any: tuple[str, ...] = ()
    all: tuple[tuple[str, ...] | str, ...] = ()
    within: Literal["sentence", "clause"] | Annotated[int, Field(ge=1, le=500)] = "sentence"

    @model_validator(mode="after")
    def _check(self) -> Keywords:
        if bool(self.any) == bool(self.all):
            raise DetectorError("keywords 检测器需要 any 或 all 二者之一（且只能一个）")
        for group in self.groups:
            for term in group:
                if any(term == u or u in term for u in self.unless):
                    raise DetectorError(f"关键词 {term!r} 本身包含排除词，永远不会匹配")
        return self

    @cached_property
    def groups(self) -> tuple[tuple[str, ...], ...]:
        raw_groups = [self.any] if self.any else [(g,) if isinstance(g, str) else g for g in self.all]
        groups = []
        for group in raw_groups:
            if not group:
                raise DetectorError("all 中有空的关键词组，永远不会匹配")
            groups.append(tuple(dict.fromkeys(_term(t) for t in group)))
        return tuple(groups)

    def find(self, index: DocIndex) -> Iterator[Match]:
        """Sentences (clauses, windows) holding a term of every group, not vetoed by ``unless``."""
        return self.rule.find(index)

    def literal_terms(self) -> Iterable[str]:
        """Every term of every group, and the ``unless`` terms."""
        return (*(t for group in self.groups for t in group), *self.unless)


class Regex(_ContentDetector):
    """A regular expression matched inside one sentence."""

    kind: Literal["regex"]
    pattern: str = Field(min_length=1)

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        compiled = check_pattern(value)
        if compiled.match(""):
            raise DetectorError(f"正则表达式 {value!r} 能匹配空文本，会在任何报告里“命中”")
        return value

    def find(self, index: DocIndex) -> Iterator[Match]:
        """The first match of the pattern in each sentence, not vetoed by ``unless``."""
        return self.rule.find(index)

    def literal_terms(self) -> Iterable[str]:
        """The ``unless`` terms (the pattern's own literals come from :meth:`regex_literals`)."""
        return self.unless

    def regex_literals(self) -> tuple[str, Requirement] | None:
        """The pattern and what every match contains (checker.rules.scanner.required; None: no prefilter)."""
        return self.rule.regex_literals()


class PartDetector(DetectorBase):
    """A part of the report with a role; weak if it is not a distinct part or lacks ``require``."""

    kind: Literal["part"]
    role: Role
    cap: Literal["partial"] | None = None
    require: tuple[str, ...] = ()
    require_label: str = ""

    @field_validator("role")
    @classmethod
    def _body_role(cls, value: Role) -> Role:
        if value in (Role.TITLE, Role.SIGNOFF):
            raise DetectorError("part 检测器的 role 不能是 title/signoff（请用 title/signoff 检测器）")
        return value

    @field_validator("require")
    @classmethod
    def _terms(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(_term(v) for v in value)

    def find(self, index: DocIndex) -> Iterator[Match]:
        """Each part with the role; weak when it is not a part of its own or lacks ``require``."""
        return self.rule.find(index)

    def literal_terms(self) -> Iterable[str]:
        """The ``require`` terms."""
        return self.require


class TitleDetector(DetectorBase):
    """The title line; weak if it does not match ``pattern``."""

    kind: Literal["title"]
    pattern: str = Field(min_length=1)
    missing_label: str = "标题不完整"

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        check_pattern(value)
        return value

    def find(self, index: DocIndex) -> Iterator[Match]:
        """The title line, weak when it does not match the pattern."""
        return self.rule.find(index)


class SignoffDetector(DetectorBase):
    """落款: issuing body and date at the end (or a dated header with its source)."""

    kind: Literal["signoff"]

    def find(self, index: DocIndex) -> Iterator[Match]:
        """The 落款, weak when its body or date is missing."""
        return self.rule.find(index)


class YearConsistency(DetectorBase):
    """Report year consistent across title, achievements and plans (plans = next year)."""

    kind: Literal["year_consistency"]

    def find(self, index: DocIndex) -> Iterator[Match]:
        """Where the report names its year, weak when title, achievements or plans disagree."""
        return self.rule.find(index)


Detector = Annotated[
    Keywords | Regex | PartDetector | TitleDetector | SignoffDetector | YearConsistency,
    Field(discriminator="kind"),
]

#: The registry of detector kinds, by their ``kind`` value: the members of :data:`Detector`.
KINDS: dict[str, type[DetectorBase]] = {
    get_args(cls.model_fields["kind"].annotation)[0]: cls for cls in get_args(get_args(Detector)[0])
}


def detector_data(det: DetectorBase) -> dict[str, Any]:
    """A validated detector as plain JSON data, with a keywords detector's normalised term groups.

    What :func:`checker.rules.runtime.rule_from_data` builds the runtime form from.
    """
    data: dict[str, Any] = det.model_dump(mode="json")
    if isinstance(det, Keywords):
        data["groups"] = [list(g) for g in det.groups]
    return data


def find(det: DetectorBase | Rule, index: DocIndex) -> list[Match]:
    """All matches of one detector (schema or runtime form) in the indexed document, in document order."""
    return matching.find(det.rule if isinstance(det, DetectorBase) else det, index)


__all__ = ["KINDS", "DetectorBase", "DocIndex", "Match", "detector_data", "find"]
