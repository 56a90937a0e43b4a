"""BootstrapStack: what must exist before an environment's first deploy (stackkit's ``cdk bootstrap``).

Per environment, stack ``<env>-bootstrap``:

* the Terraform **state bucket** of the environment (versioned, KMS-encrypted, TLS-only, public
  access blocked, ``prevent_destroy``); this stack keeps its own state in it too
  (``<project>/<env>/bootstrap.tfstate``), after a first run on local state (docs/deploying.md, "A new
  environment, from nothing to its first deploy");
* the environment's **image repositories** (:class:`ImageRepository`, the same resources and
  addresses the app stack's ``Service`` created in stackkit 0.1, with a KMS key of their own):
  they must exist before the first image is pushed, and so before the app stack's first apply
  (issue 15). With ``adopt_image_repositories``, ``import`` blocks take over the repositories the
  app stack created (which forgets them with ``removed`` blocks: ``_private/state_moves.py``);
* the **GitHub OIDC provider** of the account (``token.actions.githubusercontent.com``, audience
  ``sts.amazonaws.com``);
* three roles for CI, each trusted only for this repository and one GitHub environment (the
  ``sub`` claim ``repo:<org>/<repo>:environment:<name>``): a **plan** role that can only read
  (plus the state lock), an **image** role that can only push to this project's ECR repositories,
  both for the ``<env>-plan`` GitHub environment, and a **deploy** role for the ``<env>``
  environment (the one with required reviewers in prod).

An administrator applies this stack (CI only checks it): CI must not be able to change the roles
it assumes.
"""

from __future__ import annotations

from stackkit._private.cdk import (
    AwsProvider,
    AwsProviderDefaultTags,
    Construct,
    IamOpenidConnectProvider,
    IamRole,
    IamRolePolicy,
    IamRolePolicyAttachment,
    S3Backend,
    TerraformOutput,
    TerraformStack,
)
from stackkit._private.iam import policy_document
from stackkit._private.secure_bucket import BucketIds, BucketLifecycle, secure_bucket
from stackkit._private.skips import (
    STATE_BUCKET_NO_ACCESS_LOG,
    STATE_BUCKET_NO_EVENTS,
    STATE_BUCKET_NO_REPLICATION,
)
from stackkit._private.terraform import AwsContext, pin_address
from stackkit.constructs.encryption_key import EncryptionKey, EncryptionKeyProps
from stackkit.constructs.image_repository import ImageRepository, ImageRepositoryProps
from stackkit.patterns.environment_config import EnvironmentConfig

#: GitHub's OIDC issuer and the audience of aws-actions/configure-aws-credentials ("For the
#: provider URL: Use https://token.actions.githubusercontent.com; For the Audience: Use
#: sts.amazonaws.com if you are using the official action", GitHub docs, "Configuring OpenID
#: Connect in Amazon Web Services").
GITHUB_OIDC_URL = "https://token.actions.githubusercontent.com"
GITHUB_OIDC_HOST = "token.actions.githubusercontent.com"
GITHUB_OIDC_AUDIENCE = "sts.amazonaws.com"
#: Noncurrent state versions kept this long: enough to roll a state back after a bad apply.
STATE_VERSION_DAYS = 365


def github_subject(repository: str, environment: str) -> str:
    """The ``sub`` claim of a job that runs in GitHub environment ``environment`` of
    ``repository`` (GitHub docs, "OpenID Connect", example subject claims:
    ``repo:<orgName/repoName>:environment:<environmentName>``)."""
    return f"repo:{repository}:environment:{environment}"


def bootstrap_state_key(config: EnvironmentConfig) -> str:
    return f"{config.project}/{config.environment}/bootstrap.tfstate"


class BootstrapStack(TerraformStack):
    """The environment's state bucket, GitHub OIDC provider and CI roles (see the module doc).

    Attributes: ``config``, ``state_bucket``, ``state_key`` (the :class:`EncryptionKey`),
    ``images_key``, ``repositories`` (``{name: ImageRepository}``), ``oidc_provider_arn``,
    ``plan_role``, ``image_role``, ``deploy_role``.
    """

    def __init__(self, scope: Construct, config: EnvironmentConfig) -> None:
        if config.github_repository is None:
            raise ValueError("BootstrapStack needs EnvironmentConfig.github_repository (org/repo)")
        super().__init__(scope, f"{config.environment}-bootstrap")
        self.config = config
        repository = config.github_repository
        name = f"{config.project}-{config.environment}"
        AwsProvider(
            self,
            "aws",
            region=config.region,
            allowed_account_ids=list(config.allowed_account_ids),
            default_tags=[AwsProviderDefaultTags(tags=config.default_tags)],
        )
        # The stack's own state lives in the bucket it creates. First run: a local-backend
        # override file, then `terraform init -migrate-state` (docs/deploying.md). An override file's
        # backend block replaces this one (Terraform language, "Override Files": merging
        # terraform blocks).
        S3Backend(
            self,
            bucket=config.state_bucket,
            key=bootstrap_state_key(config),
            region=config.region,
            encrypt=True,
        )
        self.add_override("terraform.backend.s3.use_lockfile", True)
        context = AwsContext.of(self)
        self.state_key = EncryptionKey(
            self,
            "state-key",
            EncryptionKeyProps(name=f"{name}-tfstate", description=f"{name}: Terraform state"),
        )
        self._state_bucket(config, context)
        self._image_repositories(config, name)
        self._github(config, repository, name, context)

    # -- the image repositories ------------------------------------------------------------------
    def _image_repositories(self, config: EnvironmentConfig, name: str) -> None:
        self.images_key = EncryptionKey(
            self,
            "images-key",
            EncryptionKeyProps(name=f"{name}-images", description=f"{name}: container images in ECR"),
        )
        self.repositories: dict[str, ImageRepository] = {}
        for repository_name in config.image_repositories:
            repository = ImageRepository(
                self,
                f"repository-{repository_name}",
                ImageRepositoryProps(name=repository_name),
                kms_key_arn=self.images_key.arn,
            )
            if config.adopt_image_repositories:
                # The repository and its lifecycle policy exist (created by the app stack of
                # stackkit 0.1): import them by repository name (the import ID of both resources,
                # AWS provider 6.x docs: ecr_repository and ecr_lifecycle_policy, "Import").
                repository.repository.import_from(repository_name)
                repository.lifecycle_policy.import_from(repository_name)
                # "You can't change the encryption settings of a repository after it is created"
                # (Amazon ECR user guide, "Encryption at rest"): encryption_configuration forces
                # a new repository, which prevent_destroy refuses. An imported one keeps the key
                # it was created with (the app stack's service key, which stays there).
                repository.repository.add_override("lifecycle.ignore_changes", ["encryption_configuration"])
            self.repositories[repository_name] = repository
        TerraformOutput(
            self,
            "image_repositories",
            value={name: repository.repository_url for name, repository in self.repositories.items()},
        )

    # -- the state bucket ------------------------------------------------------------------------
    def _state_bucket(self, config: EnvironmentConfig, context: AwsContext) -> None:
        name = f"{config.project}-{config.environment}"
        bucket, _ = secure_bucket(
            self,
            ids=BucketIds.prefixed("state", bucket="state-bucket"),
            address=(name, "tfstate"),
            bucket_name=config.state_bucket,
            kms_key_arn=self.state_key.arn,
            lifecycle=BucketLifecycle("old-state-versions", noncurrent_days=STATE_VERSION_DAYS),
            checkov_skips=(STATE_BUCKET_NO_ACCESS_LOG, STATE_BUCKET_NO_REPLICATION, STATE_BUCKET_NO_EVENTS),
        )
        self.state_bucket = bucket
        TerraformOutput(self, "state_bucket", value=bucket.bucket)

    # -- GitHub OIDC and the CI roles ------------------------------------------------------------
    def _github(self, config: EnvironmentConfig, repository: str, name: str, context: AwsContext) -> None:
        arn = f"arn:{context.partition}"
        if config.create_github_oidc_provider:
            provider = IamOpenidConnectProvider(
                self, "github-oidc", url=GITHUB_OIDC_URL, client_id_list=[GITHUB_OIDC_AUDIENCE]
            )
            pin_address(provider, name, "github_oidc")
            self.oidc_provider_arn: str = provider.arn
        else:  # one provider per URL and account: another environment's bootstrap created it
            self.oidc_provider_arn = f"{arn}:iam::{context.account_id}:oidc-provider/{GITHUB_OIDC_HOST}"

        env = config.environment
        plan_environment, deploy_environment = f"{env}-plan", env
        bucket_arn = f"{arn}:s3:::{config.state_bucket}"
        state_access: list[dict[str, object]] = [
            {
                "Sid": "StateRead",
                "Effect": "Allow",
                "Action": ["s3:ListBucket", "s3:GetObject"],
                "Resource": [bucket_arn, f"{bucket_arn}/{config.project}/{env}/*"],
            },
            {
                "Sid": "StateKey",
                "Effect": "Allow",
                "Action": ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
                "Resource": self.state_key.arn,
            },
        ]
        # Plan: read everything (AWS managed ReadOnlyAccess), write only the S3 lock file
        # (use_lockfile writes <key>.tflock during a plan), read this project's secrets (the
        # cache AUTH token is read back during a plan).
        self.plan_role = self._role(
            "plan",
            name,
            repository,
            plan_environment,
            managed=("ReadOnlyAccess",),
            statements=[
                *state_access,
                {
                    "Sid": "StateLock",
                    "Effect": "Allow",
                    "Action": ["s3:PutObject", "s3:DeleteObject"],
                    "Resource": f"{bucket_arn}/{config.project}/{env}/*.tflock",
                },
                {
                    "Sid": "ReadProjectSecrets",
                    "Effect": "Allow",
                    "Action": "secretsmanager:GetSecretValue",
                    "Resource": (
                        f"{arn}:secretsmanager:{config.region}:{context.account_id}:secret:{config.project}*"
                    ),
                },
            ],
        )
        repositories = [repository.arn for repository in self.repositories.values()]
        self.image_role = self._role(
            "image",
            name,
            repository,
            plan_environment,
            managed=(),
            statements=[
                {
                    # GetAuthorizationToken has no resource-level permissions.
                    "Sid": "RegistryLogin",
                    "Effect": "Allow",
                    "Action": "ecr:GetAuthorizationToken",
                    "Resource": "*",
                },
                {
                    "Sid": "PushProjectImages",
                    "Effect": "Allow",
                    "Action": [
                        "ecr:BatchCheckLayerAvailability",
                        "ecr:BatchGetImage",
                        "ecr:CompleteLayerUpload",
                        "ecr:DescribeImages",
                        "ecr:DescribeRepositories",
                        "ecr:InitiateLayerUpload",
                        "ecr:PutImage",
                        "ecr:UploadLayerPart",
                    ],
                    "Resource": repositories,
                },
                {
                    "Sid": "RepositoryKeys",
                    "Effect": "Allow",
                    "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
                    "Resource": f"{arn}:kms:{config.region}:{context.account_id}:key/*",
                    "Condition": {"StringEquals": {"kms:ViaService": f"ecr.{config.region}.amazonaws.com"}},
                },
            ],
        )
        # Deploy: PowerUserAccess (everything but IAM and Organizations) plus IAM limited to
        # this project's roles (every role stackkit creates is named <project>-...).
        project_roles = f"{arn}:iam::{context.account_id}:role/{config.project}-*"
        self.deploy_role = self._role(
            "deploy",
            name,
            repository,
            deploy_environment,
            managed=("PowerUserAccess",),
            statements=[
                *state_access,
                {
                    "Sid": "StateWrite",
                    "Effect": "Allow",
                    "Action": ["s3:PutObject", "s3:DeleteObject"],
                    "Resource": f"{bucket_arn}/{config.project}/{env}/*",
                },
                {
                    "Sid": "ProjectRoles",
                    "Effect": "Allow",
                    "Action": [
                        "iam:AttachRolePolicy",
                        "iam:CreateRole",
                        "iam:DeleteRole",
                        "iam:DeleteRolePolicy",
                        "iam:DetachRolePolicy",
                        "iam:GetRole",
                        "iam:GetRolePolicy",
                        "iam:ListAttachedRolePolicies",
                        "iam:ListInstanceProfilesForRole",
                        "iam:ListRolePolicies",
                        "iam:PassRole",
                        "iam:PutRolePolicy",
                        "iam:TagRole",
                        "iam:UntagRole",
                        "iam:UpdateAssumeRolePolicy",
                    ],
                    "Resource": project_roles,
                },
                {
                    # The CI roles match <project>-* too: CI must never change its own trust or rights.
                    "Sid": "NotTheCiRoles",
                    "Effect": "Deny",
                    "Action": "iam:*",
                    "Resource": f"{arn}:iam::{context.account_id}:role/{name}-github-*",
                },
                {
                    "Sid": "ServiceLinkedRoles",
                    "Effect": "Allow",
                    "Action": "iam:CreateServiceLinkedRole",
                    "Resource": f"{arn}:iam::{context.account_id}:role/aws-service-role/*",
                },
            ],
        )
        for kind, role in (
            ("plan", self.plan_role),
            ("image", self.image_role),
            ("deploy", self.deploy_role),
        ):
            TerraformOutput(self, f"{kind}_role_arn", value=role.arn)

    def _role(
        self,
        kind: str,
        name: str,
        repository: str,
        github_environment: str,
        *,
        managed: tuple[str, ...],
        statements: list[dict[str, object]],
    ) -> IamRole:
        """A role only GitHub Actions jobs of ``repository`` in ``github_environment`` may assume.

        AWS: "IAM recommends that users evaluate the IAM condition key,
        token.actions.githubusercontent.com:sub, in the trust policy of any role that trusts
        GitHub's OIDC identity provider" (GitHub docs, "Configuring OpenID Connect in Amazon Web
        Services"; IAM user guide, "Configuring a role for GitHub OIDC identity provider"), and
        the audience ``aud`` is ``sts.amazonaws.com``. StringEquals, not StringLike: exactly one
        subject, no wildcard.
        """
        context = AwsContext.of(self)
        role = IamRole(
            self,
            f"github-{kind}-role",
            name=f"{name}-github-{kind}",
            description=f"GitHub Actions {kind} role of {repository}, environment {github_environment}",
            max_session_duration=3600,
            assume_role_policy=policy_document(
                {
                    "Sid": "GitHubActionsOidc",
                    "Effect": "Allow",
                    "Principal": {"Federated": self.oidc_provider_arn},
                    "Action": "sts:AssumeRoleWithWebIdentity",
                    "Condition": {
                        "StringEquals": {
                            f"{GITHUB_OIDC_HOST}:aud": GITHUB_OIDC_AUDIENCE,
                            f"{GITHUB_OIDC_HOST}:sub": github_subject(repository, github_environment),
                        }
                    },
                }
            ),
        )
        pin_address(role, name, "github", kind, "role")
        for policy_name in managed:
            attachment = IamRolePolicyAttachment(
                self,
                f"github-{kind}-{policy_name}",
                role=role.name,
                policy_arn=f"arn:{context.partition}:iam::aws:policy/{policy_name}",
            )
            pin_address(attachment, name, "github", kind, policy_name)
        inline = IamRolePolicy(
            self, f"github-{kind}-policy", role=role.id, policy=policy_document(*statements)
        )
        pin_address(inline, name, "github", kind, "policy")
        return role


__all__ = [
    "GITHUB_OIDC_AUDIENCE",
    "GITHUB_OIDC_URL",
    "BootstrapStack",
    "bootstrap_state_key",
    "github_subject",
]
