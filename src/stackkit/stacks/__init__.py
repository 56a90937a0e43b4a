"""Environment configuration and the stack that composes the constructs."""

from stackkit.stacks.config import ENVIRONMENT_NAMES, EnvironmentConfig, EnvironmentName
from stackkit.stacks.environment_stack import EnvironmentStack
from stackkit.stacks.environments import ENVIRONMENTS, load_environment

__all__ = [
    "ENVIRONMENTS",
    "ENVIRONMENT_NAMES",
    "EnvironmentConfig",
    "EnvironmentName",
    "EnvironmentStack",
    "load_environment",
]
