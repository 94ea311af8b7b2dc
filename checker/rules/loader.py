"""Checklists of one's own that extend a bundled one (a region's or a department's items).

An extension is an ordinary checklist YAML with one more top-level key::

    extends: gangyao-2021          # a bundled checklist id, or a path to a checklist YAML
    id: jiangxi-2024
    title: 江西省补充要求
    items:
      - id: JX01
        ...

It inherits the base's ``hedges`` and ``source`` (unless it gives its own), ``version``
defaults to "1", and loading it also loads the base (once), so ``-c jiangxi.yaml`` checks
the national items and the region's. Item ids must not repeat the base's.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checker.rules.checklist import (
    DEFAULT_CHECKLISTS,
    ChecklistError,
    LoadedChecklist,
    _format_error,
    load_checklist,
    resolve,
)

if TYPE_CHECKING:  # yaml and pydantic only for an extension (cold start: a cached checklist needs neither)
    import yaml


def _read(path: Path) -> tuple[bytes, str] | None:
    from checker.text.decode import MAX_OWN_BYTES, InputError, read_capped

    try:
        raw = read_capped(path, MAX_OWN_BYTES)
        return raw, raw.decode("utf-8-sig")
    except (InputError, UnicodeDecodeError):
        return None  # load_checklist reports it


_EXTENDS_KEY = re.compile(r"^extends\s*:", re.MULTILINE)


def _extension_base(text: str) -> tuple[Any, yaml.Node | None, Any] | None:
    """(data, root node, base spec) when the YAML has a top-level ``extends``, else None."""
    if not _EXTENDS_KEY.search(text):
        return None  # the common case: an ordinary checklist, parsed once by load_checklist
    import yaml

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.load(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None  # load_checklist reports it with its line
    if not isinstance(data, dict) or "extends" not in data:
        return None
    return data, root, data["extends"]


def _load_extension(path: Path, raw: bytes, data: dict[str, Any], root: yaml.Node | None,
                    base: LoadedChecklist) -> LoadedChecklist:
    from pydantic import ValidationError

    from checker.rules.schema import Checklist

    merged = {k: v for k, v in data.items() if k != "extends"}
    merged.setdefault("version", "1")
    merged.setdefault("source", base.checklist.source)
    merged.setdefault("hedges", list(base.checklist.hedges))
    try:
        checklist = Checklist.model_validate(merged)
    except ValidationError as exc:
        raise ChecklistError(_format_error(path, root, merged, exc)) from None
    clash = [item.id for item in checklist.items if base.checklist.item(item.id) is not None]
    if clash:
        raise ChecklistError(f"{path}: 条目 {clash[0]} 与所扩展的清单 {base.checklist.id} 中的条目重复，请换一个编号")
    return LoadedChecklist(checklist, path, hashlib.sha256(raw).hexdigest())


def _line(root: yaml.Node | None, key: str) -> int:
    import yaml

    if isinstance(root, yaml.MappingNode):
        for k, _ in root.value:
            if getattr(k, "value", None) == key:
                return int(k.start_mark.line) + 1
    return 1


def _load(spec: str, chain: tuple[Path, ...]) -> list[LoadedChecklist]:
    path = resolve(spec)
    if path.resolve() in chain:
        raise ChecklistError(f"{path}: extends 形成循环（{' → '.join(str(p) for p in (*chain, path))}）")
    read = _read(path)
    ext = _extension_base(read[1]) if read is not None else None
    if read is None or ext is None:
        return [load_checklist(path)]
    data, root, base_spec = ext
    if not isinstance(base_spec, str) or not base_spec.strip():
        raise ChecklistError(f"{path}:{_line(root, 'extends')}: extends 应为清单 id（如 gangyao-2021）或 YAML 路径")
    base_path = Path(base_spec)
    if not base_path.is_absolute() and base_path.suffix in (".yaml", ".yml"):
        base_spec = str(path.parent / base_path)
    try:
        bases = _load(base_spec, (*chain, path.resolve()))
    except ChecklistError as exc:
        raise ChecklistError(f"{path}:{_line(root, 'extends')}: extends {data['extends']}：{exc}") from None
    return [*bases, _load_extension(path, read[0], data, root, bases[-1])]


def load_checklists(specs: list[str] | tuple[str, ...]) -> list[LoadedChecklist]:
    """Like :func:`checker.rules.checklist.load_many`, and understands ``extends``."""
    loaded: list[LoadedChecklist] = []
    seen: set[Path] = set()
    for spec in specs or DEFAULT_CHECKLISTS:
        for lc in _load(spec, ()):
            key = lc.path.resolve()
            if key not in seen:
                seen.add(key)
                loaded.append(lc)
    ids: dict[str, str] = {}
    for lc in loaded:
        for item in lc.checklist.items:
            if item.id in ids and ids[item.id] != str(lc.path):
                raise ChecklistError(f"{lc.path}: 条目 {item.id} 与 {ids[item.id]} 中的条目重复")
            ids[item.id] = str(lc.path)
    return loaded


def load_many(specs: list[str] | tuple[str, ...]) -> list[LoadedChecklist]:
    """Load checklists by bundled id or path (default: the bundled ones), following ``extends``."""
    return load_checklists(specs)
