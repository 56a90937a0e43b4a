"""The service parts and patterns on their own: load balancer rules and default action, worker
and scheduled-task rules, task definitions without a port, a given queue, monitoring labels and
runbook texts, and the one-off-task use of FargateTaskDefinition."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from stackkit import (
    AlarmThresholds,
    Cluster,
    ClusterProps,
    FargateTaskDefinition,
    FargateTaskDefinitionProps,
    ListenerRuleProps,
    LoadBalancedService,
    LoadBalancedServiceProps,
    LoadBalancer,
    LoadBalancerProps,
    LoadBalancerTargetProps,
    MonitoringProps,
    Network,
    NetworkProps,
    QueueMetrics,
    ScheduledTaskProps,
    ServiceMetrics,
    ValidationError,
    WorkerMetrics,
    WorkerService,
    WorkerServiceProps,
)
from stackkit._private.cdk import TerraformStack
from stackkit.constructs.alarms import service_alarms, worker_alarms
from tests.conftest import StackJson, resources
from tests.synth_helpers import synth_stack

CERT = "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012"
QUEUE_ARN = "arn:aws:sqs:us-east-1:123456789012:team-jobs"
QUEUE_KEY = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-4333-8444-555555555555"
SERVICE = {
    "cluster_name": "c",
    "service_name": "s",
    "load_balancer_arn_suffix": "app/x/1",
    "target_group_arn_suffix": "targetgroup/x/1",
    "min_count": 2,
}


def network_and_cluster(stack: TerraformStack) -> tuple[Network, Cluster]:
    network = Network(
        stack, "network", NetworkProps(name="shop", availability_zones=("us-east-1a", "us-east-1b"))
    )
    return network, Cluster(stack, "cluster", ClusterProps(name="shop"))


# --- load balancer ------------------------------------------------------------------------------


def test_a_shared_load_balancer_refuses_a_taken_priority_and_a_second_default(tmp_path: Path) -> None:
    def build(stack: TerraformStack) -> None:
        network, _ = network_and_cluster(stack)
        alb = LoadBalancer(
            stack, "alb", LoadBalancerProps(name="shop", certificate_arn=CERT), network=network
        )
        alb.add_target(
            stack,
            LoadBalancerTargetProps(
                name="shop-web", port=3000, rule=ListenerRuleProps(priority=10, hosts=("a.example.com",))
            ),
        )
        with pytest.raises(ValidationError) as caught:
            alb.add_target(
                stack,
                LoadBalancerTargetProps(
                    name="shop-api", port=3000, rule=ListenerRuleProps(priority=10, paths=("/api/*",))
                ),
            )
        assert caught.value.fields == ["rule.priority"] and "shop-web" in str(caught.value)
        with pytest.raises(ValidationError) as again:
            alb.add_target(
                stack,
                LoadBalancerTargetProps(
                    name="shop-web", port=3000, rule=ListenerRuleProps(priority=11, paths=("/x",))
                ),
            )
        assert again.value.fields == ["name"]
        alb.add_target(stack, LoadBalancerTargetProps(name="shop-api", port=3000, default=True))
        with pytest.raises(ValidationError) as second:
            alb.add_target(stack, LoadBalancerTargetProps(name="shop-old", port=3000, default=True))
        assert second.value.fields == ["default"]

    stack = synth_stack(tmp_path, build)
    (https,) = [b for b in resources(stack, "aws_lb_listener").values() if b["protocol"] == "HTTPS"]
    # The explicit default target replaced the fixed 404.
    assert https["default_action"] == [
        {"type": "forward", "target_group_arn": "${aws_lb_target_group.shop_api_target_group.arn}"}
    ]
    assert len(resources(stack, "aws_lb_listener_rule")) == 1


def test_an_internal_load_balancer_is_private_and_open_to_nobody(tmp_path: Path) -> None:
    def build(stack: TerraformStack) -> None:
        network, _ = network_and_cluster(stack)
        LoadBalancer(
            stack, "alb", LoadBalancerProps(name="shop", certificate_arn=CERT, internal=True), network=network
        )

    stack = synth_stack(tmp_path, build)
    (alb,) = resources(stack, "aws_lb").values()
    assert alb["internal"] is True
    assert all("private" in subnet for subnet in alb["subnets"])
    assert not [
        r for r in resources(stack, "aws_vpc_security_group_ingress_rule").values() if r.get("cidr_ipv4")
    ]


@pytest.mark.parametrize(
    ("rule", "field"),
    [
        ({"priority": 0, "hosts": ("a.example.com",)}, "priority"),
        ({"priority": 50001, "hosts": ("a.example.com",)}, "priority"),
        ({"priority": 5}, "hosts"),
        ({"priority": 5, "hosts": ("a", "b", "c", "d")}, "hosts"),
        ({"priority": 5, "hosts": ("a", "b", "c"), "paths": ("/a", "/b", "/c")}, "hosts"),
        ({"priority": 5, "paths": ("api",)}, "(model)"),
    ],
)
def test_listener_rules_are_validated(rule: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        ListenerRuleProps(**rule)
    assert caught.value.fields[0] == field or field == "(model)"


def test_a_target_needs_a_rule_or_an_explicit_default() -> None:
    with pytest.raises(ValidationError) as caught:
        LoadBalancerTargetProps(name="shop-web", port=3000)
    assert caught.value.fields == ["rule"]
    with pytest.raises(ValidationError):
        LoadBalancerTargetProps(
            name="shop-web", port=3000, default=True, rule=ListenerRuleProps(priority=1, paths=("/",))
        )


def test_an_alb_name_is_at_most_32_characters() -> None:
    with pytest.raises(ValidationError) as caught:
        LoadBalancerProps(name="a" * 29, certificate_arn=CERT)
    assert caught.value.fields == ["name"]
    assert len(f"{'a' * 28}-alb") == 32


# --- worker, scheduled task, task definition -------------------------------------------------------


def test_a_worker_listens_on_nothing_and_scheduled_tasks_need_a_valid_expression() -> None:
    with pytest.raises(ValidationError) as caught:
        WorkerServiceProps(task=FargateTaskDefinitionProps(name="shop-worker"))
    assert caught.value.fields == ["task"]
    job = FargateTaskDefinitionProps(name="shop-job", container_port=None)
    for bad in ("cron(0 3 * * ?)", "rate(0 hours)", "rate(1 week)", "0 3 * * *"):
        with pytest.raises(ValidationError) as bad_schedule:
            ScheduledTaskProps(task=job, schedule=bad)
        assert bad_schedule.value.fields == ["schedule"], bad
    assert ScheduledTaskProps(task=job, schedule="rate(15 minutes)").schedule == "rate(15 minutes)"


def test_a_worker_on_a_given_queue_may_consume_exactly_that_queue(tmp_path: Path) -> None:
    class TeamQueue:
        name = "team-jobs"
        arn = QUEUE_ARN
        url = "https://sqs.us-east-1.amazonaws.com/123456789012/team-jobs"
        kms_key_arn = QUEUE_KEY
        dead_letter_queue_name = "team-jobs-dlq"

    def build(stack: TerraformStack) -> None:
        network, cluster = network_and_cluster(stack)
        WorkerService(
            stack,
            "worker",
            WorkerServiceProps(
                task=FargateTaskDefinitionProps(
                    name="shop-worker", image="public.ecr.aws/x/worker:1.0", container_port=None
                )
            ),
            network=network,
            cluster=cluster,
            queue=TeamQueue(),
        )

    stack = synth_stack(tmp_path, build)
    assert resources(stack, "aws_sqs_queue") == {} and resources(stack, "aws_ecr_repository") == {}
    statements = json.loads(
        resources(stack, "aws_iam_role_policy")["shop_worker_task_consume_queue"]["policy"]
    )["Statement"]
    assert [s["Resource"] for s in statements] == [QUEUE_ARN, QUEUE_KEY]
    assert all("sqs:SendMessage" not in s["Action"] and "sqs:*" not in s["Action"] for s in statements)


def test_a_task_definition_alone_is_a_one_off_task(tmp_path: Path) -> None:
    """What a migration run by the deploy workflow needs: a family, a command, roles, logs."""
    created: dict[str, FargateTaskDefinition] = {}

    def build(stack: TerraformStack) -> None:
        _, cluster = network_and_cluster(stack)
        created["task"] = FargateTaskDefinition(
            stack,
            "migrate",
            FargateTaskDefinitionProps(
                name="shop-migrate",
                image="public.ecr.aws/x/app:1.0",
                container_port=None,
                command=("npm", "run", "migrate"),
            ),
            cluster=cluster,
            kms_key_arn="arn:aws:kms:us-east-1:123456789012:key/11111111-2222-4333-8444-555555555555",
        )

    stack = synth_stack(tmp_path, build)
    (body,) = resources(stack, "aws_ecs_task_definition").values()
    (container,) = json.loads(body["container_definitions"])
    assert body["family"] == created["task"].family == "shop-migrate"
    assert container["command"] == ["npm", "run", "migrate"]
    assert "portMappings" not in container and "healthCheck" not in container
    assert {"shop_migrate_execution_role", "shop_migrate_task_role"} <= set(resources(stack, "aws_iam_role"))


def test_a_bare_tag_without_a_repository_is_refused_before_any_resource(tmp_path: Path) -> None:
    def build(stack: TerraformStack) -> None:
        _, cluster = network_and_cluster(stack)
        with pytest.raises(ValidationError) as caught:
            FargateTaskDefinition(
                stack, "t", FargateTaskDefinitionProps(name="shop-x"), cluster=cluster, kms_key_arn="k"
            )
        assert caught.value.fields == ["image"]
        assert stack.node.try_find_child("t") is None

    synth_stack(tmp_path, build)


def test_a_load_balanced_service_needs_a_port_and_a_matching_service_name() -> None:
    rule = ListenerRuleProps(priority=1, hosts=("a.example.com",))
    with pytest.raises(ValidationError):
        LoadBalancedServiceProps(
            task=FargateTaskDefinitionProps(name="shop-web", container_port=None), rule=rule
        )
    assert (
        LoadBalancedServiceProps(task=FargateTaskDefinitionProps(name="shop-web"), rule=rule).readiness_path
        == "/ready"
    )
    assert LoadBalancedService.__doc__


# --- monitoring ------------------------------------------------------------------------------------


def test_runbooks_name_real_props_and_the_configured_readiness_path() -> None:
    specs = {
        s.key: s
        for s in service_alarms(ServiceMetrics(**SERVICE, readiness_path="/healthz/ready"), AlarmThresholds())
    }
    assert (
        "max_count" in specs["service-cpu-high"].runbook
        and "max_tasks" not in specs["service-cpu-high"].runbook
    )
    assert (
        "/healthz/ready" in specs["alb-unhealthy-hosts"].runbook
        and "fails the /ready " not in specs["alb-unhealthy-hosts"].runbook
    )
    # Every prop a runbook tells the reader to raise exists on some props model.
    from stackkit import FargateServiceProps, FargateTaskDefinitionProps

    for spec in specs.values():
        if "raise max_count" in spec.runbook:
            assert "max_count" in FargateServiceProps.model_fields
        if "task cpu" in spec.runbook:
            assert "cpu" in FargateTaskDefinitionProps.model_fields


def test_every_prop_a_runbook_names_exists() -> None:
    """A runbook's snake_case words are props of a public props model (no "max_tasks")."""
    import re

    import pydantic

    import stackkit
    from stackkit import CacheMetrics, DatabaseMetrics, ScheduledTaskMetrics

    props = {
        field
        for name in stackkit.__all__
        if isinstance(model := getattr(stackkit, name), type) and issubclass(model, pydantic.BaseModel)
        for field in model.model_fields
    }
    everything = MonitoringProps(
        name="shop",
        service=ServiceMetrics(**SERVICE),
        workers=(WorkerMetrics(label="jobs", cluster_name="c", service_name="w", min_count=1),),
        queues=(QueueMetrics(label="jobs-queue", queue_name="q", dead_letter_queue_name="q-dlq"),),
        scheduled_tasks=(
            ScheduledTaskMetrics(label="nightly", schedule_group_name="g", dead_letter_queue_name="d"),
        ),
        database=DatabaseMetrics(identifier="db", allocated_storage_gb=20, read_replica_identifiers=("r1",)),
        cache=CacheMetrics(replication_group_id="c", member_cluster_ids=("c-001", "c-002")),
    )
    named = {
        word
        for spec in everything.alarm_specs()
        for word in re.findall(r"\b[a-z]+(?:_[a-z]+)+\b", spec.runbook)
    }
    assert named and named <= props, sorted(named - props)


def test_workers_have_no_load_balancer_alarms() -> None:
    keys = {
        s.key
        for s in worker_alarms(
            WorkerMetrics(label="jobs", cluster_name="c", service_name="s", min_count=1), AlarmThresholds()
        )
    }
    assert keys == {"jobs-cpu-high", "jobs-memory-high", "jobs-running-tasks-low"}


def test_monitoring_labels_must_be_given_and_unique() -> None:
    with pytest.raises(ValidationError) as missing:
        MonitoringProps(name="shop", services=(ServiceMetrics(**SERVICE),))
    assert missing.value.fields == ["services"]
    with pytest.raises(ValidationError) as taken:
        MonitoringProps(
            name="shop",
            services=(ServiceMetrics(**SERVICE, label="jobs"),),
            queues=(QueueMetrics(label="jobs", queue_name="jobs"),),
        )
    assert taken.value.fields == ["queues"]
    ok = MonitoringProps(
        name="shop",
        services=(ServiceMetrics(**SERVICE, label="web"), ServiceMetrics(**SERVICE, label="admin")),
    )
    keys = [spec.key for spec in ok.alarm_specs()]
    assert len(keys) == len(set(keys)) == 14 and "web-alb-unhealthy-hosts" in keys


def test_the_environment_monitoring_keeps_its_alarm_addresses(stacks: dict[str, StackJson]) -> None:
    for stack in stacks.values():
        names = set(resources(stack, "aws_cloudwatch_metric_alarm"))
        assert {"stackkit_alarm_service_cpu_high", "stackkit_alarm_alb_unhealthy_hosts"} <= names


@pytest.mark.parametrize(
    ("schedule", "valid"),
    [
        # "Rate expressions reference", Amazon EventBridge User Guide: value a positive number,
        # unit minute | minutes | hour | hours | day | days, singular for 1 and plural above:
        # "rate(1 hours) and rate(5 hour) aren't valid, but rate(1 hour) and rate(5 hours) are".
        # https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rate-expressions.html
        ("rate(1 minute)", True),
        ("rate(2 minutes)", True),
        ("rate(1 hour)", True),
        ("rate(12 hours)", True),
        ("rate(1 day)", True),
        ("rate(10 days)", True),
        ("rate(100 days)", True),
        ("rate(1 minutes)", False),
        ("rate(5 minute)", False),
        ("rate(1 hours)", False),
        ("rate(5 hour)", False),
        ("rate(1 days)", False),
        ("rate(3 day)", False),
        ("rate(0 minutes)", False),
        ("rate(01 hour)", False),
        ("rate(1.5 hours)", False),
        ("rate(-1 hours)", False),
        ("rate(2 weeks)", False),
        ("rate(1hour)", False),
        ("cron(0 3 * * ? *)", True),
        ("cron(0 3 * * ?)", False),
    ],
)
def test_schedule_expressions_and_rate_units(schedule: str, valid: bool) -> None:
    job = FargateTaskDefinitionProps(name="shop-job", container_port=None)
    if valid:
        assert ScheduledTaskProps(task=job, schedule=schedule).schedule == schedule
        return
    with pytest.raises(ValidationError) as caught:
        ScheduledTaskProps(task=job, schedule=schedule)
    assert caught.value.fields == ["schedule"]
    assert "rate(6 hours) (unit: minute, hour or day; plural above 1)" in str(caught.value)
