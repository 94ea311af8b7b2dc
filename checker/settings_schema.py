"""The pydantic model of the settings keys (``checker.toml`` / ``[tool.checker]``), used when a file is read.

Kept apart from :mod:`checker.settings` so that a run without a configuration file imports no pydantic
(issue 17: cold start).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from checker.vocabulary import DiagLevel, FailOn, Level


class LintConfig(BaseModel):
    """Keys of ``checker.toml`` / ``[tool.checker]`` (hyphenated, as in the file)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=False)

    checklists: tuple[str, ...] | None = Field(default=None, description="清单 id 或 YAML 路径")
    level: Level | None = None
    fail_on: FailOn | None = Field(default=None, alias="fail-on")
    min_level: DiagLevel | None = Field(default=None, alias="min-level")
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: dict[str, DiagLevel] = Field(default_factory=dict)
    waivers: str | None = None
