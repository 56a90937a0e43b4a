"""stackkit: secure-by-default CDK for Terraform constructs for AWS."""

from stackkit.constructs import (
    Connections,
    EncryptionKey,
    EncryptionKeyProps,
    HasConnections,
    NatStrategy,
    Network,
    NetworkLike,
    NetworkProps,
    SubnetTier,
)
from stackkit.errors import ValidationError
from stackkit.stacks import (
    ENVIRONMENT_NAMES,
    ENVIRONMENTS,
    EnvironmentConfig,
    EnvironmentName,
    EnvironmentStack,
    load_environment,
)

__version__ = "0.1.0"

__all__ = [
    "ENVIRONMENTS",
    "ENVIRONMENT_NAMES",
    "Connections",
    "EncryptionKey",
    "EncryptionKeyProps",
    "EnvironmentConfig",
    "EnvironmentName",
    "EnvironmentStack",
    "HasConnections",
    "NatStrategy",
    "Network",
    "NetworkLike",
    "NetworkProps",
    "SubnetTier",
    "ValidationError",
    "__version__",
    "load_environment",
]
