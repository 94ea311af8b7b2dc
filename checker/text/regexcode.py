"""Compiled ``regex`` patterns rebuilt from their cached code, not parsed again in every process.

The ``regex`` module parses and compiles a pattern in Python: the hundred-odd patterns one cold
``check`` reaches (the document model's, the checklists', the hedges) took about 40 ms of it, more
than anything else on that path. What the parser produces is data: the pattern's own pickle support
(``Pattern._pickled_data``, which ``copyreg`` hands to ``_regex.compile`` when a pattern is
unpickled) is the pattern text, its flags, its code as bytes, its group names and a few numbers.
:func:`compile` keeps that data for every pattern it compiles in one JSON file of the private
cache (:mod:`checker.files.cache`: a 0700 folder of ours, entries opened without following links,
checked for owner and size – never pickle), and the next process builds the same pattern from it
with ``_regex.compile`` in microseconds.

The engine's C code takes the code as it is (a few spoilt bytes can crash the process), so the file
is a *signed* entry of that cache: it is read back only when this folder's own key signed it – a
cache folder restored or copied from elsewhere is a miss, and the patterns compile again.

The file is named after the ``regex`` version and the Python version; an entry is used only when
its pattern and flags are the ones asked for and every field has the type ``_regex.compile``
takes. Anything else – an older file, a malformed entry, a ``regex`` whose pickled form has
changed – compiles the pattern the normal way. The cache is written once per process, by
:func:`save` (the command-line entry point and the audit workers call it), and only when the
process compiled a pattern the file did not have. CHECKER_NO_CACHE=1 turns it off.
"""

from __future__ import annotations

import binascii
import json
import sys
from typing import Any

import regex
from regex import _regex  # the C engine, as unpickling uses it

#: Entries a cache file may hold (every bundled pattern is a few hundred; users' checklists add theirs).
MAX_ENTRIES = 4000

_FORMAT = 1
_FIELDS = 11  # what Pattern._pickled_data holds in the regex versions this was written for
_ENTRY = 9  # the same without the two (empty) named-list fields


def cache_name() -> str:
    """The cache entry's file name: our format, the regex version and the Python version."""
    version = getattr(regex, "__version__", "unknown")
    return f"regex-code-{_FORMAT}-{version}-py{sys.version_info[0]}.{sys.version_info[1]}.json"


def _key(pattern: str, flags: int) -> str:
    return f"{int(flags)}:{pattern}"


def to_data(compiled: regex.Pattern[str]) -> list[Any] | None:
    """A compiled pattern as JSON data (None when it has a form this module does not know)."""
    data = getattr(compiled, "_pickled_data", None)
    if not isinstance(data, tuple) or len(data) != _FIELDS:
        return None
    pattern, flags, code, group_index, index_group, named_lists, named_list_indexes = data[:7]
    if not (isinstance(pattern, str) and isinstance(code, bytes)) or named_lists or named_list_indexes:
        return None  # named lists (\L<name>) are not among the patterns we cache
    return [pattern, int(flags), binascii.b2a_base64(code, newline=False).decode("ascii"), dict(group_index),
            sorted([int(k), v] for k, v in index_group.items()), *data[7:]]


def from_data(entry: Any) -> regex.Pattern[str] | None:
    """The pattern rebuilt from :func:`to_data`'s data, or None when the data is not of that shape.

    The shape is checked, the code is not (the engine takes it as it is): give it only data this user's
    own runs wrote – a signed cache entry (:func:`checker.files.cache.read_signed`).
    """
    if not isinstance(entry, list) or len(entry) != _ENTRY:
        return None
    pattern, flags, code, group_index, index_group, req_offset, req_chars, req_flags, group_count = (
        entry[0], entry[1], entry[2], entry[3], entry[4], entry[5], entry[6], entry[7], entry[8])
    ints = (flags, req_offset, req_flags, group_count)
    if not (isinstance(pattern, str) and isinstance(code, str) and isinstance(group_index, dict)
            and isinstance(index_group, list) and isinstance(req_chars, list)
            and all(type(n) is int for n in ints) and all(type(c) is int for c in req_chars)
            and all(isinstance(k, str) and type(v) is int for k, v in group_index.items())
            and all(isinstance(p, list) and len(p) == 2 and type(p[0]) is int and isinstance(p[1], str)
                    for p in index_group)):
        return None
    try:
        raw = binascii.a2b_base64(code)
        built: regex.Pattern[str] = _regex.compile(  # type: ignore[attr-defined]
            pattern, flags, raw, group_index, dict(index_group), {}, [], req_offset, tuple(req_chars), req_flags,
            group_count)
    except Exception:  # a regex whose engine takes other data: compile the normal way
        return None
    return built


def _read_entries() -> dict[str, Any]:
    """The entries of the cache file, when this cache folder's own runs signed it (else none)."""
    from checker.files.cache import read_signed

    raw = read_signed(cache_name())
    try:
        stored = json.loads(raw) if raw is not None else None
    except (ValueError, RecursionError):
        return {}
    if isinstance(stored, dict) and stored.get("format") == _FORMAT and isinstance(stored.get("patterns"), dict):
        patterns: dict[str, Any] = stored["patterns"]
        return patterns
    return {}


class CodeCache:
    """The compiled patterns of this process, and the code of those the cache file already had."""

    __slots__ = ("_added", "_entries", "_loaded", "_patterns")

    def __init__(self) -> None:
        """An empty cache; the file is read on the first :meth:`compile`."""
        self._patterns: dict[str, regex.Pattern[str]] = {}
        self._entries: dict[str, Any] = {}
        self._added = 0
        self._loaded = False

    def _load(self) -> None:
        self._loaded = True
        self._entries = _read_entries()

    def compile(self, pattern: str, flags: int = 0) -> regex.Pattern[str]:
        """``regex.compile(pattern, flags)``, from the cached code when there is some."""
        key = _key(pattern, flags)
        found = self._patterns.get(key)
        if found is not None:
            return found
        if not self._loaded:
            self._load()
        entry = self._entries.get(key)
        built = from_data(entry) if entry is not None else None
        if built is None or built.pattern != pattern:
            built = regex.compile(pattern, flags)
            data = to_data(built)
            if data is not None and len(self._entries) < MAX_ENTRIES:
                self._entries[key] = data
                self._added += 1
        self._patterns[key] = built
        return built

    def save(self) -> None:
        """Write the cache file when this process compiled patterns it did not have (failures ignored)."""
        if not self._added:
            return
        from checker.files.cache import write_signed

        for key, entry in _read_entries().items():  # another process may have added patterns since we read it
            if len(self._entries) >= MAX_ENTRIES:
                break
            self._entries.setdefault(key, entry)
        data = {"format": _FORMAT, "patterns": dict(sorted(self._entries.items()))}
        write_signed(cache_name(), json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
        self._added = 0


_CACHE = CodeCache()  # no I/O here: the file is read on the first compile


def compile(pattern: str, flags: int = 0) -> regex.Pattern[str]:
    """A compiled pattern, rebuilt from the private cache when it has the pattern's code."""
    return _CACHE.compile(pattern, flags)


def save() -> None:
    """Store the code of the patterns this process compiled and the cache file lacked."""
    _CACHE.save()
