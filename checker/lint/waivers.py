"""Waivers: an approved, dated exception for one item (or lint rule) of the checklist.

A waiver file is YAML::

    waivers:
      - id: DS05                          # item id (EN03) or lint rule id (STRUCT-DEADLINE)
        reason: 本县未设立行政复议委员会，已报市司法局备案
        approver: 张三（县司法局）
        date: 2025-02-10                  # date of approval
        expires: 2025-06-30T23:59:59+08:00  # ISO date-time WITH a time zone
        files: ["drafts/*.txt"]           # optional: only these reports (glob)

A waived item is still evaluated and still shown, marked as waived; it does not count
toward failure. An expired waiver waives nothing and is itself reported as an error.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

import yaml

from checker.rules.checklist import safe_load
from checker.text.decode import read_utf8
from checker.text.sanitize import printable

ISO_EXAMPLE = "2025-06-30T23:59:59+08:00"


class WaiverError(Exception):
    """A waiver file that cannot be used. The message names file and line, in Chinese."""


@dataclass(frozen=True, slots=True)
class Waiver:
    """One approved waiver: the rule or item it silences, why, who approved it, until when, for which files."""

    id: str
    reason: str
    approver: str
    date: dt.date
    expires: dt.datetime  # always timezone-aware
    files: tuple[str, ...]
    source: str  # waiver file path
    line: int  # 1-based line of the entry in the waiver file

    def expired(self, now: dt.datetime) -> bool:
        """Whether the waiver has run out at ``now``."""
        return now >= self.expires

    def applies_to(self, path: str) -> bool:
        """Whether the waiver names the file ``path`` (no files: every file; globs on the path or the name)."""
        if not self.files:
            return True
        posix = PurePath(path).as_posix()
        return any(fnmatch.fnmatch(posix, pattern) or fnmatch.fnmatch(PurePath(path).name, pattern)
                   for pattern in self.files)

    @property
    def where(self) -> str:
        """Where the waiver is written: ``file:line``."""
        return f"{self.source}:{self.line}"

    def describe(self) -> str:
        """Short Chinese description: reason, approver, expiry."""
        return (f"理由：{self.reason}；批准：{self.approver}（{self.date.isoformat()}）；"
                f"有效至 {self.expires.isoformat()}")


class _StringDates(yaml.SafeLoader):
    """SafeLoader that keeps timestamps as text, so time zones are checked by us, not lost."""


_StringDates.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

_FIELDS = ("id", "reason", "approver", "date", "expires", "files")
_REQUIRED = ("id", "reason", "approver", "date", "expires")


def _parse_expires(value: str, where: str) -> dt.datetime:
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise WaiverError(f"{where}: expires 应为 ISO 日期时间并注明时区，例如 {ISO_EXAMPLE}（现为 {value!r}）"
                          ) from None
    if "T" not in value and " " not in value.strip():
        raise WaiverError(f"{where}: expires 只有日期，没有时间和时区：请写成 {ISO_EXAMPLE} 这样的形式"
                          f"（现为 {value!r}）")
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise WaiverError(
            f"{where}: expires 没有注明时区（{value!r}），无法判断何时过期：请加上时区，例如 {ISO_EXAMPLE}"
        )
    return parsed


def _parse_date(value: str, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise WaiverError(f"{where}: date（批准日期）应为 ISO 日期，例如 2025-02-10（现为 {value!r}）") from None


def _entry(raw: Any, node: yaml.Node, path: Path) -> Waiver:
    line = node.start_mark.line + 1
    where = f"{path}:{line}"
    if not isinstance(raw, dict):
        raise WaiverError(f"{where}: 每条豁免应是一个映射（含 id、reason、approver、date、expires）")
    unknown = [k for k in raw if k not in _FIELDS]
    if unknown:
        raise WaiverError(f"{where}: 未知字段“{unknown[0]}”（可用：{'、'.join(_FIELDS)}）")
    missing = [k for k in _REQUIRED if raw.get(k) in (None, "")]
    if missing:
        raise WaiverError(f"{where}: 豁免缺少必填字段“{missing[0]}”（每条豁免都要写明 {'、'.join(_REQUIRED)}）")
    for key in ("id", "reason", "approver", "date", "expires"):
        if not isinstance(raw[key], str):
            raise WaiverError(f"{where}: “{key}”应为文字（现为 {raw[key]!r}）")
    files = raw.get("files") or []
    if isinstance(files, str):
        files = [files]
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        raise WaiverError(f"{where}: files 应为文件名模式的列表，例如 [\"drafts/*.txt\"]")
    return Waiver(
        id=raw["id"].strip(),
        reason=printable(raw["reason"]).strip(),
        approver=printable(raw["approver"]).strip(),
        date=_parse_date(raw["date"], where),
        expires=_parse_expires(raw["expires"], where),
        files=tuple(files),
        source=str(path),
        line=line,
    )


def load_waivers(path: Path) -> tuple[Waiver, ...]:
    """Read and validate a waiver file; raise WaiverError with file and line."""
    _, text = read_utf8(path, "豁免文件", WaiverError)
    data = safe_load(text, path, WaiverError, loader=_StringDates)
    root = yaml.compose(text, Loader=_StringDates)  # parsed fine above: the nodes give each waiver's line
    if data is None:
        return ()
    if not isinstance(data, dict) or not isinstance(root, yaml.MappingNode):
        raise WaiverError(f"{path}:1: 豁免文件应是一个映射，顶层写 waivers: 后跟豁免列表")
    extra = [k for k in data if k != "waivers"]
    if extra:
        raise WaiverError(f"{path}:1: 未知字段“{extra[0]}”（顶层只有 waivers）")
    entries = data.get("waivers") or []
    node = next((v for k, v in root.value if getattr(k, "value", None) == "waivers"), None)
    if not isinstance(entries, list) or not isinstance(node, yaml.SequenceNode | None):
        raise WaiverError(f"{path}:1: waivers 应为列表")
    nodes = node.value if isinstance(node, yaml.SequenceNode) else []
    return tuple(_entry(raw, n, path) for raw, n in zip(entries, nodes, strict=True))
