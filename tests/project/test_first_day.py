"""A new team's first day, as the docs tell it (docs/getting-started.md, then the README that
``stackkit init`` writes), from the built wheel, in folders outside this repository, in the
environment of a plain shell: no virtual environment activated, no venv ``bin`` on PATH.

1. the wheel (the docs' ``uv build --wheel``), and the ``stackkit`` command from it (the docs'
   ``uv tool install``); the README's ``pip install`` line names the same requirement;
2. ``stackkit init orders``: the project requires ``stackkit[cdktf,policy] @ <the wheel>``;
3. before the project is installed, the tool (stackkit without a CDK) refuses ``stackkit check``
   in one line, exit code 2, naming the command that installs the CDK;
4. the README's install line, then ``.venv/bin/stackkit check`` (exit 0);
5. the README's ``npx cdktf synth`` with the pinned cdktf CLI and Node 22 (this repository's
   ``node_modules``, which pins the same versions as the project's ``package.json``);
6. the team's app: an API with its own secret (its ``valueFrom`` and the execution role's grant
   read from what ``cdktf synth`` wrote), a worker with its queue, a nightly task, one database
   and a resource of its own with ``stackkit.skip_check``: ``stackkit check`` passes with the IAM
   analysis; a policy with a misspelt action fails it (exit 1) until it is removed;
7. on a branch, the worker renamed: the README's ``stackkit diff origin/main HEAD`` fails (exit 1)
   and prints the moved blocks; with them pasted into the app, only what a moved block cannot save
   is left, and acknowledging those passes (exit 0); then ``stackkit summary`` (its marker, the
   diagram with the queue and the schedule) and ``stackkit cost`` (the stack's monthly line).

Every command is read from the page that prints it. Installs go through uv's cache (filled by the
repository's own ``uv sync``), pinned to this repository's ``uv.lock`` through ``UV_CONSTRAINT``
(the commands stay the README's): the versions CI tests are the versions installed. The cdktf
CLI's telemetry is off (``CHECKPOINT_DISABLE``): this machine has no network beyond the package
registries.
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
from typing import Any

import pytest

from tests.project.test_wheel import ROOT, uv

pytestmark = pytest.mark.slow

#: Measured on the shared 2-core machine on 2026-12-07: 105 s at load average 1.5-4, 207 s at
#: 3.5-7.4, 288 s at 6-7.4 (other engineers' test runs beside it); most of it is the thirteen
#: synthesis runs (six by the three `stackkit diff` runs, two revisions each) and the three
#: Checkov scans. Four times the slowest keeps it reliable on a busy CI runner and still catches
#: a synthesis that hangs.
TIME_BUDGET_SECONDS = 1200

#: The team's own payment provider key: a Secrets Manager secret's full ARN (name + "-" + 6
#: characters), in the stack's region (docs/patterns/service.md, "The team's own secrets").
STRIPE = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders/stripe-AbCdEf"

#: The team's own app (what a team writes on its first day, on stackkit's public API only).
TEAM_APP = '''"""orders: an API, a worker with its queue, a nightly task and one database."""

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

WORKER = "orders-worker"
STRIPE = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders/stripe-AbCdEf"
TAGS = {"Project": "orders", "Environment": "dev", "ManagedBy": "cdktf", "Owner": "orders-team"}
CERTIFICATE = "arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-1234-1234-123456789012"
NETWORK = ExistingNetwork(
    vpc_id="vpc-0a1b2c3d4e5f67890",
    public_subnet_ids=("subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"),
    private_subnet_ids=("subnet-0a1b2c3d4e5f60011", "subnet-0a1b2c3d4e5f60012"),
    isolated_subnet_ids=("subnet-0a1b2c3d4e5f60021", "subnet-0a1b2c3d4e5f60022"),
    cidr="10.30.0.0/16",
)

app = App(outdir="cdktf.out")
stack = TerraformStack(app, "orders-dev")
AwsProvider(stack, "aws", region="eu-west-1", default_tags=[AwsProviderDefaultTags(tags=TAGS)])
database = Database(stack, "database", DatabaseProps(name="orders", network=NETWORK))
cluster = Cluster(stack, "cluster", ClusterProps(name="orders"))
Service(
    stack,
    "api",
    ServiceProps(name="orders-api", certificate_arn=CERTIFICATE, secrets={"STRIPE_API_KEY": STRIPE}),
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
        queue=QueueProps(name="orders-jobs"),
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
            name="orders-nightly", image="v1.0.0", container_port=None, command=("node", "nightly.js")
        ),
        schedule="cron(0 3 * * ? *)",
    ),
    network=NETWORK,
    cluster=cluster,
    database=database,
)
flags = SsmParameter(stack, "flags", name="/orders/feature-flags", type="String", value="{}")
skip_check(flags, "CKV2_AWS_34", "public feature flags, no secret: a plain String parameter")
app.synth()
'''

#: A mistake the IAM analysis catches and Checkov does not: a misspelt action in a team's policy.
BAD_POLICY = """import json
from cdktf_cdktf_provider_aws.iam_policy import IamPolicy

statement = {"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "arn:aws:s3:::orders-reports/*"}
document = {"Version": "2012-10-17", "Statement": [statement]}
IamPolicy(stack, "reports", name="orders-reports-read", policy=json.dumps(document))
app.synth()
"""


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


def plain_path(tool_bin: Path) -> str:
    """PATH without any virtual environment's ``bin`` and without ``node_modules/.bin`` (pytest
    runs in the repository's venv, under ``npm test``), with a ``uv`` on it, and ``tool_bin``
    first: where ``uv tool install`` puts ``stackkit`` (``~/.local/bin`` for a team member)."""
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
    return os.pathsep.join([str(tool_bin), *kept])


def plain_environment(constraints: Path, tools: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("npm_", "JSII_", "PYTEST_", "GIT_"))
        and key
        not in (
            "VIRTUAL_ENV",
            "PYTHONPATH",
            "PYTHONHOME",
            "UV_PROJECT_ENVIRONMENT",
            "STACKKIT_CDK",
            "NODE_OPTIONS",
            "INIT_CWD",
            "PWD",
            "OLDPWD",
        )
    }
    env.update(
        {
            "PATH": plain_path(tools / "bin"),
            "UV_CONSTRAINT": str(constraints),
            "UV_TOOL_DIR": str(tools / "installed"),
            "UV_TOOL_BIN_DIR": str(tools / "bin"),
            "CHECKPOINT_DISABLE": "1",
            "GIT_AUTHOR_NAME": "team",
            "GIT_AUTHOR_EMAIL": "team@example.com",
            "GIT_COMMITTER_NAME": "team",
            "GIT_COMMITTER_EMAIL": "team@example.com",
            "GIT_CONFIG_GLOBAL": "/dev/null",  # the team member's git, not this machine's settings
        }
    )
    return env


def commands(page: str, heading: str) -> list[str]:
    """The indented command lines under a Markdown heading (up to the next heading), without
    their comments."""
    body = page.split(f"\n{heading}\n", 1)[1]
    body = re.split(r"\n#{1,6} ", body, maxsplit=1)[0]
    return [line.strip().split("  #")[0].strip() for line in body.splitlines() if line.startswith("    ")]


def lines_between(text: str, first: str, last: str) -> list[str]:
    """The lines of ``text`` from the one that is ``first`` (stripped) to the next that is ``last``."""
    lines = [line.strip() for line in text.splitlines()]
    start = lines.index(first)
    return lines[start : lines.index(last, start) + 1]


#: Where `cdktf synth` and `stackkit check` write the one stack of the project.
STACK_FILE = Path("cdktf.out", "stacks", "orders-dev", "cdk.tf.json")


def stack_json(project: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((project / STACK_FILE).read_text())
    return document


def assert_the_secret_reaches_only_the_api(project: Path) -> None:
    """The API's container reads STRIPE_API_KEY from the secret, and only the API's execution
    role may read it (docs/patterns/service.md "What it builds")."""
    text = (project / STACK_FILE).read_text()
    resources = json.loads(text)["resource"]
    task = resources["aws_ecs_task_definition"]["orders_api_task_definition"]
    (container,) = json.loads(task["container_definitions"])
    assert {"name": "STRIPE_API_KEY", "valueFrom": STRIPE} in container["secrets"]
    assert "STRIPE_API_KEY" not in {variable["name"] for variable in container.get("environment", [])}
    assert task["execution_role_arn"] == "${aws_iam_role.orders_api_execution_role.arn}"
    (policy,) = [
        body
        for body in resources["aws_iam_role_policy"].values()
        if body["role"] == "${aws_iam_role.orders_api_execution_role.id}"
    ]
    statements = json.loads(policy["policy"])["Statement"]
    assert {
        "Sid": "ReadTeamSecrets",
        "Effect": "Allow",
        "Action": "secretsmanager:GetSecretValue",
        "Resource": [STRIPE],
    } in statements
    assert not [s for s in statements if "secretsmanager" in json.dumps(s["Action"]) and s["Resource"] == "*"]
    # Nowhere else: once in the container definition, once in that grant (both JSON strings).
    assert text.count(STRIPE) == 2


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
    shell = Shell(plain_environment(constraints, tmp_path / "tools"), [])
    guide = (ROOT / "docs" / "getting-started.md").read_text()
    get_stackkit = commands(guide, "### 1. Get stackkit: a wheel or a path")

    # 1. The docs' wheel build (its output kept out of the repository, from uv's cache), and the
    #    stackkit command from the wheel, as the docs install it.
    build, install_tool = get_stackkit[1], get_stackkit[2]
    assert build.endswith("python3 -m uv build --wheel")
    shell([*tool, "build", "--wheel", "--offline", "--out-dir", str(tmp_path / "dist")], cwd=ROOT)
    (wheel,) = (tmp_path / "dist").glob("stackkit-*-py3-none-any.whl")
    assert install_tool == f'uv tool install "$PWD/dist/{wheel.name}"'  # the docs name this version
    shell(install_tool, cwd=tmp_path)

    # 2. stackkit init: the project requires stackkit with its CDK and the gate, from the wheel,
    #    the same requirement as the README's pip line for one's own stack.
    (init_line,) = commands(guide, "### 2. `stackkit init`")
    assert init_line == "stackkit init orders && cd orders"
    init = shell(init_line, cwd=work)
    project = work / "orders"
    requirement = f"stackkit[cdktf,policy] @ {wheel.as_uri()}"
    assert f"stackkit requirement: {requirement}\n" in init.stdout
    assert tomllib.loads((project / "pyproject.toml").read_text())["project"]["dependencies"] == [requirement]
    assert json.loads((project / "cdktf.json").read_text())["app"] == ".venv/bin/python app.py"
    readme_build, pip_line = commands((ROOT / "README.md").read_text(), "## Use it in your own stack")
    assert build.endswith(readme_build)
    assert pip_line.replace("$PWD", str(tmp_path)) == f'pip install "{requirement}"'

    # 3. The tool has no CDK: `stackkit check` says what to install, in one line, exit code 2.
    refused = shell("stackkit check", cwd=project, expect=2)
    assert refused.stdout == "" and refused.stderr.count("\n") == 1 and "Traceback" not in refused.stderr
    assert refused.stderr.startswith("stackkit check: stackkit needs a CDK, and ")
    assert "has neither cdktf nor CDK Terrain (cdktn)" in refused.stderr
    assert re.search(rf"pip --python \S+/bin/python\S* install '{re.escape(requirement)}'", refused.stderr)

    # 4. The README's install line (Getting started's step 3 prints the same), then the first
    #    check with the project's own stackkit.
    readme = (project / "README.md").read_text()
    install = commands(readme, "## Install")
    assert install == ["uv venv && uv pip install -r pyproject.toml", "npm install"]
    assert commands(guide, "### 3. Install the project, the cdktf CLI and Node.js 22") == install
    synth_line, check_line = commands(readme, "## Synthesize and check")[:2]
    assert (synth_line, check_line) == ("npx cdktf synth", ".venv/bin/stackkit check")
    assert commands(guide, "### 4. First synthesis") == [synth_line]
    assert commands(guide, "### 5. First check") == [check_line]
    shell(install[0], cwd=project)
    check = shell(check_line, cwd=project)
    assert re.search(r"^orders-dev +ok +passed +\d+ +failed +0 ", check.stdout, re.M), check.stdout
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
    synth = shell(synth_line, cwd=project)
    assert "Generated Terraform code for the stacks: orders-dev" in synth.stdout + synth.stderr
    assert "end-of-life" not in synth.stdout + synth.stderr  # Node 22, not the system's Node 20
    assert len(stack_json(project)["resource"]["aws_db_instance"]) == 1

    # 6. The team's own app, synthesized by the cdktf CLI: the API's own secret.
    (project / "app.py").write_text(TEAM_APP)
    shutil.rmtree(project / "cdktf.out")
    synth = shell(synth_line, cwd=project)
    assert "Generated Terraform code for the stacks: orders-dev" in synth.stdout + synth.stderr
    assert_the_secret_reaches_only_the_api(project)
    assert {"aws_sqs_queue", "aws_scheduler_schedule", "aws_ecs_service", "aws_db_instance"} <= set(
        stack_json(project)["resource"]
    )

    # The check passes, its IAM analysis included (its time, and the stage's recorded skips).
    check = shell(check_line, cwd=project)
    assert re.search(r"^orders-dev +ok +passed +\d+ +failed +0 ", check.stdout, re.M), check.stdout
    assert re.search(
        r"^    skip CKV2_AWS_34 +aws_ssm_parameter\.flags: public feature flags, no secret",
        check.stdout,
        re.M,
    )
    assert re.search(r"^    skip IAM_PARLIAMENT_\w+ +aws_kms_key\.orders_db_key: ", check.stdout, re.M)
    assert re.search(r"^policy scan: [\d.]+ s \(of which IAM analysis [\d.]+ s\)$", check.stdout, re.M)

    # A misspelt action in a policy of the team's own: the IAM analysis fails the check.
    (project / "app.py").write_text(TEAM_APP.replace("app.synth()\n", BAD_POLICY))
    failed = shell(check_line, cwd=project, expect=1)
    assert re.search(r"^orders-dev +FAILED +passed +\d+ +failed +1 ", failed.stdout, re.M), failed.stdout
    assert re.search(
        r"^    FAIL IAM_PARLIAMENT_UNKNOWN_ACTION aws_iam_policy\.reports  "
        r"\(cdktf\.out/stacks/orders-dev/cdk\.tf\.json:\d+-\d+",
        failed.stdout,
        re.M,
    )
    assert (
        "         - policy: s3:GetObjekt (did you mean s3:GetObject?): check the spelling against the "
        "Service Authorization Reference\n" in failed.stdout
    )
    (project / "app.py").write_text(TEAM_APP)  # fixed: removed again

    # 7. The app on main (pushed to the team's remote), a branch that renames the worker.
    remote = tmp_path / "remote.git"
    shell(["git", "init", "-q", "--bare", "-b", "main", str(remote)], cwd=tmp_path)
    shell("git init -q -b main", cwd=project)
    # node_modules is a link to this repository's here, which the .gitignore's folder pattern
    # `node_modules/` does not match (a team's own is a folder, ignored).
    (project / ".git" / "info" / "exclude").write_text("node_modules\n")
    shell("git add -A && git commit -q -m 'orders app'", cwd=project)
    assert shell("git ls-files", cwd=project).stdout.split() == [
        ".github/workflows/pull-request.yml",
        ".gitignore",
        "README.md",
        "app.py",
        "cdktf.json",
        "package.json",
        "pyproject.toml",
    ]
    shell(f"git remote add origin {remote} && git push -q -u origin main", cwd=project)
    shell("git switch -q -c rename-worker", cwd=project)
    (project / "app.py").write_text(
        TEAM_APP.replace('WORKER = "orders-worker"', 'WORKER = "orders-jobs-worker"')
    )
    shell("git commit -q -am 'rename the worker'", cwd=project)
    diff_line, summary_line, cost_line = commands(readme, "## Synthesize and check")[2:]
    assert commands(guide, "### 6. Before a pull request: diff, summary, cost") == [
        diff_line,
        summary_line,
        cost_line,
    ]
    assert diff_line == ".venv/bin/stackkit diff origin/main HEAD"
    base = stack_json(project)["resource"]  # the last check's synthesis: the old worker names
    worker = sorted(
        f"{kind}.{name}" for kind, bodies in base.items() for name in bodies if "orders_worker_" in name
    )
    diff = shell(diff_line, cwd=project, expect=1)
    assert "App(outdir=" not in diff.stderr  # App(outdir="cdktf.out") is where cdktf synth reads
    count = len(worker)
    assert (
        f"== orders-dev: {count} added, {count} removed, 0 changed, 0 moved (moved blocks)\n" in diff.stdout
    )
    assert (
        f"   LOOKS RENAMED: {count} removed resource(s) look like added ones under a new address. To keep "
        "them, keep the old name (the construct's `name` prop, or a plain cdktf resource's construct "
        "id), or carry their state to the new addresses with a moved block per resource, such as\n"
        in diff.stdout
    )
    first = worker[0]
    assert lines_between(diff.stdout, "moved {", "}") == [
        "moved {",
        f"from = {first}",
        f"to   = {first.replace('orders_worker', 'orders_jobs_worker')}",
        "}",
    ]
    moved = lines_between(diff.stdout, 'stack.add_override("moved", [', "])")
    assert moved[1:-1] == [
        f'{{"from": "{old}", "to": "{old.replace("orders_worker", "orders_jobs_worker")}"}},'
        for old in worker
    ]
    assert (
        f'or one by one, on a resource the app creates itself: resource.move_from_id("{first}")'
        in diff.stdout
    )
    assert (
        "   A moved block carries the state, but these also change an attribute that forces a new "
        "resource, so they are replaced anyway: aws_cloudwatch_log_group.orders_worker_service_logs "
        "(name), aws_ecr_repository.orders_worker_repository (name), "
        "aws_iam_role.orders_worker_execution_role (name_prefix), aws_iam_role.orders_worker_task_role "
        "(name_prefix), aws_kms_alias.orders_worker_worker_alias (name), "
        "aws_secretsmanager_secret.orders_worker_database_url (name). Keep the old name for them.\n"
        in diff.stdout
    )

    # The moved blocks pasted into the app: only those six are left, each with its reason.
    (project / "app.py").write_text(
        (project / "app.py").read_text().replace("app.synth()", "\n".join([*moved, "app.synth()"]))
    )
    shell("git commit -q -am 'keep the worker: moved blocks'", cwd=project)
    diff = shell(diff_line, cwd=project, expect=1)
    assert re.search(
        rf"^== orders-dev: 0 added, 0 removed, \d+ changed, {count} moved \(moved blocks\)$",
        diff.stdout,
        re.M,
    )
    assert "LOOKS RENAMED" not in diff.stdout
    assert re.findall(r"^   RISK .*$", diff.stdout, re.M) == [
        "   RISK aws_cloudwatch_log_group.orders_jobs_worker_service_logs: replaced: name "
        '"/ecs/orders-worker" -> "/ecs/orders-jobs-worker" forces a new resource',
        '   RISK aws_ecr_repository.orders_jobs_worker_repository: replaced: name "orders-worker" -> '
        '"orders-jobs-worker" forces a new resource',
        "   RISK aws_iam_role.orders_jobs_worker_execution_role: replaced: name_prefix "
        '"orders-worker-exec-" -> "orders-jobs-worker-exec-" forces a new resource',
        "   RISK aws_iam_role.orders_jobs_worker_task_role: replaced: name_prefix "
        '"orders-worker-task-" -> "orders-jobs-worker-task-" forces a new resource',
        "   RISK aws_kms_alias.orders_jobs_worker_worker_alias: replaced: name "
        '"alias/orders-worker-worker" -> "alias/orders-jobs-worker-worker" forces a new resource',
        "   RISK aws_secretsmanager_secret.orders_jobs_worker_database_url: replaced: name "
        '"orders-worker/database-url" -> "orders-jobs-worker/database-url" forces a new resource',
    ]
    acknowledgements = re.findall(r"^   (--allow-replace \S+)$", diff.stdout, re.M)
    assert acknowledgements == [
        "--allow-replace orders-dev/aws_cloudwatch_log_group.orders_jobs_worker_service_logs",
        "--allow-replace orders-dev/aws_ecr_repository.orders_jobs_worker_repository",
        "--allow-replace orders-dev/aws_iam_role.orders_jobs_worker_execution_role",
        "--allow-replace orders-dev/aws_iam_role.orders_jobs_worker_task_role",
        "--allow-replace orders-dev/aws_kms_alias.orders_jobs_worker_worker_alias",
        "--allow-replace orders-dev/aws_secretsmanager_secret.orders_jobs_worker_database_url",
    ]
    # The team accepts a new log group, repository, roles, key alias and connection secret for the
    # new name (a role's name prefix and an alias's name cannot change in place).
    shell(" ".join([diff_line, *acknowledgements]), cwd=project)

    # The summary: the stack, the worker with its queue and dead letters, the nightly schedule.
    summary = shell(summary_line, cwd=project)
    # The marker first: how the workflow finds its one pull-request comment to update.
    assert summary.stdout.startswith("<!-- stackkit-summary -->\n# stackkit: infrastructure summary\n")
    assert "\n## orders-dev\n" in summary.stdout and "```mermaid\nflowchart LR\n" in summary.stdout
    for line in [
        '  aws_sqs_queue__orders_jobs_queue["SQS queue<br/>orders_jobs_queue"]',
        '  aws_scheduler_schedule__orders_nightly_schedule["schedule<br/>orders_nightly_schedule<br/>'
        'cron(0 3 * * ? *)"]',
        "  aws_ecs_service__orders_jobs_worker_service -->|consumes| aws_sqs_queue__orders_jobs_queue",
        "  aws_sqs_queue__orders_jobs_queue -->|dead letters| aws_sqs_queue__orders_jobs_dlq",
        "  aws_scheduler_schedule__orders_nightly_schedule -->|runs| "
        "aws_ecs_task_definition__orders_nightly_task_definition",
    ]:
        assert f"\n{line}\n" in summary.stdout, line

    # The cost, per month: a Multi-AZ db.t3.medium, 730 h x $0.156 (twice the single-AZ $0.078) =
    # $113.88, and two services of 3 tasks x (0.5 vCPU x $0.04048 + 1 GB x $0.004445 per hour) x
    # 730 h = $54.06 each (eu-west-1, the price table's figures, docs/gate/cost.md): $222.00.
    cost = shell(cost_line, cwd=project)
    assert cost.stdout.startswith("== orders-dev (eu-west-1): $222.00 per month\n"), cost.stdout
    assert re.search(
        r"^   aws_db_instance\.orders_db +\$113\.88  db\.t3\.medium Multi-AZ x 730 h$", cost.stdout, re.M
    )

    elapsed = time.monotonic() - started
    print("\n".join([*shell.log, f"first day in all: {elapsed:.1f} s"]))
    assert elapsed < TIME_BUDGET_SECONDS
