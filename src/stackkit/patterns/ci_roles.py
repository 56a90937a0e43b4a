"""What the CI roles of a :class:`~stackkit.patterns.BootstrapStack` may do, as IAM statements.

Three roles, each trusted by one GitHub environment (see ``bootstrap_stack.py``):

* **plan** (``<env>-plan``): reads everything (AWS managed ``ReadOnlyAccess``), the state, the lock
  file, and exactly the secrets a plan reads;
* **image** (``<env>-plan``): pushes to this environment's ECR repositories, nothing else;
* **deploy** (``<env>``): AWS managed ``PowerUserAccess`` (everything but IAM, Organizations and
  Account), plus IAM on this project's roles only, each role it creates or changes tied to the
  **permissions boundary** the bootstrap stack creates, minus :func:`guardrails`: what a compromised
  deploy job must never do.

The boundary (:func:`boundary_statements`) is the most any role the deploy role creates can do:
what ``PowerUserAccess`` allows, minus the same guardrails, so a role it creates can never do more
than the deploy role itself (IAM user guide, "Permissions boundaries for IAM entities": "An
entity's permissions boundary allows it to perform only the actions that are allowed by both its
identity-based policies and its permissions boundaries",
https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html).

Every statement has a ``Sid``; :data:`REASONS` says why each one exists. The docs page "CI roles"
renders the synthesized statements with these reasons (``scripts/ci_roles_table.py``, a test
keeps it current).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

Statement = dict[str, Any]

#: Why each statement exists, by ``Sid``: the "why" column of the docs table.
REASONS: dict[str, str] = {
    "StateRead": "Read this environment's Terraform state (`terraform init`, plan, apply); S3 backend "
    'permissions, Terraform docs "Backend Type: s3".',
    "StateKey": "State and lock files are written with the state key (backend `kms_key_id`): "
    "Terraform needs kms:Encrypt, kms:Decrypt and kms:GenerateDataKey on it.",
    "StateLock": "A plan takes the S3 lock (`use_lockfile`): writes and deletes `<key>.tflock` only.",
    "StateWrite": "An apply writes the state (and its lock file).",
    "ReadPlanSecrets": "A plan reads these secrets: refreshing each secret version the app stack "
    "manages reads its value (GetSecretValue, write-only ones too), and the cache AUTH token is read "
    "again by a data source (cdktf) and an ephemeral resource (both CDKs).",
    "DecryptPlanSecrets": "Decrypting those secrets, and only through Secrets Manager: kms:Decrypt with "
    "kms:ViaService secretsmanager and the secret's ARN in the encryption context, so only their data "
    "keys, under whichever key encrypts them.",
    "RandomPasswordAtPlan": "The cache's ephemeral `aws_secretsmanager_random_password` is opened while "
    "planning; GetRandomPassword has no resource (returns a random string, reads nothing).",
    "RegistryLogin": "`docker login` to ECR; GetAuthorizationToken has no resource-level permissions.",
    "PushProjectImages": "Push (and check) images in this environment's repositories only.",
    "CreateBoundedProjectRoles": "Create and change this project's roles, only with the permissions "
    "boundary set: a role it makes can never do more than the boundary allows.",
    "ManageProjectRoles": "Read, tag, describe and delete this project's roles (Terraform's role "
    "lifecycle); nothing here changes what a role may do.",
    "PassProjectRoles": "Hand this project's roles to ECS tasks, AWS Backup, RDS monitoring, flow logs and "
    "scheduled tasks.",
    "ServiceLinkedRoles": "Services create their service-linked roles on first use (ECS, ELB, RDS...).",
    "DenyBoundaryRemoval": "No role may lose its permissions boundary.",
    "DenyOtherBoundaries": "Roles are created, and boundaries set, only with this boundary.",
    "DenyBoundaryPolicyChanges": "The boundary policy itself cannot be changed or deleted.",
    "DenyCiAndBreakGlassRoles": "Defence in depth: no IAM action on the CI roles (path /github/) or the "
    "break-glass role, which no allowed pattern covers either.",
    "DenyAssumingRoles": "A deploy job never assumes another role (PowerUserAccess allows sts:AssumeRole).",
    "DenyKeyDeletion": "No KMS key of the account is scheduled for deletion or disabled (every stackkit "
    "key is `prevent_destroy`).",
    "DenyStateKeyPolicyChanges": "The state and image keys' policies stay as the bootstrap stack set them.",
    "DenyStateKeyAliasChanges": "The backends name the state key by its alias: the alias keeps "
    "pointing at it.",
    "DenyKeyLockoutBypass": "No key policy is set with the lockout safety check bypassed.",
    "DenyStateHistoryDeletion": "Old state versions (the way back after a bad apply) are never deleted.",
    "DenyStateBucketChanges": "The state bucket, its policy, versioning, lifecycle, encryption, access "
    "block and ownership stay as the bootstrap stack set them, and it is never replicated elsewhere.",
    "DenyRecoveryPointDeletion": "Backup vaults, plans, selections, vault locks and recovery points are "
    "never deleted or shortened (AWS Backup, vault lock).",
    "AllowAllButIdentity": "The boundary: at most what PowerUserAccess allows (everything but IAM, "
    "Organizations and Account).",
}


@dataclass(frozen=True)
class CiNames:
    """Everything the statements name. ``arn`` is ``arn:<partition>``; ``account`` may be a token."""

    arn: str
    account: str
    region: str
    project: str
    environment: str
    state_bucket: str
    state_key_arn: str
    state_key_alias: str
    images_key_arn: str
    images_key_alias: str
    repository_arns: tuple[str, ...]
    boundary_arn: str
    role_pattern: str
    ci_role_path: str
    break_glass_role_arn: str | None
    #: Names of the Secrets Manager secrets whose values ``terraform plan`` reads
    #: (``EnvironmentConfig.secrets_read_at_plan``).
    secrets_read_at_plan: tuple[str, ...]

    @property
    def bucket_arn(self) -> str:
        return f"{self.arn}:s3:::{self.state_bucket}"

    @property
    def state_objects(self) -> str:
        return f"{self.bucket_arn}/{self.project}/{self.environment}/*"

    def role(self, name_with_path: str) -> str:
        return f"{self.arn}:iam::{self.account}:role/{name_with_path}"

    def kms(self, resource: str, region: str | None = None) -> str:
        return f"{self.arn}:kms:{region or self.region}:{self.account}:{resource}"


def _allow(
    sid: str, actions: Sequence[str] | str, resources: Sequence[str] | str, **condition: Any
) -> Statement:
    return _statement("Allow", sid, actions, resources, condition)


def _deny(
    sid: str, actions: Sequence[str] | str, resources: Sequence[str] | str, **condition: Any
) -> Statement:
    return _statement("Deny", sid, actions, resources, condition)


def _statement(
    effect: str,
    sid: str,
    actions: Sequence[str] | str,
    resources: Sequence[str] | str,
    condition: dict[str, Any],
) -> Statement:
    if sid not in REASONS:
        raise KeyError(f"statement {sid} has no entry in ci_roles.REASONS (the docs say why each exists)")
    statement: Statement = {
        "Sid": sid,
        "Effect": effect,
        "Action": actions if isinstance(actions, str) else list(actions),
        "Resource": resources if isinstance(resources, str) else list(resources),
    }
    if condition:
        statement["Condition"] = condition
    return statement


# -- the state ------------------------------------------------------------------------------------
def state_read(n: CiNames) -> list[Statement]:
    """Terraform docs, "Backend Type: s3", "Permissions Required"
    (https://developer.hashicorp.com/terraform/language/backend/s3#permissions-required):
    s3:ListBucket on the bucket, s3:GetObject on the state; with ``kms_key_id``, "kms:Encrypt,
    kms:Decrypt and kms:GenerateDataKey" on the key."""
    return [
        _allow("StateRead", ["s3:ListBucket", "s3:GetObject"], [n.bucket_arn, n.state_objects]),
        _allow("StateKey", ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], n.state_key_arn),
    ]


# -- plan -----------------------------------------------------------------------------------------
def plan_statements(n: CiNames) -> list[Statement]:
    """The plan role's inline policy (next to ``ReadOnlyAccess``)."""
    statements = [
        *state_read(n),
        # use_lockfile: "s3:GetObject, s3:PutObject, and s3:DeleteObject are required on the lock
        # file" (same page).
        _allow(
            "StateLock",
            ["s3:PutObject", "s3:DeleteObject"],
            f"{n.bucket_arn}/{n.project}/{n.environment}/*.tflock",
        ),
    ]
    if n.secrets_read_at_plan:
        # Secrets Manager appends "-" and six random characters to a secret's name in its ARN
        # (Secrets Manager API reference, CreateSecret, "ARN"): ``-??????`` matches exactly those.
        secret_arns = [
            f"{n.arn}:secretsmanager:{n.region}:{n.account}:secret:{secret}-??????"
            for secret in n.secrets_read_at_plan
        ]
        statements += [
            _allow("ReadPlanSecrets", "secretsmanager:GetSecretValue", secret_arns),
            # Secrets Manager decrypts a secret's data key with kms:Decrypt, on the caller's
            # behalf, with the secret's ARN in the encryption context (Secrets Manager user guide,
            # "Secret encryption and decryption in AWS Secrets Manager",
            # https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html).
            # The conditions of AWS's managed AWSSecretsManagerClientReadOnlyAccess (kms:ViaService
            # secretsmanager, kms:EncryptionContext:SecretARN), narrowed to this region and these
            # secrets: the grant decrypts exactly the data keys of these secrets, under whichever
            # key encrypts each (its id is only known in the app stack's state), and nothing else.
            _allow(
                "DecryptPlanSecrets",
                "kms:Decrypt",
                n.kms("key/*"),
                StringEquals={"kms:ViaService": f"secretsmanager.{n.region}.amazonaws.com"},
                StringLike={"kms:EncryptionContext:SecretARN": secret_arns},
            ),
            # Terraform opens an ephemeral resource whenever its data is needed, in plan as in
            # apply (Terraform plugin framework, "Opening ephemeral resources",
            # https://developer.hashicorp.com/terraform/plugin/framework/ephemeral-resources/open).
            _allow("RandomPasswordAtPlan", "secretsmanager:GetRandomPassword", "*"),
        ]
    return statements


# -- image ----------------------------------------------------------------------------------------
def image_statements(n: CiNames) -> list[Statement]:
    """Push only. No KMS grant: ECR encrypts and decrypts layers with the grant it creates on the
    repository's key, not with the pushing principal's permissions (Amazon ECR user guide,
    "Encryption at rest": "When pushing an image, a GenerateDataKey request is made", under the
    grant "with the Amazon ECR repository as the grantee principal",
    https://docs.aws.amazon.com/AmazonECR/latest/userguide/encryption-at-rest.html)."""
    return [
        _allow("RegistryLogin", "ecr:GetAuthorizationToken", "*"),
        _allow(
            "PushProjectImages",
            [
                "ecr:BatchCheckLayerAvailability",
                "ecr:BatchGetImage",
                "ecr:CompleteLayerUpload",
                "ecr:DescribeImages",
                "ecr:DescribeRepositories",
                "ecr:InitiateLayerUpload",
                "ecr:PutImage",
                "ecr:UploadLayerPart",
            ],
            list(n.repository_arns),
        ),
    ]


# -- deploy ---------------------------------------------------------------------------------------
#: Role-making actions that IAM lets a policy tie to a permissions boundary (the
#: ``iam:PermissionsBoundary`` condition key, type String: Service Authorization Reference,
#: "Actions, resources, and condition keys for AWS Identity and Access Management"), in the form of
#: the IAM user guide's own example ("Permissions boundaries for IAM entities", "Delegating
#: responsibility to others using permissions boundaries": ``CreateOrChangeOnlyWithBoundary`` with
#: ``StringEquals iam:PermissionsBoundary``, and the denies ``NoBoundaryPolicyEdit``,
#: ``NoBoundaryUserDelete`` that :func:`guardrails` mirrors for roles). ``UpdateAssumeRolePolicy``
#: supports no such key, so the deploy role has none: a trust-policy change is an administrator's
#: apply.
BOUNDED_ROLE_ACTIONS = (
    "iam:AttachRolePolicy",
    "iam:CreateRole",
    "iam:DeleteRolePolicy",
    "iam:DetachRolePolicy",
    "iam:PutRolePermissionsBoundary",
    "iam:PutRolePolicy",
)
#: What Terraform needs besides, on a role it manages: read, tag, delete, and change the
#: description (``UpdateRoleDescription``) or the maximum session (``UpdateRole``), which change
#: nothing the role may do (AWS provider, ``internal/service/iam/role.go``, ``resourceRoleUpdate``:
#: a changed ``description`` is ``UpdateRoleDescription``, ``max_session_duration`` ``UpdateRole``).
ROLE_LIFECYCLE_ACTIONS = (
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
)


def deploy_statements(n: CiNames) -> list[Statement]:
    """The deploy role's inline policy (next to ``PowerUserAccess``)."""
    project_roles = n.role(n.role_pattern)
    return [
        *state_read(n),
        _allow("StateWrite", ["s3:PutObject", "s3:DeleteObject"], n.state_objects),
        _allow(
            "CreateBoundedProjectRoles",
            list(BOUNDED_ROLE_ACTIONS),
            project_roles,
            StringEquals={"iam:PermissionsBoundary": n.boundary_arn},
        ),
        _allow("ManageProjectRoles", list(ROLE_LIFECYCLE_ACTIONS), project_roles),
        _allow("PassProjectRoles", "iam:PassRole", project_roles),
        _allow("ServiceLinkedRoles", "iam:CreateServiceLinkedRole", n.role("aws-service-role/*")),
        *guardrails(n),
    ]


def guardrails(n: CiNames) -> list[Statement]:
    """What a compromised deploy job, or any role it creates, must never do: explicit denies,
    which no allow overrides (IAM user guide, "Policy evaluation logic"). Shared by the deploy
    role's policy and the permissions boundary."""
    all_keys = f"{n.arn}:kms:*:{n.account}:key/*"
    ci_and_break_glass = [n.role(f"{n.ci_role_path.strip('/')}/*")]
    if n.break_glass_role_arn is not None:
        ci_and_break_glass.append(n.break_glass_role_arn)
    return [
        _deny("DenyBoundaryRemoval", "iam:DeleteRolePermissionsBoundary", "*"),
        _deny(
            "DenyOtherBoundaries",
            ["iam:CreateRole", "iam:PutRolePermissionsBoundary"],
            "*",
            StringNotEquals={"iam:PermissionsBoundary": n.boundary_arn},
        ),
        _deny(
            "DenyBoundaryPolicyChanges",
            [
                "iam:CreatePolicyVersion",
                "iam:DeletePolicy",
                "iam:DeletePolicyVersion",
                "iam:SetDefaultPolicyVersion",
            ],
            n.boundary_arn,
        ),
        _deny("DenyCiAndBreakGlassRoles", "iam:*", ci_and_break_glass),
        _deny("DenyAssumingRoles", "sts:AssumeRole", "*"),
        # KMS developer guide, "Deleting AWS KMS keys": deletion is irreversible; every stackkit
        # key is prevent_destroy, so no deploy ever needs it.
        _deny("DenyKeyDeletion", ["kms:DisableKey", "kms:ScheduleKeyDeletion"], all_keys),
        # PutKeyPolicy stays allowed on the app stacks' keys: their policies change with the app
        # stack (the plan shows it; prod's apply waits for an approval). KMS creates a key with
        # its policy in CreateKey (no PutKeyPolicy), so this deny never blocks a new key.
        _deny("DenyStateKeyPolicyChanges", "kms:PutKeyPolicy", [n.state_key_arn, n.images_key_arn]),
        _deny(
            "DenyStateKeyAliasChanges",
            ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"],
            [n.kms(f"alias/{n.state_key_alias}"), n.kms(f"alias/{n.images_key_alias}")],
        ),
        _deny(
            "DenyKeyLockoutBypass",
            ["kms:CreateKey", "kms:PutKeyPolicy"],
            "*",
            Bool={"kms:BypassPolicyLockoutSafetyCheck": "true"},
        ),
        _deny("DenyStateHistoryDeletion", "s3:DeleteObjectVersion", f"{n.bucket_arn}/*"),
        _deny(
            "DenyStateBucketChanges",
            [
                "s3:DeleteBucket",
                "s3:DeleteBucketPolicy",
                "s3:PutBucketOwnershipControls",
                "s3:PutBucketPolicy",
                "s3:PutBucketPublicAccessBlock",
                "s3:PutBucketVersioning",
                "s3:PutEncryptionConfiguration",
                "s3:PutLifecycleConfiguration",
                # Replication would copy every future state (secrets included) to a bucket the
                # job chose, with a role it may create and pass: S3 replicates with "an IAM role"
                # given in the configuration (S3 user guide, "Setting up permissions for live
                # replication", https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html).
                "s3:PutReplicationConfiguration",
            ],
            n.bucket_arn,
        ),
        # AWS Backup developer guide, "AWS Backup Vault Lock" and "Vault access policies": deleting
        # a vault, a plan or a selection, the (governance-mode) lock or a recovery point ends the
        # protection. Recovery point ARNs are those of each backed-up service: "*".
        _deny(
            "DenyRecoveryPointDeletion",
            [
                "backup:DeleteBackupPlan",
                "backup:DeleteBackupSelection",
                "backup:DeleteBackupVault",
                "backup:DeleteBackupVaultAccessPolicy",
                "backup:DeleteBackupVaultLockConfiguration",
                "backup:DeleteRecoveryPoint",
                "backup:UpdateRecoveryPointLifecycle",
            ],
            "*",
        ),
    ]


# -- the boundary ---------------------------------------------------------------------------------
def boundary_statements(n: CiNames) -> list[Statement]:
    """The permissions boundary of every role the deploy role creates: the shape of
    PowerUserAccess's first statement (AWS managed policy reference, "PowerUserAccess":
    ``NotAction`` iam, organizations, account; https://docs.aws.amazon.com/aws-managed-policy/latest/reference/PowerUserAccess.html),
    so nothing a service role needs is cut off and nothing exceeds the deploy role; passing only
    this project's roles (a scheduled task's role passes the task's roles to ECS); minus the
    guardrails."""
    return [
        {
            "Sid": "AllowAllButIdentity",
            "Effect": "Allow",
            "NotAction": ["account:*", "iam:*", "organizations:*"],
            "Resource": "*",
        },
        _allow("PassProjectRoles", "iam:PassRole", n.role(n.role_pattern)),
        *guardrails(n),
    ]


__all__ = [
    "REASONS",
    "CiNames",
    "boundary_statements",
    "deploy_statements",
    "guardrails",
    "image_statements",
    "plan_statements",
]
