"""Issue 15: the per-environment bootstrap stack (state bucket, GitHub OIDC, CI roles)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from stackkit.policy.checkov import StackReport
from stacks.environments import ENVIRONMENT_NAMES, GITHUB_REPOSITORY, load_environment
from tests.conftest import StackJson, ref, resources


def one(stack: StackJson, resource_type: str) -> dict[str, Any]:
    (body,) = resources(stack, resource_type).values()
    return body


@pytest.mark.parametrize("env", ENVIRONMENT_NAMES)
def test_the_state_bucket_is_versioned_encrypted_tls_only_and_private(
    bootstraps: dict[str, StackJson], stacks: dict[str, StackJson], env: str
) -> None:
    stack = bootstraps[env]
    bucket = one(stack, "aws_s3_bucket")
    config = load_environment(env)
    assert bucket["bucket"] == config.state_bucket == stacks[env]["terraform"]["backend"]["s3"]["bucket"]
    assert bucket["lifecycle"] == {"prevent_destroy": True} and bucket["force_destroy"] is False
    assert one(stack, "aws_s3_bucket_versioning")["versioning_configuration"] == {"status": "Enabled"}
    (rule,) = one(stack, "aws_s3_bucket_server_side_encryption_configuration")["rule"]
    default = rule["apply_server_side_encryption_by_default"]
    assert default["sse_algorithm"] == "aws:kms" and ref(default["kms_master_key_id"]).startswith(
        "aws_kms_key."
    )
    block = one(stack, "aws_s3_bucket_public_access_block")
    assert all(
        block[k] is True
        for k in ("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets")
    )
    statements = {s["Sid"]: s for s in json.loads(one(stack, "aws_s3_bucket_policy")["policy"])["Statement"]}
    assert set(statements) == {"StateKeyEncryptionOnly", "TlsOnly"}
    deny = statements["TlsOnly"]
    assert deny["Effect"] == "Deny" and deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    # Its own state goes into the bucket it creates (after a first run on local state).
    backend = stack["terraform"]["backend"]["s3"]
    assert backend["bucket"] == config.state_bucket and backend["key"] == f"stackkit/{env}/bootstrap.tfstate"
    assert backend["use_lockfile"] is True and backend["encrypt"] is True


def trust(role: dict[str, Any]) -> dict[str, Any]:
    (statement,) = json.loads(role["assume_role_policy"])["Statement"]
    assert isinstance(statement, dict)
    return statement


@pytest.mark.parametrize("env", ENVIRONMENT_NAMES)
def test_ci_roles_trust_only_this_repository_one_github_environment_and_the_deploy_workflow(
    bootstraps: dict[str, StackJson], env: str
) -> None:
    stack = bootstraps[env]
    provider = one(stack, "aws_iam_openid_connect_provider")
    assert provider["url"] == "https://token.actions.githubusercontent.com"
    assert provider["client_id_list"] == ["sts.amazonaws.com"]
    roles = resources(stack, "aws_iam_role")
    expected = {"plan": f"{env}-plan", "image": f"{env}-plan", "deploy": env}
    assert {r["name"] for r in roles.values()} == {f"stackkit-{env}-github-{kind}" for kind in expected}
    assert {r["path"] for r in roles.values()} == {"/github/"}
    for kind, github_environment in expected.items():
        # Issue 23: the sub of the subject template repo, context, job_workflow_ref (GitHub docs,
        # "OpenID Connect reference", "Example: Requiring a reusable workflow and other claims").
        subject = (
            f"repo:{GITHUB_REPOSITORY}:environment:{github_environment}:job_workflow_ref:"
            f"{GITHUB_REPOSITORY}/.github/workflows/deploy-environment.yml@refs/heads/main"
        )
        statement = trust(roles[f"stackkit_{env}_github_{kind}_role"])
        assert statement["Action"] == "sts:AssumeRoleWithWebIdentity"
        assert (
            ref(statement["Principal"]["Federated"])
            == f"aws_iam_openid_connect_provider.stackkit_{env}_github_oidc"
        )
        assert statement["Condition"] == {
            "StringEquals": {
                "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                "token.actions.githubusercontent.com:sub": subject,
            }
        }


def inline(stack: StackJson, kind: str, env: str) -> dict[str, dict[str, Any]]:
    body = resources(stack, "aws_iam_role_policy")[f"stackkit_{env}_github_{kind}_policy"]
    return {s["Sid"]: s for s in json.loads(body["policy"])["Statement"]}


def managed(stack: StackJson, kind: str) -> list[str]:
    return sorted(
        a["policy_arn"].rsplit("/", 1)[1]
        for a in resources(stack, "aws_iam_role_policy_attachment").values()
        if f"_github_{kind}_role" in a["role"]
    )


@pytest.mark.parametrize("env", ENVIRONMENT_NAMES)
def test_the_plan_role_only_reads_and_the_deploy_role_cannot_touch_ci_roles(
    bootstraps: dict[str, StackJson], env: str
) -> None:
    stack = bootstraps[env]
    assert managed(stack, "plan") == ["ReadOnlyAccess"]
    plan = inline(stack, "plan", env)
    writes = [
        s
        for s in plan.values()
        if any(a.startswith(("s3:Put", "s3:Delete")) for a in json.dumps(s["Action"]).split('"'))
    ]
    assert [s["Sid"] for s in writes] == ["StateLock"] and writes[0]["Resource"].endswith("/*.tflock")
    assert managed(stack, "image") == []
    image = inline(stack, "image", env)
    # Exactly the environment's repositories, all created by this stack (issue 15).
    assert image["PushProjectImages"]["Resource"] == [
        "${aws_ecr_repository.stackkit_api_repository.arn}"
    ] and set(resources(stack, "aws_ecr_repository")) == {"stackkit_api_repository"}
    assert managed(stack, "deploy") == ["PowerUserAccess"]
    deploy = inline(stack, "deploy", env)
    assert deploy["DenyCiAndBreakGlassRoles"]["Effect"] == "Deny"
    assert deploy["DenyCiAndBreakGlassRoles"]["Resource"][0].endswith(":role/github/*")
    assert deploy["CreateBoundedProjectRoles"]["Resource"].endswith(":role/stackkit-*")


@pytest.mark.slow
def test_checkov_passes_the_bootstrap_stacks(checkov_reports: dict[str, StackReport]) -> None:
    for env in ENVIRONMENT_NAMES:
        report = checkov_reports[f"{env}-bootstrap"]
        assert [f"{f.check_id} {f.resource}" for f in report.failed] == []
        assert len(report.passed) >= 50
        assert {f.check_id for f in report.skipped} == {"CKV_AWS_18", "CKV_AWS_144", "CKV2_AWS_62"}


@pytest.mark.parametrize("env", ENVIRONMENT_NAMES)
def test_the_bootstrap_stack_creates_the_image_repositories_before_the_app_stack(
    bootstraps: dict[str, StackJson], stacks: dict[str, StackJson], env: str
) -> None:
    stack = bootstraps[env]
    repository = resources(stack, "aws_ecr_repository")["stackkit_api_repository"]
    # The settings of ImageRepository, as in the app stack of stackkit 0.1.
    assert repository["name"] == "stackkit-api"
    assert repository["image_tag_mutability"] == "IMMUTABLE"
    assert repository["image_scanning_configuration"] == {"scan_on_push": True}
    assert repository["force_delete"] is False
    (encryption,) = repository["encryption_configuration"]
    assert encryption["encryption_type"] == "KMS"
    assert ref(encryption["kms_key"]) == f"aws_kms_key.stackkit_{env}_images_key"
    key = resources(stack, "aws_kms_key")[f"stackkit_{env}_images_key"]
    assert key["enable_key_rotation"] is True
    # Imported (it exists in these environments): the encryption setting is immutable in ECR.
    assert repository["lifecycle"] == {
        "prevent_destroy": True,
        "ignore_changes": ["encryption_configuration"],
    }
    (policy,) = resources(stack, "aws_ecr_lifecycle_policy").values()
    assert policy["repository"] == "${aws_ecr_repository.stackkit_api_repository.name}"
    rule = json.loads(policy["policy"])["rules"][0]
    assert rule["selection"]["tagStatus"] == "untagged" and rule["action"] == {"type": "expire"}
    assert stack["output"]["image_repositories"]["value"] == {
        "stackkit-api": "${aws_ecr_repository.stackkit_api_repository.repository_url}"
    }
    # The app stack creates none and pulls from the bootstrap stack's, by name.
    app = stacks[env]
    assert resources(app, "aws_ecr_repository") == {} and resources(app, "aws_ecr_lifecycle_policy") == {}
    url = app["output"]["ecr_repository_url"]["value"]
    assert re.fullmatch(
        r"\$\{data\.aws_caller_identity\.[^}]+\.account_id\}\.dkr\.ecr\.\$\{data\.aws_region\.[^}]+\.region\}"
        r"\.\$\{data\.aws_partition\.[^}]+\.dns_suffix\}/stackkit-api",
        url,
    ), url


def test_a_new_environment_creates_its_repositories_without_imports(tmp_path: Path) -> None:
    from stackkit._private.cdk import App
    from stackkit.patterns import BootstrapStack, EnvironmentStack

    config = load_environment("dev", adopt_image_repositories=False)
    app = App(outdir=str(tmp_path))
    EnvironmentStack(app, config)
    BootstrapStack(app, config)
    app.synth()
    bootstrap = json.loads((tmp_path / "stacks" / "dev-bootstrap" / "cdk.tf.json").read_text())
    application = json.loads((tmp_path / "stacks" / "dev" / "cdk.tf.json").read_text())
    # An import of a repository that does not exist would fail the plan; nothing to forget.
    assert "import" not in bootstrap and "removed" not in application
    repository = resources(bootstrap, "aws_ecr_repository")["stackkit_api_repository"]
    assert repository["lifecycle"] == {"prevent_destroy": True}
    assert resources(application, "aws_ecr_repository") == {}


def test_the_documented_first_deploy_has_no_targeted_apply() -> None:
    page = (Path(__file__).resolve().parents[2] / "docs" / "deploying.md").read_text()
    section = page.split("## A new environment, from nothing to its first deploy", 1)[1].split("\n## ", 1)[0]
    # The repositories come with the bootstrap stack: no `-target` workaround any more.
    assert "-target" not in section
    # The administrator's bootstrap stack first, then CI: image -> plan -> apply.
    assert section.index("cd cdktf.out/stacks/<env>-bootstrap") < section.index(
        "bootstrap check -> image -> plan -> apply"
    )
    override = next(
        line for line in section.splitlines() if "backend_override.tf.json" in line and "echo" in line
    )
    assert json.loads(override.split("'")[1]) == {"terraform": {"backend": {"local": {}}}}


def test_without_a_bootstrap_stack_the_app_stack_keeps_its_own_repository(tmp_path: Path) -> None:
    from stackkit._private.cdk import App
    from stackkit.patterns import EnvironmentStack

    config = load_environment(
        "dev",
        github_repository=None,
        adopt_image_repositories=False,
        state_kms_key_id="arn:aws:kms:us-east-1:111111111111:alias/my-state-key",
    )
    app = App(outdir=str(tmp_path))
    EnvironmentStack(app, config)
    app.synth()
    application = json.loads((tmp_path / "stacks" / "dev" / "cdk.tf.json").read_text())
    # stackkit 0.1's address, and nothing is forgotten.
    assert list(resources(application, "aws_ecr_repository")) == ["stackkit_api_repository"]
    assert "removed" not in application


def test_adopting_repositories_needs_the_bootstrap_stack() -> None:
    from stackkit import ValidationError

    with pytest.raises((ValidationError, ValueError), match="adopt_image_repositories"):
        load_environment("dev", github_repository=None, adopt_image_repositories=True)
