"""Two services behind one load balancer, routed by host: one ALB, one WAF, one access-log
bucket, one listener rule per service; requests for any other host get a 404.

    python examples/two_services_one_load_balancer.py [outdir]   # default: cdktf.out
"""

# ruff: noqa: I001  (stackkit first: importing it makes loading the AWS provider bindings fast)
from __future__ import annotations

import sys

from stackkit import (
    Cluster,
    ClusterProps,
    FargateTaskDefinitionProps,
    ListenerRuleProps,
    LoadBalancedService,
    LoadBalancedServiceProps,
    LoadBalancer,
    LoadBalancerProps,
    Monitoring,
    MonitoringProps,
    Network,
    NetworkProps,
    ServiceMetrics,
)
from cdktf import App, TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider, AwsProviderDefaultTags

STACK = "portal"
#: Project, Environment, ManagedBy and Owner on every resource (stackkit's required-tags policy).
TAGS = {"Project": "portal", "Environment": "staging", "ManagedBy": "cdktf", "Owner": "portal-team"}
CERTIFICATE_ARN = "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012"
#: service name -> (host, listener rule priority)
ROUTES = {"portal-web": ("www.example.com", 10), "portal-admin": ("admin.example.com", 20)}


def build(app: App) -> TerraformStack:
    """One network, cluster and load balancer; two services, each on its own host name."""
    stack = TerraformStack(app, STACK)
    AwsProvider(stack, "aws", region="us-east-1", default_tags=[AwsProviderDefaultTags(tags=TAGS)])
    network = Network(
        stack, "network", NetworkProps(name="portal", availability_zones=("us-east-1a", "us-east-1b"))
    )
    cluster = Cluster(stack, "cluster", ClusterProps(name="portal"))
    alb = LoadBalancer(
        stack, "alb", LoadBalancerProps(name="portal", certificate_arn=CERTIFICATE_ARN), network=network
    )
    services = [
        LoadBalancedService(
            stack,
            name,
            LoadBalancedServiceProps(
                task=FargateTaskDefinitionProps(name=name),
                rule=ListenerRuleProps(priority=priority, hosts=(host,)),
            ),
            load_balancer=alb,
            network=network,
            cluster=cluster,
        )
        for name, (host, priority) in ROUTES.items()
    ]
    Monitoring(
        stack,
        "monitoring",
        MonitoringProps(name="portal", services=tuple(ServiceMetrics.from_service(s) for s in services)),
    )
    return stack


def main(argv: list[str]) -> None:
    app = App(outdir=argv[1] if len(argv) > 1 else "cdktf.out")
    build(app)
    app.synth()


if __name__ == "__main__":
    main(sys.argv)
