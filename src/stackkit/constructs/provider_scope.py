"""ProviderScope: put any constructs on a chosen (e.g. aliased) AWS provider.

No construct takes a provider argument. Instead, constructs built inside a ``ProviderScope``
use its provider: every resource and data source in the scope's subtree that has no provider of
its own gets this one when the stack is synthesized (a cdktf aspect), so resources added later,
such as the security-group rules of a ``connections`` grant, are covered too. What stackkit
creates outside the construct tree follows it as well: the shared account/region data sources
(one set per provider) and the raw ``ephemeral`` blocks of Cache and Service.

Example (a second region)::

    west = AwsProvider(stack, "aws-west", region="us-west-2", alias="west", default_tags=[...])
    in_west = ProviderScope(stack, "west", provider=west)
    Network(in_west, "network", NetworkProps(name="west", availability_zones=(...)))
"""

from __future__ import annotations

from stackkit._private.cdk import (
    Aspects,
    Construct,
    IConstruct,
    TerraformDataSource,
    TerraformProvider,
    TerraformResource,
    implements_aspect,
)
from stackkit._private.terraform import provider_of, set_subtree_provider


@implements_aspect
class _AssignProvider:
    """Gives each provider-less resource and data source the nearest ProviderScope's provider."""

    def visit(self, node: IConstruct) -> None:
        if isinstance(node, TerraformResource | TerraformDataSource) and node.provider is None:
            # The nearest scope wins, so a ProviderScope nested in another one overrides it.
            node.provider = provider_of(node)


class ProviderScope(Construct):
    """A plain parent construct whose subtree uses ``provider``.

    Terraform addresses do not change when a construct moves under a ProviderScope: every
    resource's address is pinned to its construct's ``name`` prop.

    Attributes: ``provider``.
    """

    def __init__(self, scope: Construct, id_: str, *, provider: TerraformProvider) -> None:
        super().__init__(scope, id_)
        self.provider = provider
        set_subtree_provider(self, provider)
        Aspects.of(self).add(_AssignProvider())


__all__ = ["ProviderScope"]
