"""The package's shape: no import circles (imports inside functions count), no decision read from message text."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "checker"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _resolve(name: str, known: dict[str, Path]) -> str | None:
    """The checker module an imported name lives in (``checker.a.b.C`` -> ``checker.a.b``)."""
    while name:
        if name in known:
            return name
        name = name.rpartition(".")[0]
    return None


def import_graph() -> dict[str, set[str]]:
    """Module -> the checker modules it imports anywhere (top level, functions, TYPE_CHECKING blocks)."""
    known = _modules()
    graph: dict[str, set[str]] = {}
    for name, path in known.items():
        edges: set[str] = set()
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                    base = f"{anchor}.{base}" if base else anchor
                targets = [f"{base}.{alias.name}" for alias in node.names] or [base]
            for target in targets:
                found = _resolve(target, known)
                if found is not None and found != name and found != "checker":
                    edges.add(found)
        graph[name] = edges
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle as a list of modules (first == last), or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt):], nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_the_graph_sees_imports_inside_functions_and_type_checking_blocks() -> None:
    graph = import_graph()
    # checker.cli imports the commands' modules only inside its functions
    assert "checker.pipeline" in graph["checker.cli"]
    assert "checker.audit.command" in graph["checker.cli"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_the_package_has_no_import_circle() -> None:
    cycle = find_cycle(import_graph())
    assert cycle is None, "import circle: " + " -> ".join(cycle or [])


#: Attributes holding user-facing text: code may format them, never decide on them.
MESSAGE_ATTRS = frozenset({"reason", "level_reason", "year_reason", "annual_reason", "detail", "message", "cause"})


def _reads_message(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr in MESSAGE_ATTRS


def message_decisions(source: str) -> list[int]:
    """Lines where code tests message text: ``"x" in r.reason``, ``r.reason == …``, ``r.reason.endswith(…)``."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            if any(_reads_message(o) for o in operands) and not all(
                (isinstance(o, ast.Constant) and o.value in ("", None)) or _reads_message(o) for o in operands
            ):
                lines.append(node.lineno)
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr in ("startswith", "endswith", "find", "index", "count", "split")
              and _reads_message(node.func.value)):
            lines.append(node.lineno)
    return lines


def test_the_message_check_catches_the_old_patterns() -> None:
    assert message_decisions('if "原因" in r.reason:\n    pass\n') == [1]
    assert message_decisions("ok = reason.endswith(x) or p.annual_reason.endswith(PLAN)\n") == [1]
    assert message_decisions('same = doc.level_reason == marker\n') == [1]
    assert message_decisions('text = r.reason or "只有不充分的表述"\n') == []


def test_no_branch_reads_message_text() -> None:
    offenders = {
        str(path.relative_to(ROOT)): found
        for path in sorted(PACKAGE.rglob("*.py"))
        if (found := message_decisions(path.read_text(encoding="utf-8")))
    }
    assert not offenders, f"decisions taken on message text (use reason codes): {offenders}"


def test_architecture_doc_names_every_module() -> None:
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    modules = [p.relative_to(PACKAGE).as_posix() for p in sorted(PACKAGE.rglob("*.py"))
               if p.name not in ("__init__.py", "__main__.py")]
    missing = [m for m in modules if f"`{m}`" not in doc]
    assert not missing, f"docs/architecture.md does not say what these modules do: {missing}"


def test_one_walker_and_one_check_step_for_every_command() -> None:
    """check, lint, eval and audit find inputs with readers.walk; check, letter and audit score with scored."""
    graph = import_graph()
    walkers = {m for m, edges in graph.items() if "checker.readers.walk" in edges}
    assert {"checker.pipeline", "checker.audit.command", "checker.audit.worker"} <= walkers
    assert "checker.audit.discover" not in graph  # the second walker is gone
    scorers = {m for m, edges in graph.items() if "checker.scored" in edges}
    assert {"checker.cli", "checker.audit.worker"} <= scorers
    # lint reads the structure results the pipeline computed: nothing under lint/ imports the engine's run
    for path in sorted((PACKAGE / "lint").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "checker.engine":
                assert "run" not in {a.name for a in node.names}, path


def test_every_formatter_lives_under_render() -> None:
    from checker.render.registry import FORMATTERS

    for f in FORMATTERS:
        assert f.module.startswith("checker.render."), f
        assert (ROOT / (f.module.replace(".", "/") + ".py")).is_file(), f
