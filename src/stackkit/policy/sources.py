"""Where synthesized stacks come from: this checkout (synthesized in-process), an existing
``cdktf.out`` folder, or a git revision synthesized in a temporary worktree."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

#: Run inside the worktree with its own ``src`` first on the path: the revision's code, this
#: interpreter's dependencies (a worktree has no ``.venv`` or ``node_modules`` of its own).
#: The app is the top-level ``stacks`` package since 0.2.0 (``stackkit.app`` before).
_SYNTH_SNIPPET = (
    "import sys\n"
    "try:\n    from stacks.app import synth\n"
    "except ModuleNotFoundError:\n    from stackkit.app import synth\n"
    "synth(sys.argv[1])"
)


class SourceError(RuntimeError):
    """A side of a diff is neither a synthesized folder nor a git revision that synthesizes."""


def _git(repo: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SourceError(f"git {' '.join(args)}: {result.stderr.strip()}")
    return result.stdout.strip()


def repo_root(start: Path) -> Path:
    return Path(_git(start, "rev-parse", "--show-toplevel"))


def _node_path(repo: Path) -> str:
    pinned = repo / "node_modules" / ".bin"
    current = os.environ.get("PATH", "")
    return f"{pinned}{os.pathsep}{current}" if (pinned / "node").exists() else current


def synthesize_revision(repo: Path, revision: str, outdir: Path) -> Path:
    """Synthesize ``revision`` of ``repo`` into ``outdir`` via a temporary ``git worktree``
    (created outside the repository, removed afterwards whatever happens)."""
    commit = _git(repo, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    with tempfile.TemporaryDirectory(prefix="stackkit-worktree-") as parent:
        worktree = Path(parent) / "tree"
        _git(repo, "worktree", "add", "--detach", str(worktree), commit)
        try:
            env = {
                **os.environ,
                "PYTHONPATH": os.pathsep.join(
                    filter(None, [str(worktree / "src"), os.environ.get("PYTHONPATH")])
                ),
                "PATH": _node_path(repo),
            }
            result = subprocess.run(
                [sys.executable, "-c", _SYNTH_SNIPPET, str(outdir)],
                cwd=worktree,
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode != 0:
                raise SourceError(f"synthesizing {revision} ({commit[:12]}) failed:\n{result.stderr[-3000:]}")
        finally:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(worktree)],
                cwd=repo,
                capture_output=True,
                check=False,
            )
            subprocess.run(["git", "worktree", "prune"], cwd=repo, capture_output=True, check=False)
    return outdir


def resolve(spec: str, workdir: Path, *, repo: Path | None = None) -> Path:
    """A folder with ``stacks/*/cdk.tf.json`` for ``spec``: an existing folder as is, else a git
    revision synthesized under ``workdir``."""
    path = Path(spec)
    if path.is_dir():
        return path
    try:
        root = repo_root(repo or Path.cwd())
    except SourceError:
        raise SourceError(
            f"{spec!r} is neither a folder nor a git revision (not in a git repository)"
        ) from None
    safe = "".join(char if char.isalnum() else "-" for char in spec)[:40]
    return synthesize_revision(root, spec, workdir / f"rev-{safe}")


def synthesize_here(outdir: Path, environments: tuple[str, ...], progress: Callable[[str], None]) -> Path:
    """Synthesize this checkout's environments (all when ``environments`` is empty) in-process,
    one at a time (for progress lines). The app is the repository's top-level ``stacks``
    package (what ``main.py`` runs), imported from the current directory."""
    root = str(Path.cwd())
    if root not in sys.path:
        sys.path.insert(0, root)
    # Starts the jsii kernel: only when synthesis is asked for.
    from stacks.app import synth  # type: ignore[import-not-found, unused-ignore]
    from stacks.environments import ENVIRONMENT_NAMES  # type: ignore[import-not-found, unused-ignore]

    outdir.mkdir(parents=True, exist_ok=True)  # cdktf creates only the last level
    names = environments or tuple(ENVIRONMENT_NAMES)
    for index, environment in enumerate(names, start=1):
        synth(str(outdir), [environment])
        progress(f"[{index}/{len(names)}] synthesized {environment}")
    return outdir
