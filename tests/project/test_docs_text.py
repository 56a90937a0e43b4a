"""The documentation reads whole: no empty or truncated snippet, no paragraph that starts in the
middle of a sentence, and no pointer to stackkit's private modules (the strict site build passes
all three; these checks are what caught the empty workflow snippet of the gate page and the Service
page's "What it builds and why" that began with "definition (read-only root filesystem...").

What is checked: every page under docs/, the README and the README that ``stackkit init`` writes.
A paragraph may start with a lower-case name that is written so (stackkit, cdktf, npm, ...)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted([*(ROOT / "docs").rglob("*.md"), ROOT / "README.md"])
SCAFFOLD_README = ROOT / "src" / "stackkit" / "scaffold" / "template" / "README.md.tmpl"
#: Names written in lower case that may open a paragraph.
LOWER_CASE_NAMES = ("stackkit", "cdktf", "npm", "uv", "pip", "jsii", "mkdocs", "mutmut")
#: The one form of ``_private`` a page may show: a path in the repository's source tree, where a
#: contributor looks, and only on the pages written for contributors (the repository layout, the
#: speed history); never a dotted name to import or a link, and never on a page a team reads to
#: use stackkit.
SOURCE_PATH = re.compile(r"src/stackkit/_private/[\w./]*")
CONTRIBUTOR_PAGES = (ROOT / "README.md", ROOT / "docs" / "development.md", ROOT / "docs" / "speed.md")
#: ``_private`` as a module name (``stackkit._private.cdk``, ``_private/regions.py``), not inside
#: another word (a subnet address such as ``aws_subnet.shop_private_us_east_1a``).
PRIVATE = re.compile(r"(?<![A-Za-z0-9])_private\b")
FENCE = re.compile(r"^(\s*)(```+|~~~+)(.*)$")
LINK = re.compile(r"\[([^\]]*)\]\(([^)]*)\)")


def blocks(text: str) -> list[tuple[str, int, str]]:
    """``(kind, line, text)`` for each fenced code block, indented code block and paragraph."""
    found: list[tuple[str, int, str]] = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        fence = FENCE.match(line)
        if fence:
            marker, start = fence.group(2), index
            index += 1
            body = []
            while index < len(lines) and not lines[index].strip().startswith(marker):
                body.append(lines[index])
                index += 1
            found.append(("fenced", start + 1, "\n".join(body)))
            index += 1
            continue
        previous_blank = index == 0 or not lines[index - 1].strip()
        if line.startswith("    ") and line.strip() and previous_blank:
            start, body = index, []
            while index < len(lines) and (lines[index].startswith("    ") or not lines[index].strip()):
                body.append(lines[index])
                index += 1
            found.append(("indented", start + 1, "\n".join(body).strip()))
            continue
        if line.strip() and previous_blank:
            start, body = index, []
            while index < len(lines) and lines[index].strip() and not FENCE.match(lines[index]):
                body.append(lines[index])
                index += 1
            found.append(("paragraph", start + 1, "\n".join(body)))
            continue
        index += 1
    return found


def problems(text: str, *, source_paths: bool = True) -> list[str]:
    """What is wrong with page ``text``; ``source_paths``: it may name a private source path."""
    found: list[str] = []
    for kind, line, body in blocks(text):
        if kind in ("fenced", "indented"):
            code = [row for row in body.splitlines() if row.strip()]
            if not code:
                found.append(f"line {line}: empty code block")
            elif code[-1].rstrip().endswith(":") and not code[-1].lstrip().startswith("#"):
                found.append(f"line {line}: code block ends with an opening {code[-1].strip()!r}")
            continue
        first = body.lstrip()
        if first[:1].islower() and not first.startswith(LOWER_CASE_NAMES):
            found.append(f"line {line}: paragraph starts in lower case: {first[:60]!r}")
    for number, row in enumerate(text.splitlines(), start=1):
        for link_text, target in LINK.findall(row):
            if PRIVATE.search(link_text) or PRIVATE.search(target):
                found.append(f"line {number}: link to a private name: [{link_text}]({target})")
        if PRIVATE.search(SOURCE_PATH.sub("", row) if source_paths else row):
            found.append(f"line {number}: names a private module: {row.strip()[:100]!r}")
    return found


@pytest.mark.parametrize("page", [*PAGES, SCAFFOLD_README], ids=lambda path: str(path.relative_to(ROOT)))
def test_the_page_reads_whole_and_names_no_private_module(page: Path) -> None:
    assert problems(page.read_text(), source_paths=page in CONTRIBUTOR_PAGES) == []


def test_the_checks_catch_the_two_broken_pages_as_they_were() -> None:
    """The gate page's snippet was an indented ``jobs:`` and nothing under it; the Service page's
    section began mid-sentence; and a link or a dotted private name is refused."""
    gate_page = "In CI, call the reusable workflow from a pull request:\n\n    jobs:\n\n## `stackkit check`\n"
    assert problems(gate_page) == ["line 3: code block ends with an opening 'jobs:'"]
    assert problems("Text.\n\n```yaml\n\n```\n") == ["line 3: empty code block"]
    service_page = (
        "## What it builds and why\n\ndefinition (read-only root filesystem with a task-scoped\n"
        "`/tmp` volume); the service.\n"
    )
    assert problems(service_page) == [
        "line 3: paragraph starts in lower case: "
        "'definition (read-only root filesystem with a task-scoped\\n`/t'"
    ]
    assert problems("stackkit is a library.\n\n- a list item\n") == []
    assert problems("See [skips](stackkit._private.skips.md).\n") == [
        "line 1: link to a private name: [skips](stackkit._private.skips.md)",
        "line 1: names a private module: 'See [skips](stackkit._private.skips.md).'",
    ]
    assert problems("Record it with `stackkit._private.terraform.skip_check`.\n") != []
    assert problems("The layout: `src/stackkit/_private/cdk.py` imports cdktf.\n") == []
    # On a page a team reads (not the layout pages), even a source path is a pointer to a private name.
    assert problems("See `src/stackkit/_private/regions.py`.\n", source_paths=False) == [
        "line 1: names a private module: 'See `src/stackkit/_private/regions.py`.'"
    ]
    assert problems("    + aws_subnet.shop_private_us_east_1c\n") == []
