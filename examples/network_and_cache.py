"""A stack with only a stackkit Network and a Redis Cache in it.

python examples/network_and_cache.py [outdir]   # default: cdktf.out
"""

# ruff: noqa: I001  (stackkit first: importing it makes loading the AWS provider bindings fast)
from __future__ import annotations

import sys

from stackkit import Cache, CacheProps, NatStrategy, Network, NetworkProps
from cdktf import App, TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider, AwsProviderDefaultTags

STACK = "sessions"
#: Project, Environment, ManagedBy and Owner on every resource (stackkit's required-tags policy).
TAGS = {"Project": "sessions", "Environment": "dev", "ManagedBy": "cdktf", "Owner": "web-team"}


def build(app: App) -> TerraformStack:
    """A VPC over two AZs and a two-node cache (primary and replica, automatic failover)."""
    stack = TerraformStack(app, STACK)
    AwsProvider(stack, "aws", region="us-east-2", default_tags=[AwsProviderDefaultTags(tags=TAGS)])
    network = Network(
        stack,
        "network",
        NetworkProps(
            name="sessions",
            availability_zones=("us-east-2a", "us-east-2b"),
            cidr="10.30.0.0/16",
            nat=NatStrategy.SINGLE,
        ),
    )
    Cache(stack, "cache", CacheProps(name="sessions", network=network, node_count=2))
    return stack


def main(argv: list[str]) -> None:
    app = App(outdir=argv[1] if len(argv) > 1 else "cdktf.out")
    build(app)
    app.synth()


if __name__ == "__main__":
    main(sys.argv)
