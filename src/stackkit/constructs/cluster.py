"""Cluster: the seed's ECS cluster, with Container Insights and encrypted ECS Exec logging."""

from __future__ import annotations

from typing import Literal, Protocol

from pydantic import Field

from stackkit._private.cdk import Construct, EcsCluster, EcsClusterSetting
from stackkit._private.logs import DEFAULT_LOG_RETENTION_DAYS, encrypted_log_group
from stackkit._private.model import FrozenModel
from stackkit._private.rules import LogRetentionDays
from stackkit._private.terraform import pin_address
from stackkit.constructs.encryption_key import EncryptionKey, EncryptionKeyProps
from stackkit.constructs.network import NAME_PATTERN

#: The seed's ``containerInsights = enabled``.
DEFAULT_CONTAINER_INSIGHTS: Literal["enabled", "enhanced"] = "enabled"


class ClusterLike(Protocol):
    """What a Service needs from a cluster: ours (:class:`Cluster`) or an existing one."""

    @property
    def name(self) -> str: ...
    @property
    def arn(self) -> str: ...
    @property
    def exec_kms_key_arn(self) -> str:
        """Key that encrypts ECS Exec sessions and their logs (the task role may use it)."""
        ...

    @property
    def exec_log_group_arn(self) -> str:
        """Log group receiving ECS Exec session logs."""
        ...


class ClusterProps(FrozenModel):
    """Props of :class:`Cluster`."""

    name: str = Field(pattern=NAME_PATTERN)
    """Required. The project name: the cluster is ``<name>-cluster`` (the seed) and its address
    ``aws_ecs_cluster.<name>_cluster``."""
    container_insights: Literal["enabled", "enhanced"] = DEFAULT_CONTAINER_INSIGHTS
    """Default ``enabled`` (the seed; Checkov CKV_AWS_65). ``enhanced`` adds per-task metrics
    at extra cost. Turning it off is not offered: the rollback and health metrics need it."""
    exec_log_retention_days: LogRetentionDays = DEFAULT_LOG_RETENTION_DAYS
    """Default 365 days: ECS Exec sessions are an audit trail of who ran what in a task."""


class Cluster(Construct):
    """An ECS cluster ``<name>-cluster`` with Container Insights on.

    ECS Exec is configured on the cluster even though services keep it off by default, so that
    turning it on for a service can never produce unencrypted session logs: sessions are
    encrypted with a customer-managed key and logged to a KMS-encrypted log group.

    Attributes: ``cluster`` (the resource), ``name``, ``arn``, ``exec_kms_key_arn``,
    ``exec_log_group_arn``.
    """

    def __init__(self, scope: Construct, id_: str, props: ClusterProps) -> None:
        super().__init__(scope, id_)
        name = props.name
        key = EncryptionKey(
            self,
            "exec-key",
            EncryptionKeyProps(
                name=f"{name}-ecs-exec",
                description=f"{name} ECS Exec sessions and their logs",
                allow_cloudwatch_logs=True,
            ),
        )
        group = encrypted_log_group(
            self,
            "exec-log-group",
            name=f"/aws/ecs/{name}/exec",
            kms_key_arn=key.arn,
            retention_days=props.exec_log_retention_days,
            address=(name, "ecs_exec_logs"),
        )
        self.cluster = EcsCluster(
            self,
            "cluster",
            name=f"{name}-cluster",
            setting=[EcsClusterSetting(name="containerInsights", value=props.container_insights)],
            configuration={
                "execute_command_configuration": {
                    "kms_key_id": key.arn,
                    "logging": "OVERRIDE",
                    "log_configuration": {
                        "cloud_watch_encryption_enabled": True,
                        "cloud_watch_log_group_name": group.name,
                    },
                }
            },
        )
        pin_address(self.cluster, name, "cluster")
        self.name: str = self.cluster.name
        self.arn: str = self.cluster.arn
        self.exec_kms_key_arn: str = key.arn
        self.exec_log_group_arn: str = group.arn


__all__ = ["Cluster", "ClusterLike", "ClusterProps"]
