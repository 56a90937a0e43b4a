"""A team's own stack on a VPC it already has: a stackkit Database and Service, no new VPC.

    python examples/existing_vpc_database_and_service.py [outdir]   # default: cdktf.out

The ids below are placeholders: use your VPC's (e.g. from the network team's Terraform outputs).
"""

# ruff: noqa: I001  (stackkit first: importing it makes loading the AWS provider bindings fast)
from __future__ import annotations

import sys

from stackkit import (
    Cluster,
    ClusterProps,
    Database,
    DatabaseProps,
    ExistingNetwork,
    Service,
    ServiceProps,
)
from cdktf import App, TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider, AwsProviderDefaultTags

STACK = "orders"
#: Project, Environment, ManagedBy and Owner on every resource (stackkit's required-tags policy).
TAGS = {"Project": "orders", "Environment": "dev", "ManagedBy": "cdktf", "Owner": "orders-team"}
CERTIFICATE_ARN = "arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-1234-1234-123456789012"

NETWORK = ExistingNetwork(
    vpc_id="vpc-0a1b2c3d4e5f67890",
    public_subnet_ids=("subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"),
    private_subnet_ids=("subnet-0a1b2c3d4e5f60011", "subnet-0a1b2c3d4e5f60012"),
    isolated_subnet_ids=("subnet-0a1b2c3d4e5f60021", "subnet-0a1b2c3d4e5f60022"),
    # Optional; with it, a multi-AZ database is checked to have subnets in 2 AZs.
    subnet_availability_zones={
        "subnet-0a1b2c3d4e5f60001": "eu-west-1a",
        "subnet-0a1b2c3d4e5f60002": "eu-west-1b",
        "subnet-0a1b2c3d4e5f60011": "eu-west-1a",
        "subnet-0a1b2c3d4e5f60012": "eu-west-1b",
        "subnet-0a1b2c3d4e5f60021": "eu-west-1a",
        "subnet-0a1b2c3d4e5f60022": "eu-west-1b",
    },
    cidr="10.20.0.0/16",
)


def build(app: App) -> TerraformStack:
    """The team's stack: its provider, an existing network, a Database, a Cluster and a Service."""
    stack = TerraformStack(app, STACK)
    AwsProvider(stack, "aws", region="eu-west-1", default_tags=[AwsProviderDefaultTags(tags=TAGS)])
    database = Database(stack, "database", DatabaseProps(name="orders", network=NETWORK))
    cluster = Cluster(stack, "cluster", ClusterProps(name="orders"))
    # The service grants itself access to the database (one security-group rule pair).
    Service(
        stack,
        "api",
        ServiceProps(name="orders-api", certificate_arn=CERTIFICATE_ARN),
        network=NETWORK,
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
