"""End to end, as another team uses stackkit: the built wheel in a fresh virtual environment (no
network: the locked packages come from the uv cache that ``uv sync`` filled), a repository made by
``stackkit init`` or written by hand, ``git init``, then ``stackkit check`` and ``stackkit diff``.
Nothing here imports this repository's environments; the gate runs the consumer's app."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.policy.test_cli import github_sarif_problems, sarif_schema_problems
from tests.project.test_wheel import ROOT, run, uv

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class Consumer:
    stackkit: Path
    env: dict[str, str]

    def __call__(self, *args: str, cwd: Path, expect: int = 0) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [str(self.stackkit), *args], cwd=cwd, env=self.env, capture_output=True, text=True, timeout=600
        )
        assert done.returncode == expect, (
            f"stackkit {' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
        )
        return done


@pytest.fixture(scope="module")
def consumer(tmp_path_factory: pytest.TempPathFactory) -> Consumer:
    """The wheel, installed with its locked runtime dependencies and the ``policy`` extra
    (Checkov) into one venv shared by this module's tests."""
    tmp = tmp_path_factory.mktemp("consumer-venv")
    tool = uv()
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PYTHONPATH", "VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT", "PYTHONHOME")
    }
    run([*tool, "build", "--wheel", "--offline", "--out-dir", str(tmp / "dist")], cwd=ROOT, env=clean)
    (wheel,) = (tmp / "dist").glob("stackkit-*-py3-none-any.whl")
    venv = tmp / "venv"
    run(
        [
            *tool,
            "sync",
            "--frozen",
            "--offline",
            "--no-dev",
            "--extra",
            "policy",
            "--no-install-project",
            "--python",
            sys.executable,
        ],
        cwd=ROOT,
        env={**clean, "UV_PROJECT_ENVIRONMENT": str(venv)},
    )
    run(
        [
            *tool,
            "pip",
            "install",
            "--python",
            str(venv / "bin" / "python"),
            "--offline",
            "--no-deps",
            str(wheel),
        ]
    )
    # As a team's CI would have it: the venv's bin and a supported Node (here the repo's pinned one).
    path = os.pathsep.join([str(venv / "bin"), str(ROOT / "node_modules" / ".bin"), clean.get("PATH", "")])
    env = {**clean, "PATH": path, "CHECKPOINT_DISABLE": "1"}
    env.update({"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com"})
    env.update({"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"})
    return Consumer(stackkit=venv / "bin" / "stackkit", env=env)


def line_of(text: str, marker: str) -> int:
    """The 1-based number of the line of ``text`` that contains ``marker``."""
    return next(number for number, line in enumerate(text.splitlines(), start=1) if marker in line)


def check_app_with_sarif(consumer: Consumer, cwd: Path, *, expect: int) -> subprocess.CompletedProcess[str]:
    """``stackkit check`` of the app ``python stacks.py`` into ``out``, SARIF to ``gate.sarif``."""
    return consumer(
        "check",
        "--app",
        "python stacks.py",
        "--outdir",
        "out",
        "--format",
        "sarif=gate.sarif",
        cwd=cwd,
        expect=expect,
    )


def results_at(sarif: dict[str, Any], uri: str) -> set[tuple[str, int]]:
    """``(rule id, start line)`` of each SARIF result located in the file ``uri``."""
    return {
        (r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"])
        for r in sarif["runs"][0]["results"]
        if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == uri
    }


def git(repo: Path, env: dict[str, str], *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def commit_all(repo: Path, env: dict[str, str], message: str) -> None:
    git(repo, env, "add", "-A")
    git(repo, env, "commit", "-q", "-m", message)


def test_init_check_and_diff_in_a_new_team_repository(consumer: Consumer, tmp_path: Path) -> None:
    repo = tmp_path / "orders"
    repo.mkdir()
    (repo / "notes.txt").write_text("not empty")
    refused = consumer("init", str(repo), cwd=tmp_path, expect=2)
    assert "is not empty" in refused.stderr and "--force" in refused.stderr
    (repo / "notes.txt").unlink()

    consumer("init", str(repo), cwd=tmp_path)
    files = {p.relative_to(repo).as_posix() for p in repo.rglob("*") if p.is_file()}
    assert files == {
        "cdktf.json",
        "app.py",
        "pyproject.toml",
        "package.json",
        ".gitignore",
        "README.md",
        ".github/workflows/pull-request.yml",
    }
    app = (repo / "app.py").read_text()
    assert "PLACEHOLDER" in app and "from stackkit import" in app
    assert "gate.yml@v" in (repo / ".github/workflows/pull-request.yml").read_text()
    git(repo, consumer.env, "init", "-q")
    commit_all(repo, consumer.env, "stackkit init")

    checked = consumer("check", "--format", "sarif=reports/gate.sarif", cwd=repo)
    assert re.search(r"^orders-dev +ok ", checked.stdout, re.M), checked.stdout
    assert re.search(r"^1 stacks: \d+ passed, 0 failed", checked.stdout, re.M), checked.stdout
    assert github_sarif_problems(json.loads((repo / "reports" / "gate.sarif").read_text())) == []

    # The database identifier forces a replacement: a destroyed database.
    (repo / "app.py").write_text(
        app.replace("DatabaseProps(name=PROJECT,", 'DatabaseProps(name=PROJECT, identifier="orders-main-db",')
    )
    assert (repo / "app.py").read_text() != app
    commit_all(repo, consumer.env, "rename the database")
    diff = consumer("diff", "HEAD~1", "HEAD", cwd=repo, expect=1)
    assert re.search(r"RISK aws_db_instance\.orders_db: .*identifier", diff.stdout), diff.stdout
    assert "  --allow-replace orders-dev/aws_db_instance.orders_db" in diff.stdout


CONSUMER_APP = '''"""Two stacks in one app, written by hand (no cdktf.json: run with --app)."""
import os

from stackkit import Cluster, ClusterProps, Database, DatabaseProps, ExistingNetwork, Service, ServiceProps
from cdktf import App, TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider, AwsProviderDefaultTags

NETWORK = ExistingNetwork(
    vpc_id="vpc-0a1b2c3d4e5f67890",
    public_subnet_ids=("subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"),
    private_subnet_ids=("subnet-0a1b2c3d4e5f60011", "subnet-0a1b2c3d4e5f60012"),
    isolated_subnet_ids=("subnet-0a1b2c3d4e5f60021", "subnet-0a1b2c3d4e5f60022"),
    cidr="10.20.0.0/16",
)
CERTIFICATE = "arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-1234-1234-123456789012"


def team_stack(app, name, environment):
    stack = TerraformStack(app, name)
    tags = {"Project": "shop", "Environment": environment, "ManagedBy": "cdktf", "Owner": "shop-team"}
    AwsProvider(stack, "aws", region="eu-west-1", default_tags=[AwsProviderDefaultTags(tags=tags)])
    database = Database(stack, "db", DatabaseProps(name=DB_NAME, network=NETWORK))
    cluster = Cluster(stack, "cluster", ClusterProps(name="shop"))
    Service(  # SERVICE LINE
        stack,
        "api",
        ServiceProps(name="shop-api", certificate_arn=CERTIFICATE),
        network=NETWORK,
        cluster=cluster,
        database=database,
    )


DB_NAME = "shop"
app = App(outdir=os.environ.get("CDKTF_OUTDIR", "cdktf.out"))
team_stack(app, "shop-dev", "dev")
team_stack(app, "shop-live", "production")
app.synth()
'''


def test_a_hand_written_two_stack_app_with_app_flag(consumer: Consumer, tmp_path: Path) -> None:
    """The live stack is tagged Environment=production but its Service was built with the
    non-production default: the gate refuses the recorded ALB skip there, reports it on the
    Python line that made the Service, and passes the dev stack."""
    repo = tmp_path / "shop"
    (repo / "infra").mkdir(parents=True)
    (repo / "infra" / "stacks.py").write_text(CONSUMER_APP)
    git(repo, consumer.env, "init", "-q")
    commit_all(repo, consumer.env, "two stacks")
    project = repo / "infra"  # a subfolder: SARIF paths are relative to the repository root
    service_line = line_of(CONSUMER_APP, "# SERVICE LINE")

    checked = check_app_with_sarif(consumer, project, expect=1)
    assert re.search(r"^shop-dev +ok ", checked.stdout, re.M), checked.stdout
    assert re.search(r"^shop-live +FAILED ", checked.stdout, re.M)
    assert re.search(r"^2 stacks: ", checked.stdout, re.M)
    assert "Environment is 'production'" in checked.stdout
    sarif = json.loads((project / "gate.sarif").read_text())
    assert github_sarif_problems(sarif) == []
    assert sarif_schema_problems(sarif) == []
    (result,) = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "CKV_AWS_150"]
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "infra/stacks.py"
    assert location["region"]["startLine"] == service_line
    related = result["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert related == "infra/out/stacks/shop-live/cdk.tf.json"

    only_dev = consumer("check", "--from", "out", "--env", "shop-dev", cwd=project)
    assert "1 stacks:" in only_dev.stdout and "shop-live" not in only_dev.stdout

    (repo / "infra" / "stacks.py").write_text(CONSUMER_APP.replace('DB_NAME = "shop"', 'DB_NAME = "shop2"'))
    commit_all(repo, consumer.env, "rename the database")
    diff = consumer("diff", "--app", "python stacks.py", "HEAD~1", "HEAD", cwd=project, expect=1)
    for stack in ("shop-dev", "shop-live"):
        assert f"  --allow-replace {stack}/aws_db_instance.shop_db" in diff.stdout, diff.stdout


TEAM_IAM_APP = '''"""A team's two stacks: one grants its task role five escalations, one a scoped policy."""
import os

import stackkit  # first: makes loading the AWS provider bindings fast
from cdktf import App, TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider, AwsProviderDefaultTags
from stackkit import Cluster, ClusterProps, EncryptionKey, EncryptionKeyProps
from stackkit import FargateTaskDefinition, FargateTaskDefinitionProps

ROLES = "arn:aws:iam::123456789012:role/team-*"
POLICIES = "arn:aws:iam::123456789012:policy/team-*"
IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/team-jobs:1.0.0"


def allow(actions, resource="*"):
    return {"Effect": "Allow", "Action": actions, "Resource": resource}


def jobs(app, name):
    stack = TerraformStack(app, name)
    tags = {"Project": "team", "Environment": "dev", "ManagedBy": "cdktf", "Owner": "team"}
    AwsProvider(stack, "aws", region="eu-west-1", default_tags=[AwsProviderDefaultTags(tags=tags)])
    key_props = EncryptionKeyProps(name=f"{name}-key", description="jobs", allow_cloudwatch_logs=True)
    key = EncryptionKey(stack, "key", key_props)
    cluster = Cluster(stack, "cluster", ClusterProps(name=name))
    props = FargateTaskDefinitionProps(name=f"{name}-jobs", image=IMAGE, container_port=None, command=("x",))
    return FargateTaskDefinition(stack, "jobs", props, cluster=cluster, kms_key_arn=key.arn)


app = App(outdir=os.environ.get("CDKTF_OUTDIR", "cdktf.out"))
risky = jobs(app, "team-risky")
risky.add_to_task_role("make_roles", allow(["iam:CreateRole", "iam:AttachRolePolicy"], ROLES))  # MAKE_ROLES
LAMBDA = ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"]
risky.add_to_task_role("lambda", allow(LAMBDA))  # LAMBDA
risky.add_to_task_role("versions", allow("iam:CreatePolicyVersion", POLICIES))  # VERSIONS
risky.add_to_task_role("typo", allow("s3:GetObjcet", "arn:aws:s3:::team-data/*"))  # TYPO
risky.add_to_task_role("trust", allow("iam:UpdateAssumeRolePolicy", ROLES))  # TRUST
ok = jobs(app, "team-ok")
ok.add_to_task_role("data", allow(["s3:GetObject", "s3:PutObject"], "arn:aws:s3:::team-data/*"))  # HARMLESS
app.synth()
'''


def test_a_team_s_escalating_grants_fail_the_gate_at_their_lines(consumer: Consumer, tmp_path: Path) -> None:
    """Issue 23, as a team runs it: the wheel's `stackkit check` over a hand-written app whose task
    role is granted the five classic mistakes (one `add_to_task_role` line each) fails with each
    finding at its line; the stack with a scoped grant passes on its own."""
    repo = tmp_path / "team"
    repo.mkdir()
    (repo / "stacks.py").write_text(TEAM_IAM_APP)
    git(repo, consumer.env, "init", "-q")
    lines = {
        marker: line_of(TEAM_IAM_APP, f"# {marker}")
        for marker in ("MAKE_ROLES", "LAMBDA", "VERSIONS", "TYPO", "TRUST")
    }
    checked = check_app_with_sarif(consumer, repo, expect=1)
    assert re.search(r"^team-ok +ok ", checked.stdout, re.M), checked.stdout
    assert re.search(r"^team-risky +FAILED ", checked.stdout, re.M)
    assert "s3:GetObjcet (did you mean s3:GetObject?)" in checked.stdout
    sarif = json.loads((repo / "gate.sarif").read_text())
    assert github_sarif_problems(sarif) == []
    assert sarif_schema_problems(sarif) == []
    at = results_at(sarif, "stacks.py")
    assert {
        ("IAM_STACKKIT_ROLE_WITHOUT_BOUNDARY", lines["MAKE_ROLES"]),
        ("IAM_CLOUDSPLAINING_PRIVILEGE_ESCALATION", lines["LAMBDA"]),
        ("IAM_STACKKIT_PASSROLE_ANY", lines["LAMBDA"]),
        ("IAM_STACKKIT_POLICY_VERSION", lines["VERSIONS"]),
        ("IAM_PARLIAMENT_UNKNOWN_ACTION", lines["TYPO"]),
        ("IAM_STACKKIT_UPDATE_ASSUME_ROLE_POLICY", lines["TRUST"]),
    } <= at
    consumer("check", "--from", "out", "--env", "team-ok", cwd=repo)  # exit 0


TEAM_BINDINGS_APP = '''"""A team's own IAM resources, provider bindings only (no stackkit construct)."""
import json
import os

import stackkit  # first: makes loading the AWS provider bindings fast
from cdktf import App, Fn, TerraformStack
from cdktf_cdktf_provider_aws.data_aws_iam_policy_document import (
    DataAwsIamPolicyDocument,
    DataAwsIamPolicyDocumentStatement,
)
from cdktf_cdktf_provider_aws.iam_policy import IamPolicy
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.iam_role_policy import IamRolePolicy
from cdktf_cdktf_provider_aws.iam_role_policy_attachment import IamRolePolicyAttachment
from cdktf_cdktf_provider_aws.iam_user import IamUser
from cdktf_cdktf_provider_aws.iam_user_policy import IamUserPolicy
from cdktf_cdktf_provider_aws.provider import AwsProvider, AwsProviderDefaultTags

ROLES = "arn:aws:iam::123456789012:role/team-*"
USER_ARNS = "arn:aws:iam::123456789012:user/team-*"
TRUST = {"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}


def document(*statements):
    return {"Version": "2012-10-17", "Statement": list(statements)}


def allow(actions, resource="*"):
    return {"Effect": "Allow", "Action": actions, "Resource": resource}


def stack(app, name):
    made = TerraformStack(app, name)
    tags = {"Project": "team", "Environment": "dev", "ManagedBy": "cdktf", "Owner": "team"}
    AwsProvider(made, "aws", region="eu-west-1", default_tags=[AwsProviderDefaultTags(tags=tags)])
    return made, IamRole(made, "worker", name="team-worker", assume_role_policy=json.dumps(document(TRUST)))


app = App(outdir=os.environ.get("CDKTF_OUTDIR", "cdktf.out"))
risky, role = stack(app, "team-risky")
MAKE = json.dumps(document(allow(["iam:CreateRole", "iam:AttachRolePolicy"], ROLES)))
made = IamPolicy(risky, "make", name="team-make", policy=MAKE)  # MANAGED
IamRolePolicyAttachment(risky, "make_attachment", role=role.name, policy_arn=made.arn)
user = IamUser(risky, "deployer", name="team-deployer")
USERS = json.dumps(document(allow(["iam:CreateUser", "iam:AttachUserPolicy"], USER_ARNS)))
IamUserPolicy(risky, "users", user=user.name, policy=USERS)  # USERS
PASS = allow("iam:PassRole", "arn:aws:iam::*:role/*")
LAMBDA = document(PASS, allow(["lambda:CreateFunction", "lambda:InvokeFunction"]))
IamRolePolicy(risky, "lambda", role=role.name, policy=Fn.jsonencode(LAMBDA))  # LAMBDA
VERSION = DataAwsIamPolicyDocumentStatement(actions=["iam:CreatePolicyVersion"], resources=[made.arn])
versions = DataAwsIamPolicyDocument(risky, "versions", statement=[VERSION])  # VERSIONS
IamRolePolicy(risky, "versions_policy", role=role.name, policy=versions.json)
TYPO = json.dumps(document(allow("ec2:DescribeInstance")))
IamRolePolicy(risky, "typo", role=role.id, policy=TYPO)  # TYPO
TRUST_CHANGES = json.dumps(document(allow("iam:UpdateAssumeRolePolicy", role.arn)))
IamRolePolicy(risky, "trust", role=role.name, policy=TRUST_CHANGES)  # TRUST
fine, fine_role = stack(app, "team-ok")
QUEUE = "arn:aws:sqs:eu-west-1:123456789012:team-jobs"
DATA = document(allow("s3:GetObject", "arn:aws:s3:::team-data/*"), allow("sqs:SendMessage", QUEUE))
IamRolePolicy(fine, "data", role=fine_role.name, policy=json.dumps(DATA))
OWN = document(allow("iam:UpdateAssumeRolePolicy", "arn:aws:iam::123456789012:role/team-x"))
own = IamRolePolicy(fine, "own", role=fine_role.name, policy=Fn.jsonencode(OWN))
WHY = "team-x is this worker's own role, reviewed"
stackkit.skip_check(own, "IAM_STACKKIT_UPDATE_ASSUME_ROLE_POLICY", WHY)
app.synth()
'''


def test_a_team_s_own_provider_bindings_fail_the_gate_at_their_lines(
    consumer: Consumer, tmp_path: Path
) -> None:
    """The issue 23 cases written as a team writes its own resources (provider bindings, a managed
    policy and its attachment, a user policy, Fn.jsonencode, a policy document data source): the
    wheel's `stackkit check` fails with each finding at the line that made the resource; the stack
    with a scoped policy and a reasoned skip passes on its own."""
    repo = tmp_path / "team"
    repo.mkdir()
    (repo / "stacks.py").write_text(TEAM_BINDINGS_APP)
    git(repo, consumer.env, "init", "-q")
    lines = {
        marker: line_of(TEAM_BINDINGS_APP, f"# {marker}")
        for marker in ("MANAGED", "USERS", "LAMBDA", "VERSIONS", "TYPO", "TRUST")
    }
    checked = check_app_with_sarif(consumer, repo, expect=1)
    assert re.search(r"^team-ok +ok .* skipped +1$", checked.stdout, re.M), checked.stdout
    assert re.search(r"^team-risky +FAILED ", checked.stdout, re.M)
    sarif = json.loads((repo / "gate.sarif").read_text())
    assert github_sarif_problems(sarif) == []
    at = results_at(sarif, "stacks.py")
    assert {
        ("IAM_STACKKIT_ROLE_WITHOUT_BOUNDARY", lines["MANAGED"]),
        ("IAM_STACKKIT_ROLE_WITHOUT_BOUNDARY", lines["USERS"]),
        ("IAM_STACKKIT_PASSROLE_ANY", lines["LAMBDA"]),
        ("IAM_STACKKIT_POLICY_VERSION", lines["VERSIONS"]),
        ("IAM_PARLIAMENT_UNKNOWN_ACTION", lines["TYPO"]),
        ("IAM_STACKKIT_UPDATE_ASSUME_ROLE_POLICY", lines["TRUST"]),
    } <= at
    consumer("check", "--from", "out", "--env", "team-ok", cwd=repo)  # exit 0
