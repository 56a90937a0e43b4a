"""An API and a queue worker on one database, watched by one Monitoring (one topic, one dashboard).

    python examples/api_and_queue_worker.py [outdir]   # default: cdktf.out

The worker has no load balancer, no certificate and no ingress: it consumes a KMS-encrypted
queue (with a dead-letter queue) and scales on CPU, memory and the queue's backlog per task.
Both get the team's own payment-provider keys as ECS secrets (``secrets``), next to stackkit's
DATABASE_URL: the API one key of a Secrets Manager secret, the worker an SSM SecureString
parameter encrypted with the team's key; each execution role may read exactly its own.
"""

# ruff: noqa: I001  (stackkit first: importing it makes loading the AWS provider bindings fast)
from __future__ import annotations

import sys

from stackkit import (
    Cluster,
    ClusterProps,
    Database,
    DatabaseMetrics,
    DatabaseProps,
    FargateServiceProps,
    FargateTaskDefinitionProps,
    Monitoring,
    MonitoringProps,
    Network,
    NetworkProps,
    QueueMetrics,
    QueueProps,
    Service,
    ServiceMetrics,
    ServiceProps,
    WorkerMetrics,
    WorkerService,
    WorkerServiceProps,
)
from cdktf import App, TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider, AwsProviderDefaultTags

STACK = "payments"
#: Project, Environment, ManagedBy and Owner on every resource (stackkit's required-tags policy).
TAGS = {"Project": "payments", "Environment": "staging", "ManagedBy": "cdktf", "Owner": "payments-team"}
CERTIFICATE_ARN = "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012"
#: The team's own secrets, created outside this app (their values never pass through Terraform):
#: a Secrets Manager secret with the JSON keys ``api_key`` and ``webhook_secret`` ...
STRIPE_SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:payments/stripe-Xy12Ab"
#: ... and an SSM SecureString parameter encrypted with the team's own KMS key.
WEBHOOK_PARAMETER_ARN = "arn:aws:ssm:us-east-1:123456789012:parameter/payments/webhook-signing-key"
SECRETS_KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"


def build(app: App) -> TerraformStack:
    """One network, database and cluster; the ``payments-api`` service and ``payments-worker``."""
    stack = TerraformStack(app, STACK)
    AwsProvider(stack, "aws", region="us-east-1", default_tags=[AwsProviderDefaultTags(tags=TAGS)])
    network = Network(
        stack, "network", NetworkProps(name="payments", availability_zones=("us-east-1a", "us-east-1b"))
    )
    database = Database(stack, "database", DatabaseProps(name="payments", network=network))
    cluster = Cluster(stack, "cluster", ClusterProps(name="payments"))
    api = Service(
        stack,
        "api",
        ServiceProps(
            name="payments-api",
            certificate_arn=CERTIFICATE_ARN,
            # One JSON key of the secret (ECS's ":<json-key>:<version-stage>:<version-id>" suffix).
            secrets={"STRIPE_API_KEY": f"{STRIPE_SECRET_ARN}:api_key::"},
        ),
        network=network,
        cluster=cluster,
        database=database,
    )
    worker = WorkerService(
        stack,
        "worker",
        WorkerServiceProps(
            # The API's image, another command; it listens on nothing.
            task=FargateTaskDefinitionProps(
                name="payments-worker",
                image="v1.0.0",
                container_port=None,
                command=("node", "worker.js"),
                secrets={"WEBHOOK_SIGNING_KEY": WEBHOOK_PARAMETER_ARN},
                secrets_kms_key_arns=(SECRETS_KEY_ARN,),
            ),
            service=FargateServiceProps(name="payments-worker", desired_count=2, min_count=2, max_count=10),
            queue=QueueProps(name="payments-jobs", visibility_timeout_seconds=120),
        ),
        network=network,
        cluster=cluster,
        database=database,
    )
    assert worker.queue is not None
    Monitoring(
        stack,
        "monitoring",
        MonitoringProps(
            name="payments",
            services=(ServiceMetrics.from_service(api),),
            workers=(WorkerMetrics.from_worker(worker),),
            queues=(QueueMetrics.from_queue(worker.queue),),
            database=DatabaseMetrics.from_database(database),
        ),
    )
    return stack


def main(argv: list[str]) -> None:
    app = App(outdir=argv[1] if len(argv) > 1 else "cdktf.out")
    build(app)
    app.synth()


if __name__ == "__main__":
    main(sys.argv)
