"""Reusable constructs: each takes one typed, validated props object with secure defaults."""

from stackkit.constructs.alarms import AlarmSpec
from stackkit.constructs.backup import Backup, BackupProps, BackupSettings
from stackkit.constructs.cache import Cache, CacheProps, CacheSettings
from stackkit.constructs.cluster import Cluster, ClusterLike, ClusterProps
from stackkit.constructs.connections import Connections, HasConnections
from stackkit.constructs.database import Database, DatabaseProps, DatabaseSettings
from stackkit.constructs.encryption_key import EncryptionKey, EncryptionKeyProps
from stackkit.constructs.existing_network import ExistingNetwork
from stackkit.constructs.fargate_service import FargateService, FargateServiceProps
from stackkit.constructs.image_repository import (
    ImageRepository,
    ImageRepositoryLike,
    ImageRepositoryProps,
    ImageRepositoryReference,
)
from stackkit.constructs.load_balanced_service import LoadBalancedService, LoadBalancedServiceProps
from stackkit.constructs.load_balancer import (
    ListenerRuleProps,
    LoadBalancer,
    LoadBalancerProps,
    LoadBalancerTarget,
    LoadBalancerTargetProps,
)
from stackkit.constructs.monitoring import (
    AlarmThresholds,
    CacheMetrics,
    DatabaseMetrics,
    Monitoring,
    MonitoringProps,
    QueueMetrics,
    ScheduledTaskMetrics,
    ServiceMetrics,
    WorkerMetrics,
)
from stackkit.constructs.network import NatStrategy, Network, NetworkLike, NetworkProps
from stackkit.constructs.one_off_task import (
    DatabaseBootstrap,
    DatabaseBootstrapProps,
    OneOffTask,
    OneOffTaskProps,
)
from stackkit.constructs.protocols import CacheLike, DatabaseLike
from stackkit.constructs.provider_scope import ProviderScope
from stackkit.constructs.queue import Queue, QueueLike, QueueProps
from stackkit.constructs.restore import CacheRestore, DatabaseRestore
from stackkit.constructs.scheduled_task import ScheduledTask, ScheduledTaskProps
from stackkit.constructs.service import Service, ServiceProps
from stackkit.constructs.subnet_plan import SubnetTier
from stackkit.constructs.task_definition import FargateTaskDefinition, FargateTaskDefinitionProps
from stackkit.constructs.worker_service import WorkerService, WorkerServiceProps

__all__ = [
    "DatabaseBootstrap",
    "DatabaseBootstrapProps",
    "OneOffTask",
    "OneOffTaskProps",
    "AlarmSpec",
    "AlarmThresholds",
    "Backup",
    "BackupProps",
    "BackupSettings",
    "Cache",
    "CacheLike",
    "CacheMetrics",
    "CacheProps",
    "CacheRestore",
    "CacheSettings",
    "Cluster",
    "ClusterLike",
    "ClusterProps",
    "Connections",
    "Database",
    "DatabaseLike",
    "DatabaseMetrics",
    "DatabaseProps",
    "DatabaseRestore",
    "DatabaseSettings",
    "EncryptionKey",
    "EncryptionKeyProps",
    "ExistingNetwork",
    "FargateService",
    "FargateServiceProps",
    "FargateTaskDefinition",
    "FargateTaskDefinitionProps",
    "HasConnections",
    "ImageRepository",
    "ImageRepositoryLike",
    "ImageRepositoryProps",
    "ImageRepositoryReference",
    "ListenerRuleProps",
    "LoadBalancedService",
    "LoadBalancedServiceProps",
    "LoadBalancer",
    "LoadBalancerProps",
    "LoadBalancerTarget",
    "LoadBalancerTargetProps",
    "Monitoring",
    "MonitoringProps",
    "NatStrategy",
    "Network",
    "NetworkLike",
    "NetworkProps",
    "ProviderScope",
    "Queue",
    "QueueLike",
    "QueueMetrics",
    "QueueProps",
    "ScheduledTask",
    "ScheduledTaskMetrics",
    "ScheduledTaskProps",
    "Service",
    "ServiceMetrics",
    "ServiceProps",
    "SubnetTier",
    "WorkerMetrics",
    "WorkerService",
    "WorkerServiceProps",
]
