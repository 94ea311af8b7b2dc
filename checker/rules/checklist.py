"""Checklist schema (pydantic) and loader.

A checklist is data: items with detectors and examples, in YAML. Loading is strict: an
unknown field, detector kind or level, a duplicate id, an invalid regex or a rule that can
never match fails with the file, the line and the item id named, in Chinese.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any

import regex
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from checker.rules.detectors import Detector
from checker.rules.scanner import ChecklistScanner
from checker.vocabulary import Level, Severity

DEFAULT_CHECKLISTS = ("gangyao-2021", "report-structure")
#: The bundled checklist of the report's structure (督察规定: title, parts, 落款, years).
STRUCTURE_CHECKLIST = "report-structure"


def is_structure_checklist(checklist_id: str) -> bool:
    """Whether the items of this checklist are about the report's structure rather than its content."""
    return checklist_id == STRUCTURE_CHECKLIST


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
        return frozenset(self.levels)

    @property
    def all_levels(self) -> bool:
        return self.level_set == frozenset(Level)


class Checklist(_Model):
    id: ItemId
    title: Text
    version: Annotated[str, Field(min_length=1)]
    source: Text
    description: str = ""
    hedges: tuple[Text, ...] = Field(
        default=(
            r"尚未", r"未能", r"未(?!成年|来|曾)", r"没有", r"有待", r"还需", r"仍需", r"尚需", r"亟需", r"亟待",
            r"需要进一步", r"需进一步", r"还要", r"不够", r"不到位", r"不足", r"欠缺", r"缺乏", r"薄弱", r"滞后",
            # 拟 as an attribute (拟签订的合同, 拟修订的文件) names the object, it does not hedge.
            r"拟(?!定|订|\p{Han}{1,2}的)", r"争取", r"力争", r"计划于",
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
        return next((i for i in self.items if i.id == item_id), None)


@dataclass(frozen=True, slots=True)
class CompiledChecklist:
    """What matching needs, built once per checklist: the hedge pattern and the one-pass term scanner."""

    checklist: Checklist
    hedges: regex.Pattern[str]
    scanner: ChecklistScanner | None = None  #: every literal term in one pass (None: one str.find per term)


def compile_checklist(checklist: Checklist) -> CompiledChecklist:
    """Compile a checklist's hedges into one pattern and its literal terms into one scanner."""
    from checker.rules.scanner import checklist_scanner

    hedges = (*checklist.hedges, *checklist.extra_hedges)
    return CompiledChecklist(checklist, regex.compile("|".join(f"(?:{h})" for h in hedges)),
                             checklist_scanner(checklist.items))


class LoadedChecklist:
    """A validated checklist with where it came from and its content hash."""

    def __init__(self, checklist: Checklist, path: Path, sha256: str) -> None:
        self.checklist = checklist
        self.path = path
        self.sha256 = sha256

    @cached_property
    def compiled(self) -> CompiledChecklist:
        """The compiled form (built on first use, or taken from the cache)."""
        return compile_checklist(self.checklist)


class ChecklistError(Exception):
    """A checklist that cannot be loaded. The message names file, line and item."""


# ---------------------------------------------------------------------------------------
# Loading with line numbers


_MESSAGES = {
    "extra_forbidden": "未知字段“{field}”",
    "missing": "缺少必填字段“{field}”",
    "union_tag_invalid": "未知的检测器类型（kind）{value}，可用：{expected}",
    "union_tag_not_found": "检测器缺少 kind 字段",
    "enum": "取值 {value} 无效，可选：{expected}",
    "literal_error": "取值 {value} 无效，可选：{expected}",
    "too_short": "“{field}”不能为空",
    "string_too_short": "“{field}”不能为空",
    "string_pattern_mismatch": "“{field}”格式不对（{value}）",
    "string_type": "“{field}”应为文字",
    "tuple_type": "“{field}”应为列表",
}


def _node_at(node: yaml.Node | None, loc: tuple[int | str, ...]) -> yaml.Node | None:
    best = node
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            nxt = next((v for k, v in node.value if getattr(k, "value", None) == key), None)
            if nxt is None:
                # An unknown key: point at the key itself.
                key_node = next((k for k, _ in node.value if getattr(k, "value", None) == key), None)
                return key_node or best
            node = nxt
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
        else:
            continue  # pydantic adds union tags (e.g. 'keywords') to locations: skip them
        best = node
    return best


def _describe(err: Any) -> str:
    loc = [p for p in err["loc"] if isinstance(p, str)]
    field = loc[-1] if loc else ""
    template = _MESSAGES.get(err["type"])
    ctx = err.get("ctx") or {}
    if template:
        value = err.get("input")
        shown = repr(ctx["tag"]) if "tag" in ctx else "" if isinstance(value, dict | list) else repr(value)
        return template.format(field=field, value=shown, expected=ctx.get("expected", ""))
    msg = str(err["msg"])
    return msg.removeprefix("Value error, ")


def _format_error(path: Path, root: yaml.Node | None, data: Any, exc: ValidationError) -> str:
    lines = []
    errors = exc.errors()
    for err in errors:
        loc = tuple(err["loc"])
        # A list whose elements failed is also reported as too short: the element error says it all.
        if err["type"] == "too_short" and any(len(o["loc"]) > len(loc) and tuple(o["loc"][: len(loc)]) == loc
                                              for o in errors):
            continue
        node = _node_at(root, loc)
        line = node.start_mark.line + 1 if node is not None else 1
        item_id = ""
        if len(loc) >= 2 and loc[0] == "items" and isinstance(loc[1], int):
            try:
                item_id = str(data["items"][loc[1]].get("id", f"第{loc[1] + 1}条"))
            except (KeyError, IndexError, TypeError, AttributeError):
                item_id = f"第{loc[1] + 1}条"
        where = f"{path}:{line}"
        lines.append(f"{where}: {'条目 ' + item_id + ': ' if item_id else ''}{_describe(err)}")
    return "\n".join(lines)


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: same safe semantics, faster


def safe_load(text: str, path: Path, error: type[Exception], loader: Any = _Loader) -> Any:
    """YAML through a safe loader (no object construction); a syntax error raises ``error``
    naming the file and line, in Chinese."""
    try:
        return yaml.load(text, Loader=loader)  # a safe loader: no object construction
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc)
        raise error(f"{path}:{line}: YAML 格式错误：{problem}") from None


def parse_checklist(text: str, path: Path) -> Checklist:
    """Validate checklist YAML text; raise ChecklistError with file, line and item.

    YAML is loaded with a safe loader (no object construction). Nodes with line numbers
    are composed only when there is an error to locate.
    """
    data = safe_load(text, path, ChecklistError)
    if not isinstance(data, dict):
        raise ChecklistError(f"{path}:1: 清单文件应是一个 YAML 映射（包含 id、title、items 等字段）")
    try:
        return Checklist.model_validate(data)
    except ValidationError as exc:
        root = yaml.compose(text, Loader=_Loader)
        raise ChecklistError(_format_error(path, root, data, exc)) from None


def load_checklist(path: Path) -> LoadedChecklist:
    """Load and validate one checklist file (from the compiled cache when it is current)."""
    from checker.text.decode import read_utf8

    raw, text = read_utf8(path, "清单文件", ChecklistError)
    digest = hashlib.sha256(raw).hexdigest()
    cached = _cache_get(digest)
    if cached is not None:
        loaded = LoadedChecklist(cached[0], path, digest)
        loaded.__dict__["compiled"] = cached[1]  # the cached_property, already computed
        return loaded
    checklist = parse_checklist(text, path)
    loaded = LoadedChecklist(checklist, path, digest)
    _cache_put(digest, loaded)
    return loaded


# ---------------------------------------------------------------------------------------
# Compiled-checklist cache (issue 7: cold start)
#
# Validating a checklist with pydantic and normalising its ~1,500 terms takes longer than
# checking a report. The validated Checklist and its compiled form are kept as a pickle
# under $XDG_CACHE_HOME/checker (or ~/.cache/checker), keyed by the checklist file's sha256
# and by a fingerprint of the code and libraries that build them; the file is written
# atomically and ignored when unreadable, stale or from another version. An invalid
# checklist is never cached, so its errors are always reported. CHECKER_NO_CACHE=1 turns
# the cache off.

_CACHE_FORMAT = 1
_CACHE_SOURCES = ("rules/checklist.py", "rules/detectors.py", "rules/scanner.py", "rules/reasons.py",
                  "text/normalize.py", "vocabulary.py")
_CACHE_LIBRARIES = ("pydantic", "pydantic_core", "regex", "opencc", "ahocorasick")


def _cache_dir() -> Path | None:
    import os

    if os.environ.get("CHECKER_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "checker"


def _fingerprint() -> str:
    """Hash of checker's checklist code and of the installed libraries' versions (by file stamp)."""
    import importlib.util
    import sys

    h = hashlib.sha256(f"{_CACHE_FORMAT}|{sys.version}".encode())
    here = Path(__file__).parent.parent
    for name in _CACHE_SOURCES:
        try:
            h.update((here / name).read_bytes())
        except OSError:
            h.update(b"-")
    for lib in _CACHE_LIBRARIES:
        try:
            spec = importlib.util.find_spec(lib)
            origin = spec.origin if spec is not None else None
            st = Path(origin).stat() if origin else None
            h.update(f"{lib}:{origin}:{st.st_mtime_ns if st else 0}:{st.st_size if st else 0}".encode())
        except (ImportError, OSError, ValueError):
            h.update(lib.encode())
    return h.hexdigest()[:32]


def _cache_path(digest: str) -> Path | None:
    folder = _cache_dir()
    return None if folder is None else folder / f"checklist-{digest[:32]}-{_fingerprint()}.pickle"


def _cache_get(digest: str) -> tuple[Checklist, Any] | None:
    try:
        path = _cache_path(digest)
        if path is None or not path.is_file():
            return None
        import pickle

        fmt, key, checklist, compiled = pickle.loads(path.read_bytes())
        if fmt == _CACHE_FORMAT and key == digest and isinstance(checklist, Checklist):
            return checklist, compiled
    except Exception:  # an unreadable or stale cache entry is ignored
        pass
    return None


def _cache_put(digest: str, loaded: LoadedChecklist) -> None:
    try:
        path = _cache_path(digest)
        if path is None:
            return
        import os
        import pickle
        import tempfile

        entry = (_CACHE_FORMAT, digest, loaded.checklist, loaded.compiled)
        data = pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL)
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".checklist-", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except Exception:  # a cache that cannot be written is only slower
        pass


def bundled() -> dict[str, Path]:
    """Bundled checklists by id (file stem)."""
    from checker.resources import bundled_checklists

    return bundled_checklists()


def resolve(spec: str) -> Path:
    """A checklist given as a bundled id or as a path."""
    candidate = Path(spec)
    if candidate.suffix in (".yaml", ".yml") or candidate.exists():
        return candidate
    known = bundled()
    if spec in known:
        return known[spec]
    names = "、".join(known) or "（无）"
    raise ChecklistError(f"{spec}: 找不到这个清单（内置清单：{names}；也可以给出 YAML 文件路径）")


