"""The one module that imports cdktf, constructs and the AWS provider bindings.

Every construct imports cdktf types from here, so that a later move (to CDK Terrain, or to
locally generated bindings) touches one file.

Loading is made fast on both sides of jsii, without changing what is synthesized:

* Python: ``cdktf_cdktf_provider_aws/__init__.py`` imports all ~2,200 resource submodules
  (about 6.5 s with bytecode, far more without). We register the package without running
  that ``__init__`` so that importing ``cdktf_cdktf_provider_aws.vpc`` loads only ``vpc``.
* Node: the jsii kernel requires the provider's ``lib/index.js``, which requires every
  submodule (about 3.5 s). ``lazy_provider_index.js`` is preloaded into the kernel's node
  process and serves that index lazily. The kernel starts with the first jsii import, so the
  preload is added to ``NODE_OPTIONS`` before cdktf is imported; if cdktf was imported
  earlier, the provider still works, only slower.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

_PROVIDER_PACKAGE = "cdktf_cdktf_provider_aws"
_NODE_PRELOAD = Path(__file__).with_name("lazy_provider_index.js")


def _register_provider_package_without_init() -> None:
    if _PROVIDER_PACKAGE in sys.modules:
        return
    spec = importlib.util.find_spec(_PROVIDER_PACKAGE)
    if spec is None or spec.submodule_search_locations is None:
        raise ImportError(f"{_PROVIDER_PACKAGE} is not installed; run `uv sync`")
    sys.modules[_PROVIDER_PACKAGE] = importlib.util.module_from_spec(spec)


def _preload_lazy_index_into_jsii_kernel() -> None:
    if "jsii" in sys.modules:  # the kernel may already run; changing its env now is useless
        return
    preload = f'--require "{_NODE_PRELOAD}"'
    current = os.environ.get("NODE_OPTIONS", "")
    if preload not in current:
        os.environ["NODE_OPTIONS"] = f"{current} {preload}".strip()


_preload_lazy_index_into_jsii_kernel()
_register_provider_package_without_init()

# ruff: noqa: E402  (the imports below must follow the two loaders above)
from cdktf import (
    App,
    Fn,
    S3Backend,
    TerraformIterator,
    TerraformOutput,
    TerraformResource,
    TerraformResourceLifecycle,
    TerraformStack,
    Token,
)
from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup
from cdktf_cdktf_provider_aws.data_aws_caller_identity import DataAwsCallerIdentity
from cdktf_cdktf_provider_aws.data_aws_partition import DataAwsPartition
from cdktf_cdktf_provider_aws.data_aws_region import DataAwsRegion
from cdktf_cdktf_provider_aws.default_security_group import DefaultSecurityGroup
from cdktf_cdktf_provider_aws.eip import Eip
from cdktf_cdktf_provider_aws.flow_log import FlowLog
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.iam_role_policy import IamRolePolicy
from cdktf_cdktf_provider_aws.internet_gateway import InternetGateway
from cdktf_cdktf_provider_aws.kms_alias import KmsAlias
from cdktf_cdktf_provider_aws.kms_key import KmsKey
from cdktf_cdktf_provider_aws.nat_gateway import NatGateway
from cdktf_cdktf_provider_aws.provider import AwsProvider, AwsProviderDefaultTags
from cdktf_cdktf_provider_aws.route import Route
from cdktf_cdktf_provider_aws.route_table import RouteTable
from cdktf_cdktf_provider_aws.route_table_association import RouteTableAssociation
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
from cdktf_cdktf_provider_aws.security_group import SecurityGroup
from cdktf_cdktf_provider_aws.subnet import Subnet
from cdktf_cdktf_provider_aws.vpc import Vpc
from cdktf_cdktf_provider_aws.vpc_endpoint import VpcEndpoint
from cdktf_cdktf_provider_aws.vpc_security_group_egress_rule import VpcSecurityGroupEgressRule
from cdktf_cdktf_provider_aws.vpc_security_group_ingress_rule import VpcSecurityGroupIngressRule
from constructs import Construct

__all__ = [
    "App",
    "AwsProvider",
    "AwsProviderDefaultTags",
    "CloudwatchLogGroup",
    "Construct",
    "DataAwsCallerIdentity",
    "DataAwsPartition",
    "DataAwsRegion",
    "DefaultSecurityGroup",
    "Eip",
    "FlowLog",
    "Fn",
    "IamRole",
    "IamRolePolicy",
    "InternetGateway",
    "KmsAlias",
    "KmsKey",
    "NatGateway",
    "Route",
    "RouteTable",
    "RouteTableAssociation",
    "S3Backend",
    "S3Bucket",
    "SecurityGroup",
    "Subnet",
    "TerraformIterator",
    "TerraformOutput",
    "TerraformResource",
    "TerraformResourceLifecycle",
    "TerraformStack",
    "Token",
    "Vpc",
    "VpcEndpoint",
    "VpcSecurityGroupEgressRule",
    "VpcSecurityGroupIngressRule",
]
