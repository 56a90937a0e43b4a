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
* three roles for CI, each trusted only for this repository, one GitHub environment and the
  deploy workflow on ``main`` (the ``sub`` claim ``repo:<org>/<repo>:environment:<name>:
  job_workflow_ref:<org>/<repo>/<workflow>@<ref>``, :func:`github_subject`), under the IAM path
  ``/github/`` (outside every pattern the deploy role may touch): a **plan** role that can only
  read (plus the state lock and the secrets a plan reads), an **image** role that can only push
  to this project's ECR repositories, both for the ``<env>-plan`` GitHub environment, and a
  **deploy** role for the ``<env>`` environment (the one with required reviewers in prod). What
  each may do, and why, is :mod:`stackkit.patterns.ci_roles` (and the docs page "CI roles");
* the **permissions boundary** every role the deploy role creates must carry.

An administrator applies this stack (CI only checks it): CI must not be able to change the roles
it assumes.
"""

from __future__ import annotations

from stackkit._private.cdk import (
    AwsProvider,
    AwsProviderDefaultTags,
    Construct,
    IamOpenidConnectProvider,
    IamPolicy,
    IamRole,
    IamRolePolicy,
    IamRolePolicyAttachment,
    S3Bucket,
    TerraformOutput,
    TerraformStack,
)
from stackkit._private.iam import policy_document
from stackkit._private.permissions_boundary import mark_permissions_boundary
from stackkit._private.secure_bucket import BucketIds, BucketLifecycle, secure_bucket
from stackkit._private.skips import (
    STATE_BUCKET_NO_ACCESS_LOG,
    STATE_BUCKET_NO_EVENTS,
    STATE_BUCKET_NO_REPLICATION,
)
from stackkit._private.terraform import AwsContext, pin_address, s3_backend
from stackkit.constructs.encryption_key import EncryptionKey, EncryptionKeyProps
from stackkit.constructs.image_repository import ImageRepository, ImageRepositoryProps
from stackkit.patterns import ci_roles
from stackkit.patterns.ci_roles import CiNames
from stackkit.patterns.environment_config import EnvironmentConfig

#: GitHub's OIDC issuer and the audience of aws-actions/configure-aws-credentials ("For the
#: provider URL: Use https://token.actions.githubusercontent.com; For the Audience: Use
#: sts.amazonaws.com if you are using the official action", GitHub docs, "Configuring OpenID
#: Connect in Amazon Web Services").
GITHUB_OIDC_URL = "https://token.actions.githubusercontent.com"
GITHUB_OIDC_HOST = "token.actions.githubusercontent.com"
GITHUB_OIDC_AUDIENCE = "sts.amazonaws.com"
#: The IAM path of the CI roles: ``role/github/...`` is outside ``role/<project>-*`` (the roles the
#: deploy role may create, change and pass) whatever the project, since a project name has no "/".
CI_ROLE_PATH = "/github/"
#: Noncurrent state versions kept this long: enough to roll a state back after a bad apply.
STATE_VERSION_DAYS = 365


def github_subject(repository: str, environment: str, workflow_ref: str | None = None) -> str:
    """The ``sub`` claim of a job that runs in GitHub environment ``environment`` of
    ``repository``: ``repo:<org/repo>:environment:<name>`` by default (GitHub docs, "OpenID
    Connect reference", "Filtering for a specific environment"); with ``workflow_ref``
    (``.github/workflows/<file>@<ref>``) the reusable workflow too, in the format of the
    subject template ``repo, context, job_workflow_ref``: "repo:ORG-NAME/REPO-NAME:environment:
    ENVIRONMENT-NAME:job_workflow_ref:REUSABLE-WORKFLOW-PATH" (same page, "Example: Requiring a
    reusable workflow and other claims",
    https://docs.github.com/en/actions/reference/security/oidc#customizing-the-subject-claims-for-an-organization-or-repository)."""
    subject = f"repo:{repository}:environment:{environment}"
    if workflow_ref is None:
        return subject
    return f"{subject}:job_workflow_ref:{repository}/{workflow_ref}"


def bootstrap_state_key(config: EnvironmentConfig) -> str:
    return f"{config.project}/{config.environment}/bootstrap.tfstate"


class BootstrapStack(TerraformStack):
    """The environment's state bucket, GitHub OIDC provider, CI roles and the permissions boundary
    of the roles CI creates (see the module doc).

    Attributes: ``config``, ``state_bucket``, ``state_key`` (the :class:`EncryptionKey`),
    ``images_key``, ``repositories`` (``{name: ImageRepository}``), ``oidc_provider_arn``,
    ``permissions_boundary``, ``plan_role``, ``image_role``, ``deploy_role``.
    """

    def __init__(self, scope: Construct, config: EnvironmentConfig) -> None:
        if config.github_repository is None:
            raise ValueError("BootstrapStack needs EnvironmentConfig.github_repository (org/repo)")
        super().__init__(scope, f"{config.environment}-bootstrap")
        self.config = config
        name = f"{config.project}-{config.environment}"
        AwsProvider(
            self,
            "aws",
            region=config.region,
            allowed_account_ids=list(config.allowed_account_ids),
            default_tags=[AwsProviderDefaultTags(tags=config.default_tags)],
        )
        # The stack's own state lives in the bucket it creates, under the key it creates. First
        # run: a local-backend override file, then `terraform init -migrate-state`
        # (docs/deploying.md). An override file's backend block replaces this one (Terraform
        # language, "Override Files": merging terraform blocks).
        s3_backend(
            self,
            bucket=config.state_bucket,
            key=bootstrap_state_key(config),
            region=config.region,
            kms_key_id=config.resolved_state_kms_key_id,
        )
        self.state_key = EncryptionKey(
            self,
            "state-key",
            EncryptionKeyProps(name=config.state_key_alias, description=f"{name}: Terraform state"),
        )
        self._state_bucket(config)
        self._image_repositories(config, name)
        self._github(config, config.github_repository, name)

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
    def _state_bucket(self, config: EnvironmentConfig) -> None:
        def only_state_key_encryption(bucket: S3Bucket) -> list[dict[str, object]]:
            # Every write must ask for SSE-KMS: a backend without kms_key_id sends AES256 (see
            # s3_backend) and is refused instead of writing state that s3:GetObject alone reads.
            # The bucket-policy form AWS documents (AWS Organizations user guide, "Example SCPs for
            # Amazon S3", "Prevent Amazon S3 unencrypted object uploads": StringNotEquals
            # s3:x-amz-server-side-encryption; https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_examples_s3.html).
            # A missing header does not equal aws:kms either, so it is refused too.
            return [
                {
                    "Sid": "StateKeyEncryptionOnly",
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "s3:PutObject",
                    "Resource": f"{bucket.arn}/*",
                    "Condition": {"StringNotEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}},
                }
            ]

        name = f"{config.project}-{config.environment}"
        bucket, _ = secure_bucket(
            self,
            ids=BucketIds.prefixed("state", bucket="state-bucket"),
            address=(name, "tfstate"),
            bucket_name=config.state_bucket,
            kms_key_arn=self.state_key.arn,
            lifecycle=BucketLifecycle("old-state-versions", noncurrent_days=STATE_VERSION_DAYS),
            checkov_skips=(STATE_BUCKET_NO_ACCESS_LOG, STATE_BUCKET_NO_REPLICATION, STATE_BUCKET_NO_EVENTS),
            statements=only_state_key_encryption,
        )
        self.state_bucket = bucket
        TerraformOutput(self, "state_bucket", value=bucket.bucket)

    # -- GitHub OIDC, the CI roles and the boundary ----------------------------------------------
    def _github(self, config: EnvironmentConfig, repository: str, name: str) -> None:
        context = AwsContext.of(self)
        arn = f"arn:{context.partition}"
        if config.create_github_oidc_provider:
            provider = IamOpenidConnectProvider(
                self, "github-oidc", url=GITHUB_OIDC_URL, client_id_list=[GITHUB_OIDC_AUDIENCE]
            )
            pin_address(provider, name, "github_oidc")
            self.oidc_provider_arn: str = provider.arn
        else:  # one provider per URL and account: another environment's bootstrap created it
            self.oidc_provider_arn = f"{arn}:iam::{context.account_id}:oidc-provider/{GITHUB_OIDC_HOST}"

        names = CiNames(
            arn=arn,
            account=context.account_id,
            region=config.region,
            project=config.project,
            environment=config.environment,
            state_bucket=config.state_bucket,
            state_key_arn=self.state_key.arn,
            state_key_alias=config.state_key_alias,
            images_key_arn=self.images_key.arn,
            images_key_alias=f"{name}-images",
            repository_arns=tuple(repository.arn for repository in self.repositories.values()),
            boundary_arn=f"{arn}:iam::{context.account_id}:policy/{config.permissions_boundary_name}",
            role_pattern=config.deploy_role_pattern,
            ci_role_path=CI_ROLE_PATH,
            break_glass_role_arn=config.backup.break_glass_role_arn,
            secrets_read_at_plan=config.secrets_read_at_plan,
        )
        # The boundary of every role the deploy role creates (IAM user guide, "Permissions
        # boundaries for IAM entities"). Its ARN is written out in the deploy role's conditions
        # (not this resource's token) because the app stack names it the same way, by name.
        self.permissions_boundary = IamPolicy(
            self,
            "permissions-boundary",
            name=config.permissions_boundary_name,
            description=f"{name}: the most any role created by the CI deploy role may do",
            policy=policy_document(*ci_roles.boundary_statements(names)),
        )
        pin_address(self.permissions_boundary, name, "permissions_boundary")
        mark_permissions_boundary(
            self.permissions_boundary,
            f"the most any role created by {name}'s CI deploy role may do (PowerUserAccess's shape, minus "
            "the guardrails); it grants nothing by itself",
        )

        env = config.environment
        plan_environment, deploy_environment = f"{env}-plan", env
        self.plan_role = self._role(
            "plan", name, repository, plan_environment, ("ReadOnlyAccess",), ci_roles.plan_statements(names)
        )
        self.image_role = self._role(
            "image", name, repository, plan_environment, (), ci_roles.image_statements(names)
        )
        self.deploy_role = self._role(
            "deploy",
            name,
            repository,
            deploy_environment,
            ("PowerUserAccess",),
            ci_roles.deploy_statements(names),
        )
        for kind, role in (
            ("plan", self.plan_role),
            ("image", self.image_role),
            ("deploy", self.deploy_role),
        ):
            TerraformOutput(self, f"{kind}_role_arn", value=role.arn)
        TerraformOutput(self, "permissions_boundary_arn", value=self.permissions_boundary.arn)

    def _role(
        self,
        kind: str,
        name: str,
        repository: str,
        github_environment: str,
        managed: tuple[str, ...],
        statements: list[dict[str, object]],
    ) -> IamRole:
        """A role only GitHub Actions jobs of ``repository`` in ``github_environment`` (and, by
        default, of the deploy workflow on ``main``) may assume.

        AWS: "IAM recommends that users evaluate the IAM condition key,
        token.actions.githubusercontent.com:sub, in the trust policy of any role that trusts
        GitHub's OIDC identity provider" (GitHub docs, "Configuring OpenID Connect in Amazon Web
        Services"; IAM user guide, "Configuring a role for GitHub OIDC identity provider"), and
        the audience ``aud`` is ``sts.amazonaws.com``. StringEquals, not StringLike: exactly one
        subject, no wildcard.
        """
        context = AwsContext.of(self)
        subject = github_subject(repository, github_environment, self.config.github_workflow_ref)
        role = IamRole(
            self,
            f"github-{kind}-role",
            name=f"{name}-github-{kind}",
            path=CI_ROLE_PATH,
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
                            f"{GITHUB_OIDC_HOST}:sub": subject,
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
    "CI_ROLE_PATH",
    "GITHUB_OIDC_AUDIENCE",
    "GITHUB_OIDC_URL",
    "BootstrapStack",
    "bootstrap_state_key",
    "github_subject",
]
