"""Loading checklists: files, the compiled-checklist cache, and the form checking runs on.

A checklist is data: items with detectors and examples, in YAML. Loading is strict: an
unknown field, detector kind or level, a duplicate id, an invalid regex or a rule that can
never match fails with the file, the line and the item id named, in Chinese. The schema is
pydantic (:mod:`checker.rules.schema`); it and yaml are imported only when a checklist is read
from its YAML – a checklist from the cache needs neither (:mod:`checker.rules.runtime`).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import regex

from checker.rules.matching import compiled
from checker.rules.runtime import RuntimeChecklist, runtime_checklist
from checker.rules.scanner import ChecklistScanner

if TYPE_CHECKING:
    import yaml
    from pydantic import ValidationError

    from checker.rules.schema import Checklist

DEFAULT_CHECKLISTS = ("gangyao-2021", "report-structure")
#: The bundled checklist of the report's structure (督察规定: title, parts, 落款, years).
STRUCTURE_CHECKLIST = "report-structure"


def is_structure_checklist(checklist_id: str) -> bool:
    """Whether the items of this checklist are about the report's structure rather than its content."""
    return checklist_id == STRUCTURE_CHECKLIST


@dataclass(frozen=True, slots=True)
class CompiledChecklist:
    """What matching needs, built once per checklist: the hedge pattern and the one-pass term scanner."""

    checklist: RuntimeChecklist
    hedges: regex.Pattern[str]
    scanner: ChecklistScanner | None = None  #: every literal term in one pass (None: one str.find per term)

    def to_data(self) -> dict[str, object]:
        """The compiled form as plain JSON data (for the checklist cache)."""
        scanner = self.scanner
        return {
            "hedges": self.hedges.pattern,
            "terms": sorted(scanner.terms) if scanner is not None else None,
            "regex_literals": {k: [[list(clause) for clause in clauses] for clauses in v]
                               for k, v in sorted(scanner.regex_literals.items())} if scanner else {},
        }

    @classmethod
    def from_data(cls, checklist: RuntimeChecklist, data: dict[str, Any]) -> CompiledChecklist:
        """The compiled form of ``checklist`` from :meth:`to_data`'s output."""
        terms = data["terms"]
        literals = {str(k): tuple(tuple(tuple(map(str, clause)) for clause in clauses) for clauses in v)
                    for k, v in data["regex_literals"].items()}
        scanner = None if terms is None else ChecklistScanner(map(str, terms), literals)
        return cls(checklist, compiled(str(data["hedges"])), scanner)  # checklists sharing hedges share one


def _runtime(checklist: RuntimeChecklist | Checklist) -> tuple[RuntimeChecklist, dict[str, Any] | None]:
    """The runtime form of a checklist given in either form, and its data when it was a schema model."""
    if isinstance(checklist, RuntimeChecklist):
        return checklist, None
    from checker.rules.schema import checklist_data

    data = checklist_data(checklist)
    return runtime_checklist(data), data


def compile_checklist(checklist: RuntimeChecklist | Checklist) -> CompiledChecklist:
    """Compile a checklist's hedges into one pattern and its literal terms into one scanner."""
    from checker.rules.scanner import checklist_scanner

    rt, _data = _runtime(checklist)
    hedges = (*rt.hedges, *rt.extra_hedges)
    return CompiledChecklist(rt, compiled("|".join(f"(?:{h})" for h in hedges)), checklist_scanner(rt.items))


class LoadedChecklist:
    """A validated checklist with where it came from and its content hash.

    ``checklist`` is the runtime form (no pydantic). Given a schema model, it is built from the
    model's data; given a runtime form, ``data`` is the validated data it was built from.
    """

    def __init__(self, checklist: RuntimeChecklist | Checklist, path: Path, sha256: str,
                 data: dict[str, Any] | None = None) -> None:
        """A checklist as loaded from ``path``, whose bytes hash to ``sha256`` (``data``: its validated data)."""
        rt, built_from = _runtime(checklist)
        self.checklist: RuntimeChecklist = rt
        self.data: dict[str, Any] | None = built_from if built_from is not None else data
        self._model = None if isinstance(checklist, RuntimeChecklist) else checklist
        self.path = path
        self.sha256 = sha256

    @property
    def model(self) -> Checklist:
        """The schema model, for the commands that show a checklist's fields, not for checking.

        A pydantic model, validated again from ``data`` when the checklist came from the cache.
        """
        if self._model is None:
            from checker.rules.schema import model_from_data

            if self.data is None:
                raise ValueError(f"{self.path}: 没有清单数据")
            self._model = model_from_data(self.data)
        return self._model

    @cached_property
    def bundled(self) -> bool:
        """One of ours (checked at load, run without a time budget), not a user's checklist."""
        from checker.resources import data_dir

        return self.path.resolve().parent == (data_dir() / "checklists").resolve()

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
    import yaml

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


def safe_loader() -> Any:
    """The safe YAML loader: libyaml's when available (same safe semantics, faster), else PyYAML's."""
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str, path: Path, error: type[Exception], loader: Any = None) -> Any:
    """YAML through a safe loader (no object construction).

    A syntax error raises ``error`` naming the file and line, in Chinese.
    """
    import yaml

    loader = loader or safe_loader()
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
    import yaml
    from pydantic import ValidationError

    from checker.rules.schema import Checklist

    data = safe_load(text, path, ChecklistError)
    if not isinstance(data, dict):
        raise ChecklistError(f"{path}:1: 清单文件应是一个 YAML 映射（包含 id、title、items 等字段）")
    try:
        return Checklist.model_validate(data)
    except ValidationError as exc:
        root = yaml.compose(text, Loader=safe_loader())
        raise ChecklistError(_format_error(path, root, data, exc)) from None


def load_checklist(path: Path) -> LoadedChecklist:
    """Load and validate one checklist file (from the compiled cache when it is current)."""
    from checker.text.decode import read_utf8

    raw, text = read_utf8(path, "清单文件", ChecklistError)
    digest = hashlib.sha256(raw).hexdigest()
    cached = _cache_get(digest)
    if cached is not None:
        return cached_checklist(cached, path, digest)
    checklist = parse_checklist(text, path)
    loaded = LoadedChecklist(checklist, path, digest)
    _cache_put(digest, loaded)
    return loaded


# ---------------------------------------------------------------------------------------
# Compiled-checklist cache (issue 7: cold start; issue 13: data, never code)
#
# Validating a checklist with pydantic and normalising its ~1,500 terms takes longer than
# checking a report. The validated checklist and its compiled form are kept as plain JSON
# data (checker.files.cache: a private 0700 folder under $XDG_CACHE_HOME/checker or
# ~/.cache/checker), keyed by the checklist file's sha256 and by a fingerprint of the code
# and libraries that build them. JSON cannot run code when read; an entry is plain data
# that a later loader can turn into a runtime form without pydantic or yaml. An entry
# that is unreadable, stale, of another format or for another key is ignored. An invalid
# checklist is never cached, so its errors are always reported. CHECKER_NO_CACHE=1 turns
# the cache off.

_CACHE_FORMAT = 4  # 3: the runtime form's data (checker.rules.schema.checklist_data), keyword groups included;
# 4: each regex's prefilter as alternatives of literal sets (checker.rules.scanner.required)
_CACHE_SOURCES = ("rules/checklist.py", "rules/schema.py", "rules/detectors.py", "rules/runtime.py",
                  "rules/matching.py", "rules/patterns.py", "rules/scanner.py", "rules/reasons.py",
                  "text/normalize.py", "vocabulary.py", "files/cache.py")
_CACHE_LIBRARIES = ("pydantic", "pydantic_core", "regex", "opencc", "ahocorasick")


@cache
def _fingerprint() -> str:
    """Hash of checker's checklist code and of the installed libraries' versions (by file stamp).

    Computed once a process: it reads eleven source files and looks up five libraries, and every checklist
    loaded (two or three a check) needs it.
    """
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


def _cache_name(digest: str) -> str:
    return f"checklist-{digest[:32]}-{_fingerprint()}.json"


def _cache_get(digest: str) -> dict[str, Any] | None:
    from checker.files.cache import read_json

    entry = read_json(_cache_name(digest))
    if (isinstance(entry, dict) and entry.get("format") == _CACHE_FORMAT and entry.get("key") == digest
            and isinstance(entry.get("checklist"), dict) and isinstance(entry.get("compiled"), dict)):
        return entry
    return None


def _cache_put(digest: str, loaded: LoadedChecklist) -> None:
    from checker.files.cache import write_json

    if os.environ.get("CHECKER_NO_CACHE"):
        return
    if loaded.data is None:
        return
    entry = {"format": _CACHE_FORMAT, "key": digest, "checklist": loaded.data, "compiled": loaded.compiled.to_data()}
    write_json(_cache_name(digest), entry)


def cached_checklist(entry: dict[str, Any], path: Path, digest: str) -> LoadedChecklist:
    """A loaded checklist from a cache entry: its runtime form built from the validated data.

    Without pydantic or yaml (the entry was validated when written and comes from our private folder); a malformed entry
    raises nothing the caller sees – it is loaded from the YAML instead.
    """
    try:
        data = entry["checklist"]
        checklist = runtime_checklist(data)
        compiled = CompiledChecklist.from_data(checklist, entry["compiled"])
    except Exception:  # a malformed entry is a miss, never an error
        return _load_fresh(path, digest)
    loaded = LoadedChecklist(checklist, path, digest, data)
    loaded.__dict__["compiled"] = compiled  # the cached_property, already computed
    return loaded


def _load_fresh(path: Path, digest: str) -> LoadedChecklist:
    from checker.text.decode import read_utf8

    _raw, text = read_utf8(path, "清单文件", ChecklistError)
    loaded = LoadedChecklist(parse_checklist(text, path), path, digest)
    _cache_put(digest, loaded)
    return loaded


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


