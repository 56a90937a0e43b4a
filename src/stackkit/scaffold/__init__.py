"""``stackkit init``: a team's cdktf repository that composes stackkit's constructs.

The files are plain templates under ``template/`` (shipped in the wheel); ``{{name}}``,
``{{stackkit_requirement}}``, ``{{gate_ref}}``, ``{{gate_ref_comment}}`` and the pinned tool
versions are filled in; ``_dot_`` at the start of a name becomes ``.`` (a wheel keeps dotfiles,
but some tools skip them when building).
"""

from __future__ import annotations

import re
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

TEMPLATE = files("stackkit.scaffold") / "template"
#: The repository whose reusable workflow the scaffold's pull-request workflow calls.
GATE_REPOSITORY = "stackkit/stackkit"
#: The cdktf CLI and Node.js a new project pins in its package.json: the ones this repository
#: pins in its own (a test keeps them equal). jsii ended its support for Node.js 20 on
#: 2026-10-30 (its end of life, 2026-04-30, plus six months: jsii's ``NodeRelease`` table).
CDKTF_CLI_VERSION = "0.21.0"
NODE_VERSION = "22.23.3"


class ScaffoldError(RuntimeError):
    """The target folder is not empty (and ``--force`` was not given), or the name is invalid."""


def _walk(folder: Traversable, prefix: str = "") -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name == "__pycache__":
            continue
        name = entry.name.removesuffix(".tmpl")
        name = "." + name.removeprefix("_dot_") if name.startswith("_dot_") else name
        if entry.is_dir():
            found += _walk(entry, f"{prefix}{name}/")
        else:
            found.append((f"{prefix}{name}", entry.read_text()))
    return found


def gate_pin(version: str, commit: str | None) -> tuple[str, str]:
    """``(ref, comment)`` of the gate workflow call: the release's commit SHA with its tag as the
    comment, or (a build that was not released, so its commit is unknown) the tag, with the
    reason zizmor's ``unpinned-uses`` finding is recorded instead."""
    if commit is not None and re.fullmatch(r"[0-9a-f]{40}", commit):
        return commit, f" # v{version}"
    return (
        f"v{version}",
        " # zizmor: ignore[unpinned-uses] not a released stackkit, its commit is unknown: pin it (above)",
    )


def scaffold(
    target: Path,
    *,
    name: str,
    stackkit_requirement: str,
    gate_ref: str,
    gate_ref_comment: str = "",
    force: bool = False,
) -> list[Path]:
    """Write the template into ``target``; returns the files written."""
    if not re.fullmatch(r"[a-z][a-z0-9-]{1,30}[a-z0-9]", name):
        raise ScaffoldError(f"project name {name!r}: use 3-32 lowercase letters, digits and dashes (--name)")
    if target.exists() and any(target.iterdir()) and not force:
        raise ScaffoldError(f"{target} is not empty: choose an empty folder, or pass --force to overwrite")
    values = {
        "name": name,
        "stackkit_requirement": stackkit_requirement,
        "gate_ref": gate_ref,
        "gate_ref_comment": gate_ref_comment,
        "gate_repository": GATE_REPOSITORY,
        "cdktf_cli_version": CDKTF_CLI_VERSION,
        "node_version": NODE_VERSION,
    }
    written: list[Path] = []
    for relative, text in _walk(TEMPLATE):
        for key, value in values.items():
            text = text.replace("{{" + key + "}}", value)
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        written.append(path)
    return written
