"""A new team's first day, as the docs tell it (docs/getting-started.md, then the README that
``stackkit init`` writes), from the built wheel, in folders outside this repository, in the
environment of a plain shell: no virtual environment activated, no venv ``bin`` on PATH.

1. the wheel (``uv build``), and the ``stackkit`` command from it (``uv tool install WHEEL``);
2. ``stackkit init team``: the project requires ``stackkit[cdktf,policy] @ <the wheel>``;
3. before the project is installed, the tool (stackkit without a CDK) refuses ``stackkit check``
   in one line, exit code 2, naming the command that installs the CDK;
4. the README's install line, then ``.venv/bin/stackkit check`` (exit 0);
5. the README's ``npx cdktf synth`` with the pinned cdktf CLI and Node 22 (this repository's
   ``node_modules``, which pins the same versions as the project's ``package.json``);
6. the team's app: an API, a worker with its queue, a nightly task, one database and a resource of
   its own with ``stackkit.skip_check``: ``stackkit check`` passes and prints the skip; a renamed
   worker fails ``stackkit diff`` (exit 1); ``stackkit summary`` writes the diagram.

Installs go through uv's cache (filled by the repository's own ``uv sync``), pinned to this
repository's ``uv.lock`` through ``UV_CONSTRAINT`` (the commands stay the README's): the versions
CI tests are the versions installed. The cdktf CLI's telemetry is off (``CHECKPOINT_DISABLE``):
this machine has no network beyond the package registries.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.project.test_wheel import ROOT, uv

pytestmark = pytest.mark.slow

#: Measured on the 2-core machine on 2026-12-06: 133 s at load average 4-6, 259 s at 10 (other
#: engineers' test runs beside it); most of it is the five synthesis runs and two Checkov scans.
TIME_BUDGET_SECONDS = 900

#: The team's own app (what a team writes on its first day, on stackkit's public API only).
TEAM_APP = '''"""team: an API, a worker with its queue, a nightly task and one database."""

import stackkit  # first: makes loading the AWS provider bindings fast
from cdktf import App, TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider, AwsProviderDefaultTags
from cdktf_cdktf_provider_aws.ssm_parameter import SsmParameter
from stackkit import (
    Cluster,
    ClusterProps,
    Database,
    DatabaseProps,
    ExistingNetwork,
    FargateServiceProps,
    FargateTaskDefinitionProps,
    QueueProps,
    ScheduledTask,
    ScheduledTaskProps,
    Service,
    ServiceProps,
    WorkerService,
    WorkerServiceProps,
    skip_check,
)

WORKER = "team-worker"
TAGS = {"Project": "team", "Environment": "dev", "ManagedBy": "cdktf", "Owner": "team"}
CERTIFICATE = "arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-1234-1234-123456789012"
NETWORK = ExistingNetwork(
    vpc_id="vpc-0a1b2c3d4e5f67890",
    public_subnet_ids=("subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"),
    private_subnet_ids=("subnet-0a1b2c3d4e5f60011", "subnet-0a1b2c3d4e5f60012"),
    isolated_subnet_ids=("subnet-0a1b2c3d4e5f60021", "subnet-0a1b2c3d4e5f60022"),
    cidr="10.30.0.0/16",
)

app = App(outdir="cdktf.out")
stack = TerraformStack(app, "team-dev")
AwsProvider(stack, "aws", region="eu-west-1", default_tags=[AwsProviderDefaultTags(tags=TAGS)])
database = Database(stack, "database", DatabaseProps(name="team", network=NETWORK))
cluster = Cluster(stack, "cluster", ClusterProps(name="team"))
Service(
    stack,
    "api",
    ServiceProps(name="team-api", certificate_arn=CERTIFICATE),
    network=NETWORK,
    cluster=cluster,
    database=database,
)
WorkerService(
    stack,
    "worker",
    WorkerServiceProps(
        task=FargateTaskDefinitionProps(
            name=WORKER, image="v1.0.0", container_port=None, command=("node", "worker.js")
        ),
        service=FargateServiceProps(name=WORKER),
        queue=QueueProps(name="team-jobs"),
    ),
    network=NETWORK,
    cluster=cluster,
    database=database,
)
ScheduledTask(
    stack,
    "nightly",
    ScheduledTaskProps(
        task=FargateTaskDefinitionProps(
            name="team-nightly", image="v1.0.0", container_port=None, command=("node", "nightly.js")
        ),
        schedule="cron(0 3 * * ? *)",
    ),
    network=NETWORK,
    cluster=cluster,
    database=database,
)
flags = SsmParameter(stack, "flags", name="/team/feature-flags", type="String", value="{}")
skip_check(flags, "CKV2_AWS_34", "public feature flags, no secret: a plain String parameter")
app.synth()
'''


@dataclass
class Shell:
    """Commands as a team member types them in a plain shell."""

    env: dict[str, str]
    log: list[str]

    def __call__(
        self, command: str | list[str], cwd: Path, expect: int = 0
    ) -> subprocess.CompletedProcess[str]:
        started = time.monotonic()
        done = subprocess.run(
            command,
            shell=isinstance(command, str),
            executable="/bin/bash" if isinstance(command, str) else None,
            cwd=cwd,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        shown = command if isinstance(command, str) else " ".join(str(part) for part in command)
        self.log.append(f"{time.monotonic() - started:6.1f} s  {shown}")
        assert done.returncode == expect, (
            f"{shown} exited {done.returncode} (expected {expect}):\n"
            f"{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
        )
        return done


def plain_path() -> str:
    """PATH without any virtual environment's ``bin`` and without ``node_modules/.bin`` (pytest
    runs in the repository's venv, under ``npm test``), with a ``uv`` on it."""
    kept = [
        entry
        for entry in os.environ.get("PATH", "").split(os.pathsep)
        if entry
        and not (Path(entry).parent / "pyvenv.cfg").exists()
        and not entry.rstrip("/").endswith("node_modules/.bin")
    ]
    if shutil.which("uv", path=os.pathsep.join(kept)) is None:  # installed as `python3 -m uv` only
        found = subprocess.run(
            ["python3", "-c", "import uv; print(uv.find_uv_bin())"],
            capture_output=True,
            text=True,
            check=True,
        )
        kept.append(str(Path(found.stdout.strip()).parent))
    return os.pathsep.join(kept)


def plain_environment(constraints: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("npm_", "JSII_", "PYTEST_"))
        and key
        not in (
            "VIRTUAL_ENV",
            "PYTHONPATH",
            "PYTHONHOME",
            "UV_PROJECT_ENVIRONMENT",
            "STACKKIT_CDK",
            "NODE_OPTIONS",
            "INIT_CWD",
        )
    }
    env.update(
        {
            "PATH": plain_path(),
            "UV_CONSTRAINT": str(constraints),
            "CHECKPOINT_DISABLE": "1",
            "GIT_AUTHOR_NAME": "team",
            "GIT_AUTHOR_EMAIL": "team@example.com",
            "GIT_COMMITTER_NAME": "team",
            "GIT_COMMITTER_EMAIL": "team@example.com",
        }
    )
    return env


def readme_commands(readme: str, section: str) -> list[str]:
    """The indented command lines of a README section, without their comments."""
    body = readme.split(f"## {section}\n", 1)[1].split("\n## ", 1)[0]
    return [line.strip().split("  #")[0].strip() for line in body.splitlines() if line.startswith("    ")]


def test_a_new_team_goes_from_the_wheel_to_a_gated_app(tmp_path: Path) -> None:
    started = time.monotonic()
    tool = uv()
    work = tmp_path / "work"  # the team's folders: outside this repository
    work.mkdir()
    assert not work.is_relative_to(ROOT)
    constraints = tmp_path / "constraints.txt"
    subprocess.run(
        [
            *tool,
            "export",
            "--frozen",
            "--no-hashes",
            "--no-dev",
            "--no-emit-project",
            "--extra",
            "cdktf",
            "--extra",
            "policy",
            "--output-file",
            str(constraints),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    shell = Shell(plain_environment(constraints), [])

    # 1. The wheel, and the stackkit command from it (docs/getting-started.md, step 1).
    shell([*tool, "build", "--wheel", "--offline", "--out-dir", str(tmp_path / "dist")], cwd=ROOT)
    (wheel,) = (tmp_path / "dist").glob("stackkit-*-py3-none-any.whl")
    shell.env.update({"UV_TOOL_DIR": str(tmp_path / "tools"), "UV_TOOL_BIN_DIR": str(tmp_path / "bin")})
    shell(["uv", "tool", "install", str(wheel)], cwd=work)
    stackkit = tmp_path / "bin" / "stackkit"

    # 2. stackkit init: the project requires stackkit with its CDK and the gate, from the wheel.
    init = shell([str(stackkit), "init", "team"], cwd=work)
    project = work / "team"
    requirement = f"stackkit[cdktf,policy] @ {wheel.as_uri()}"
    assert f"stackkit requirement: {requirement}\n" in init.stdout
    assert tomllib.loads((project / "pyproject.toml").read_text())["project"]["dependencies"] == [requirement]
    assert json.loads((project / "cdktf.json").read_text())["app"] == ".venv/bin/python app.py"

    # 3. The tool has no CDK: `stackkit check` says what to install, in one line, exit code 2.
    refused = shell([str(stackkit), "check"], cwd=project, expect=2)
    assert refused.stdout == "" and refused.stderr.count("\n") == 1 and "Traceback" not in refused.stderr
    assert refused.stderr.startswith("stackkit check: stackkit needs a CDK, and ")
    assert "has neither cdktf nor CDK Terrain (cdktn)" in refused.stderr
    assert re.search(rf"pip --python \S+/bin/python\S* install '{re.escape(requirement)}'", refused.stderr)

    # 4. The README's install line, then the first check with the project's own stackkit.
    readme = (project / "README.md").read_text()
    install = readme_commands(readme, "Install")
    assert install == ["uv venv && uv pip install -r pyproject.toml", "npm install"]
    shell(install[0], cwd=project)
    check = shell([".venv/bin/stackkit", "check"], cwd=project)
    assert re.search(r"^team-dev +ok +passed +\d+ +failed +0 ", check.stdout, re.M), check.stdout
    assert re.search(r"^1 stacks: \d+ passed, 0 failed, \d+ skipped$", check.stdout, re.M)

    # 5. `npm install` brings what package.json pins; this repository's node_modules holds the
    #    same versions (no download here). Then the README's synthesis, in the plain shell.
    pinned = json.loads((project / "package.json").read_text())["devDependencies"]
    ours = json.loads((ROOT / "package.json").read_text())["devDependencies"]
    assert {name: ours[name] for name in pinned} == pinned
    installed = {
        name: json.loads((ROOT / "node_modules" / name / "package.json").read_text())["version"]
        for name in pinned
    }
    assert installed == pinned == {"cdktf-cli": "0.21.0", "node": "22.23.3"}
    (project / "node_modules").symlink_to(ROOT / "node_modules")
    shutil.rmtree(project / "cdktf.out")
    synth_line = readme_commands(readme, "Synthesize and check")[0]
    assert synth_line == "npx cdktf synth"
    synth = shell(synth_line, cwd=project)
    assert "Generated Terraform code for the stacks: team-dev" in synth.stdout + synth.stderr
    assert "end-of-life" not in synth.stdout + synth.stderr  # Node 22, not the system's Node 20
    synthesized = json.loads((project / "cdktf.out" / "stacks" / "team-dev" / "cdk.tf.json").read_text())
    assert len(synthesized["resource"]["aws_db_instance"]) == 1

    # 6. The team's own app.
    (project / "app.py").write_text(TEAM_APP)
    shell(["git", "init", "-q"], cwd=project)
    shell("git add -A && git commit -q -m 'team app'", cwd=project)
    check = shell([".venv/bin/stackkit", "check"], cwd=project)
    assert re.search(r"^team-dev +ok +passed +\d+ +failed +0 ", check.stdout, re.M), check.stdout
    assert re.search(
        r"^    skip CKV2_AWS_34 +aws_ssm_parameter\.flags: public feature flags, no secret",
        check.stdout,
        re.M,
    )
    stack = json.loads((project / "cdktf.out" / "stacks" / "team-dev" / "cdk.tf.json").read_text())
    assert {"aws_sqs_queue", "aws_scheduler_schedule", "aws_ecs_service", "aws_db_instance"} <= set(
        stack["resource"]
    )

    # A renamed worker: its resources would be destroyed and made anew. The diff says so, exit 1.
    (project / "app.py").write_text(TEAM_APP.replace('WORKER = "team-worker"', 'WORKER = "team-jobs-worker"'))
    shell("git commit -q -am 'rename the worker'", cwd=project)
    diff = shell([".venv/bin/stackkit", "diff", "HEAD~1", "HEAD"], cwd=project, expect=1)
    assert re.search(r"^== team-dev: \d+ added, [1-9]\d* removed, ", diff.stdout, re.M), diff.stdout
    assert re.search(r"^   - aws_ecs_service\.team_worker", diff.stdout, re.M)
    assert re.search(
        r"RISK aws_cloudwatch_log_group\.team_worker\S*: removed: Terraform destroys it", diff.stdout
    )

    summary = shell([".venv/bin/stackkit", "summary"], cwd=project)
    assert "## team-dev" in summary.stdout and "```mermaid\nflowchart LR\n" in summary.stdout

    elapsed = time.monotonic() - started
    print("\n".join([*shell.log, f"first day in all: {elapsed:.1f} s"]))
    assert elapsed < TIME_BUDGET_SECONDS
