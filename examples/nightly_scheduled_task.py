"""A nightly job: EventBridge Scheduler runs a Fargate task at 03:00 UTC against the database,
with retries and a dead-letter queue; Monitoring alarms on failed invocations and dead letters.

    python examples/nightly_scheduled_task.py [outdir]   # default: cdktf.out

The scheduler's role may run exactly this task family on this cluster and pass exactly its two roles.
"""

# ruff: noqa: I001  (stackkit first: importing it makes loading the AWS provider bindings fast)
from __future__ import annotations

import sys

from stackkit import (
    Cluster,
    ClusterProps,
    Database,
    DatabaseProps,
    FargateTaskDefinitionProps,
    Monitoring,
    MonitoringProps,
    Network,
    NetworkProps,
    ScheduledTask,
    ScheduledTaskMetrics,
    ScheduledTaskProps,
)
from cdktf import App, TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider, AwsProviderDefaultTags

STACK = "reports"
#: Project, Environment, ManagedBy and Owner on every resource (stackkit's required-tags policy).
TAGS = {"Project": "reports", "Environment": "staging", "ManagedBy": "cdktf", "Owner": "reports-team"}
IMAGE = "public.ecr.aws/example/reports:2.3.1"


def build(app: App) -> TerraformStack:
    """One network, database and cluster; the ``reports-nightly`` job."""
    stack = TerraformStack(app, STACK)
    AwsProvider(stack, "aws", region="us-east-1", default_tags=[AwsProviderDefaultTags(tags=TAGS)])
    network = Network(
        stack, "network", NetworkProps(name="reports", availability_zones=("us-east-1a", "us-east-1b"))
    )
    database = Database(stack, "database", DatabaseProps(name="reports", network=network))
    cluster = Cluster(stack, "cluster", ClusterProps(name="reports"))
    nightly = ScheduledTask(
        stack,
        "nightly",
        ScheduledTaskProps(
            task=FargateTaskDefinitionProps(
                name="reports-nightly", image=IMAGE, container_port=None, command=("node", "nightly.js")
            ),
            schedule="cron(0 3 * * ? *)",
        ),
        network=network,
        cluster=cluster,
        database=database,
    )
    Monitoring(
        stack,
        "monitoring",
        MonitoringProps(name="reports", scheduled_tasks=(ScheduledTaskMetrics.from_scheduled_task(nightly),)),
    )
    return stack


def main(argv: list[str]) -> None:
    app = App(outdir=argv[1] if len(argv) > 1 else "cdktf.out")
    build(app)
    app.synth()


if __name__ == "__main__":
    main(sys.argv)
