"""Database: a multi-AZ RDS PostgreSQL instance, secure by default.

Starts from the seed's documented defaults (postgres 15, ``db.t3.medium``, 20 GB, multi-AZ,
30-day backups, deletion protection, final snapshot ``<name>-db-final``) and adds what a
production database needs: an RDS-managed master password in Secrets Manager, a
customer-managed KMS key for storage / performance insights / the secret / the log groups,
gp3 with storage autoscaling, enhanced monitoring, IAM authentication, log exports to
encrypted log groups, a parameter group with query logging and forced TLS, isolated subnets
and a security group that nobody can reach until a caller grants it via ``connections``.
"""

from __future__ import annotations

from typing import Any

from stackkit._private.cdk import (
    Construct,
    DbInstance,
    DbInstanceRestoreToPointInTime,
    DbParameterGroup,
    DbParameterGroupParameter,
    DbSubnetGroup,
    IamRole,
    IamRolePolicyAttachment,
)
from stackkit._private.iam import assume_role_policy
from stackkit._private.logs import encrypted_log_group
from stackkit._private.regions import check_network_region
from stackkit._private.terraform import PROTECTED, AwsContext, pin_address, region_of
from stackkit.constructs.connections import Connections
from stackkit.constructs.database_props import (  # re-exported: stackkit 0.1 defined them here
    CA_CERT_IDENTIFIER,
    DEFAULT_ALLOCATED_STORAGE_GB,
    DEFAULT_APP_USERNAME,
    DEFAULT_BACKUP_RETENTION_DAYS,
    DEFAULT_BACKUP_WINDOW,
    DEFAULT_DATABASE_NAME,
    DEFAULT_DELETION_PROTECTION,
    DEFAULT_ENGINE_VERSION,
    DEFAULT_INSTANCE_CLASS,
    DEFAULT_LOG_MIN_DURATION_STATEMENT_MS,
    DEFAULT_LOG_STATEMENT,
    DEFAULT_MAINTENANCE_WINDOW,
    DEFAULT_MAX_ALLOCATED_STORAGE_GB,
    DEFAULT_MIGRATOR_USERNAME,
    DEFAULT_MONITORING_INTERVAL_SECONDS,
    DEFAULT_MULTI_AZ,
    DEFAULT_PERFORMANCE_INSIGHTS_RETENTION_DAYS,
    DEFAULT_PORT,
    DEFAULT_USERNAME,
    LOG_EXPORTS,
    MAX_STORAGE_GB,
    MIN_STORAGE_GB,
    MONITORING_INTERVALS,
    PERFORMANCE_INSIGHTS_RETENTION_DAYS,
    POSTGRES_RESERVED_WORDS,
    RDS_RESERVED_DATABASE_NAMES,
    RDS_RESERVED_USERNAMES,
    SUPPORTED_POSTGRES_MAJOR_VERSIONS,
    DatabaseProps,
    DatabaseSettings,
    LogStatement,
)
from stackkit.constructs.encryption_key import EncryptionKey, EncryptionKeyProps


class Database(Construct):
    """An RDS PostgreSQL instance with its key, parameter group, subnet group, monitoring role,
    log groups and security group.

    Attributes: ``instance`` (the DbInstance), ``identifier``, ``endpoint`` (``address:port``),
    ``address``, ``port``, ``arn`` (for AWS Backup), ``database_name``, ``username``,
    ``allocated_storage_gb``,
    ``max_allocated_storage_gb``, ``master_user_secret_arn`` (the Secrets Manager secret RDS
    manages), ``master_user_secret_kms_key_arn`` (its key), ``kms_key`` (an
    :class:`EncryptionKey`), ``security_group_id`` and
    ``connections`` (grant access with
    ``database.connections.allow_default_port_from(service)``), ``resource_id`` (the
    ``DbiResourceId`` of IAM database authentication), ``app_username``, ``migrator_username``.
    """

    def __init__(self, scope: Construct, id_: str, props: DatabaseProps) -> None:
        super().__init__(scope, id_)
        self.props = props
        check_network_region(props.network, region_of(self), "DatabaseProps")
        name = props.name
        base = f"{name}-db"  # names and addresses of everything this construct creates
        identifier = props.resolved_identifier
        context = AwsContext.of(self)

        # One key for storage, snapshots, performance insights, the master secret and the logs.
        self.kms_key = EncryptionKey(
            self,
            "key",
            EncryptionKeyProps(
                name=base,
                description=f"{identifier} RDS storage, performance insights, secret and logs",
                allow_cloudwatch_logs=True,
            ),
        )

        subnet_group = DbSubnetGroup(
            self,
            "subnet-group",
            name=base,
            description=f"{identifier}: isolated subnets, no route to the internet",
            subnet_ids=list(props.network.isolated_subnet_ids),
            tags={"Name": base},
            lifecycle=PROTECTED,
        )
        pin_address(subnet_group, base, "subnets")

        # A name prefix and create-before-destroy: a new engine major needs a new family, so
        # the new group is created and attached before the old one goes (prevent_destroy would
        # block exactly that, and the group holds no data).
        parameter_group = DbParameterGroup(
            self,
            "parameter-group",
            name_prefix=f"{base}-pg{props.major_version}-",
            family=f"postgres{props.major_version}",
            description=f"{identifier}: query logging and TLS only",
            parameter=[
                DbParameterGroupParameter(name=key, value=value)
                for key, value in sorted(props.parameter_values().items())
            ],
            tags={"Name": base},
            lifecycle={"create_before_destroy": True},
        )
        pin_address(parameter_group, base, "parameters")

        self.connections = Connections.with_new_security_group(
            self,
            name=base,
            vpc_id=props.network.vpc_id,
            description=f"{identifier}: PostgreSQL, reachable only from granted peers",
            default_port=props.port,
        )

        monitoring_role = IamRole(
            self,
            "monitoring-role",
            name_prefix=f"{base}-monitoring-"[:38],
            assume_role_policy=assume_role_policy("monitoring.rds.amazonaws.com", context.account_id),
            tags={"Name": f"{base}-monitoring"},
        )
        pin_address(monitoring_role, base, "monitoring_role")
        monitoring_policy = IamRolePolicyAttachment(
            self,
            "monitoring-policy",
            role=monitoring_role.name,
            policy_arn=(
                f"arn:{context.partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"
            ),
        )
        pin_address(monitoring_policy, base, "monitoring_policy")

        # Created here, before the instance, so RDS does not create them unencrypted and forever.
        log_groups = [
            encrypted_log_group(
                self,
                f"log-group-{log_type}",
                name=f"/aws/rds/instance/{identifier}/{log_type}",
                kms_key_arn=self.kms_key.arn,
                retention_days=props.log_retention_days,
                address=(base, "log", log_type),
            )
            for log_type in LOG_EXPORTS
        ]

        self.instance = DbInstance(
            self,
            "instance",
            identifier=identifier,
            engine="postgres",
            engine_version=props.engine_version,
            instance_class=props.instance_class,
            allocated_storage=props.allocated_storage_gb,
            max_allocated_storage=props.max_allocated_storage_gb,
            storage_type="gp3",
            storage_encrypted=True,
            **self._data_source(props),
            manage_master_user_password=True,
            master_user_secret_kms_key_id=self.kms_key.arn,
            iam_database_authentication_enabled=True,
            port=props.port,
            multi_az=props.multi_az,
            db_subnet_group_name=subnet_group.name,
            vpc_security_group_ids=[self.connections.security_group_id],
            publicly_accessible=False,
            parameter_group_name=parameter_group.name,
            ca_cert_identifier=CA_CERT_IDENTIFIER,
            backup_retention_period=props.backup_retention_days,
            backup_window=props.backup_window,
            maintenance_window=props.maintenance_window,
            copy_tags_to_snapshot=True,
            delete_automated_backups=False,
            auto_minor_version_upgrade=True,
            allow_major_version_upgrade=props.allow_major_version_upgrade,
            deletion_protection=props.deletion_protection,
            skip_final_snapshot=False,
            final_snapshot_identifier=props.resolved_final_snapshot_identifier,
            performance_insights_enabled=True,
            performance_insights_kms_key_id=self.kms_key.arn,
            performance_insights_retention_period=props.performance_insights_retention_days,
            monitoring_interval=props.monitoring_interval_seconds,
            monitoring_role_arn=monitoring_role.arn,
            enabled_cloudwatch_logs_exports=list(LOG_EXPORTS),
            tags={"Name": identifier},
            depends_on=[*log_groups, monitoring_policy],
            lifecycle=PROTECTED,
        )
        pin_address(self.instance, base)

        self.identifier: str = identifier
        self.arn: str = self.instance.arn
        self.endpoint: str = self.instance.endpoint
        self.address: str = self.instance.address
        self.port: int = props.port
        self.database_name: str = props.database_name
        self.username: str = props.username
        # Storage sizes, for free-storage alarms (a share of the allocation / the autoscaling ceiling).
        self.allocated_storage_gb: int = props.allocated_storage_gb
        self.max_allocated_storage_gb: int = props.max_allocated_storage_gb
        self.master_user_secret_arn: str = self.instance.master_user_secret.get(0).secret_arn
        self.master_user_secret_kms_key_arn: str = self.kms_key.arn
        self.security_group_id: str = self.connections.security_group_id
        #: ``DbiResourceId``: the IAM ``rds-db:connect`` resource names it, not the identifier.
        self.resource_id: str = self.instance.resource_id
        self.app_username: str = props.app_username
        self.migrator_username: str = props.migrator_username
        self.major_version: int = props.major_version

    def _data_source(self, props: DatabaseProps) -> dict[str, Any]:
        """A new, empty database (our key, name and user), or a restore.

        RestoreDBInstanceFromDBSnapshot and RestoreDBInstanceToPointInTime take no KmsKeyId,
        DBName (PostgreSQL) or MasterUsername: the restored instance keeps the source's key,
        database and master user (RDS API reference of both actions). Setting ``kms_key_id``
        anyway would show a perpetual forced replacement, so it is left out. ``snapshot_identifier``
        takes an ARN for a copied or shared snapshot; ``restore_to_point_in_time`` "Forces new
        resource" and needs ``identifier`` (AWS provider 6.x, ``aws_db_instance`` argument
        reference, https://registry.terraform.io/providers/hashicorp/aws/6.25.0/docs/resources/db_instance).
        """
        restore = props.restore_from
        if restore is None:
            return {
                "kms_key_id": self.kms_key.arn,
                "db_name": props.database_name,
                "username": props.username,
            }
        if restore.snapshot_identifier is not None:
            return {"snapshot_identifier": restore.snapshot_identifier}
        return {
            "restore_to_point_in_time": DbInstanceRestoreToPointInTime(
                source_db_instance_identifier=restore.source_db_instance_identifier,
                restore_time=restore.rfc3339_restore_time,
                use_latest_restorable_time=restore.use_latest_restorable_time or None,
            )
        }


__all__ = [
    "Database",
    "CA_CERT_IDENTIFIER",
    "DEFAULT_ALLOCATED_STORAGE_GB",
    "DEFAULT_APP_USERNAME",
    "DEFAULT_BACKUP_RETENTION_DAYS",
    "DEFAULT_BACKUP_WINDOW",
    "DEFAULT_DATABASE_NAME",
    "DEFAULT_DELETION_PROTECTION",
    "DEFAULT_ENGINE_VERSION",
    "DEFAULT_INSTANCE_CLASS",
    "DEFAULT_LOG_MIN_DURATION_STATEMENT_MS",
    "DEFAULT_LOG_STATEMENT",
    "DEFAULT_MAINTENANCE_WINDOW",
    "DEFAULT_MAX_ALLOCATED_STORAGE_GB",
    "DEFAULT_MIGRATOR_USERNAME",
    "DEFAULT_MONITORING_INTERVAL_SECONDS",
    "DEFAULT_MULTI_AZ",
    "DEFAULT_PERFORMANCE_INSIGHTS_RETENTION_DAYS",
    "DEFAULT_PORT",
    "DEFAULT_USERNAME",
    "DatabaseProps",
    "DatabaseSettings",
    "LOG_EXPORTS",
    "LogStatement",
    "MAX_STORAGE_GB",
    "MIN_STORAGE_GB",
    "MONITORING_INTERVALS",
    "PERFORMANCE_INSIGHTS_RETENTION_DAYS",
    "POSTGRES_RESERVED_WORDS",
    "RDS_RESERVED_DATABASE_NAMES",
    "RDS_RESERVED_USERNAMES",
    "SUPPORTED_POSTGRES_MAJOR_VERSIONS",
]
