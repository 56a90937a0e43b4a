"""mkdocs hooks: the tables that must not drift are rendered from the code that defines them.

A page writes a marker on a line of its own and the hook replaces it:

- ``<!-- stackkit:skips -->``: every Checkov skip a construct records
  (:data:`stackkit._private.skips.RECORDED_SKIPS`).
- ``<!-- stackkit:policies -->``: stackkit's own Checkov policies (the catalog
  ``POLICIES`` of ``stackkit/policy/checks/stackkit_policy_common.py`` and each check file's
  docstring).
- ``<!-- stackkit:iam-rules -->``: every rule of the IAM analysis
  (:func:`stackkit.policy.iam_analysis.rule_catalog`).
- ``<!-- stackkit:changelog -->``: ``CHANGELOG.md``, its headings moved one level down.
- ``<!-- stackkit:include examples/NAME.py -->`` (or ``stacks/NAME.py``): that file, as a code
  block (the examples are synthesized, scanned and checked by ``tests/project/test_examples.py``,
  the environments by the app's tests).

``tests/project/test_docs.py`` checks what these render; ``mkdocs build --strict`` runs there too.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

from stackkit._private.skips import RECORDED_SKIPS
from stackkit.policy.checks.stackkit_policy_common import POLICIES
from stackkit.policy.iam_analysis import rule_catalog

ROOT = Path(__file__).resolve().parents[1]
CHECKS = ROOT / "src" / "stackkit" / "policy" / "checks"
#: More resource types than this are summarised by their count.
LISTED_TYPES = 8


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def skips_table() -> str:
    lines = ["| check | resource | recorded by | when | reason |", "|---|---|---|---|---|"]
    for skip in RECORDED_SKIPS:
        lines.append(
            f"| {skip.check_id} | `{skip.resource}` | {_cell(skip.construct)} | {_cell(skip.when)} "
            f"| {_cell(skip.reason)} |"
        )
    return "\n".join(lines)


def _check_docstrings() -> dict[str, str]:
    """Policy id -> the first paragraph of its check file's docstring, without the id prefix."""
    found: dict[str, str] = {}
    for path in sorted(CHECKS.glob("stackkit_*.py")):
        source = path.read_text()
        match = re.search(r'^\s*(?:policy_id|POLICY_ID) = "(CKV_STACKKIT_\d+)"', source, re.MULTILINE)
        docstring = ast.get_docstring(ast.parse(source))
        if match and docstring:
            first = docstring.split("\n\n", 1)[0]
            found[match[1]] = re.sub(r":mod:`~?([^`]+)`", r"``\1``", first).removeprefix(f"{match[1]}: ")
    return found


def policies_table() -> str:
    details = _check_docstrings()
    lines = ["| id | policy | what it checks | resource types |", "|---|---|---|---|"]
    for policy in sorted(POLICIES.values(), key=lambda p: int(p.id.rsplit("_", 1)[1])):
        types = policy.resource_types
        listed = (
            ", ".join(f"`{name}`" for name in types)
            if len(types) <= LISTED_TYPES
            else f"{len(types)} types (`{types[0]}`, `{types[1]}`, ...)"
        )
        what = _cell(details.get(policy.id, "")).replace("``", "`")
        lines.append(f"| {policy.id} | {_cell(policy.name)} | {what} | {listed} |")
    return "\n".join(lines)


def iam_rules_table() -> str:
    lines = ["| rule id | from | what it reports | the fix |", "|---|---|---|---|"]
    for rule in rule_catalog():
        lines.append(f"| {rule.rule_id} | {rule.tool} | {_cell(rule.reports)} | {_cell(rule.fix)} |")
    return "\n".join(lines)


def changelog() -> str:
    text = (ROOT / "CHANGELOG.md").read_text()
    return re.sub(r"^(#+) ", lambda m: "#" + m[1] + " ", text, flags=re.MULTILINE)


RENDERERS = {
    "<!-- stackkit:skips -->": skips_table,
    "<!-- stackkit:policies -->": policies_table,
    "<!-- stackkit:iam-rules -->": iam_rules_table,
    "<!-- stackkit:changelog -->": changelog,
}


INCLUDE = re.compile(r"^<!-- stackkit:include ((?:examples|stacks)/[a-z0-9_]+\.py) -->$", re.MULTILINE)


def include(path: str) -> str:
    return f"```python\n{(ROOT / path).read_text().rstrip()}\n```"


def render(markdown: str) -> str:
    """``markdown`` with every marker line replaced by what it stands for."""
    for marker, renderer in RENDERERS.items():
        if marker in markdown:
            markdown = markdown.replace(marker, renderer())
    markdown = INCLUDE.sub(lambda match: include(match[1]), markdown)
    if "<!-- stackkit:" in markdown:
        unknown = re.search(r"<!-- stackkit:[^>]*-->", markdown)
        raise ValueError(f"unknown stackkit marker {unknown[0] if unknown else ''}")
    return markdown


def on_page_markdown(markdown: str, **kwargs: Any) -> str:
    return render(markdown)
