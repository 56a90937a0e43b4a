"""Two services sharing one database: each service gets its own grant, the database is one.

python examples/two_services_one_database.py [outdir]   # default: cdktf.out
"""

# ruff: noqa: I001  (stackkit first: importing it makes loading the AWS provider bindings fast)
from __future__ import annotations

import sys

from stackkit import (
    Cluster,
    ClusterProps,
    Database,
    DatabaseProps,
    Network,
    NetworkProps,
    Service,
    ServiceProps,
)
from cdktf import App, TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider, AwsProviderDefaultTags

STACK = "shop"
#: Project, Environment, ManagedBy and Owner on every resource (stackkit's required-tags policy).
TAGS = {"Project": "shop", "Environment": "staging", "ManagedBy": "cdktf", "Owner": "shop-team"}
CERTIFICATE_ARN = "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012"


def build(app: App) -> TerraformStack:
    """One network, one database, one cluster; an ``orders`` and a ``billing`` service."""
    stack = TerraformStack(app, STACK)
    AwsProvider(stack, "aws", region="us-east-1", default_tags=[AwsProviderDefaultTags(tags=TAGS)])
    network = Network(
        stack, "network", NetworkProps(name="shop", availability_zones=("us-east-1a", "us-east-1b"))
    )
    database = Database(stack, "database", DatabaseProps(name="shop", network=network))
    cluster = Cluster(stack, "cluster", ClusterProps(name="shop"))
    for name in ("orders", "billing"):
        # Each service grants itself the database's port: two ingress rules on one database.
        Service(
            stack,
            name,
            ServiceProps(name=f"shop-{name}", certificate_arn=CERTIFICATE_ARN, desired_count=3),
            network=network,
            cluster=cluster,
            database=database,
        )
    return stack


def main(argv: list[str]) -> None:
    app = App(outdir=argv[1] if len(argv) > 1 else "cdktf.out")
    build(app)
    app.synth()


if __name__ == "__main__":
    main(sys.argv)
