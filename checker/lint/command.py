"""``checker lint`` from options to outputs: configuration, checklists, waivers, formats.

The CLI command only parses its options into a :class:`LintRequest`, calls
:func:`execute` and prints what it returns; everything a user can get wrong here raises
:class:`LintUsageError` (exit code 2) with a Chinese message.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from checker.exitcodes import ExitCode
from checker.lint.diagnostics import LintResult, Policy, lint
from checker.lint.waivers import Waiver, WaiverError, load_waivers
from checker.render.registry import names
from checker.rules.checklist import ChecklistError
from checker.settings import ConfigError, DiagLevel, FailOn, LoadedConfig, load_config
from checker.vocabulary import Level

FORMATS = ("auto", *names("lint"))  #: auto: github under GitHub Actions, else text


class LintUsageError(Exception):
    """Bad options, configuration, checklist, waiver file or output path."""


@dataclass(frozen=True)
class LintRequest:
    """What ``checker lint`` was asked to do: the command line's options."""

    paths: Sequence[Path]
    checklists: Sequence[str] | None = None
    level: Level | None = None
    year: int | None = None
    fail_on: FailOn | None = None
    min_level: DiagLevel | None = None
    select: Sequence[str] | None = None
    ignore: Sequence[str] | None = None
    formats: Sequence[str] = ()
    waivers: Path | None = None
    config: Path | None = None
    no_config: bool = False
    reviews: Path | None = None


@dataclass(frozen=True)
class Outcome:
    """What a lint run produced: the text for stdout, the exit code and the configuration file used."""

    stdout: str
    code: ExitCode
    config: Path | None


def parse_formats(specs: Sequence[str], env: Mapping[str, str]) -> list[tuple[str, Path | None]]:
    """``name`` or ``name:path``; ``auto`` is ``github`` under GitHub Actions, else ``text``."""
    out: list[tuple[str, Path | None]] = []
    for spec in specs or ("auto",):
        name, sep, target = spec.partition(":")
        name = name.strip().lower()
        if name not in FORMATS:
            raise LintUsageError(f"未知的输出格式“{name}”（可用：{'、'.join(FORMATS)}；写法：名称 或 名称:文件路径）")
        if sep and not target.strip():
            raise LintUsageError(f"输出格式“{spec}”缺少文件路径（写法：{name}:文件路径）")
        if name == "auto":
            name = "github" if env.get("GITHUB_ACTIONS") == "true" else "text"
        out.append((name, Path(target) if sep else None))
    to_screen = [n for n, p in out if p is None]
    if len(to_screen) > 1:
        raise LintUsageError(f"只能有一种格式输出到屏幕（现为 {'、'.join(to_screen)}）："
                             "其余请写到文件，如 --format sarif:checker.sarif")
    targets = [p for _, p in out if p is not None]
    if len(set(targets)) != len(targets):
        raise LintUsageError("两种输出格式写到了同一个文件")
    return out


def parse_levels(fail_on: str | None, min_level: str | None) -> tuple[FailOn | None, DiagLevel | None]:
    """``--fail-on`` and ``--min-level`` values, with a Chinese message when wrong."""
    try:
        fo = FailOn(fail_on.strip().lower()) if fail_on else None
    except ValueError:
        raise LintUsageError(f"--fail-on 的取值“{fail_on}”无效，可选：{'、'.join(f.value for f in FailOn)}") from None
    try:
        ml = DiagLevel(min_level.strip().lower()) if min_level else None
    except ValueError:
        choices = "、".join(d.value for d in DiagLevel)
        raise LintUsageError(f"--min-level 的取值“{min_level}”无效，可选：{choices}") from None
    return fo, ml


def _split(values: Sequence[str] | None) -> tuple[str, ...] | None:
    if values is None:
        return None
    return tuple(v.strip() for value in values for v in value.split(",") if v.strip())


def _render(name: str, result: LintResult, color: bool) -> str:
    """One of the registry's lint formats, as text."""
    import io

    from checker.render.registry import Output, get

    buffer = io.StringIO()
    get("lint", name).format(result, Output(buffer, color=color))
    return buffer.getvalue()


def _policy(req: LintRequest, cfg: LoadedConfig, waivers: tuple[Waiver, ...]) -> Policy:
    c = cfg.config
    return Policy(
        select=_split(req.select) or c.select,
        ignore=_split(req.ignore) or c.ignore,
        severity=dict(c.severity),
        fail_on=req.fail_on or c.fail_on or FailOn.ERROR,
        min_level=req.min_level or c.min_level or DiagLevel.INFO,
        waivers=waivers,
    )


def execute(req: LintRequest, *, env: Mapping[str, str] | None = None, color: bool = False,
            now: dt.datetime | None = None) -> Outcome:
    """Run ``checker lint`` for a request: settings, checklists, waivers, diagnostics, outputs, exit code."""
    from checker.files.atomic import write_text
    from checker.pipeline import ChecklistSet

    env = os.environ if env is None else env
    formats = parse_formats(req.formats, env)
    try:
        cfg = load_config(req.config, use_files=not req.no_config)
    except ConfigError as exc:
        raise LintUsageError(str(exc)) from None
    try:
        checklists = ChecklistSet(list(req.checklists or cfg.checklists or ()))
    except ChecklistError as exc:
        raise LintUsageError(f"清单错误：\n{exc}") from None
    waiver_file = req.waivers or cfg.waivers
    try:
        waivers = load_waivers(waiver_file) if waiver_file is not None else ()
    except WaiverError as exc:
        raise LintUsageError(f"豁免文件错误：\n{exc}") from None
    policy = _policy(req, cfg, waivers)
    reviews = None
    if req.reviews is not None:
        from checker.reviews import ReviewsError, load_reviews

        try:
            reviews = load_reviews(req.reviews)
        except ReviewsError as exc:
            raise LintUsageError(f"复核文件错误：\n{exc}") from None
    level, level_source = cfg.level_in_force(req.level)
    result = lint(req.paths, checklists, policy, level=level, year=req.year, now=now, reviews=reviews,
                  level_source=level_source)
    stdout = ""
    use_color = color and "NO_COLOR" not in env
    for name, target in formats:
        text = _render(name, result, use_color and target is None)
        if target is None:
            stdout = text
            continue
        try:
            write_text(target, text)
        except OSError as exc:
            raise LintUsageError(f"无法写入 {target}：{exc.strerror or exc}") from None
    return Outcome(stdout, result.exit_code, cfg.path)
