"""How the gate runs a project's app (as the cdktf CLI does), picks Node, and records the user's
source line on each resource."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from stackkit._private.cdk import BACKEND, S3Bucket
from stackkit._private.node import node_problem, with_pinned_node
from stackkit._private.terraform import pin_address
from stackkit.policy.sources import NO_APP, AppConfig, SourceError, app_command, app_environment, read_app
from tests.synth_helpers import synth_stack

ROOT = Path(__file__).resolve().parents[2]


def test_the_app_gets_the_variables_the_cdktf_cli_sets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "cdktf.json").write_text(
        json.dumps(
            {"app": "python app.py", "context": {"k": "v"}, "terraformModules": ["./mod", "hashicorp/x"]}
        )
    )
    monkeypatch.setenv("TF_VAR_secret", "x")
    monkeypatch.delenv("NODE_OPTIONS", raising=False)
    config = read_app(tmp_path)
    assert config == AppConfig("python app.py", {"k": "v"}, ("./mod",))
    env = app_environment(config, tmp_path / "out", tmp_path)
    assert env["CDKTF_OUTDIR"] == str(tmp_path / "out")
    assert env["CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS"] == "true"
    assert json.loads(env["CDKTF_CONTEXT_JSON"]) == {"k": "v", "cdktfRelativeModules": ["./mod"]}
    assert env["SYNTH_HCL_OUTPUT"] == "false"
    assert env["NODE_OPTIONS"] == "--max-old-space-size=4096"
    assert "TF_VAR_secret" not in env
    assert env["PATH"].split(os.pathsep)[0] == str(Path(sys.executable).parent)
    assert env["JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION"] == "20"


def test_a_leading_interpreter_becomes_the_current_one() -> None:
    for command in (".venv/bin/python main.py", "python3 main.py", "python app.py --x 'a b'"):
        rewritten = app_command(command)
        assert rewritten.startswith(sys.executable) or rewritten.startswith(f"'{sys.executable}'"), rewritten
    assert app_command("pipenv run python main.py") == "pipenv run python main.py"
    assert app_command("node main.js") == "node main.js"


def test_no_cdktf_json_and_no_app_is_an_instruction(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as caught:
        read_app(tmp_path)
    assert str(caught.value) == NO_APP and "\n" not in NO_APP
    assert read_app(tmp_path, "python x.py").command == "python x.py"


def test_missing_or_old_node_is_one_line_naming_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("JSII_NODE", raising=False)
    empty = tmp_path / "empty"
    empty.mkdir()
    problem = node_problem(str(empty))
    assert problem is not None and "not found" in problem and "Node.js 22" in problem and "\n" not in problem
    old = tmp_path / "old"
    old.mkdir()
    (old / "node").write_text("#!/bin/sh\necho v18.19.0\n")
    (old / "node").chmod(0o755)
    problem = node_problem(str(old))
    assert problem is not None and "v18.19.0" in problem and "too old" in problem
    assert node_problem() is None  # the Node the suite runs on


def test_importing_stackkit_without_node_prints_one_line_and_exits_2(tmp_path: Path) -> None:
    """A folder without node_modules and a PATH without node: no jsii traceback."""
    env = {**os.environ, "PATH": str(tmp_path)}
    env.pop("JSII_NODE", None)
    result = subprocess.run(
        [sys.executable, "-c", "import stackkit"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("stackkit: Node.js was not found")


def test_the_pinned_node_goes_first() -> None:
    path = with_pinned_node("/usr/bin", ROOT / "examples")
    assert path.split(os.pathsep)[0] == str(ROOT / "node_modules" / ".bin")


def test_every_pinned_resource_records_the_users_line(tmp_path: Path) -> None:
    def build(stack: object) -> None:
        bucket = S3Bucket(stack, "b", bucket="x")  # type: ignore[arg-type]
        pin_address(bucket, "logs")

    line = build.__code__.co_firstlineno + 2
    stack = synth_stack(tmp_path, build)
    where = stack["//"]["stackkit_sources"]["aws_s3_bucket.logs"]
    # One map per stack, not a key per resource.
    assert "stackkit_source" not in stack["resource"]["aws_s3_bucket"]["logs"].get("//", {})
    # The first frame outside the stackkit package, relative to the working directory.
    assert where == f"tests/policy/test_gate_sources.py:{line}"


def test_node_20_runs_without_the_end_of_life_banner(tmp_path: Path) -> None:
    """jsii prints its banner (as Python bytes literals) for Node 20; importing stackkit first
    silences it. Needs a Node 20 on the system PATH (this machine has one at /usr/bin/node)."""
    system = "/usr/local/bin:/usr/bin:/bin"
    node = shutil.which("node", path=system)
    version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout if node else ""
    if not version.startswith("v20."):
        pytest.skip(f"no Node 20 on {system} (found {version.strip() or 'none'})")
    env = {key: value for key, value in os.environ.items() if not key.startswith("JSII_")}
    # Whichever CDK this environment runs (cdktf, or CDK Terrain in the second pass).
    core = BACKEND.core
    code = f"import {{first}}; import {core}; {core}.App(outdir='out'); print('ok')"
    with_stackkit = subprocess.run(
        [sys.executable, "-c", code.format(first="stackkit")],
        cwd=tmp_path,
        env={**env, "PATH": system},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert with_stackkit.returncode == 0 and "end-of-life" not in with_stackkit.stderr + with_stackkit.stdout
    without = subprocess.run(
        [sys.executable, "-c", code.format(first="json")],
        cwd=tmp_path,
        env={**env, "PATH": system},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "end-of-life" in without.stderr + without.stdout  # the banner this guards against


def test_who_made_a_resource_is_told_by_the_first_frame_that_is_not_a_pass_through(tmp_path: Path) -> None:
    """The frames of installed packages (jsii, the bindings) and of stackkit's wrappers are passed;
    stackkit's own code (wherever it is installed) made it itself; the user's file is named
    relative to the working directory; a file elsewhere (the interpreter's) is passed too."""
    from stackkit._private import source_location
    from stackkit._private.source_location import _creator

    package = Path(source_location.__file__).resolve().parents[1]
    user = tmp_path / "infra" / "stacks.py"
    user.parent.mkdir()
    user.write_text("")
    assert _creator(str(user), tmp_path) == "infra/stacks.py"
    assert _creator(str(package / "constructs" / "queue.py"), tmp_path) == "stackkit"
    assert _creator(str(package / "_private" / "loading.py"), tmp_path) == ""
    assert _creator(str(package / "_private" / "source_location.py"), tmp_path) == ""
    assert _creator("/venv/lib/python3.11/site-packages/jsii/_runtime.py", tmp_path) == ""
    assert _creator("/usr/lib/python3.11/functools.py", tmp_path) == ""
    assert _creator("<frozen runpy>", tmp_path) == ""
