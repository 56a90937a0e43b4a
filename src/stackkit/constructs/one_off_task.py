"""OneOffTask: a Fargate task that runs to completion (a migration, the database bootstrap), and
DatabaseBootstrap, the one that creates the application's database users.

A one-off task is a :class:`FargateTaskDefinition` (listening on nothing) with its own security
group in the private subnets. By default it also *runs during the apply*: a ``terraform_data``
resource whose local-exec starts it (``aws ecs run-task``), waits for it
(``aws ecs wait tasks-stopped``) and fails the apply unless the container exited 0. It runs again
whenever its task definition changes (a new image for a migration), and whatever must come after
it (the service's new version) depends on ``run``. So a migration runs *before* the new version
starts, inside the one saved plan the deploy job applies, and a failed one stops the deploy.
"""

from __future__ import annotations

from typing import Self

from pydantic import Field, model_validator

from stackkit._private.cdk import (
    Construct,
    DataResource,
    Fn,
    LocalExecProvisioner,
    TerraformResource,
)
from stackkit._private.logs import DEFAULT_LOG_RETENTION_DAYS
from stackkit._private.model import FrozenModel
from stackkit._private.rules import LogRetentionDays
from stackkit._private.service_defaults import SERVICE_NAME_PATTERN
from stackkit._private.skips import ONE_OFF_TASK_SECURITY_GROUP
from stackkit._private.team_secrets import require_secrets_in_region
from stackkit._private.terraform import AwsContext, pin_address
from stackkit.constructs.cluster import ClusterLike
from stackkit.constructs.encryption_key import EncryptionKey, EncryptionKeyProps
from stackkit.constructs.image_repository import ImageRepository, ImageRepositoryLike, ImageRepositoryProps
from stackkit.constructs.network import NetworkLike
from stackkit.constructs.task_definition import (
    CacheLike,
    DatabaseLike,
    FargateTaskDefinition,
    FargateTaskDefinitionProps,
)
from stackkit.constructs.workload import no_ingress_task_connections, open_task_egress

#: What the local-exec runs (bash): start the task, wait until it stopped, fail unless its
#: container exited 0. ``aws ecs wait tasks-stopped`` polls every 6 s, 100 times (10 minutes),
#: then fails (AWS CLI reference, ecs wait tasks-stopped): waited up to 6 times (an hour) for a
#: long migration. A task still running then has no exit code, and the script fails. The stop
#: reason is printed either way. Every call names the task's region (``--region``): a command-line
#: option overrides the environment and the profile (AWS CLI user guide, "Configuring environment
#: variables for the AWS CLI", precedence of options), so the task starts where it was defined,
#: whatever region the machine running the apply is configured for.
RUN_TASK_SCRIPT = """set -euo pipefail
task_arn=$(aws ecs run-task --region "$REGION" --cluster "$CLUSTER" --task-definition "$TASK_DEFINITION" \\
  --launch-type FARGATE --network-configuration "$NETWORK_CONFIGURATION" \\
  --started-by stackkit-one-off --query 'tasks[0].taskArn' --output text)
echo "started $task_arn"
for attempt in 1 2 3 4 5 6; do
  if aws ecs wait tasks-stopped --region "$REGION" --cluster "$CLUSTER" --tasks "$task_arn"; then break; fi
  echo "still running after $((attempt * 10)) minutes"
done
exit_code=$(aws ecs describe-tasks --region "$REGION" --cluster "$CLUSTER" --tasks "$task_arn" \\
  --query 'tasks[0].containers[0].exitCode' --output text)
reason=$(aws ecs describe-tasks --region "$REGION" --cluster "$CLUSTER" --tasks "$task_arn" \\
  --query 'tasks[0].stoppedReason' --output text)
echo "$task_arn stopped (exit code $exit_code): $reason"
test "$exit_code" = 0"""


class OneOffTaskProps(FrozenModel):
    """Props of :class:`OneOffTask`."""

    task: FargateTaskDefinitionProps
    """Required. The container: image, ``command`` (e.g. ``("npm", "run", "migrate")``), sizes,
    ``database_user``. ``container_port`` must be ``None`` (a one-off task listens on nothing)."""
    run_on_apply: bool = True
    """Default on: the apply runs the task (and waits for it) whenever its task definition
    changes; ``run`` is what later resources depend on. Needs the AWS CLI where Terraform runs.
    Off: only the task definition exists; run it with the commands in docs/constructs/database.md."""

    @model_validator(mode="after")
    def _job(self) -> Self:
        if self.task.container_port is not None:
            raise ValueError("task: a one-off task listens on nothing; set container_port=None")
        return self


class OneOffTask(Construct):
    """A task definition and its security group (no ingress; the database / cache port and HTTPS
    out), run during the apply unless ``run_on_apply`` is off.

    Attributes: ``name``, ``task`` (the :class:`FargateTaskDefinition`), ``family``,
    ``connections``, ``security_group_id``, ``network_configuration`` (the JSON that
    ``aws ecs run-task --network-configuration`` takes), ``cluster_name``, ``run`` (the
    ``terraform_data`` that runs it, or None).
    """

    def __init__(
        self,
        scope: Construct,
        id_: str,
        props: OneOffTaskProps,
        *,
        network: NetworkLike,
        cluster: ClusterLike,
        database: DatabaseLike | None = None,
        cache: CacheLike | None = None,
        kms_key_arn: str | None = None,
        repository: ImageRepositoryLike | None = None,
    ) -> None:
        require_secrets_in_region(scope, props.task, "OneOffTaskProps", field_prefix="task.")
        super().__init__(scope, id_)
        self.props = props
        name = self.name = props.task.name
        if kms_key_arn is None:
            kms_key_arn = EncryptionKey(
                self,
                "key",
                EncryptionKeyProps(
                    name=f"{name}-task",
                    description=f"{name}: container logs, connection secrets",
                    allow_cloudwatch_logs=True,
                ),
            ).arn
        if repository is None and props.task.uses_own_repository:
            repository = ImageRepository(
                self, "repository", ImageRepositoryProps(name=name), kms_key_arn=kms_key_arn
            )
        self.task = FargateTaskDefinition(
            self,
            "task",
            props.task,
            cluster=cluster,
            kms_key_arn=kms_key_arn,
            repository=repository,
            database=database,
            cache=cache,
        )
        self.family: str = self.task.family
        self.cluster_name: str = cluster.name
        self.connections = no_ingress_task_connections(
            self,
            name,
            vpc_id=network.vpc_id,
            description=f"{name} one-off tasks: no ingress",
            attached=ONE_OFF_TASK_SECURITY_GROUP,
        )
        self.security_group_id: str = self.connections.security_group_id
        way_out = open_task_egress(
            self, self.connections, name, database=database, cache=cache, what="one-off task"
        )
        self.network_configuration: str = Fn.jsonencode(
            {
                "awsvpcConfiguration": {
                    "subnets": list(network.private_subnet_ids),
                    "securityGroups": [self.security_group_id],
                    "assignPublicIp": "DISABLED",
                }
            }
        )
        self.run: DataResource | None = None
        if props.run_on_apply:
            instance = getattr(database, "instance", None)
            database_ready = [instance] if isinstance(instance, TerraformResource) else []
            self.run = DataResource(
                self,
                "run",
                # A new task definition revision (image, command, secrets) runs it again.
                triggers_replace={"task_definition": self.task.arn},
                provisioners=[
                    LocalExecProvisioner(
                        type="local-exec",
                        interpreter=["/bin/bash", "-c"],
                        command=RUN_TASK_SCRIPT,
                        environment={
                            "REGION": AwsContext.of(self).region,
                            "CLUSTER": cluster.arn,
                            "TASK_DEFINITION": self.task.arn,
                            "NETWORK_CONFIGURATION": self.network_configuration,
                        },
                    )
                ],
                # The network path and the database must exist before the task starts.
                depends_on=[*way_out, *database_ready],
            )
            pin_address(self.run, name, "run")

    def must_run_before(self, *resources: TerraformResource) -> None:
        """Make ``resources`` (a service's ECS service) wait for this task's run during the apply."""
        if self.run is None:
            return
        address = f"{self.run.terraform_resource_type}.{self.run.friendly_unique_id}"
        for resource in resources:
            existing = list(resource.depends_on or [])
            if address not in existing:
                resource.depends_on = [*existing, address]


class DatabaseBootstrapProps(FrozenModel):
    """Props of :class:`DatabaseBootstrap`."""

    name: str = Field(pattern=SERVICE_NAME_PATTERN)
    """Required. The task family and the base of the Terraform addresses (``<name>_run``)."""
    image: str | None = None
    """Default ``public.ecr.aws/docker/library/postgres:<major>-alpine`` (psql of the database's
    major version, from the official image on ECR Public; Alpine's busybox wget fetches the RDS
    CA bundle over HTTPS)."""
    log_retention_days: LogRetentionDays = DEFAULT_LOG_RETENTION_DAYS
    """Default 365 days (CKV_AWS_338): the log of every bootstrap run."""
    run_on_apply: bool = True
    """Default on: see :attr:`OneOffTaskProps.run_on_apply`."""


#: The RDS CA bundle of every region (RDS user guide, "Using SSL/TLS to encrypt a connection to
#: a DB instance or cluster", certificate bundles for all AWS Regions).
RDS_CA_BUNDLE_URL = "https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def bootstrap_sql(*, database_name: str, app_username: str, migrator_username: str) -> str:
    """Idempotent SQL (run as the master): the two IAM users, ``rds_iam``, and least privilege.

    ``app``: connect, use ``public``, read and write rows (and use sequences) of every table,
    now and of those the migrator creates later. ``app_migrator``: connect and create in
    ``public`` (schema changes); it owns what migrations create. ``GRANT rds_iam`` makes a user
    log in with IAM tokens only (RDS user guide, "Creating a database account using IAM
    authentication": ``CREATE USER db_userx; GRANT rds_iam TO db_userx;``). Every statement may
    run again: roles are created only when missing, GRANT of a held privilege is a no-op.
    """
    app, migrator, db = _ident(app_username), _ident(migrator_username), _ident(database_name)
    return f"""DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {_literal(app_username)}) THEN
    CREATE ROLE {app} LOGIN;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {_literal(migrator_username)}) THEN
    CREATE ROLE {migrator} LOGIN;
  END IF;
END
$$;
GRANT rds_iam TO {app}, {migrator};
GRANT CONNECT ON DATABASE {db} TO {app}, {migrator};
GRANT USAGE ON SCHEMA public TO {app};
GRANT USAGE, CREATE ON SCHEMA public TO {migrator};
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {app};
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {app};
GRANT {migrator} TO CURRENT_USER;
ALTER DEFAULT PRIVILEGES FOR ROLE {migrator} IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {app};
ALTER DEFAULT PRIVILEGES FOR ROLE {migrator} IN SCHEMA public
  GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {app};
"""


def bootstrap_script(sql: str) -> str:
    """The container's ``sh -c`` script: fetch the RDS CA bundle (so ``sslmode=verify-full``
    checks the server), then run ``sql`` with psql, stopping at the first error."""
    return (
        "set -eu\n"
        f"wget -q -O /tmp/rds-ca.pem {RDS_CA_BUNDLE_URL}\n"
        "export PGSSLROOTCERT=/tmp/rds-ca.pem\n"
        "psql \"$DATABASE_URL\" --no-psqlrc -v ON_ERROR_STOP=1 <<'SQL'\n"
        f"{sql}"
        "SQL\n"
    )


class DatabaseBootstrap(Construct):
    """A :class:`OneOffTask` that logs in as the master (password from the RDS-managed secret,
    read at task start, so always the current one) and creates the application user and the
    migration user idempotently (:func:`bootstrap_sql`). Services that depend on ``run`` start
    only after it succeeded.

    ``database``: a :class:`~stackkit.Database` (``app_username``, ``migrator_username``,
    ``database_name``, ``major_version``). Attributes: ``task`` (the :class:`OneOffTask`),
    ``run``, ``sql``, ``family``.
    """

    def __init__(
        self,
        scope: Construct,
        id_: str,
        props: DatabaseBootstrapProps,
        *,
        network: NetworkLike,
        cluster: ClusterLike,
        database: DatabaseLike,
        kms_key_arn: str | None = None,
    ) -> None:
        super().__init__(scope, id_)
        users = {attr: getattr(database, attr, None) for attr in ("app_username", "migrator_username")}
        missing = [attr for attr, value in users.items() if not isinstance(value, str)]
        if missing:
            raise TypeError(f"database: needs {', '.join(missing)} (a stackkit.Database has them)")
        self.sql = bootstrap_sql(
            database_name=database.database_name,
            app_username=str(users["app_username"]),
            migrator_username=str(users["migrator_username"]),
        )
        major = getattr(database, "major_version", 15)
        image = props.image or f"public.ecr.aws/docker/library/postgres:{major}-alpine"
        self.task = OneOffTask(
            self,
            "one-off",
            OneOffTaskProps(
                task=FargateTaskDefinitionProps(
                    name=props.name,
                    image=image,
                    container_port=None,
                    command=("sh", "-c", bootstrap_script(self.sql)),
                    environment={},
                    cpu=256,
                    memory=512,
                    log_retention_days=props.log_retention_days,
                    database_user="master",
                ),
                run_on_apply=props.run_on_apply,
            ),
            network=network,
            cluster=cluster,
            database=database,
            kms_key_arn=kms_key_arn,
        )
        self.run = self.task.run
        self.family: str = self.task.family

    def must_run_before(self, *resources: TerraformResource) -> None:
        """See :meth:`OneOffTask.must_run_before`."""
        self.task.must_run_before(*resources)


__all__ = [
    "RUN_TASK_SCRIPT",
    "DatabaseBootstrap",
    "DatabaseBootstrapProps",
    "OneOffTask",
    "OneOffTaskProps",
    "bootstrap_sql",
]
