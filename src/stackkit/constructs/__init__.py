"""Reusable constructs: each takes one typed, validated props object with secure defaults."""

from stackkit.constructs.cache import Cache, CacheProps, CacheSettings
from stackkit.constructs.cluster import Cluster, ClusterLike, ClusterProps
from stackkit.constructs.connections import Connections, HasConnections
from stackkit.constructs.database import Database, DatabaseProps, DatabaseSettings
from stackkit.constructs.encryption_key import EncryptionKey, EncryptionKeyProps
from stackkit.constructs.network import NatStrategy, Network, NetworkLike, NetworkProps
from stackkit.constructs.service import CacheLike, DatabaseLike, Service, ServiceProps
from stackkit.constructs.subnet_plan import SubnetTier

__all__ = [
    "Cache",
    "CacheLike",
    "CacheProps",
    "CacheSettings",
    "Cluster",
    "ClusterLike",
    "ClusterProps",
    "Connections",
    "Database",
    "DatabaseLike",
    "DatabaseProps",
    "DatabaseSettings",
    "EncryptionKey",
    "EncryptionKeyProps",
    "HasConnections",
    "NatStrategy",
    "Network",
    "NetworkLike",
    "NetworkProps",
    "Service",
    "ServiceProps",
    "SubnetTier",
]
