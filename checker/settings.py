"""Project settings: ``checker.toml`` or ``[tool.checker]`` in ``pyproject.toml``.

``checklists``, ``level`` and ``waivers`` apply to ``check``, ``lint``, ``audit`` and ``letter`` alike (an
option on the command line wins); the diagnostic keys (``fail-on``, ``min-level``, ``select``,
``ignore``, ``severity``) only concern ``lint``.

The file is found by walking up from the current folder (in each folder ``checker.toml``
wins over ``pyproject.toml``; a ``pyproject.toml`` without ``[tool.checker]`` is skipped).
``--config FILE`` and the environment variable ``CHECKER_CONFIG`` override the search.
Paths in the file (checklists, waivers) are relative to the file's folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import regex

from checker.rules.checklist import bundled
from checker.text.decode import read_utf8
from checker.vocabulary import DiagLevel, FailOn, LevelSource

if TYPE_CHECKING:  # the settings model (pydantic) is imported when a file is read, not for a run without one
    from checker.settings_schema import LintConfig
    from checker.vocabulary import Level

ENV_VAR = "CHECKER_CONFIG"


LEVEL_RANK = {DiagLevel.INFO: 0, DiagLevel.WARNING: 1, DiagLevel.ERROR: 2}


class ConfigError(Exception):
    """A configuration file that cannot be used. The message names file and key, in Chinese."""


KEYS = ("checklists", "level", "fail-on", "min-level", "select", "ignore", "severity", "waivers")


@dataclass(frozen=True)
class LoadedConfig:
    """The settings in force: the validated keys of a file (None: no file, every key at its default)."""

    keys: LintConfig | None
    path: Path | None  # None: no file found

    @property
    def config(self) -> LintConfig:
        """The validated keys (all defaults without a file)."""
        if self.keys is not None:
            return self.keys
        from checker.settings_schema import LintConfig

        return LintConfig()

    @property
    def level(self) -> Level | None:
        """The ``level`` key (None: detect it from each report)."""
        return None if self.keys is None else self.keys.level

    def resolve_path(self, value: str) -> str:
        """A path written in the config file, made relative to the file's folder."""
        if self.path is None or Path(value).is_absolute():
            return value
        return str(self.path.parent / value)

    @property
    def checklists(self) -> tuple[str, ...] | None:
        """The checklists the file names (paths relative to the file), or None when it names none."""
        if self.keys is None or self.keys.checklists is None:
            return None
        known = bundled()
        return tuple(c if c in known and not Path(c).suffix else self.resolve_path(c) for c in self.keys.checklists)

    @property
    def waivers(self) -> Path | None:
        """The waiver file the configuration names (relative to the file), or None."""
        return Path(self.resolve_path(self.keys.waivers)) if self.keys is not None and self.keys.waivers else None

    def level_in_force(self, option: Level | None) -> tuple[Level | None, LevelSource]:
        """The level to check at and where it came from.

        ``--level`` wins over the configuration's ``level``; (None, DETECTED) when neither sets one.
        """
        if option is not None:
            return option, LevelSource.OPTION
        if self.level is not None:
            return self.level, LevelSource.CONFIG
        return None, LevelSource.DETECTED


def _line_of(text: str, key: str, section: str | None) -> int | None:
    start = 0
    if section is not None:
        m = regex.search(rf"(?m)^[ \t]*\[[ \t]*{regex.escape(section)}[ \t]*\]", text)
        if m is None:
            return None
        start = m.end()
    key_re = regex.escape(key)
    pattern = rf"(?m)^[ \t]*(?:[\"']?{key_re}[\"']?[ \t]*=|\[[ \t]*(?:tool\.checker\.)?{key_re}[ \t]*\])"
    m = regex.compile(pattern).search(text, start)
    if m is None:
        return None
    return text.count("\n", 0, m.start()) + 1


_TYPE_NAMES = {"string_type": "文字", "tuple_type": "列表", "dict_type": "表（table）", "int_type": "整数"}


def _message(err: Any) -> tuple[str, str]:
    loc = [str(p) for p in err["loc"]]
    key = loc[0] if loc else ""
    kind = err["type"]
    if kind == "extra_forbidden":
        return key, f"未知的配置项“{key}”（可用：{'、'.join(KEYS)}）"
    if kind == "enum":
        where = "".join(f"[{p}]" for p in loc[1:])
        return key, f"“{key}{where}”取值 {err.get('input')!r} 无效，可选：{err.get('ctx', {}).get('expected', '')}"
    if kind in _TYPE_NAMES:
        return key, f"“{'.'.join(loc)}”应为{_TYPE_NAMES[kind]}"
    return key, f"“{'.'.join(loc)}”：{err['msg']}"


def parse_config(data: dict[str, Any], path: Path, text: str, section: str | None) -> LintConfig:
    """Validate the settings keys of a file; ConfigError naming file, line and key."""
    from pydantic import ValidationError

    from checker.settings_schema import LintConfig

    try:
        return LintConfig.model_validate(data)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            key, msg = _message(err)
            line = _line_of(text, key, section) if key else None
            where = f"{path}:{line}" if line else str(path)
            scope = f"[{section}] " if section else ""
            lines.append(f"{where}: 配置错误：{scope}{msg}")
        raise ConfigError("\n".join(lines)) from None


def _read(path: Path) -> tuple[dict[str, Any], str]:
    import tomllib  # only when there is a file to read

    _, text = read_utf8(path, "配置文件", ConfigError)
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: TOML 格式错误：{exc}") from None


def _tool_section(data: dict[str, Any]) -> dict[str, Any] | None:
    tool = data.get("tool")
    if not isinstance(tool, dict):
        return None
    section = tool.get("checker")
    return section if isinstance(section, dict) else None


def load_config_file(path: Path) -> LoadedConfig:
    """Read the settings of one checker.toml or pyproject.toml."""
    data, text = _read(path)
    if path.name == "pyproject.toml":
        section = _tool_section(data)
        if section is None:
            raise ConfigError(f"{path}: 没有 [tool.checker] 配置段")
        return LoadedConfig(parse_config(section, path, text, "tool.checker"), path)
    return LoadedConfig(parse_config(data, path, text, None), path)


def find_config(start: Path) -> Path | None:
    """checker.toml, or a pyproject.toml with [tool.checker], in ``start`` or a parent."""
    start = start.resolve()
    for folder in (start, *start.parents):
        candidate = folder / "checker.toml"
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            try:
                text = pyproject.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError):
                continue
            import tomllib  # only when a pyproject.toml is in the way

            try:
                data = tomllib.loads(text)
            except tomllib.TOMLDecodeError:
                if "tool.checker" in text:
                    return pyproject  # ours, but broken: loading it reports the error
                continue
            if _tool_section(data) is not None:
                return pyproject
    return None


def load_config(explicit: Path | None = None, *, cwd: Path | None = None, use_files: bool = True) -> LoadedConfig:
    """The configuration in force: ``--config``, else ``$CHECKER_CONFIG``, else the nearest file."""
    if not use_files:
        return LoadedConfig(None, None)
    if explicit is not None:
        return load_config_file(explicit)
    env = os.environ.get(ENV_VAR)
    if env:
        return load_config_file(Path(env))
    found = find_config(cwd or Path.cwd())
    return load_config_file(found) if found is not None else LoadedConfig(None, None)


__all__ = ["LEVEL_RANK", "ConfigError", "DiagLevel", "FailOn", "LoadedConfig", "load_config"]
