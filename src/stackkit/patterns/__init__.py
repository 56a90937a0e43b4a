"""Patterns: thin compositions of the constructs that a team can reuse as a whole.

:class:`EnvironmentStack` is one environment's provider, remote state and product (network,
database, cache, cluster, service, monitoring), built from a validated
:class:`EnvironmentConfig`. It carries no account ids, buckets or ARNs: each repository
states its own environments (this one in its top-level ``stacks/`` package).
"""

from stackkit.patterns.bootstrap_stack import BootstrapStack
from stackkit.patterns.environment_config import EnvironmentConfig
from stackkit.patterns.environment_stack import EnvironmentStack
from stackkit.patterns.service_settings import ServiceSettings

__all__ = ["BootstrapStack", "EnvironmentConfig", "EnvironmentStack", "ServiceSettings"]
