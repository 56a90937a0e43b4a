"""Where synthesized stacks come from: the cdktf app of the folder you stand in (run as
``cdktf synth`` runs it), an existing ``cdktf.out`` folder, or a git revision whose app runs in a
temporary worktree.

The app command comes from ``cdktf.json`` (``"app"``) or ``--app``, the output folder from its
``"output"`` (default ``cdktf.out``), as the cdktf CLI reads them. stackkit never imports the
project's code itself: any cdktf app that writes ``<outdir>/manifest.json`` and
``<outdir>/stacks/<name>/cdk.tf.json`` works. An app that ignores ``CDKTF_OUTDIR`` (a fixed
``App(outdir="...")``) is found where it wrote, inside the project, and said so.

Interpreter rule (a worktree has no ``.venv`` of its own, and a shell may have none activated):
a leading ``python``, ``python3`` or ``<path>/bin/python*`` word of the app command is replaced
by the interpreter running stackkit (``sys.executable``), whose ``bin`` folder also goes first on
PATH with ``VIRTUAL_ENV`` set, so ``pipenv run`` / ``poetry run`` style commands find it too. For
a revision, the worktree's ``src/`` (if any) goes first on PYTHONPATH, so a src-layout package is
the revision's code; every other package comes from the current environment.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stackkit._private.backends import CdkLoadError, choose_backend, speedups_wanted
from stackkit._private.node import JSII_SILENCE, node_problem, pinned_node_dir

CONFIG_FILE = "cdktf.json"
#: The cdktf CLI's default output folder (cdktf-cli 0.21.0 ``bin/cdktf.js``: the config defaults
#: ``{output: "cdktf.out", codeMakerOutput: ".gen"}``, overridden by cdktf.json's keys).
DEFAULT_OUTPUT = "cdktf.out"
#: What cdktf's ``App.synth()`` writes into its output folder, listing the stacks it wrote. The
#: cdktf CLI reads the stacks from it and fails when it is missing ("synthesis failed, because app
#: was expected to call 'synth()', but didn't"), then removes stack folders it does not list.
MANIFEST = "manifest.json"
#: Folders never searched for an app's output: dependencies, environments, state, git.
_NOT_OUTPUT = {"node_modules", ".git", ".venv", "venv", "__pycache__", ".terraform", ".gen"}
#: How deep under the project an app's own output folder is looked for.
_SEARCH_DEPTH = 4
NO_APP = (
    "no cdktf.json here: run stackkit in your cdktf project's folder, or pass --app 'python app.py' "
    "(the command that synthesizes it), or --from cdktf.out (an already synthesized output); "
    "`stackkit init` creates a new project"
)
#: A leading interpreter word: ``python``, ``python3.11``, ``.venv/bin/python``, ``/x/bin/python3``.
_PYTHON = re.compile(r"^(?:.*/bin/)?python(?:\d+(?:\.\d+)?)?$")


class SourceError(RuntimeError):
    """A side of a diff is neither a synthesized folder nor a git revision that synthesizes,
    or the project has no app to synthesize."""


@dataclass(frozen=True)
class AppConfig:
    """What ``cdktf synth`` reads from ``cdktf.json`` to run the app."""

    command: str
    context: dict[str, Any] = field(default_factory=dict)
    relative_modules: tuple[Any, ...] = ()
    #: cdktf.json's ``output``: where ``cdktf synth`` (and ``stackkit check``) synthesize.
    output: str = DEFAULT_OUTPUT


def read_app(directory: Path, app: str | None = None) -> AppConfig:
    """The app of the cdktf project in ``directory``; ``app`` (``--app``) replaces its command."""
    path = directory / CONFIG_FILE
    config: dict[str, Any] = {}
    if path.is_file():
        try:
            config = json.loads(path.read_text())
        except json.JSONDecodeError as error:
            raise SourceError(f"{path} is not valid JSON: {error}") from None
    elif app is None:
        raise SourceError(NO_APP)
    command = app or config.get("app")
    if not isinstance(command, str) or not command.strip():
        raise SourceError(f'{path} has no "app" command: add one, or pass --app')
    # cdktf-cli passes the relative (./ or ../) terraformModules as cdktfRelativeModules.
    modules = tuple(
        module
        for module in config.get("terraformModules", []) or []
        if str(module if isinstance(module, str) else module.get("source", "")).startswith(("./", "../"))
    )
    context = config.get("context") or {}
    output = config.get("output") or DEFAULT_OUTPUT
    if not isinstance(output, str):
        raise SourceError(f'{path}: "output" must be a folder name, got {output!r}')
    return AppConfig(command=command, context=dict(context), relative_modules=modules, output=output)


def _python_words(command: str) -> list[str] | None:
    """The words of ``command`` when its first one is a Python interpreter, else None."""
    try:
        words = shlex.split(command)
    except ValueError:
        return None
    return words if words and _PYTHON.match(words[0]) else None


def app_command(command: str) -> str:
    """``command`` with a leading interpreter word replaced by the current interpreter."""
    words = _python_words(command)
    return shlex.join([sys.executable, *words[1:]]) if words else command


def cdk_problem(command: str) -> str | None:
    """Why a Python app cannot load its CDK with this interpreter (one line), or None.

    A Python app runs with the interpreter running stackkit (:func:`app_command`) and this
    environment, so without cdktf or CDK Terrain here, or with a ``STACKKIT_CDK`` or
    ``STACKKIT_FAST_LOAD`` that ``import stackkit`` refuses, it would fail on its first import,
    in a long traceback."""
    if _python_words(command) is None:
        return None  # another language: its CDK is not Python's
    try:
        choose_backend()
        speedups_wanted()
    except CdkLoadError as error:
        return str(error)
    return None


def app_environment(
    config: AppConfig, outdir: Path, node_from: Path, *, src: Path | None = None
) -> dict[str, str]:
    """The environment the cdktf CLI gives an app, plus this interpreter and the pinned Node.

    cdktf-cli 0.21.0 (``node_modules/cdktf-cli/bundle/bin/cmds/handlers.js``, ``Synth.synth``):
    the parent environment without ``TF_VAR_*``; ``CDKTF_OUTDIR`` (cdktf's ``App`` writes there);
    ``CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS=true``; ``CDKTF_CONTEXT_JSON`` = cdktf.json's
    ``context`` plus ``cdktfRelativeModules``; ``SYNTH_HCL_OUTPUT=false``; ``NODE_OPTIONS`` with
    ``--max-old-space-size=4096`` unless NODE_OPTIONS is already set. The app runs in a shell in
    the project folder."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("TF_VAR_")}
    env.update(
        {
            "CDKTF_OUTDIR": str(outdir),
            "CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS": "true",
            "CDKTF_CONTEXT_JSON": json.dumps(
                {**config.context, "cdktfRelativeModules": list(config.relative_modules)}
            ),
            "SYNTH_HCL_OUTPUT": "false",
            **JSII_SILENCE,
        }
    )
    if "NODE_OPTIONS" not in env:
        env["NODE_OPTIONS"] = "--max-old-space-size=4096"
    path = env.get("PATH", "")
    bin_dir = str(Path(sys.executable).parent)
    pinned = pinned_node_dir(node_from)
    env["PATH"] = os.pathsep.join([*([str(pinned)] if pinned else []), bin_dir, *([path] if path else [])])
    if sys.prefix != sys.base_prefix:
        env["VIRTUAL_ENV"] = sys.prefix
    if src is not None and src.is_dir():
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(src), os.environ.get("PYTHONPATH")]))
    return env


def run_app(
    project: Path,
    outdir: Path,
    app: str | None = None,
    *,
    node_from: Path | None = None,
    src: Path | None = None,
    label: str = "the app",
) -> Path:
    """Run the project's cdktf app into ``outdir``; returns ``outdir / "stacks"``."""
    config = read_app(project, app)
    env = app_environment(config, outdir, node_from or project, src=src)
    problem = node_problem(env["PATH"]) or cdk_problem(config.command)
    if problem is not None:
        raise SourceError(problem)
    outdir.mkdir(parents=True, exist_ok=True)
    (outdir / MANIFEST).unlink(missing_ok=True)  # so that a manifest found there is this run's
    command = app_command(config.command)
    started = time.time()
    result = subprocess.run(
        command, shell=True, cwd=project, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        output = result.stderr or result.stdout
        raise SourceError(
            f"synthesizing {label} failed ({command!r} in {project} exited {result.returncode}):\n"
            f"{output[-3000:]}{_outdir_hint(output)}"
        )
    if not (outdir / MANIFEST).is_file():
        _take_from_elsewhere(project, outdir, started, config.output, label=label, command=command)
    return _current_stacks(outdir, label)


#: cdktf's ``App`` makes its outdir with a plain ``fs.mkdirSync(this.outdir)`` (cdktf 0.21
#: ``lib/app.js``, not recursive): a nested ``App(outdir="build/synth")`` whose parent is missing
#: fails with Node's ENOENT from ``mkdir``.
_NESTED_OUTDIR = re.compile(r"ENOENT: no such file or directory, mkdir '([^']+)'")


def _outdir_hint(output: str) -> str:
    """What to change when the app failed making a nested ``App(outdir=...)``, else ``""``."""
    found = _NESTED_OUTDIR.search(output)
    if found is None:
        return ""
    folder = found.group(1)
    return (
        f"\nstackkit: cdktf's App makes only the last folder of its outdir, and {folder!r} has a "
        "parent that does not exist: drop outdir= from App() (the gate and `cdktf synth` then use "
        "cdktf.json's output), or create its parent first (os.makedirs) before App()"
    )


def _current_stacks(folder: Path, label: str) -> Path:
    """``folder/stacks`` holding only the stacks ``folder/manifest.json`` lists: a stack folder left
    from an earlier synthesis is removed, as the cdktf CLI removes it (``Synth.synth`` in
    cdktf-cli 0.21.0 ``bundle/bin/cmds/handlers.js``), so no stale stack is scanned."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, json.JSONDecodeError) as error:
        raise SourceError(f"{label}: cannot read {folder / MANIFEST}: {error}") from None
    listed = {
        Path(str(stack.get("synthesizedStackPath", ""))).parent.name
        for stack in (manifest.get("stacks") or {}).values()
        if isinstance(stack, dict)
    }
    stacks = folder / "stacks"
    if not listed or not any(stacks.glob("*/cdk.tf.json")):
        raise SourceError(
            f"{label} synthesized no stack into {folder}: create a TerraformStack(app, ...) in the App "
            "before app.synth()"
        )
    for stale in [path for path in stacks.iterdir() if path.is_dir() and path.name not in listed]:
        shutil.rmtree(stale)
    return stacks


def _written_since(project: Path, started: float, exclude: Path) -> list[Path]:
    """Folders under ``project`` holding a ``manifest.json`` written since ``started``."""
    found: list[Path] = []
    root_depth = len(project.parts)
    for folder, subfolders, files in os.walk(project):
        here = Path(folder)
        subfolders[:] = [
            name
            for name in subfolders
            if name not in _NOT_OUTPUT and len(here.parts) - root_depth < _SEARCH_DEPTH
        ]
        # One second of slack: some file systems keep coarse modification times.
        if (
            MANIFEST in files
            and here.resolve() != exclude.resolve()
            and (here / MANIFEST).stat().st_mtime >= started - 1
            and (here / "stacks").is_dir()
        ):
            found.append(here)
    return found


def _take_from_elsewhere(
    project: Path, outdir: Path, started: float, output: str, *, label: str, command: str
) -> None:
    """The app wrote no manifest into ``outdir`` (``CDKTF_OUTDIR``): find where it wrote (a fixed
    ``App(outdir=...)`` ignores the variable: cdktf's ``App`` takes ``outdir`` first, then
    ``CDKTF_OUTDIR``, then ``cdktf.out``), copy that output into ``outdir`` and say so, unless it
    is cdktf.json's ``output`` (``App(outdir="cdktf.out")`` in a revision's worktree, where the
    cdktf CLI would read it too); or say exactly why nothing was found."""
    found = _written_since(project, started, exclude=outdir)
    if not found:
        raise SourceError(
            f"{label} ({command!r}) exited 0 but wrote no {MANIFEST}, neither into {outdir} "
            f"(CDKTF_OUTDIR) nor anywhere under {project}: the app must call app.synth(); an "
            "App(outdir=...) pointing outside the project is not looked for: remove outdir= (App() "
            "then writes where stackkit and the cdktf CLI say), or synthesize it yourself and pass "
            "--from that folder"
        )
    if len(found) > 1:
        folders = ", ".join(str(path) for path in found)
        raise SourceError(
            f"{label} ({command!r}) wrote {MANIFEST} into several folders ({folders}): keep one"
        )
    (written,) = found
    shown = os.path.relpath(written, project)
    if written.resolve() != (project / output).resolve():  # else where `cdktf synth` reads: fine
        print(
            f"stackkit: {label} wrote its stacks to {shown}/ (a fixed App(outdir=...)), not to {outdir} "
            f"(CDKTF_OUTDIR): read them from there. `cdktf synth` reads only {output}/ (cdktf.json's "
            f'"output"): drop outdir= from App(), or set "output": "{shown}" in cdktf.json',
            file=sys.stderr,
            flush=True,
        )
    shutil.rmtree(outdir / "stacks", ignore_errors=True)
    shutil.copytree(written / "stacks", outdir / "stacks")
    shutil.copy2(written / MANIFEST, outdir / MANIFEST)


def _git(repo: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SourceError(f"git {' '.join(args)}: {result.stderr.strip() or 'failed'}")
    return result.stdout.strip()


def repo_root(start: Path) -> Path:
    return Path(_git(start, "rev-parse", "--show-toplevel"))


def synthesize_revision(
    repo: Path, revision: str, outdir: Path, *, project: Path, app: str | None = None
) -> Path:
    """Run the app of ``revision`` in a temporary ``git worktree`` (outside the repository,
    removed afterwards whatever happens), in the same subfolder as ``project``."""
    found = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )
    if found.returncode != 0:
        raise SourceError(f"revision {revision!r} does not exist in {repo} (nor is it a folder)")
    commit = found.stdout.strip()
    subfolder = project.resolve().relative_to(repo.resolve())
    with tempfile.TemporaryDirectory(prefix="stackkit-worktree-") as parent:
        worktree = Path(parent) / "tree"
        _git(repo, "worktree", "add", "--detach", str(worktree), commit)
        try:
            return run_app(
                worktree / subfolder,
                outdir,
                app,
                node_from=project,  # the worktree has no node_modules: the checkout's pinned Node
                src=worktree / "src",
                label=f"{revision} ({commit[:12]})",
            )
        finally:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(worktree)],
                cwd=repo,
                capture_output=True,
                check=False,
            )
            subprocess.run(["git", "worktree", "prune"], cwd=repo, capture_output=True, check=False)


def stacks_folder(path: Path) -> Path:
    """``path/stacks`` for a cdktf.out folder, else ``path`` itself."""
    return path / "stacks" if (path / "stacks").is_dir() else path


def resolve(spec: str, workdir: Path, *, project: Path | None = None, app: str | None = None) -> Path:
    """A folder with ``*/cdk.tf.json`` for ``spec``: an existing folder as is, else a git
    revision of the project's repository synthesized under ``workdir``."""
    path = Path(spec)
    if path.is_dir():
        return stacks_folder(path)
    here = project or Path.cwd()
    try:
        root = repo_root(here)
    except SourceError:
        raise SourceError(
            f"{spec!r} is neither a folder nor a git revision (not in a git repository)"
        ) from None
    safe = "".join(char if char.isalnum() else "-" for char in spec)[:40]
    return synthesize_revision(root, spec, workdir / f"rev-{safe}", project=here, app=app)


def synthesize_here(
    outdir: Path | None,
    progress: Callable[[str], None],
    *,
    app: str | None = None,
    project: Path | None = None,
) -> Path:
    """Run the app of the project in the working directory into ``outdir``; by default, as
    ``cdktf synth`` does, into cdktf.json's ``output`` folder (``cdktf.out``) in the project."""
    here = project or Path.cwd()
    if outdir is None:
        outdir = (here / read_app(here, app).output).resolve()
    progress(f"synthesizing {here} into {outdir}")
    stacks = run_app(here, outdir, app, label=f"the app of {here}")
    progress(f"synthesized {len(list(stacks.glob('*/cdk.tf.json')))} stacks")
    return stacks
