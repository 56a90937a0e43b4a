"""Restore as code: databases and a cache built from a snapshot and from a point in time.

A throwaway stack next to production: every restored resource is *new* (its own name, its own
address), keeps every protection of the original (encryption, managed master password, TLS-only
parameters, isolated subnets, no ingress, deletion protection, prevent_destroy, final snapshot)
and is checked before any client is moved to it. See the README's disaster recovery runbook.

python examples/restore_database_and_cache.py [outdir]   # default: cdktf.out
"""

# ruff: noqa: I001  (stackkit first: importing it makes loading the AWS provider bindings fast)
from __future__ import annotations

import sys
from datetime import UTC, datetime

from stackkit import (
    Cache,
    CacheProps,
    CacheRestore,
    Database,
    DatabaseProps,
    DatabaseRestore,
    NatStrategy,
    Network,
    NetworkProps,
)
from cdktf import App, TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider, AwsProviderDefaultTags

STACK = "restore"
TAGS = {"Project": "restore-drill", "Environment": "dev", "ManagedBy": "cdktf", "Owner": "platform-team"}
#: A recovery point AWS Backup made of the production database (its vault lists the ARN).
SNAPSHOT_ARN = (
    "arn:aws:rds:us-east-1:333333333333:snapshot:awsbackup:job-0a1b2c3d-4e5f-6789-abcd-ef0123456789"
)
#: The production database, as it was at this moment (UTC).
SOURCE_INSTANCE = "stackkit-db"
RESTORE_TIME = datetime(2026, 11, 29, 23, 55, tzinfo=UTC)
#: A daily automatic snapshot of the production cache.
CACHE_SNAPSHOT = "automatic.stackkit-cache-2026-11-29-03-00"


def build(app: App) -> TerraformStack:
    """A network, a database from a snapshot, one from a point in time, a cache from a snapshot."""
    stack = TerraformStack(app, STACK)
    AwsProvider(stack, "aws", region="us-east-1", default_tags=[AwsProviderDefaultTags(tags=TAGS)])
    network = Network(
        stack,
        "network",
        NetworkProps(
            name="drill",
            availability_zones=("us-east-1a", "us-east-1b"),
            cidr="10.40.0.0/16",
            nat=NatStrategy.SINGLE,
        ),
    )
    Database(
        stack,
        "from-snapshot",
        DatabaseProps(
            name="drill-snapshot",
            network=network,
            restore_from=DatabaseRestore.from_snapshot(SNAPSHOT_ARN),
        ),
    )
    Database(
        stack,
        "point-in-time",
        DatabaseProps(
            name="drill-pitr",
            network=network,
            restore_from=DatabaseRestore.to_point_in_time(SOURCE_INSTANCE, RESTORE_TIME),
        ),
    )
    Cache(
        stack,
        "cache",
        CacheProps(
            name="drill",
            network=network,
            node_count=2,
            restore_from=CacheRestore(snapshot_name=CACHE_SNAPSHOT),
        ),
    )
    return stack


def main(argv: list[str]) -> None:
    app = App(outdir=argv[1] if len(argv) > 1 else "cdktf.out")
    build(app)
    app.synth()


if __name__ == "__main__":
    main(sys.argv)
