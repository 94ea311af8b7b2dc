"""What an audit was asked to do (the command line's options)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from checker.vocabulary import Level, LevelSource


@dataclass
class AuditOptions:
    """Folders to audit, output folder, checklists, settings and how to run."""

    roots: list[Path]
    out: Path
    specs: list[str] = field(default_factory=list)
    level: Level | None = None
    year: int | None = None
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    jobs: int = 0
    resume: bool = False
    html: Path | None = None
    xlsx: Path | None = None
    reviews: Path | None = None
    letters: Path | None = None
    waivers: Path | None = None
    level_source: LevelSource = LevelSource.OPTION  #: where ``level`` came from (--level or the configuration)
