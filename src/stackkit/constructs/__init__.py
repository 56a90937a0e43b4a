"""Reusable constructs: each takes one typed, validated props object with secure defaults."""

from stackkit.constructs.connections import Connections, HasConnections
from stackkit.constructs.encryption_key import EncryptionKey, EncryptionKeyProps
from stackkit.constructs.network import NatStrategy, Network, NetworkLike, NetworkProps
from stackkit.constructs.subnet_plan import SubnetTier

__all__ = [
    "Connections",
    "EncryptionKey",
    "EncryptionKeyProps",
    "HasConnections",
    "NatStrategy",
    "Network",
    "NetworkLike",
    "NetworkProps",
    "SubnetTier",
]
