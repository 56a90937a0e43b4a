"""Every message and help text a user reads names public things only: no ``stackkit._private``
module and no private constant (``PROTECTED``). Read two ways: every string in the package's code
that is not a docstring (the report, the checks' details, the CLI's errors, the scaffold), and the
texts themselves as the user gets them (CLI help, SARIF rule help, a check's details, the
missing-CDK line, the files ``stackkit init`` writes)."""

from __future__ import annotations

import argparse
import ast
import itertools
import re
from pathlib import Path

import pytest

from stackkit._private.backends import MissingCdkError, choose_backend
from stackkit.cli import build_parser
from stackkit.policy.checkov import Finding
from stackkit.policy.report import _rule
from stackkit.scaffold import TEMPLATE, scaffold

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "stackkit"
#: A private module or constant as a user would read it: ``stackkit._private.terraform``,
#: ``_private/regions.py``, ``(stackkit's PROTECTED)``; not ``aws_subnet.x_private_us_east_1a``.
PRIVATE = re.compile(r"(?<![A-Za-z0-9])_private\b|\bPROTECTED\b")


def docstring_nodes(tree: ast.Module) -> set[int]:
    """The string constants that are docstrings (module, class, function, attribute)."""
    found: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if not isinstance(body, list):
            continue
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and body:
            first = body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
        for previous, current in itertools.pairwise(body):
            if (
                isinstance(previous, ast.Assign | ast.AnnAssign)
                and isinstance(current, ast.Expr)
                and isinstance(current.value, ast.Constant)
            ):
                found.add(id(current.value))
    return found


def private_strings(source: str) -> list[tuple[int, str]]:
    """``(line, text)`` of every non-docstring string constant naming a private thing."""
    tree = ast.parse(source)
    docstrings = docstring_nodes(tree)
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and PRIVATE.search(node.value)
    ]


#: Strings that must name a private module, never shown to anyone: the region check loads the
#: region table from the installed package's ``_private/regions.py`` (a path it opens); the lazy
#: provider loader removes the jsii bindings' own ``<provider>._private`` module from
#: ``sys.modules`` when loading fails (jsii's ``publication.publish()`` registers it).
FILE_PATHS = {
    ("policy/checks/stackkit_provider_known_region.py", "_private"),
    ("_private/lazy_provider.py", "._private"),
}


def test_no_string_in_the_code_names_a_private_thing() -> None:
    found = [
        (path.relative_to(PACKAGE).as_posix(), line, text)
        for path in sorted(PACKAGE.rglob("*.py"))
        for line, text in private_strings(path.read_text())
        if (path.relative_to(PACKAGE).as_posix(), text) not in FILE_PATHS
    ]
    assert found == []


def test_the_scan_finds_what_it_looks_for() -> None:
    docstrings = '"""Docstring: stackkit._private.cdk."""\nx = 1\n"""stackkit._private too"""\n'
    assert private_strings(docstrings) == []
    assert private_strings('raise ValueError("use stackkit._private.terraform.skip_check")\n') == [
        (1, "use stackkit._private.terraform.skip_check")
    ]
    assert private_strings("""details = ["set lifecycle prevent_destroy (stackkit's PROTECTED)"]\n""") != []
    assert private_strings('name = f"{project}_private_{az}"\n') == []


def help_texts(parser: argparse.ArgumentParser) -> list[str]:
    texts = [parser.format_help()]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            texts += [help_texts(sub)[0] for sub in action.choices.values()]
    return texts


def test_what_the_user_reads_names_no_private_thing(tmp_path: Path) -> None:
    texts = help_texts(build_parser())
    assert len(texts) == 6  # stackkit, check, diff, cost, summary, init
    logging = "Ensure the S3 bucket has access logging enabled"
    checkov_rule = _rule(Finding("dev", "CKV_AWS_18", logging, "aws_s3_bucket.b", "f", (1, 2)))
    own_rule = _rule(Finding("dev", "CKV_STACKKIT_2", "Stateful resources", "aws_kms_key.k", "f", (1, 2)))
    texts += [checkov_rule["help"]["text"], own_rule["help"]["text"]]
    # The SARIF help says what to do, with public names.
    assert 'stackkit.skip_check(resource, "CKV_AWS_18", "<a reason a reviewer can judge>")' in texts[-2]
    assert "https://stackkit.github.io/stackkit/gate/skips/" in texts[-2]
    with pytest.raises(MissingCdkError) as missing:
        choose_backend({}, is_installed=lambda backend: False)
    texts.append(str(missing.value))
    scaffold(tmp_path, name="orders", stackkit_requirement="stackkit[cdktf,policy]", gate_ref="v0.3.0")
    texts += [path.read_text() for path in tmp_path.rglob("*") if path.is_file()]
    assert [text[:80] for text in texts if PRIVATE.search(text)] == []
    assert len(list(TEMPLATE.iterdir())) >= 6


def test_the_prevent_destroy_detail_says_what_to_write() -> None:
    import sys

    sys.path.insert(0, str(PACKAGE / "policy" / "checks"))  # Checkov loads the checks this way
    try:
        from stackkit.policy.checks.stackkit_stateful_prevent_destroy import check
    finally:
        sys.path.remove(str(PACKAGE / "policy" / "checks"))
    assert check.problems({"lifecycle": [{"prevent_destroy": [False]}]}) == [
        'set lifecycle prevent_destroy (in cdktf: lifecycle={"prevent_destroy": True})'
    ]


def rendered_objects() -> list[object]:
    """What the API pages render: every ``::: target`` of docs/ (a public name, or a module such as
    ``stackkit.constructs.one_off_task``) and every name in ``stackkit.__all__``."""
    import importlib

    import stackkit

    targets = sorted(
        {
            line.removeprefix("::: ").strip()
            for page in (ROOT / "docs").rglob("*.md")
            for line in page.read_text().splitlines()
            if line.startswith("::: ")
        }
    )
    found: list[object] = [getattr(stackkit, name) for name in stackkit.__all__]
    for target in targets:
        module, _, attribute = target.rpartition(".")
        try:
            found.append(importlib.import_module(target))
        except ModuleNotFoundError:
            found.append(getattr(importlib.import_module(module), attribute))
    return found


def public_docstrings() -> list[tuple[str, str]]:
    """``(where, text)`` of every docstring the API pages render (mkdocstrings, inherited members
    included): of each rendered object, the classes it is built on inside stackkit, and their
    methods, properties and attributes; of a rendered module, all of them."""
    import inspect
    import textwrap

    found: list[tuple[str, str]] = []
    seen: set[object] = set()
    for value in rendered_objects():
        owners = (
            [k for k in inspect.getmro(value) if k.__module__.startswith("stackkit")]
            if inspect.isclass(value)
            else [value]
        )
        for owner in owners:
            if owner in seen or not (
                inspect.isclass(owner) or inspect.isfunction(owner) or inspect.ismodule(owner)
            ):
                continue
            seen.add(owner)
            tree = ast.parse(textwrap.dedent(inspect.getsource(owner)))
            where = getattr(owner, "__qualname__", getattr(owner, "__name__", "?"))
            found += [
                (where, node.value)
                for node in ast.walk(tree)
                if isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) in docstring_nodes(tree)
            ]
    return found


def test_the_api_pages_docstrings_name_no_private_thing() -> None:
    """EnvironmentConfig.region, DatabaseSettings.instance_class and CacheSettings.node_type named
    the private catalog and region modules on the API pages."""
    docstrings = public_docstrings()
    assert len(docstrings) > 300  # every public class, its fields and methods
    assert any("ServiceProps.secrets" in text for _, text in docstrings)
    assert any(where == "stackkit.constructs.one_off_task" for where, _ in docstrings)  # a module page
    assert [(where, text[:80]) for where, text in docstrings if PRIVATE.search(text)] == []
