"""Files bundled inside the package (checklists), found through importlib.resources.

Installed from a wheel, with pipx or uv, or as an editable checkout, the bundled data lives in
``checker/data/`` beside the code, so it is found the same way from any working folder.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_DATA = "data"


@cache
def data_dir() -> Path:
    """The folder of bundled data files, as a real path (extracted once if the package is zipped)."""
    here = Path(__file__).parent / _DATA  # what files("checker") gives for a package installed as files
    if here.is_dir():
        return here  # importlib.resources (tempfile, zipfile …) is imported only for a zipped package
    import atexit
    import contextlib
    from importlib.resources import as_file, files

    resource = files("checker").joinpath(_DATA)
    if isinstance(resource, Path):
        return resource
    stack = contextlib.ExitStack()  # a zipped package: extract once, clean up at exit
    atexit.register(stack.close)
    return Path(stack.enter_context(as_file(resource)))


def bundled_checklists() -> dict[str, Path]:
    """The bundled checklists by id (file stem), in name order."""
    folder = data_dir() / "checklists"
    return {p.stem: p for p in sorted(folder.glob("*.yaml"))}
