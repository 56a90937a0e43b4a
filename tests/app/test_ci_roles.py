"""Issue 23: what the CI roles may do in a real account, on the synthesized JSON.

Item 2 (the plan role decrypts exactly the secrets a plan reads), 3 (the deploy role cannot make
itself an administrator: boundary on every role-making grant, guardrails, the CI and break-glass
roles out of reach), 4 (state encrypted with the state key), 6 (the ``sub`` pins the workflow and
its ref) and the generated docs table. Each test names the document it follows.
"""

from __future__ import annotations

import fnmatch
import importlib.util
import json
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from stackkit import ValidationError
from stackkit.patterns.ci_roles import REASONS
from stacks.environments import ENVIRONMENT_NAMES, load_environment
from tests.conftest import StackJson, resources

ROOT = Path(__file__).resolve().parents[2]
PARTITION = r"\$\{data\.aws_partition\.[^}]+\.partition\}"
ACCOUNT = r"\$\{data\.aws_caller_identity\.[^}]+\.account_id\}"
ACCOUNTS = {"dev": "111111111111", "staging": "222222222222", "prod": "333333333333"}


def policy(stack: StackJson, kind: str, env: str) -> list[dict[str, Any]]:
    body = resources(stack, "aws_iam_role_policy")[f"stackkit_{env}_github_{kind}_policy"]
    statements: list[dict[str, Any]] = json.loads(body["policy"])["Statement"]
    return statements


def by_sid(statements: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {statement["Sid"]: statement for statement in statements}


def as_list(value: Any) -> list[str]:
    return list(value) if isinstance(value, list) else [value]


def boundary(stack: StackJson) -> dict[str, Any]:
    (body,) = resources(stack, "aws_iam_policy").values()
    return body


def boundary_arn_pattern(env: str) -> str:
    return f"arn:{PARTITION}:iam::{ACCOUNT}:policy/stackkit-{env}-permissions-boundary"


# --- item 2: plan reads secrets, and may decrypt exactly those ----------------------------------


def secrets_a_plan_reads(app: StackJson) -> set[str]:
    """Names of the secrets whose values a plan of the app stack reads: its data sources and
    ephemeral resources, and every secret version it manages (a plan refreshes each one, and the
    AWS provider reads a version back with GetSecretValue: ``resourceSecretVersionRead``)."""
    secrets = resources(app, "aws_secretsmanager_secret")
    reads = [
        *app.get("data", {}).get("aws_secretsmanager_secret_version", {}).values(),
        *app.get("ephemeral", {}).get("aws_secretsmanager_secret_version", {}).values(),
        *resources(app, "aws_secretsmanager_secret_version").values(),
    ]
    assert reads, "the app stack reads the cache AUTH secret while planning"
    names = set()
    for read in reads:
        (address,) = set(re.findall(r"aws_secretsmanager_secret\.([A-Za-z0-9_]+)\.", read["secret_id"]))
        names.add(secrets[address]["name"])
    return names


def plan_secret_names(bootstrap: StackJson, env: str) -> list[str]:
    """The secret names in the plan role's ReadPlanSecrets resources (``...:secret:<name>-??????``)."""
    statement = by_sid(policy(bootstrap, "plan", env))["ReadPlanSecrets"]
    return [arn.split(":secret:", 1)[1].removesuffix("-??????") for arn in as_list(statement["Resource"])]


@pytest.mark.parametrize("env", ENVIRONMENT_NAMES)
def test_the_plan_role_reads_and_decrypts_exactly_the_secrets_a_plan_reads(
    bootstraps: dict[str, StackJson], stacks: dict[str, StackJson], env: str
) -> None:
    """Secrets Manager decrypts with kms:Decrypt on the caller's behalf, the secret's ARN in the
    encryption context (Secrets Manager user guide, "Secret encryption and decryption in AWS Secrets
    Manager"; the conditions of AWS's managed AWSSecretsManagerClientReadOnlyAccess)."""
    read = secrets_a_plan_reads(stacks[env])
    assert read == {
        "stackkit-api/database-url",
        "stackkit-api/redis-url",
        "stackkit-cache/auth-token",
        "stackkit-db-bootstrap/database-url",
    }
    assert plan_secret_names(bootstraps[env], env) == sorted(read)
    arns = [
        f"arn:${{data.aws_partition.stackkit-aws-context_partition_89344F3A.partition}}:secretsmanager:us-east-1:"
        f"${{data.aws_caller_identity.stackkit-aws-context_caller_002AD00C.account_id}}:secret:{name}-??????"
        for name in sorted(read)
    ]
    plan = by_sid(policy(bootstraps[env], "plan", env))
    assert plan["ReadPlanSecrets"] == {
        "Sid": "ReadPlanSecrets",
        "Effect": "Allow",
        "Action": "secretsmanager:GetSecretValue",
        "Resource": arns,
    }
    decrypt = plan["DecryptPlanSecrets"]
    assert decrypt["Action"] == "kms:Decrypt" and decrypt["Effect"] == "Allow"
    assert decrypt["Condition"] == {
        "StringEquals": {"kms:ViaService": "secretsmanager.us-east-1.amazonaws.com"},
        "StringLike": {"kms:EncryptionContext:SecretARN": arns},
    }
    # The app stack encrypts them with three of its keys: decrypting them needs exactly this grant,
    # whatever the key (each key's policy delegates to IAM: its AccountAdministers statement).
    keys = {s["name"]: s["kms_key_id"] for s in resources(stacks[env], "aws_secretsmanager_secret").values()}
    assert {name: keys[name] for name in read} == {
        "stackkit-api/database-url": "${aws_kms_key.stackkit_api_service_key.arn}",
        "stackkit-api/redis-url": "${aws_kms_key.stackkit_api_service_key.arn}",
        "stackkit-cache/auth-token": "${aws_kms_key.stackkit_cache_key.arn}",
        "stackkit-db-bootstrap/database-url": "${aws_kms_key.stackkit_db_key.arn}",
    }
    for key in ("stackkit_api_service_key", "stackkit_cache_key", "stackkit_db_key"):
        (first, *_rest) = json.loads(resources(stacks[env], "aws_kms_key")[key]["policy"])["Statement"]
        assert first["Sid"] == "AccountAdministers" and first["Action"] == "kms:*"
    # No other secret or key: kms only on the state key and through Secrets Manager for these.
    reads_secrets = [
        s["Sid"] for s in plan.values() if "secretsmanager:GetSecretValue" in as_list(s["Action"])
    ]
    decrypts = [s["Sid"] for s in plan.values() if "kms:Decrypt" in as_list(s["Action"])]
    assert reads_secrets == ["ReadPlanSecrets"] and sorted(decrypts) == ["DecryptPlanSecrets", "StateKey"]
    # The ephemeral random password the cache generates is opened while planning too.
    assert "aws_secretsmanager_random_password" in stacks[env]["ephemeral"]
    assert plan["RandomPasswordAtPlan"]["Action"] == "secretsmanager:GetRandomPassword"


@pytest.mark.parametrize("env", ENVIRONMENT_NAMES)
def test_the_image_role_only_pushes_to_its_repositories(bootstraps: dict[str, StackJson], env: str) -> None:
    """No KMS grant: ECR uses its own grant on the repository key (ECR user guide, "Encryption at rest")."""
    image = policy(bootstraps[env], "image", env)
    assert [s["Sid"] for s in image] == ["RegistryLogin", "PushProjectImages"]
    assert not any(a.startswith("kms:") for s in image for a in as_list(s["Action"]))


# --- item 3: the deploy role cannot make itself an administrator --------------------------------

#: Actions that make or change a role's or a policy's permissions (IAM privilege escalation paths).
ROLE_OR_POLICY_MAKING = {
    "iam:AttachRolePolicy",
    "iam:CreatePolicy",
    "iam:CreatePolicyVersion",
    "iam:CreateRole",
    "iam:DeleteRolePermissionsBoundary",
    "iam:DeleteRolePolicy",
    "iam:DetachRolePolicy",
    "iam:PutRolePermissionsBoundary",
    "iam:PutRolePolicy",
    "iam:SetDefaultPolicyVersion",
    "iam:UpdateAssumeRolePolicy",
}


@pytest.mark.parametrize("env", ENVIRONMENT_NAMES)
def test_every_role_making_grant_of_the_deploy_role_requires_the_boundary(
    bootstraps: dict[str, StackJson], env: str
) -> None:
    """IAM user guide, "Permissions boundaries for IAM entities": iam:PermissionsBoundary on every
    role-making grant; the Service Authorization Reference gives the key to CreateRole,
    AttachRolePolicy, PutRolePolicy, DetachRolePolicy, DeleteRolePolicy, PutRolePermissionsBoundary
    and not to UpdateAssumeRolePolicy, so that one is not granted at all."""
    allows = [s for s in policy(bootstraps[env], "deploy", env) if s["Effect"] == "Allow"]
    making = [(s, a) for s in allows for a in as_list(s["Action"]) if a in ROLE_OR_POLICY_MAKING]
    assert sorted(a for _, a in making) == [
        "iam:AttachRolePolicy",
        "iam:CreateRole",
        "iam:DeleteRolePolicy",
        "iam:DetachRolePolicy",
        "iam:PutRolePermissionsBoundary",
        "iam:PutRolePolicy",
    ]
    for statement, _ in making:
        (arn,) = statement["Condition"]["StringEquals"].values()
        assert list(statement["Condition"]) == ["StringEquals"]
        assert list(statement["Condition"]["StringEquals"]) == ["iam:PermissionsBoundary"]
        assert re.fullmatch(boundary_arn_pattern(env), arn), arn
    # No iam wildcard action, no PassRole to "*", nothing on every role.
    actions = [a for s in allows for a in as_list(s["Action"])]
    assert not [a for a in actions if a.startswith("iam:") and "*" in a]
    passes = [r for s in allows if "iam:PassRole" in as_list(s["Action"]) for r in as_list(s["Resource"])]
    assert len(passes) == 1 and re.fullmatch(f"arn:{PARTITION}:iam::{ACCOUNT}:role/stackkit-\\*", passes[0])


@pytest.mark.parametrize("env", ENVIRONMENT_NAMES)
def test_the_deploy_role_can_carry_a_role_through_terraforms_lifecycle(
    bootstraps: dict[str, StackJson], env: str
) -> None:
    """What the AWS provider calls on a role it manages besides the bounded actions
    (``internal/service/iam/role.go``): read (GetRole, ListRolePolicies, GetRolePolicy,
    ListAttachedRolePolicies), tag, change the description (UpdateRoleDescription) or the maximum
    session (UpdateRole), delete (ListInstanceProfilesForRole, DeleteRole). Without the two
    updates, an apply that changes a role's description fails half-way."""
    manage = by_sid(policy(bootstraps[env], "deploy", env))["ManageProjectRoles"]
    assert manage["Action"] == [
        "iam:DeleteRole",
        "iam:GetRole",
        "iam:GetRolePolicy",
        "iam:ListAttachedRolePolicies",
        "iam:ListInstanceProfilesForRole",
        "iam:ListRolePolicies",
        "iam:TagRole",
        "iam:UntagRole",
        "iam:UpdateRole",
        "iam:UpdateRoleDescription",
    ]
    assert "Condition" not in manage and re.fullmatch(
        f"arn:{PARTITION}:iam::{ACCOUNT}:role/stackkit-\\*", manage["Resource"]
    )


@pytest.mark.parametrize("env", ENVIRONMENT_NAMES)
def test_the_boundary_is_the_bootstrap_stacks_and_on_every_role_of_the_app_stack(
    bootstraps: dict[str, StackJson], stacks: dict[str, StackJson], env: str
) -> None:
    policy_ = boundary(bootstraps[env])
    assert policy_["name"] == f"stackkit-{env}-permissions-boundary"
    assert "stackkit_permissions_boundary" in policy_["//"]  # the gate reads it as a ceiling
    roles = resources(stacks[env], "aws_iam_role")
    assert len(roles) >= 7
    for name, role in roles.items():
        assert re.fullmatch(boundary_arn_pattern(env), role["permissions_boundary"]), name
        # ...and the deploy role may manage it: role/stackkit-* covers every name it can get.
        assert fnmatch.fnmatchcase(f"{role['name_prefix']}x", "stackkit-*"), name
    # The CI roles themselves carry none: an administrator creates them.
    assert all("permissions_boundary" not in r for r in resources(bootstraps[env], "aws_iam_role").values())


def test_a_role_any_construct_adds_to_the_environment_stack_gets_the_boundary(tmp_path: Path) -> None:
    """The boundary is an aspect over the whole stack: a scheduled task a team adds after the
    stack is built brings three roles (task, execution, the EventBridge Scheduler's), and each
    carries the boundary, under a name the deploy role may create (``role/stackkit-*``)."""
    from stackkit import FargateTaskDefinitionProps, ScheduledTask, ScheduledTaskProps
    from stackkit.patterns import EnvironmentStack
    from stacks.app import build_app

    app = build_app(str(tmp_path), ["dev"])
    stack = app.node.find_child("dev")
    assert isinstance(stack, EnvironmentStack)
    ScheduledTask(
        stack,
        "nightly",
        ScheduledTaskProps(
            task=FargateTaskDefinitionProps(name="stackkit-nightly", container_port=None),
            schedule="cron(0 3 * * ? *)",
        ),
        network=stack.network,
        cluster=stack.cluster,
    )
    app.synth()
    synthesized = json.loads((tmp_path / "stacks" / "dev" / "cdk.tf.json").read_text())
    roles = resources(synthesized, "aws_iam_role")
    added = sorted(name for name in roles if "nightly" in name)
    assert len(added) == 3, added
    for name, role in roles.items():
        assert re.fullmatch(boundary_arn_pattern("dev"), role["permissions_boundary"]), name
        assert fnmatch.fnmatchcase(f"{role.get('name') or role['name_prefix']}x", "stackkit-*"), name


@pytest.mark.parametrize("env", ENVIRONMENT_NAMES)
def test_the_boundary_allows_no_more_than_the_deploy_role(bootstraps: dict[str, StackJson], env: str) -> None:
    """A role the deploy role creates does at most what PowerUserAccess does (NotAction iam,
    organizations, account: AWS managed policy reference, PowerUserAccess), passes only project
    roles, and carries the same denies."""
    stack = bootstraps[env]
    statements = json.loads(boundary(stack)["policy"])["Statement"]
    allows = [s for s in statements if s["Effect"] == "Allow"]
    assert allows[0] == {
        "Sid": "AllowAllButIdentity",
        "Effect": "Allow",
        "NotAction": ["account:*", "iam:*", "organizations:*"],
        "Resource": "*",
    }
    assert [(s["Sid"], s["Action"]) for s in allows[1:]] == [("PassProjectRoles", "iam:PassRole")]
    assert allows[1]["Resource"].endswith(":role/stackkit-*")
    deploy_denies = [s for s in policy(stack, "deploy", env) if s["Effect"] == "Deny"]
    assert [s for s in statements if s["Effect"] == "Deny"] == deploy_denies


@pytest.mark.parametrize("env", ENVIRONMENT_NAMES)
def test_the_deploy_role_is_denied_what_a_compromised_deploy_job_must_never_do(
    bootstraps: dict[str, StackJson], env: str
) -> None:
    """Issue 23, item 3: boundaries kept; CI and break-glass roles untouched; no assumed roles; KMS
    key deletion and the state keys' policies and aliases; old state versions and the state
    bucket's settings; AWS Backup vaults, plans, selections, vault lock, recovery points."""
    stack = bootstraps[env]
    denies = {s["Sid"]: s for s in policy(stack, "deploy", env) if s["Effect"] == "Deny"}
    assert {sid: sorted(as_list(s["Action"])) for sid, s in denies.items()} == {
        "DenyBoundaryRemoval": ["iam:DeleteRolePermissionsBoundary"],
        "DenyOtherBoundaries": ["iam:CreateRole", "iam:PutRolePermissionsBoundary"],
        "DenyBoundaryPolicyChanges": [
            "iam:CreatePolicyVersion",
            "iam:DeletePolicy",
            "iam:DeletePolicyVersion",
            "iam:SetDefaultPolicyVersion",
        ],
        "DenyCiAndBreakGlassRoles": ["iam:*"],
        "DenyAssumingRoles": ["sts:AssumeRole"],
        "DenyKeyDeletion": ["kms:DisableKey", "kms:ScheduleKeyDeletion"],
        "DenyStateKeyPolicyChanges": ["kms:PutKeyPolicy"],
        "DenyStateKeyAliasChanges": ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"],
        "DenyKeyLockoutBypass": ["kms:CreateKey", "kms:PutKeyPolicy"],
        "DenyStateHistoryDeletion": ["s3:DeleteObjectVersion"],
        "DenyStateBucketChanges": [
            "s3:DeleteBucket",
            "s3:DeleteBucketPolicy",
            "s3:PutBucketOwnershipControls",
            "s3:PutBucketPolicy",
            "s3:PutBucketPublicAccessBlock",
            "s3:PutBucketVersioning",
            "s3:PutEncryptionConfiguration",
            "s3:PutLifecycleConfiguration",
            "s3:PutReplicationConfiguration",
        ],
        "DenyRecoveryPointDeletion": [
            "backup:DeleteBackupPlan",
            "backup:DeleteBackupSelection",
            "backup:DeleteBackupVault",
            "backup:DeleteBackupVaultAccessPolicy",
            "backup:DeleteBackupVaultLockConfiguration",
            "backup:DeleteRecoveryPoint",
            "backup:UpdateRecoveryPointLifecycle",
        ],
    }
    bucket = f"arn:{PARTITION}:s3:::stackkit-tfstate-{env}"
    assert re.fullmatch(bucket, denies["DenyStateBucketChanges"]["Resource"])
    assert re.fullmatch(bucket + "/\\*", denies["DenyStateHistoryDeletion"]["Resource"])
    assert re.fullmatch(f"arn:{PARTITION}:kms:\\*:{ACCOUNT}:key/\\*", denies["DenyKeyDeletion"]["Resource"])
    assert denies["DenyStateKeyPolicyChanges"]["Resource"] == [
        f"${{aws_kms_key.stackkit_{env}_tfstate_key.arn}}",
        f"${{aws_kms_key.stackkit_{env}_images_key.arn}}",
    ]
    aliases = denies["DenyStateKeyAliasChanges"]["Resource"]
    assert [a.rsplit(":", 1)[1] for a in aliases] == [
        f"alias/stackkit-{env}-tfstate",
        f"alias/stackkit-{env}-images",
    ]
    assert {a["name"] for a in resources(stack, "aws_kms_alias").values()} == {
        f"alias/stackkit-{env}-tfstate",
        f"alias/stackkit-{env}-images",
    }
    assert denies["DenyKeyLockoutBypass"]["Condition"] == {
        "Bool": {"kms:BypassPolicyLockoutSafetyCheck": "true"}
    }
    (arn,) = denies["DenyOtherBoundaries"]["Condition"]["StringNotEquals"].values()
    assert re.fullmatch(boundary_arn_pattern(env), arn)
    assert re.fullmatch(boundary_arn_pattern(env), denies["DenyBoundaryPolicyChanges"]["Resource"])


def _iam_resources_allowed(statements: list[dict[str, Any]]) -> list[str]:
    return [
        r
        for s in statements
        if s["Effect"] == "Allow" and any(a.startswith("iam:") for a in as_list(s["Action"]))
        for r in as_list(s["Resource"])
    ]


@pytest.mark.parametrize("env", ENVIRONMENT_NAMES)
def test_no_pattern_the_deploy_role_may_touch_covers_the_ci_or_break_glass_roles(
    bootstraps: dict[str, StackJson], env: str
) -> None:
    """IAM resource wildcards: ``*`` matches any characters, ``/`` included (IAM user guide,
    "IAM JSON policy elements: Resource")."""
    stack = bootstraps[env]
    deploy = policy(stack, "deploy", env)
    patterns = _iam_resources_allowed(deploy)
    assert patterns, "the deploy role manages the project's roles"
    account = "${data.aws_caller_identity.stackkit-aws-context_caller_002AD00C.account_id}"
    partition = "${data.aws_partition.stackkit-aws-context_partition_89344F3A.partition}"
    protected = [
        f"arn:{partition}:iam::{account}:role{role['path']}{role['name']}"
        for role in resources(stack, "aws_iam_role").values()
    ]
    break_glass = load_environment(env).backup.break_glass_role_arn
    if break_glass is not None:
        protected.append(break_glass)
        # The same role, named as IAM matches it (the account is a literal there).
        protected.append(
            break_glass.replace(f"arn:aws:iam::{ACCOUNTS[env]}:", f"arn:{partition}:iam::{account}:")
        )
    for arn in protected:
        assert not [p for p in patterns if fnmatch.fnmatchcase(arn, p.replace("?", "[?]"))], arn
    assert env != "prod" or break_glass == "arn:aws:iam::333333333333:role/break-glass/stackkit-prod"
    # ...and an explicit deny says it again.
    (ci_path, *rest) = by_sid(deploy)["DenyCiAndBreakGlassRoles"]["Resource"]
    assert ci_path == f"arn:{partition}:iam::{account}:role/github/*"
    assert rest == ([break_glass] if break_glass else [])


def test_a_break_glass_role_the_deploy_role_could_take_over_is_refused() -> None:
    with pytest.raises(ValidationError) as error:
        load_environment(
            "prod",
            backup={
                "vault_lock": "governance",
                "break_glass_role_arn": "arn:aws:iam::333333333333:role/stackkit-break-glass",
            },
        )
    assert error.value.problems[0][0] == "backup.break_glass_role_arn"
    assert "role/stackkit-*" in str(error.value) and "role/break-glass/stackkit-prod" in str(error.value)
    # Without a bootstrap stack there is no deploy role to keep it from.
    config = load_environment(
        "prod",
        github_repository=None,
        adopt_image_repositories=False,
        state_kms_key_id="arn:aws:kms:us-east-1:333333333333:alias/stackkit-prod-tfstate",
        backup={
            "vault_lock": "governance",
            "break_glass_role_arn": "arn:aws:iam::333333333333:role/stackkit-bg",
        },
    )
    assert config.backup.break_glass_role_arn is not None


# --- item 4: state is written with the state key ------------------------------------------------


@pytest.mark.parametrize("env", ENVIRONMENT_NAMES)
def test_every_backend_names_the_state_key(
    bootstraps: dict[str, StackJson], stacks: dict[str, StackJson], env: str
) -> None:
    """Terraform docs, "Backend Type: s3": kms_key_id, the "ARN of a KMS key to use for encrypting the
    state and lock files"; without it ``encrypt = true`` writes SSE-S3 (AES256)."""
    expected = f"arn:aws:kms:us-east-1:{ACCOUNTS[env]}:alias/stackkit-{env}-tfstate"
    for stack in (stacks[env], bootstraps[env]):
        backend = stack["terraform"]["backend"]["s3"]
        assert backend["kms_key_id"] == expected and backend["encrypt"] is True
    # That alias is the bootstrap stack's state key, the bucket's default key too.
    bootstrap = bootstraps[env]
    alias = resources(bootstrap, "aws_kms_alias")[f"stackkit_{env}_tfstate_alias"]
    assert alias["name"] == f"alias/stackkit-{env}-tfstate"
    assert alias["target_key_id"] == f"${{aws_kms_key.stackkit_{env}_tfstate_key.key_id}}"
    (encryption,) = resources(bootstrap, "aws_s3_bucket_server_side_encryption_configuration").values()
    assert encryption["rule"][0]["apply_server_side_encryption_by_default"]["kms_master_key_id"] == (
        f"${{aws_kms_key.stackkit_{env}_tfstate_key.arn}}"
    )


@pytest.mark.parametrize("env", ENVIRONMENT_NAMES)
def test_the_state_bucket_refuses_writes_without_sse_kms(bootstraps: dict[str, StackJson], env: str) -> None:
    """AWS Organizations user guide, "Example SCPs for Amazon S3": deny s3:PutObject with
    StringNotEquals s3:x-amz-server-side-encryption."""
    (body,) = resources(bootstraps[env], "aws_s3_bucket_policy").values()
    statements = by_sid(json.loads(body["policy"])["Statement"])
    assert statements["StateKeyEncryptionOnly"] == {
        "Sid": "StateKeyEncryptionOnly",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:PutObject",
        "Resource": f"${{aws_s3_bucket.stackkit_{env}_tfstate.arn}}/*",
        "Condition": {"StringNotEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}},
    }


def test_a_backend_without_a_known_state_key_is_refused_before_synthesis() -> None:
    with pytest.raises(ValidationError) as error:
        load_environment("dev", github_repository=None, adopt_image_repositories=False)
    assert error.value.problems[0][0] == "state_kms_key_id"
    assert "SSE-S3" in str(error.value)
    with pytest.raises(ValidationError) as error:
        load_environment("dev", state_kms_key_id="arn:aws:kms:eu-west-1:111111111111:alias/state")
    assert error.value.problems[0][0] == "state_kms_key_id" and "us-east-1" in str(error.value)
    with pytest.raises(ValidationError) as error:
        load_environment("dev", allowed_account_ids=["111111111111", "444444444444"])
    assert error.value.problems[0][0] == "state_kms_key_id"
    named = load_environment("dev", state_kms_key_id="arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab")
    assert named.resolved_state_kms_key_id == "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab"


# --- item 6: the sub pins the workflow file and its ref ------------------------------------------


def _workflow(name: str) -> dict[str, Any]:
    workflow: dict[str, Any] = yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text())
    workflow["on"] = workflow.pop(True, workflow.get("on"))
    return workflow


def test_the_pinned_workflow_is_the_reusable_deploy_workflow_run_from_main() -> None:
    """GitHub docs, "OpenID Connect reference": ``job_workflow_ref`` is "the ref path to the reusable
    workflow" of a job that uses one: deploy.yml, run on main, calls deploy-environment.yml."""
    config = load_environment("prod")
    assert config.github_workflow_ref == ".github/workflows/deploy-environment.yml@refs/heads/main"
    path, ref = config.github_workflow_ref.split("@")
    called = _workflow(Path(path).name)
    assert "workflow_call" in called["on"]
    caller = _workflow("deploy.yml")
    assert caller["on"]["push"]["branches"] == ["main"]
    for env in ENVIRONMENT_NAMES:
        assert caller["jobs"][env]["uses"] == f"./{path}"
    environments = {job["environment"] for job in called["jobs"].values() if "environment" in job}
    assert environments == {"${{ inputs.environment }}-plan", "${{ inputs.environment }}"}
    assert ref == "refs/heads/main"


def test_without_a_workflow_pin_the_sub_is_githubs_default() -> None:
    from stackkit.patterns.bootstrap_stack import github_subject

    assert github_subject("org/repo", "prod") == "repo:org/repo:environment:prod"
    assert github_subject("org/repo", "prod", ".github/workflows/d.yml@refs/heads/main") == (
        "repo:org/repo:environment:prod:job_workflow_ref:org/repo/.github/workflows/d.yml@refs/heads/main"
    )
    with pytest.raises(ValidationError) as error:
        load_environment("prod", github_workflow_ref="deploy.yml")
    assert error.value.problems[0][0] == "github_workflow_ref"


def test_the_documented_github_settings_make_the_sub_the_roles_trust() -> None:
    """The subject template's claims, in this order, give ``repo:...:environment:...:job_workflow_ref:...``
    (GitHub docs, "Example: Requiring a reusable workflow and other claims"); every GitHub
    environment a CI role trusts is restricted to main."""
    page = (ROOT / "docs" / "ci-roles.md").read_text()
    template = page.split("actions/oidc/customization/sub --input - <<'JSON'\n", 1)[1].split("\nJSON", 1)[0]
    assert json.loads(template) == {
        "use_default": False,
        "include_claim_keys": ["repo", "context", "job_workflow_ref"],
    }
    environments = page.split("For each environment name `E` in `", 1)[1].split("`", 1)[0].split()
    assert sorted(environments) == sorted([*ENVIRONMENT_NAMES, *(f"{env}-plan" for env in ENVIRONMENT_NAMES)])
    assert "environments/E/deployment-branch-policies -f name=main -f type=branch" in page
    assert '"custom_branch_policies": true' in page and '"prevent_self_review": true' in page


# --- the generated table -------------------------------------------------------------------------


def load_table_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("ci_roles_table", ROOT / "scripts" / "ci_roles_table.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_docs_ci_roles_table_is_current(outdir: Path) -> None:
    script = load_table_script()
    page = (ROOT / "docs" / "ci-roles.md").read_text()
    table = script.render(script.bootstrap_json(outdir))
    assert script.rewrite(page, table) == page, "run: .venv/bin/python scripts/ci_roles_table.py"
    # Every statement of every CI role and of the boundary is in it, with its reason.
    bootstrap = script.bootstrap_json(outdir)
    sids = {
        s["Sid"]
        for body in [
            *resources(bootstrap, "aws_iam_role_policy").values(),
            *resources(bootstrap, "aws_iam_policy").values(),
        ]
        for s in json.loads(body["policy"])["Statement"]
    }
    assert sids == set(REASONS)
    for sid in sids:
        assert f"| {sid} |" in table and REASONS[sid].replace("|", "\\|") in table
    assert "repo:example-org/stackkit:environment:prod-plan:job_workflow_ref:" in table
