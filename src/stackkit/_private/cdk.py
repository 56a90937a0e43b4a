"""The one module that imports the CDK (cdktf or CDK Terrain), constructs and the AWS provider bindings.

Every construct imports CDK types from here. Two CDKs are supported, with the same module layout
and class names (CDK Terrain is the maintained fork of cdktf):

* CDK Terrain (``cdktn`` + ``cdktn_provider_aws``: ``pip install stackkit[cdktn]``), used when it
  is installed;
* CDK for Terraform (``cdktf`` + ``cdktf_cdktf_provider_aws``: ``stackkit[cdktf]``), otherwise.

``STACKKIT_CDK=cdktf|cdktn`` picks one explicitly (a virtual environment with both). What differs
between them is exposed as :data:`CAPABILITIES` (probed on the loaded bindings), never as
``if cdktn`` branches in constructs. Which CDK is chosen is decided in
:mod:`stackkit._private.backends` (without importing either). The names imported are listed in
:mod:`stackkit._private.cdk_names`; how they are loaded fast is :mod:`stackkit._private.loading`.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from stackkit._private import loading
from stackkit._private.backends import choose_backend
from stackkit._private.cdk_names import CORE_NAMES, PROVIDER_NAMES
from stackkit._private.loading import SCOPE_ATTRIBUTE as SCOPE_ATTRIBUTE

BACKEND = choose_backend()
loading.warn_if_imported_first(BACKEND.name, BACKEND.provider)
loading.start_kernel()
loading.load_provider(BACKEND.provider, eager_init=BACKEND.eager_provider_init)

# ruff: noqa: E402, F405  (imports after the loading; the CDK's names come from a star import)
import jsii
from constructs import Construct, IConstruct, IValidation

if TYPE_CHECKING:
    from stackkit._private.cdk_names import *  # noqa: F403  (the CDK's and the provider's names)
else:
    _core = importlib.import_module(BACKEND.core)
    globals().update({name: getattr(_core, name) for name in CORE_NAMES})
    loading.read_stub_hints_once(Construct, _core.App)
    for _submodule, _names in PROVIDER_NAMES.items():
        _module = importlib.import_module(f"{BACKEND.provider}.{_submodule}")
        globals().update({name: getattr(_module, name) for name in _names})
        loading.read_stub_hints_once(getattr(_module, _names[0]))

#: Resources and data sources made through a class exported here remember their scope
#: (:data:`SCOPE_ATTRIBUTE`, read by ``stackkit._private.terraform.stack_of``).
loading.remember_scopes(
    (globals()[name] for name in (*CORE_NAMES, *(n for names in PROVIDER_NAMES.values() for n in names))),
    (TerraformResource, TerraformDataSource),
)


# --- What differs between the two CDKs ------------------------------------------------------
def _accepts(cls: Any, argument: str) -> bool:
    return argument in inspect.signature(cls.__init__).parameters


@dataclass(frozen=True)
class Capabilities:
    """What the loaded CDK and provider bindings can express; constructs branch on these."""

    native_ephemeral: bool
    """The CDK has ``TerraformEphemeralResource`` and the provider its ephemeral classes
    (``EphemeralAwsSecretsmanagerRandomPassword``...). cdktf 0.21 has neither: ephemeral blocks
    are written as raw JSON overrides there."""
    write_only_auth_token: bool
    """``ElasticacheReplicationGroup`` takes the write-only ``auth_token_wo`` (+ ``auth_token_wo_version``):
    in cdktn-provider-aws 25.8.1 (hashicorp/aws 6.69.1, registry docs of
    ``aws_elasticache_replication_group#auth_token_wo``); absent from cdktf-cdktf-provider-aws
    21.22.1 (provider 6.25.0)."""
    s3_backend_lockfile: bool
    """``S3Backend`` takes ``use_lockfile`` (S3-native state locking); cdktf 0.21's does not."""
    terraform_target_context: bool
    """The CDK checks write-only attributes, ephemeral resources and S3 locking against the
    ``targetVersions`` context (CDK Terrain: ``cdktn/lib/validations/target-versions.js``
    resolves it with ``scope.node.tryGetContext("targetVersions")`` from the element using the
    feature, defaulting to terraform >=1.5.7 and opentofu >=1.6.0, which refuses them)."""


def _probe() -> Capabilities:
    core = sys.modules[BACKEND.core]
    return Capabilities(
        native_ephemeral=hasattr(core, "TerraformEphemeralResource")
        and importlib.util.find_spec(f"{BACKEND.provider}.ephemeral_aws_secretsmanager_random_password")
        is not None,
        write_only_auth_token=_accepts(ElasticacheReplicationGroup, "auth_token_wo"),
        s3_backend_lockfile=_accepts(S3Backend, "use_lockfile"),
        # The target check came with the features it guards (cdktn 0.24: ephemeral resources,
        # write-only arguments); cdktf 0.21 has neither and checks nothing.
        terraform_target_context=hasattr(core, "TerraformEphemeralResource"),
    )


CAPABILITIES = _probe()

#: The Terraform that stackkit's output needs: write-only arguments (``secret_string_wo``,
#: ``auth_token_wo``) need Terraform 1.11 ("To use write-only arguments, you must use Terraform
#: v.1.11 or later": https://developer.hashicorp.com/terraform/language/manage-sensitive-data/write-only);
#: ephemeral resources came in 1.10 and S3 native locking (``use_lockfile``) is GA since 1.11.0
#: (Terraform 1.11.0 release notes). Written in npm semver, as cdktn's ``targetVersions`` wants it.
TERRAFORM_TARGET = {"terraform": ">=1.11.0"}


def ephemeral_resource_class(resource_type: str) -> Any:
    """The provider's class for the ephemeral ``resource_type`` (``aws_secretsmanager_random_password``
    -> ``EphemeralAwsSecretsmanagerRandomPassword``); only with ``CAPABILITIES.native_ephemeral``."""
    if not CAPABILITIES.native_ephemeral:
        raise RuntimeError(f"{BACKEND.name} has no ephemeral resource classes")
    module = importlib.import_module(f"{BACKEND.provider}.ephemeral_{resource_type}")
    cls: Any = getattr(module, "Ephemeral" + "".join(part.capitalize() for part in resource_type.split("_")))
    loading.read_stub_hints_once(cls)
    return cls


#: Class decorator making a Python class a cdktf aspect (``visit(node)`` called at synthesis).
implements_aspect = jsii.implements(IAspect)
implements_validation = jsii.implements(IValidation)
#: The jsii runtime module itself (source_location wraps its ``create`` to note a team's lines).
jsii_runtime = jsii


__all__ = [
    *CORE_NAMES,
    *(name for names in PROVIDER_NAMES.values() for name in names),
    "BACKEND",
    "CAPABILITIES",
    "Capabilities",
    "Construct",
    "IConstruct",
    "SCOPE_ATTRIBUTE",
    "TERRAFORM_TARGET",
    "ephemeral_resource_class",
    "implements_aspect",
    "implements_validation",
    "jsii_runtime",
]
