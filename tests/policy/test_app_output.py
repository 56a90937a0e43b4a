"""Where the gate finds what an app synthesized, as the cdktf CLI does: cdktf.json's ``output``
(default ``cdktf.out``), the stacks its ``manifest.json`` lists (stale stack folders removed), and
an app with a fixed ``App(outdir=...)`` found where it wrote, or a message saying why nothing was.

The apps are real cdktf apps (``App``, ``TerraformStack``, ``app.synth()``; on CDK Terrain in its
pass), run by the gate as the cdktf CLI runs them."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from stackkit._private.cdk import BACKEND
from stackkit.cli import main
from stackkit.policy.sources import (
    DEFAULT_OUTPUT,
    SourceError,
    _current_stacks,
    _take_from_elsewhere,
    _written_since,
    read_app,
    run_app,
    synthesize_here,
)

ROOT = Path(__file__).resolve().parents[2]


def manifest(folder: Path, *names: str) -> None:
    """What cdktf 0.21's ``App.synth()`` writes (a manifest listing each stack, and the stacks)."""
    stacks = {}
    for name in names:
        (folder / "stacks" / name).mkdir(parents=True, exist_ok=True)
        (folder / "stacks" / name / "cdk.tf.json").write_text("{}")
        stacks[name] = {"name": name, "synthesizedStackPath": f"stacks/{name}/cdk.tf.json"}
    (folder / "manifest.json").write_text(json.dumps({"version": "0.21.0", "stacks": stacks}))


def test_the_output_folder_is_cdktf_jsons_output_as_for_the_cdktf_cli(tmp_path: Path) -> None:
    (tmp_path / "cdktf.json").write_text(json.dumps({"app": "python app.py"}))
    assert read_app(tmp_path).output == DEFAULT_OUTPUT == "cdktf.out"
    (tmp_path / "cdktf.json").write_text(json.dumps({"app": "python app.py", "output": "build/tf"}))
    assert read_app(tmp_path).output == "build/tf"
    (tmp_path / "cdktf.json").write_text(json.dumps({"app": "python app.py", "output": 3}))
    with pytest.raises(SourceError, match='"output" must be a folder name, got 3'):
        read_app(tmp_path)


def test_only_the_stacks_of_the_manifest_are_kept(tmp_path: Path) -> None:
    manifest(tmp_path, "old", "dev")
    manifest(tmp_path, "dev")  # the next synthesis: "old" was renamed away
    stacks = _current_stacks(tmp_path, "the app")
    assert sorted(path.name for path in stacks.iterdir()) == ["dev"]


def test_a_manifest_without_stacks_says_what_to_add(tmp_path: Path) -> None:
    manifest(tmp_path)
    with pytest.raises(SourceError, match=r"synthesized no stack into .*: create a TerraformStack"):
        _current_stacks(tmp_path, "the app")


def test_an_output_written_during_the_run_is_found_and_old_or_excluded_ones_are_not(tmp_path: Path) -> None:
    project = tmp_path / "project"
    manifest(project / "old-output", "dev")
    stale = time.time() - 3600
    os.utime(project / "old-output" / "manifest.json", (stale, stale))
    started = time.time()
    manifest(project / "build", "dev")
    manifest(project / "node_modules" / "x", "dev")  # never an app's output
    manifest(project / "out", "dev")
    assert _written_since(project, started, exclude=project / "out") == [project / "build"]


@pytest.mark.parametrize(
    ("written", "note"),
    [
        # App(outdir="cdktf.out") in a revision's worktree: where `cdktf synth` reads too.
        ("cdktf.out", ""),
        ("build", "stackkit: HEAD (0123456789ab) wrote its stacks to build/ (a fixed App(outdir=...))"),
    ],
    ids=["cdktf-json-output", "another-folder"],
)
def test_a_fixed_outdir_is_copied_and_named_unless_it_is_cdktf_jsons_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], written: str, note: str
) -> None:
    project = tmp_path / "tree"
    started = time.time()
    manifest(project / written, "team-dev")
    label, command = "HEAD (0123456789ab)", ".venv/bin/python app.py"
    _take_from_elsewhere(project, tmp_path / "out", started, "cdktf.out", label=label, command=command)
    assert (tmp_path / "out" / "stacks" / "team-dev" / "cdk.tf.json").is_file()
    assert (tmp_path / "out" / "manifest.json").is_file()
    err = capsys.readouterr().err
    assert err.startswith(note) and (err == "") == (note == "")


APP = """from {core} import App, TerraformStack
app = App({outdir})
TerraformStack(app, "team-dev")
{synth}
"""


def app_project(tmp_path: Path, outdir: str = "", synth: str = "app.synth()") -> Path:
    project = tmp_path / "team"
    project.mkdir()
    (project / "cdktf.json").write_text(json.dumps({"language": "python", "app": ".venv/bin/python app.py"}))
    (project / "app.py").write_text(APP.format(core=BACKEND.core, outdir=outdir, synth=synth))
    return project


@pytest.mark.slow
def test_an_app_with_a_fixed_outdir_is_found_copied_and_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = app_project(tmp_path, outdir='outdir="build"')
    stacks = run_app(project, tmp_path / "out", node_from=ROOT, label="the app")
    assert stacks == tmp_path / "out" / "stacks"
    assert (stacks / "team-dev" / "cdk.tf.json").is_file() and (project / "build" / "manifest.json").is_file()
    note = capsys.readouterr().err
    assert note.count("\n") == 1
    assert (
        f"stackkit: the app wrote its stacks to build/ (a fixed App(outdir=...)), not to {tmp_path / 'out'}"
        in note
    )
    assert '`cdktf synth` reads only cdktf.out/ (cdktf.json\'s "output")' in note
    assert 'drop outdir= from App(), or set "output": "build" in cdktf.json' in note


@pytest.mark.slow
def test_by_default_the_app_writes_into_cdktf_out_as_under_cdktf_synth(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``App(outdir="cdktf.out")`` (the cdktf CLI's own folder) is where the gate looks too: no note."""
    project = app_project(tmp_path, outdir='outdir="cdktf.out"')
    manifest(project / "cdktf.out", "renamed-away")  # an earlier synthesis
    stacks = synthesize_here(None, lambda message: None, project=project)
    assert stacks == project / "cdktf.out" / "stacks"
    assert sorted(path.name for path in stacks.iterdir()) == ["team-dev"]
    assert capsys.readouterr().err == ""
    monkeypatch.chdir(project)
    monkeypatch.setenv("PATH", f"{ROOT / 'node_modules' / '.bin'}{os.pathsep}{os.environ['PATH']}")
    assert main(["summary"]) == 0
    assert "## team-dev" in capsys.readouterr().out


@pytest.mark.slow
def test_an_app_that_writes_nothing_gets_the_reason(tmp_path: Path) -> None:
    project = app_project(tmp_path, synth="# no app.synth()")
    with pytest.raises(SourceError) as caught:
        run_app(project, tmp_path / "out", node_from=ROOT, label="the app")
    message = str(caught.value)
    assert "exited 0 but wrote no manifest.json, neither into" in message
    assert "the app must call app.synth()" in message and "--from that folder" in message


@pytest.mark.slow
def test_a_nested_outdir_whose_parent_is_missing_says_what_to_change(tmp_path: Path) -> None:
    """cdktf's App makes its outdir with a plain mkdir (cdktf 0.21 lib/app.js): the app fails in
    the kernel, and the gate adds the one line that says why and what to change."""
    project = app_project(tmp_path, outdir='outdir="build/synth"')
    with pytest.raises(SourceError) as caught:
        run_app(project, tmp_path / "out", node_from=ROOT, label="the app")
    assert str(caught.value).endswith(
        "\nstackkit: cdktf's App makes only the last folder of its outdir, and 'build/synth' has a "
        "parent that does not exist: drop outdir= from App() (the gate and `cdktf synth` then use "
        "cdktf.json's output), or create its parent first (os.makedirs) before App()"
    )


def test_only_the_nested_outdir_failure_gets_the_outdir_hint() -> None:
    from stackkit.policy.sources import _outdir_hint

    assert _outdir_hint("RuntimeError: ENOENT: no such file or directory, mkdir 'out/a b'").startswith(
        "\nstackkit: cdktf's App makes only the last folder of its outdir, and 'out/a b' has a parent"
    )
    assert _outdir_hint("RuntimeError: ENOENT: no such file or directory, open 'cdktf.json'") == ""
    assert _outdir_hint("ValueError: bad") == ""
