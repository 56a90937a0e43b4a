"""Packaging: the wheel builds, installs into a fresh virtual environment with its locked
dependencies (offline, from the uv cache that ``uv sync`` filled) and synthesizes example (a)
from a folder outside the repository, so nothing depends on the repo layout."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

#: End-to-end (subprocesses, Checkov): `pytest -m "not slow"` skips them; CI runs them.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "existing_vpc_database_and_service.py"
#: The whole test (build, venv, install, synthesis) took about 6 s on the 2-core build machine.
TIME_BUDGET_SECONDS = 60


MIXED = """
import json, os, subprocess
import stackkit
import cdktf_cdktf_provider_aws as aws
from cdktf import App, TerraformStack
app = App(outdir="mixed")
stack = TerraformStack(app, "mixed")
aws.provider.AwsProvider(stack, "aws", region="eu-west-1")
aws.sqs_queue.SqsQueue(stack, "team_queue", sqs_managed_sse_enabled=True)
app.synth()
synthesized = json.load(open("mixed/stacks/mixed/cdk.tf.json"))
child = subprocess.run(["node", "-p", "process.env.NODE_OPTIONS"], capture_output=True, text=True)
print(json.dumps({"lambda": aws.lambda_function.LambdaFunction.__name__,
                  "node_options": os.environ.get("NODE_OPTIONS"), "child": child.stdout.strip(),
                  "queue": sorted(synthesized["resource"]["aws_sqs_queue"])}))
"""


def uv() -> list[str]:
    """The uv that installed the project (``uv`` on PATH, else ``python3 -m uv``)."""
    found = shutil.which("uv")
    if found:
        return [found]
    for python in ("python3", sys.executable):
        candidate = shutil.which(python) or python
        if subprocess.run([candidate, "-m", "uv", "--version"], capture_output=True).returncode == 0:
            return [candidate, "-m", "uv"]
    pytest.fail("uv is not installed; install it as in the README (python3 -m pip install uv==0.13.8)")


def run(
    command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    return done


def test_the_wheel_installs_into_a_fresh_venv_and_synthesizes_example_a_outside_the_repo(
    tmp_path: Path,
) -> None:
    started = time.monotonic()
    tool = uv()
    clean_env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PYTHONPATH", "VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT", "PYTHONHOME")
    }

    # 1. Build the wheel (hatchling, offline from the cache).
    dist = tmp_path / "dist"
    run([*tool, "build", "--wheel", "--offline", "--out-dir", str(dist)], cwd=ROOT, env=clean_env)
    (wheel,) = dist.glob("stackkit-*-py3-none-any.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "stackkit/py.typed",
        "stackkit/_private/lazy_provider_index.js",
        "stackkit/_private/version_check_per_synthesis.js",
        "stackkit/policy/checks/__init__.py",
        "stackkit/policy/prices.json",
        "stackkit/constructs/existing_network.py",
        "stackkit/scaffold/template/app.py.tmpl",
        "stackkit/scaffold/template/_dot_github/workflows/pull-request.yml.tmpl",
    ):
        assert required in names, required
    assert not any(name.startswith(("tests/", "examples/", "src/")) for name in names)

    # 2. A fresh venv with exactly the locked runtime dependencies, then the wheel. `uv sync`
    #    from the lock (into the new venv, not the repo's) reads only what the CI's own
    #    `uv sync` put in the cache; `uv pip install` of a requirement list would need index
    #    metadata that a lock-based sync never cached. `uv pip check` proves the set complete.
    venv = tmp_path / "venv"
    run(
        [
            *tool,
            "sync",
            "--frozen",
            "--offline",
            "--no-dev",
            "--no-install-project",
            "--python",
            sys.executable,
        ],
        cwd=ROOT,
        env={**clean_env, "UV_PROJECT_ENVIRONMENT": str(venv)},
    )
    python = venv / "bin" / "python"
    run(
        [*tool, "pip", "install", "--python", str(python), "--offline", "--no-deps", str(wheel)],
        env=clean_env,
    )
    run([*tool, "pip", "check", "--python", str(python)], env=clean_env)

    # 3. A team's folder outside the repository, with only the example script in it.
    team = tmp_path / "team"
    team.mkdir()
    shutil.copy(EXAMPLE, team / EXAMPLE.name)
    env = {**clean_env, "PATH": f"{ROOT / 'node_modules' / '.bin'}{os.pathsep}{clean_env.get('PATH', '')}"}
    origin = run(
        [str(python), "-c", "import importlib.util; print(importlib.util.find_spec('stackkit').origin)"],
        cwd=team,
        env=env,
    ).stdout.strip()
    assert Path(origin).is_relative_to(venv), origin  # the installed wheel, not the repo's src
    run([str(python), EXAMPLE.name, "out"], cwd=team, env=env)

    stack = json.loads((team / "out" / "stacks" / "orders" / "cdk.tf.json").read_text())
    resources = stack["resource"]
    assert "aws_vpc" not in resources and "aws_subnet" not in resources
    assert len(resources["aws_db_instance"]) == 1 and len(resources["aws_ecs_service"]) == 1
    (subnet_group,) = resources["aws_db_subnet_group"].values()
    assert subnet_group["subnet_ids"] == ["subnet-0a1b2c3d4e5f60021", "subnet-0a1b2c3d4e5f60022"]
    assert stack["provider"]["aws"][0]["region"] == "eu-west-1"
    # `stackkit cost` from the installed wheel, offline, on what the team synthesized: its price
    # table ships in the wheel. eu-west-1 Fargate x86 is in the table (3 tasks of 0.5 vCPU + 1 GB:
    # 3 x 730 x (0.5 x 0.04048 + 1 x 0.004445) = 54.06015 -> 54.06); its RDS class is not, and is
    # listed, not counted as 0.
    document = json.loads(
        run(
            [str(venv / "bin" / "stackkit"), "cost", "--from", "out", "--format", "json"], cwd=team, env=env
        ).stdout
    )
    orders = document["stacks"]["orders"]
    (service,) = [item for item in orders["items"] if item["address"].startswith("aws_ecs_service.")]
    assert service["monthly"] == 54.06, service
    assert [address for address in orders["unpriced"] if address.startswith("aws_db_instance.")]

    # 4. A team's own provider resources beside stackkit's, as the issue-24 review wrote them:
    #    the provider package is whole, NODE_OPTIONS is the team's, a child node has no preload.
    mixed = run([str(python), "-c", MIXED], cwd=team, env={**env, "NODE_OPTIONS": "--no-warnings"})
    assert json.loads(mixed.stdout.splitlines()[-1]) == {
        "lambda": "LambdaFunction",
        "node_options": "--no-warnings",
        "child": "--no-warnings",
        "queue": ["team_queue"],
    }

    elapsed = time.monotonic() - started
    print(f"wheel build + venv + offline install + synthesis: {elapsed:.1f} s")
    assert elapsed < TIME_BUDGET_SECONDS


def environment_values() -> set[str]:
    """What identifies this repository's environments: account ids, state buckets, ARNs and
    hosted zones of stacks/environments.py (read from the data, so a new environment is covered)."""
    from stacks.environments import ENVIRONMENTS

    found: set[str] = set()
    for config in ENVIRONMENTS.values():
        found.update(config["allowed_account_ids"])
        found.add(config["state_bucket"])
        found.update(
            value
            for key, value in config.items()
            if isinstance(value, str) and (value.startswith("arn:") or key == "hosted_zone_id")
        )
    return found


def test_the_wheel_holds_the_library_only(tmp_path: Path) -> None:
    """No module of this repository's app, and none of its environment values, in any file of
    the wheel (code, data, metadata)."""
    clean_env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    run([*uv(), "build", "--wheel", "--offline", "--out-dir", str(tmp_path)], cwd=ROOT, env=clean_env)
    (wheel,) = tmp_path.glob("stackkit-*-py3-none-any.whl")
    archive = zipfile.ZipFile(wheel)
    names = archive.namelist()
    assert "stackkit/patterns/environment_stack.py" in names  # the reusable pattern ships
    assert not [name for name in names if name.startswith(("stacks/", "stackkit/stacks/", "stackkit/app."))]
    assert not [name for name in names if name.split("/")[-1] in ("main.py", "environments.py")]
    values = environment_values()
    assert len(values) >= 9, values  # 3 accounts, 3 buckets, ARNs, a zone: the check has teeth
    leaked = {
        (name, value)
        for name in names
        for value in values
        if value in archive.read(name).decode(errors="replace")
    }
    assert leaked == set(), f"environment values in the wheel: {sorted(leaked)}"
