"""``stackkit init``: a project that installs and runs from where stackkit came from, with the
pinned cdktf CLI and Node.js 22, and an app command that needs no activated venv. And a missing
CDK: one line, exit code 2, naming the command that installs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from stackkit.cli import main
from stackkit.scaffold import CDKTF_CLI_VERSION, NODE_VERSION

ROOT = Path(__file__).resolve().parents[2]


def requirement_of(project: Path) -> str:
    (dependency,) = tomllib.loads((project / "pyproject.toml").read_text())["project"]["dependencies"]
    return str(dependency)


def test_the_project_pins_the_cdktf_cli_and_node_this_repository_pins(tmp_path: Path) -> None:
    ours = json.loads((ROOT / "package.json").read_text())["devDependencies"]
    assert (ours["cdktf-cli"], ours["node"]) == (CDKTF_CLI_VERSION, NODE_VERSION)
    assert NODE_VERSION.startswith("22.")
    assert main(["init", str(tmp_path / "orders")]) == 0
    theirs = json.loads((tmp_path / "orders" / "package.json").read_text())
    assert theirs["devDependencies"] == {"cdktf-cli": "0.21.0", "node": "22.23.3"}
    cdktf = json.loads((tmp_path / "orders" / "cdktf.json").read_text())
    assert cdktf["app"] == ".venv/bin/python app.py" and cdktf["output"] == "cdktf.out"


def test_by_default_the_project_requires_the_cdk_and_the_gate_from_where_stackkit_came(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # This checkout is installed editable (uv sync): its folder is the source.
    assert main(["init", str(tmp_path / "orders")]) == 0
    expected = f"stackkit[cdktf,policy] @ file://{ROOT}"
    assert requirement_of(tmp_path / "orders") == expected
    out = capsys.readouterr().out
    assert f"stackkit requirement: {expected}\n" in out
    assert "note: that is a file on this machine; for CI, point --stackkit-source at a URL" in out
    workflow = (tmp_path / "orders" / ".github" / "workflows" / "pull-request.yml").read_text()
    # Not a released build: the tag, with the reason zizmor's unpinned-uses finding is recorded.
    assert (
        "uses: stackkit/stackkit/.github/workflows/gate.yml@v0.3.0 # zizmor: ignore[unpinned-uses]"
        in workflow
    )
    assert "stackkit-version" not in workflow  # pyproject.toml is the one place naming the source
    # That tag exists once v0.3.0 is released: until then, init says how to pin a commit.
    assert (
        "note: the pull-request workflow calls stackkit's gate workflow at v0.3.0, the tag of this "
        "version's release; until that release exists, pass --gate-ref <commit> (a commit of "
        "stackkit/stackkit with .github/workflows/gate.yml, e.g. the one this stackkit was built from)\n"
        in out
    )


def test_the_source_can_be_a_wheel_a_folder_or_a_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    wheel = tmp_path / "dist" / "stackkit-0.3.0-py3-none-any.whl"
    wheel.parent.mkdir()
    wheel.write_bytes(b"")
    monkeypatch.chdir(tmp_path)
    assert main(["init", "team-a", "--stackkit-source", "dist/stackkit-0.3.0-py3-none-any.whl"]) == 0
    assert requirement_of(tmp_path / "team-a") == f"stackkit[cdktf,policy] @ file://{wheel}"
    capsys.readouterr()
    url = "https://github.com/stackkit/stackkit/releases/download/v0.3.0/stackkit-0.3.0-py3-none-any.whl"
    assert main(["init", "team-b", "--stackkit-source", url, "--gate-ref", "0123abcd"]) == 0
    assert requirement_of(tmp_path / "team-b") == f"stackkit[cdktf,policy] @ {url}"
    assert (
        "gate.yml@0123abcd"
        in (tmp_path / "team-b" / ".github" / "workflows" / "pull-request.yml").read_text()
    )
    out = capsys.readouterr().out
    assert "note: that is a file" not in out  # CI can reach a URL
    assert "--gate-ref <commit>" not in out  # the team pinned one
    assert (
        main(["init", "team-c", "--requirement", "stackkit[cdktn,policy] @ git+https://x/stackkit@abc"]) == 0
    )
    assert requirement_of(tmp_path / "team-c") == "stackkit[cdktn,policy] @ git+https://x/stackkit@abc"
    capsys.readouterr()
    assert main(["init", "team-d", "--stackkit-source", "nowhere.whl"]) == 2
    assert capsys.readouterr().err == (
        "stackkit init: --stackkit-source nowhere.whl: no such file or folder (a wheel, a folder, a URL)\n"
    )
    with pytest.raises(SystemExit):  # one or the other
        main(["init", "team-e", "--requirement", "stackkit", "--stackkit-source", url])


def test_without_a_cdk_the_command_still_runs_and_check_says_what_to_install(tmp_path: Path) -> None:
    """STACKKIT_CDK names the CDK that is not installed here: to stackkit, this environment has
    no CDK. ``import stackkit`` and ``stackkit init`` work; ``stackkit check`` of the Python app
    stops before running it, in one line, exit code 2; a public name raises ImportError."""
    other = (
        "cdktn"
        if __import__("stackkit._private.cdk", fromlist=["BACKEND"]).BACKEND.name == "cdktf"
        else "cdktf"
    )
    env = {**os.environ, "STACKKIT_CDK": other}
    stackkit = [sys.executable, "-m", "stackkit.cli"]
    init = subprocess.run(
        [*stackkit, "init", "orders"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert init.returncode == 0, init.stderr
    check = subprocess.run(
        [*stackkit, "check"], cwd=tmp_path / "orders", env=env, capture_output=True, text=True
    )
    assert check.returncode == 2 and check.stdout == ""
    assert check.stderr.count("\n") == 1 and "Traceback" not in check.stderr
    assert check.stderr.startswith(f"stackkit check: STACKKIT_CDK={other} but {other} / ")
    assert (
        f"is not installed in {sys.executable}: unset STACKKIT_CDK, or install stackkit[{other}] there: "
        in check.stderr
    )
    assert f"pip --python {sys.executable} install 'stackkit[{other},policy] @ file://{ROOT}'" in check.stderr
    library = subprocess.run(
        [
            sys.executable,
            "-c",
            "import stackkit\ntry:\n    stackkit.Network\nexcept ImportError as e:\n    print(e)",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert library.returncode == 0 and library.stdout.startswith(f"STACKKIT_CDK={other} but ")


#: What ``import stackkit`` refuses for ``STACKKIT_FAST_LOAD=fast,node-index`` (docs/speed.md,
#: "Turning it off": 0, 1 or a comma list of the five speed-ups).
WRONG_SWITCH = (
    "STACKKIT_FAST_LOAD='fast,node-index': fast is not a speed-up; use 0 (all off), 1 (all on, the "
    "default) or a comma list of provider-init, node-index, version-check, type-hints, scopes"
)


def test_a_loading_switch_stackkit_cannot_read_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    """A STACKKIT_FAST_LOAD that ``import stackkit`` refuses: the command still runs, ``stackkit
    check`` says why in one line (exit code 2) instead of running the app into a traceback, and a
    public name raises the same ImportError."""
    env = {**os.environ, "STACKKIT_FAST_LOAD": "fast,node-index"}
    (tmp_path / "cdktf.json").write_text(json.dumps({"app": "python3 app.py", "language": "python"}))
    (tmp_path / "app.py").write_text("raise SystemExit('the app must not run')\n")
    check = subprocess.run(
        [sys.executable, "-m", "stackkit.cli", "check"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert (check.returncode, check.stdout, check.stderr) == (2, "", f"stackkit check: {WRONG_SWITCH}\n")
    library = subprocess.run(
        [
            sys.executable,
            "-c",
            "import stackkit\ntry:\n    stackkit.Network\n"
            "except ImportError as e:\n    print(type(e).__name__, e)",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert (library.returncode, library.stdout) == (0, f"CdkLoadError {WRONG_SWITCH}\n")
