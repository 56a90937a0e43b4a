"""The test suite itself: every test can fail, and no test writes what it compares against.

**A test without an assertion** is found by reading the tests (``ast``), not by running them. A
test function (``test_*``, at module level or in a ``Test*`` class) counts as asserting when its
body, including nested functions and lambdas, has one of:

- an ``assert`` statement;
- ``pytest.raises`` / ``pytest.warns`` / ``pytest.fail`` / ``pytest.deprecated_call`` (a call or
  a ``with``);
- a call to an *assert helper*: a function of the test tree (defined in the same module, or
  imported from a ``tests.*`` module) that itself asserts by these same rules, followed
  transitively (``_refused`` -> ``pytest.raises``; ``rejected`` -> ``assert``).

Not counted: a bare call of the code under test (passing when it does not raise is not a
postcondition), ``hypothesis`` ``assume``, fixtures, ``print``. A helper counts by name only
within its module or through an explicit ``from tests... import``; there is no list of blessed
names to keep up to date.

**Snapshots** (``tests/snapshots/``, ``tests/golden/``) are written only by the update scripts
(``python -m tests.app.update_golden``, ``python -m tests.app.update_stateful_addresses``,
``python -m tests.project.update_public_api``); a test module neither reads an "update" switch
from the environment nor writes under those folders.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
ROOT = TESTS.parent
PYTEST_CHECKS = {"raises", "warns", "fail", "deprecated_call"}
FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def _calls(node: ast.AST) -> Iterator[ast.expr]:
    """The called expressions anywhere under ``node`` (nested functions and lambdas included)."""
    for inner in ast.walk(node):
        if isinstance(inner, ast.Call):
            yield inner.func


def _asserts_directly(function: ast.AST) -> bool:
    if any(isinstance(inner, ast.Assert) for inner in ast.walk(function)):
        return True
    return any(
        isinstance(func, ast.Attribute)
        and func.attr in PYTEST_CHECKS
        and isinstance(func.value, ast.Name)
        and func.value.id == "pytest"
        for func in _calls(function)
    )


def _called_names(function: ast.AST) -> set[str]:
    return {func.id for func in _calls(function) if isinstance(func, ast.Name)}


class _Module:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = _module_name(path)
        self.tree = ast.parse(path.read_text(), filename=str(path))
        self.functions: dict[str, FunctionNode] = {
            node.name: node for node in self.tree.body if isinstance(node, FunctionNode)
        }
        #: ``{local name: (module, name)}`` for ``from tests.x import name [as local]``.
        self.imports: dict[str, tuple[str, str]] = {
            alias.asname or alias.name: (node.module, alias.name)
            for node in self.tree.body
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("tests")
            for alias in node.names
        }

    def tests(self) -> Iterator[tuple[str, FunctionNode]]:
        for node in self.tree.body:
            if isinstance(node, FunctionNode) and node.name.startswith("test"):
                yield node.name, node
            elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
                for inner in node.body:
                    if isinstance(inner, FunctionNode) and inner.name.startswith("test"):
                        yield f"{node.name}.{inner.name}", inner


def _modules() -> dict[str, _Module]:
    return {module.name: module for module in map(_Module, sorted(TESTS.rglob("*.py")))}


def asserting_helpers(modules: dict[str, _Module]) -> set[tuple[str, str]]:
    """``(module, function)`` of every function in the test tree that asserts, directly or
    through another such function (a fixed point)."""
    found = {
        (module.name, name)
        for module in modules.values()
        for name, function in module.functions.items()
        if _asserts_directly(function)
    }
    changed = True
    while changed:
        changed = False
        for module in modules.values():
            for name, function in module.functions.items():
                if (module.name, name) not in found and _reaches(module, function, found):
                    found.add((module.name, name))
                    changed = True
    return found


def _reaches(module: _Module, function: ast.AST, helpers: set[tuple[str, str]]) -> bool:
    for called in _called_names(function):
        target = module.imports.get(called, (module.name, called))
        if target in helpers:
            return True
    return False


def unasserted_tests(modules: dict[str, _Module]) -> list[str]:
    helpers = asserting_helpers(modules)
    return [
        f"{module.path.relative_to(ROOT)}::{name}"
        for module in modules.values()
        if module.path.name.startswith("test_")
        for name, function in module.tests()
        if not (_asserts_directly(function) or _reaches(module, function, helpers))
    ]


def test_every_test_asserts_something() -> None:
    assert unasserted_tests(_modules()) == []


def test_the_scan_finds_a_test_without_an_assertion() -> None:
    """The check itself notices: a bare call, a call of a helper that does not assert, and a
    helper chain that does."""
    source = """
import pytest
from tests.private.test_catalog import _check

def _helper(x):
    return x

def _checks(x):
    assert x

def _indirect(x):
    _checks(x)

def test_bare_call():
    _helper(1)

def test_imported_helper_that_asserts_nothing():
    _check("apple")

def test_direct():
    assert _helper(1) == 1

def test_through_two_helpers():
    _indirect(1)

def test_raises():
    with pytest.raises(ValueError):
        int("x")

class TestGroup:
    def test_in_a_class(self):
        _helper(2)
"""
    path = TESTS / "project" / "test_scan_example.py"
    module = _Module.__new__(_Module)
    module.path = path
    module.name = "tests.project.test_scan_example"
    module.tree = ast.parse(source)
    module.functions = {node.name: node for node in module.tree.body if isinstance(node, FunctionNode)}
    module.imports = {"_check": ("tests.private.test_catalog", "_check")}
    modules = {**_modules(), module.name: module}
    found = [name for name in unasserted_tests(modules) if "test_scan_example" in name]
    assert found == [
        "tests/project/test_scan_example.py::test_bare_call",
        "tests/project/test_scan_example.py::test_imported_helper_that_asserts_nothing",
        "tests/project/test_scan_example.py::TestGroup.test_in_a_class",
    ]


SNAPSHOT_FOLDERS = ("snapshots", "golden")
WRITERS = {"write_text", "write_bytes", "write", "dump"}


def _environment_key(node: ast.AST) -> str | None:
    """The constant key of ``os.environ.get(KEY)``, ``os.getenv(KEY)`` or ``os.environ[KEY]``."""
    key: ast.expr | None = None
    if isinstance(node, ast.Call) and ast.unparse(node.func) in ("os.environ.get", "os.getenv") and node.args:
        key = node.args[0]
    elif isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
        key = node.slice
    return key.value if isinstance(key, ast.Constant) and isinstance(key.value, str) else None


def snapshot_writes(path: Path) -> list[str]:
    """Where a test module writes a snapshot or reads an update switch (see the module doc)."""
    problems = []
    for node in ast.walk(ast.parse(path.read_text())):
        switch = _environment_key(node)
        if switch is not None and "UPDATE" in switch:
            problems.append(f"{path.name}:{node.lineno} reads {switch}")
        if isinstance(node, ast.ImportFrom) and node.module == "tests.app.golden":
            problems += [f"{path.name}:{node.lineno} imports write" for a in node.names if a.name == "write"]
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in WRITERS:
            receiver = ast.unparse(node.func.value)
            if any(word in receiver.lower() for word in ("snapshot", "golden")):
                problems.append(f"{path.name}:{node.lineno} {receiver}.{node.func.attr}(...)")
    return problems


def test_no_test_writes_a_snapshot() -> None:
    problems = [problem for path in sorted(TESTS.rglob("test_*.py")) for problem in snapshot_writes(path)]
    assert problems == []


def test_the_snapshot_scan_notices_a_write(tmp_path: Path) -> None:
    example = tmp_path / "test_example.py"
    example.write_text(
        "import os\nfrom tests.app.golden import write\n"
        "if os.environ.get('STACKKIT_UPDATE_SNAPSHOTS'):\n    SNAPSHOT.write_text('{}')\n"
    )
    assert snapshot_writes(example) == [
        "test_example.py:2 imports write",
        "test_example.py:3 reads STACKKIT_UPDATE_SNAPSHOTS",
        "test_example.py:4 SNAPSHOT.write_text(...)",
    ]
