"""Reusable constructs: each takes one typed, validated props object with secure defaults."""

from stackkit.constructs.backup import Backup, BackupProps, BackupSettings
from stackkit.constructs.cache import Cache, CacheProps, CacheSettings
from stackkit.constructs.cluster import Cluster, ClusterLike, ClusterProps
from stackkit.constructs.connections import Connections, HasConnections
from stackkit.constructs.database import Database, DatabaseProps, DatabaseSettings
from stackkit.constructs.encryption_key import EncryptionKey, EncryptionKeyProps
from stackkit.constructs.existing_network import ExistingNetwork
from stackkit.constructs.monitoring import (
    AlarmThresholds,
    CacheMetrics,
    DatabaseMetrics,
    Monitoring,
    MonitoringProps,
    ServiceMetrics,
)
from stackkit.constructs.network import NatStrategy, Network, NetworkLike, NetworkProps
from stackkit.constructs.protocols import CacheLike, DatabaseLike
from stackkit.constructs.provider_scope import ProviderScope
from stackkit.constructs.restore import CacheRestore, DatabaseRestore
from stackkit.constructs.service import Service, ServiceProps
from stackkit.constructs.subnet_plan import SubnetTier

__all__ = [
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
    "HasConnections",
    "Monitoring",
    "MonitoringProps",
    "NatStrategy",
    "Network",
    "NetworkLike",
    "NetworkProps",
    "ProviderScope",
    "Service",
    "ServiceMetrics",
    "ServiceProps",
    "SubnetTier",
]
