"""The project's vocabulary: statuses, severities, levels and roles, each with its Chinese label.

Defined once here, at the bottom of the package, so that every layer (document, rules, engine,
renderers, lint, audit) names them the same way and no renderer keeps its own label table.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """The verdict on one checklist item."""

    COVERED = "covered"
    PARTIAL = "partial"
    MISSING = "missing"
    NOT_APPLICABLE = "not_applicable"


STATUS_LABELS = {
    Status.COVERED: "已覆盖",
    Status.PARTIAL: "部分覆盖",
    Status.MISSING: "缺失",
    Status.NOT_APPLICABLE: "不适用",
}


class Severity(StrEnum):
    """How much a checklist item matters."""

    REQUIRED = "required"
    RECOMMENDED = "recommended"


SEVERITY_LABELS = {Severity.REQUIRED: "必备", Severity.RECOMMENDED: "建议"}


class Level(StrEnum):
    """The administrative level of the reporting body."""

    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"
    TOWNSHIP = "township"
    DEPARTMENT = "department"


LEVEL_LABELS = {
    Level.PROVINCE: "省级",
    Level.CITY: "设区的市",
    Level.COUNTY: "县级",
    Level.TOWNSHIP: "乡镇（街道）",
    Level.DEPARTMENT: "政府部门",
}


class LevelSource(StrEnum):
    """Where the level a report is checked at came from."""

    DETECTED = "detected"  #: recognised in the report's text
    OPTION = "option"  #: the command line's --level
    CONFIG = "config"  #: ``level`` in checker.toml / [tool.checker]


#: Why the level is what it is, when the user set it (a detected level has its own reason).
LEVEL_SOURCE_REASONS = {
    LevelSource.OPTION: "由 --level 指定",
    LevelSource.CONFIG: "由配置文件（checker.toml 或 [tool.checker]）中的 level 指定",
}


class Role(StrEnum):
    """The part of a report a sentence belongs to."""

    TITLE = "title"
    OPENING = "opening"
    ACHIEVEMENTS = "achievements"
    FIRST_RESPONSIBLE = "first_responsible"
    PROBLEMS = "problems"
    PLANS = "plans"
    SIGNOFF = "signoff"


#: Roles whose content reports the year's work: a match there covers an item.
COVERING_ROLES = frozenset({Role.OPENING, Role.ACHIEVEMENTS, Role.FIRST_RESPONSIBLE})

ROLE_LABELS = {
    Role.TITLE: "标题",
    Role.OPENING: "开头",
    Role.ACHIEVEMENTS: "主要举措和成效",
    Role.FIRST_RESPONSIBLE: "第一责任人履职",
    Role.PROBLEMS: "存在的不足",
    Role.PLANS: "下一步安排",
    Role.SIGNOFF: "落款",
}

# What a user may type for a level (``--level``, checker.toml): the code, the label, or a short name.
LEVEL_NAMES: dict[str, Level] = {
    **{lv.value: lv for lv in Level},
    **{label: lv for lv, label in LEVEL_LABELS.items()},
    "省": Level.PROVINCE, "省级": Level.PROVINCE, "自治区": Level.PROVINCE, "直辖市": Level.PROVINCE,
    "市": Level.CITY, "市级": Level.CITY, "地级市": Level.CITY, "自治州": Level.CITY,
    "县": Level.COUNTY, "县级": Level.COUNTY, "区": Level.COUNTY, "县级市": Level.COUNTY, "旗": Level.COUNTY,
    "乡": Level.TOWNSHIP, "镇": Level.TOWNSHIP, "街道": Level.TOWNSHIP, "乡镇": Level.TOWNSHIP,
    "乡镇街道": Level.TOWNSHIP,
    "部门": Level.DEPARTMENT, "政府部门": Level.DEPARTMENT,
}


def parse_level(text: str) -> Level:
    """A level from its code (county), its label (县级) or a short name (县, 区, 镇, 部门); ValueError if none."""
    key = text.strip().lower()
    if key in LEVEL_NAMES:
        return LEVEL_NAMES[key]
    names = "省级、市级、县级、乡镇、部门、省、市、区、县、乡、镇、街道"
    codes = "、".join(lv.value for lv in Level)
    raise ValueError(f"层级“{text}”无效，可选：{names}（或 {codes}）")


class DiagLevel(StrEnum):
    """The level of a lint diagnostic (``--min-level``, ``severity`` in checker.toml)."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class FailOn(StrEnum):
    """From which diagnostic level ``lint`` fails (``--fail-on``)."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    NEVER = "never"
