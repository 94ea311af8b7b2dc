"""Chinese for the command-line parser's own messages (click and typer).

click passes every message it prints through ``gettext`` (``_`` and ``ngettext`` bound at import in
each of its modules); typer computes a few panel titles from ``_`` when it is imported. ``install``
rebinds those names in the already-imported click and typer modules to look up this table, and
rewrites typer's computed titles, so "No such option", "Usage:", "Missing argument", "Show this
message and exit." reach the user in Chinese. A message missing from the table stays as click wrote
it, so an upgrade can never lose a message, only leave one untranslated.
"""

from __future__ import annotations

import gettext
import sys

MESSAGES: dict[str, str] = {
    # help pages
    "Usage:": "用法：",
    "Options": "选项",
    "Arguments": "参数",
    "Commands": "命令",
    "Positional arguments": "位置参数",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本号并退出。",
    "%(prog)s, version %(version)s": "%(prog)s，版本 %(version)s",
    "default: {default}": "默认：{default}",
    "[default: {}]": "[默认：{}]",
    "env var: {var}": "环境变量：{var}",
    "[env var: {}]": "[环境变量：{}]",
    "required": "必填",
    "[required]": "[必填]",
    "deprecated": "已弃用",
    "(deprecated) ": "（已弃用）",
    "(Deprecated) {text}": "（已弃用）{text}",
    "Confirm the action without prompting.": "不询问，直接确认。",
    "(dynamic)": "（动态）",
    # errors
    "Error": "错误",
    "Error: {message}": "错误：{message}",
    "Aborted!": "已中止。",
    "Aborted.": "已中止。",
    "Missing command.": "缺少命令。",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "No such option: {name}": "没有选项：{name}",
    "Did you mean {possibility}?": "是不是想用 {possibility}？",
    "(Did you mean one of: {possibilities}?)": "（是不是想用其中之一：{possibilities}？）",
    "(Possible options: {possibilities})": "（可用的选项：{possibilities}）",
    "Invalid start character for option ({option})": "选项的开头字符无效（{option}）",
    "Value must be an iterable.": "值必须是一个列表。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Missing {param_type}": "缺少{param_type}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "unknown error": "未知错误",
    "Try '{command} {option}' for help.": "运行 '{command} {option}' 查看帮助。",
    "Try [blue]'{command_path} {help_option}'[/] for help.": "运行 [blue]'{command_path} {help_option}'[/] 查看帮助。",
    "Got unexpected extra argument ({args})": "多余的参数（{args}）",
    "Got unexpected extra arguments ({args})": "多余的参数（{args}）",
    "Option {name!r} does not take a value.": "选项 {name!r} 不带值。",
    "Option {name!r} requires an argument.": "选项 {name!r} 需要一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 需要 {nargs} 个值。",
    "Argument {name!r} takes {nargs} values.": "参数 {name!r} 需要 {nargs} 个值。",
    "Takes {nargs} values but 1 was given.": "需要 {nargs} 个值，只给了 1 个。",
    "Takes {nargs} values but {len} were given.": "需要 {nargs} 个值，给了 {len} 个。",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}：{message}",
    # value types
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
    "{value!r} is not {choice}.": "{value!r} 不是 {choice}。",
    "{value!r} is not one of {choices}.": "{value!r} 不是可选值（{choices}）之一。",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
    "{value!r} is not a valid boolean. Recognized values: {states}": "{value!r} 不是有效的布尔值，可用：{states}",
    "{value!r} is not a valid boolean.": "{value!r} 不是有效的布尔值。",
    "{value!r} is not a valid UUID.": "{value!r} 不是有效的 UUID。",
    "{value!r} does not match the format {format}.": "{value!r} 不符合格式 {format}。",
    "{value!r} does not match the formats {formats}.": "{value!r} 不符合格式 {formats}。",
    "{len_type} values are required, but {len_value} was given.": "需要 {len_type} 个值，给了 {len_value} 个。",
    "{len_type} values are required, but {len_value} were given.": "需要 {len_type} 个值，给了 {len_value} 个。",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是文件夹。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 不可读。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 不可写。",
    "{name} {filename!r} is not executable.": "{name} {filename!r} 不可执行。",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "Do you want to continue?": "是否继续？",
    "Press any key to continue...": "按任意键继续……",
    "Error: invalid input": "错误：输入无效",
}
# Words click inserts into the messages above ("integer" in "… is not a valid integer").
MESSAGES.update({"integer": "整数", "float": "数", "integer range": "整数范围", "float range": "数值范围"})

_PACKAGES = ("click", "typer")


def translate(message: str) -> str:
    """The Chinese form of one of click's or typer's messages (the message itself if unknown)."""
    return MESSAGES.get(message, message)


def ntranslate(singular: str, plural: str, n: int) -> str:
    """Plural-aware lookup with the signature of ``gettext.ngettext`` (Chinese has one form)."""
    return MESSAGES.get(singular if n == 1 else plural, singular if n == 1 else plural)


def install() -> None:
    """Rebind click's and typer's message lookups (and typer's computed titles) to Chinese."""
    for name, module in list(sys.modules.items()):
        if module is None or name.split(".")[0] not in _PACKAGES:
            continue
        namespace = vars(module)
        for attr, value in list(namespace.items()):
            if value is gettext.gettext:
                namespace[attr] = translate
            elif value is gettext.ngettext:
                namespace[attr] = ntranslate
            elif attr.isupper() and isinstance(value, str) and value in MESSAGES:
                namespace[attr] = MESSAGES[value]
