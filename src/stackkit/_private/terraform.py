"""Small helpers every construct uses on the resources it creates."""

from __future__ import annotations

import re
from typing import Any

from stackkit._private.cdk import (
    Construct,
    DataAwsCallerIdentity,
    DataAwsPartition,
    DataAwsRegion,
    TerraformDataSource,
    TerraformProvider,
    TerraformResource,
    TerraformResourceLifecycle,
    TerraformStack,
)
from stackkit._private.source_location import record_source

#: Where a construct records a Checkov skip: ``resource["//"][SKIP_KEY][check_id] = reason``.
#: ``//`` is a comment key in Terraform JSON, so neither Terraform nor Checkov reads it;
#: :mod:`stackkit.policy.checkov` does.
SKIP_KEY = "stackkit_checkov_skip"

PROTECTED = TerraformResourceLifecycle(prevent_destroy=True)


def logical_id(*parts: str) -> str:
    """A Terraform-safe resource name from ``parts`` (``db``, ``us-east-1a`` -> ``db_us_east_1a``)."""
    return re.sub(r"[^A-Za-z0-9_]", "_", "_".join(part for part in parts if part))


#: The attribute by which a stack records its pinned addresses (``address -> construct path``).
PINNED_ATTRIBUTE = "_stackkit_pinned_addresses"


def pin_address(resource: TerraformResource | TerraformDataSource, *parts: str) -> None:
    """Fix the resource's Terraform address so that moving it in the construct tree cannot
    rename it (a renamed database is a destroyed database).

    Call it right after creating the resource: cdktf ignores an override made after an
    attribute of the resource was read. Two resources pinned to one address would be merged
    silently into one block at synthesis, so a second pin of an address raises instead."""
    name = logical_id(*parts)
    block = "data" if isinstance(resource, TerraformDataSource) else "resource"
    address = f"{block}.{resource.terraform_resource_type}.{name}"
    stack = TerraformStack.of(resource)
    pinned: dict[str, str] | None = getattr(stack, PINNED_ATTRIBUTE, None)
    if pinned is None:
        pinned = {}
        setattr(stack, PINNED_ATTRIBUTE, pinned)
    if address in pinned:
        raise ValueError(
            f"{resource.node.path} and {pinned[address]} would both be {address}: "
            "give the constructs different names"
        )
    pinned[address] = resource.node.path
    resource.override_logical_id(name)
    record_source(resource)  # the user's file:line, for the gate's SARIF location


def skip_check(resource: TerraformResource, check_id: str, reason: str) -> None:
    """Record that Checkov ``check_id`` does not apply to this one resource, and why."""
    if not re.fullmatch(r"CKV2?_[A-Z0-9]+_\d+", check_id):
        raise ValueError(f"{check_id!r} is not a Checkov check id such as CKV_AWS_18")
    if check_id.startswith("CKV_STACKKIT_"):
        raise ValueError(f"{check_id} is one of stackkit's own policies, which cannot be skipped")
    if len(reason.strip()) < 10:
        raise ValueError(f"skipping {check_id} needs a reason a reviewer can judge")
    resource.add_override(f"//.{SKIP_KEY}.{check_id}", reason.strip())


#: The attribute by which a scope (``stackkit.ProviderScope``) names the provider of its subtree.
PROVIDER_ATTRIBUTE = "_stackkit_provider"


def provider_of(scope: Construct) -> TerraformProvider | None:
    """The provider set by the nearest enclosing ``ProviderScope``, or None (the default one)."""
    for ancestor in reversed(scope.node.scopes):
        provider = getattr(ancestor, PROVIDER_ATTRIBUTE, None)
        if isinstance(provider, TerraformProvider):
            return provider
    return None


def add_ephemeral(scope: Construct, resource_type: str, name: str, body: dict[str, Any]) -> str:
    """Add a raw ``ephemeral`` block (cdktf 0.21 has no classes for them) to ``scope``'s stack,
    on ``scope``'s provider; returns its address (``ephemeral.<type>.<name>``) for expressions.

    A raw block is not a construct, so a ``ProviderScope`` cannot assign its provider later:
    it is written here."""
    provider = provider_of(scope)
    address = f"ephemeral.{resource_type}.{name}"
    TerraformStack.of(scope).add_override(
        address, {**body, **({"provider": provider.fqn} if provider is not None else {})}
    )
    return address


class AwsContext(Construct):
    """Account, partition and region, created once per stack and provider, and shared.

    Resources under a ``ProviderScope`` get the context of that scope's provider (its own
    account and region data sources), not the stack's default provider's."""

    def __init__(self, scope: Construct, id_: str, provider: TerraformProvider | None = None) -> None:
        super().__init__(scope, id_)
        self.account_id = DataAwsCallerIdentity(self, "caller", provider=provider).account_id
        self.partition = DataAwsPartition(self, "partition", provider=provider).partition
        self.region = DataAwsRegion(self, "region", provider=provider).region

    @classmethod
    def of(cls, scope: Construct) -> AwsContext:
        stack = TerraformStack.of(scope)
        provider = provider_of(scope)
        id_ = "stackkit-aws-context"
        if provider is not None:  # the provider's construct id is unique in the stack
            id_ = f"{id_}-{provider.node.id}"
        existing = stack.node.try_find_child(id_)
        if isinstance(existing, AwsContext):
            return existing
        return cls(stack, id_, provider)
