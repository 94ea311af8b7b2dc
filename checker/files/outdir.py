"""An output folder that writes and deletes only inside itself (issue 13).

An audit's output folder may be shared, or prepared by someone else: a symlink in it
(``OUT/scorecards -> /somewhere``, or a subfolder of ``scorecards`` pointing out) would
make writing scorecards, and pruning stale ones, write and delete outside it. So:

* before a run, the tree checker manages (``OUT/scorecards`` and every folder below it)
  is checked: a symlink there is refused with a Chinese message naming it and its target;
* every write checks that the real path of the target's folder is inside the real
  output folder (a link planted during the run is caught too);
* pruning walks without following links and removes only regular files it recognises as
  its own (``*.json`` scorecards and its ``.*.tmp`` temporary files), never a link.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


class OutputFolderError(Exception):
    """The output folder is not safe to write into. The message is in Chinese."""


def check_tree(out: Path, managed: str) -> None:
    """Refuse a symlink at ``out/managed`` or at any folder below it."""
    base = out / managed
    if base.is_symlink():
        raise OutputFolderError(_refusal(base))
    if not base.exists():
        return
    if not base.is_dir():
        raise OutputFolderError(f"输出文件夹中的 {base} 不是文件夹；请移走它后重试")
    for dirpath, dirnames, filenames in os.walk(base):
        here = Path(dirpath)
        for name in dirnames + filenames:
            path = here / name
            if path.is_symlink() and (name in dirnames or path.is_dir()):
                raise OutputFolderError(_refusal(path))


def _refusal(link: Path) -> str:
    try:
        target = str(link.readlink())
    except OSError:
        target = "?"
    return (f"输出文件夹中的 {link} 是符号链接（指向 {target}）：为免写入或删除输出文件夹以外的文件，"
            "拒绝运行；请删除该链接或换一个输出文件夹")


def ensure_inside(out: Path, target: Path) -> None:
    """Create ``target``'s folder and make sure its real path is inside ``out``'s."""
    target.parent.mkdir(parents=True, exist_ok=True)
    real_out = out.resolve()
    real_parent = target.parent.resolve()
    if real_parent != real_out and real_out not in real_parent.parents:
        raise OutputFolderError(f"{target.parent} 经符号链接指向输出文件夹以外（{real_parent}），拒绝写入")
    if target.is_symlink():
        raise OutputFolderError(_refusal(target))


def is_own_file(path: Path) -> bool:
    """A regular file (not a link, device or FIFO): the only kind pruning may remove."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False
