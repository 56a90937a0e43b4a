"""The package's shape: small modules, no import cycles, and `_private` below the constructs and
the policy. Every import counts, wherever it is written (module level, a function, a
``TYPE_CHECKING`` block): a cycle that only type checkers follow is still two modules that cannot
be understood one without the other."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"
#: Files that are data (tables of names), not logic, with their reason.
DATA_TABLES: dict[str, str] = {}
MAX_LINES = 500


def modules() -> dict[str, Path]:
    """Dotted module name -> file, for every module of the package."""
    found = {}
    for path in sorted((SRC / "stackkit").rglob("*.py")):
        parts = path.relative_to(SRC).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


MODULES = modules()


def imported(module: str, path: Path) -> Iterator[tuple[int, str, str]]:
    """``(line, statement's module, imported module)`` for each stackkit module ``module``
    imports: ``from a import b`` imports ``a.b`` when that is a module, else ``a``."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                name = f"{base}.{alias.name}"
                yield node.lineno, base, name if name in MODULES else base


def graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {module: set() for module in MODULES}
    for module, path in MODULES.items():
        for _, _, target in imported(module, path):
            while target and target not in MODULES:  # an attribute's module: its nearest module
                target = target.rpartition(".")[0]
            if target and target != module:
                edges[module].add(target)
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for target in sorted(edges[module]):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(edges):
        if module not in index:
            visit(module)
    return found


def test_the_cycle_finder_finds_a_cycle() -> None:
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}}
    assert cycles(edges) == [["a", "b", "c"]]


def test_no_import_cycles() -> None:
    assert cycles(graph()) == []


def test_no_module_imports_from_itself() -> None:
    # ``from stackkit.x import y`` inside ``stackkit.x`` (a package re-exporting its own
    # submodules through its own name) makes the package and its submodules one knot.
    found = {
        f"{path.relative_to(SRC)}:{line}"
        for module, path in MODULES.items()
        for line, statement, _ in imported(module, path)
        if statement == module
    }
    assert found == set()


def test_private_imports_neither_constructs_nor_policy() -> None:
    found = sorted(
        f"{module} -> {target}"
        for module, targets in graph().items()
        if module.startswith("stackkit._private")
        for target in targets
        if target.startswith(("stackkit.constructs", "stackkit.policy", "stackkit.patterns"))
    )
    assert found == []


def test_no_file_is_over_500_lines() -> None:
    long = {
        path.relative_to(SRC).as_posix(): count
        for path in (SRC / "stackkit").rglob("*")
        if path.suffix in (".py", ".js")
        and path.relative_to(SRC).as_posix() not in DATA_TABLES
        and (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}
