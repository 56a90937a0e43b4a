"""Node.js for jsii: the repository's pinned Node first, a missing or too-old one refused in one line.

Every construct call crosses into Node (jsii). Without ``node`` on PATH, ``import cdktf`` dies in
jsii's kernel with a long traceback ending in ``'_NodeProcess' object has no attribute
'_process'``; with Node 20 jsii prints an end-of-life banner on every start. This module runs
before anything imports cdktf (from ``stackkit/__init__.py``), so neither reaches the user.
The variables the kernel needs (:func:`kernel_environment`) are set only while it starts
(``stackkit._private.loading.start_kernel``): the user's environment is left as it was.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType

#: jsii's runtime table (``NodeRelease.ALL_RELEASES`` in jsii's embedded
#: ``jsii/_embedded/jsii/bin__jsii-runtime.js``, jsii 1.x as locked here): Node 18 reached the end
#: of jsii support on 2025-11-30; Node 20 (end of life 2026-04-30) reached it on 2026-10-30 (end of
#: life plus jsii's default six months of extended support) and still runs, with a banner; Node 22
#: (end of life 2027-04-30) and 24 are supported. Node 20 is the oldest that starts; the docs,
#: messages and pins say Node 22.
MINIMUM_NODE_MAJOR = 20
#: The Node this repository pins in package.json and the README recommends.
RECOMMENDED_NODE = "22"
#: Variables jsii's ``checkNode`` reads (same file): a comma list of major versions whose
#: end-of-life banner is silenced, and a flag for the deprecated-version banner. The banner is
#: written to stderr by the Node process and relayed by the Python kernel as bytes literals.
JSII_SILENCE = {
    "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
    "JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION": "1",
}

FIX = (
    f"install Node.js {RECOMMENDED_NODE} (https://nodejs.org, or `npm install node@{RECOMMENDED_NODE}` "
    "in the repository: stackkit uses node_modules/.bin/node when present)"
)


class NodeError(ImportError):
    """No usable Node.js for jsii. The message is one line that names the fix."""


def pinned_node_dir(start: Path) -> Path | None:
    """``node_modules/.bin`` holding a ``node`` in ``start`` or the nearest parent that has one."""
    for folder in (start, *start.parents):
        candidate = folder / "node_modules" / ".bin"
        if (candidate / "node").exists():
            return candidate
    return None


def with_pinned_node(path: str, start: Path) -> str:
    """``path`` (a PATH value) with the pinned Node first, when ``start`` has one."""
    pinned = pinned_node_dir(start)
    if pinned is None or path.split(os.pathsep)[:1] == [str(pinned)]:
        return path
    return f"{pinned}{os.pathsep}{path}" if path else str(pinned)


def node_problem(path: str | None = None) -> str | None:
    """Why Node on ``path`` (default: PATH) cannot run jsii, in one line; None when it can."""
    node = os.environ.get("JSII_NODE") or shutil.which("node", path=path)
    if node is None:
        return f"Node.js was not found on PATH (the constructs run on it through jsii): {FIX}"
    try:
        version = subprocess.run(
            [node, "--version"], capture_output=True, text=True, timeout=30, check=False
        ).stdout.strip()
    except OSError as error:
        return f"Node.js at {node} does not start ({error}): {FIX}"
    match = re.match(r"v?(\d+)\.", version)
    if match is None:
        return f"Node.js at {node} reports no version ({version!r}): {FIX}"
    if int(match.group(1)) < MINIMUM_NODE_MAJOR:
        return f"Node.js {version} at {node} is too old for jsii: {FIX}"
    return None


def _one_line_hook(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
    if isinstance(error, NodeError):
        print(f"stackkit: {error}", file=sys.stderr, flush=True)
        os._exit(2)  # a tool error, as the CLI's exit codes say
    _previous_hook(kind, error, trace)


_previous_hook = sys.excepthook


def kernel_environment(environ: Mapping[str, str] = os.environ) -> dict[str, str]:
    """The variables the jsii kernel starts with, besides ``environ``: PATH with the pinned Node
    first (when the working folder has one), jsii's Node banners silenced (unless set)."""
    changes = {key: value for key, value in JSII_SILENCE.items() if key not in environ}
    path = with_pinned_node(environ.get("PATH", ""), Path.cwd())
    if path != environ.get("PATH", ""):
        changes["PATH"] = path
    return changes


def use_supported_node() -> None:
    """Refuse a missing or too-old Node (on the PATH the kernel will have) with one line: an
    uncaught :class:`NodeError` prints only that line, exit 2."""
    problem = node_problem(kernel_environment().get("PATH"))
    if problem is not None:
        sys.excepthook = _one_line_hook
        raise NodeError(problem)
