"""Monitoring: every alarm in every environment, on the right metric and resource, wired to
the topic; the deployment rule; stricter prod thresholds; bad input."""

from __future__ import annotations

import fnmatch
import json
import re
from pathlib import Path
from typing import Any

import pytest

from stackkit import ValidationError
from stackkit.constructs.monitoring import (
    FAILED_DEPLOYMENT_PATTERN,
    AlarmThresholds,
    CacheMetrics,
    MonitoringProps,
)
from tests.conftest import StackJson, ref, resources

ENVS = ("dev", "staging", "prod")


def alarms(stack: StackJson) -> dict[str, dict[str, Any]]:
    return {body["alarm_name"]: body for body in resources(stack, "aws_cloudwatch_metric_alarm").values()}


def topic_ref(stack: StackJson) -> str:
    (name,) = resources(stack, "aws_sns_topic")
    return f"${{aws_sns_topic.{name}.arn}}"


def dims_point_at(value: str, resource_type: str) -> bool:
    return ref(value).startswith(f"{resource_type}.") if value.startswith("${") else False


@pytest.mark.parametrize("env", ENVS)
def test_service_alarms_watch_the_service_and_its_load_balancer(
    stacks: dict[str, StackJson], env: str
) -> None:
    found = alarms(stacks[env])
    expected = {
        "stackkit-service-cpu-high": ("AWS/ECS", "CPUUtilization"),
        "stackkit-service-memory-high": ("AWS/ECS", "MemoryUtilization"),
        "stackkit-service-running-tasks-low": ("ECS/ContainerInsights", "RunningTaskCount"),
        "stackkit-alb-unhealthy-hosts": ("AWS/ApplicationELB", "UnHealthyHostCount"),
        "stackkit-alb-response-time-p95": ("AWS/ApplicationELB", "TargetResponseTime"),
    }
    for name, (namespace, metric) in expected.items():
        alarm = found[name]
        assert (alarm["namespace"], alarm["metric_name"]) == (namespace, metric)
        dims = alarm["dimensions"]
        if namespace.startswith("AWS/ApplicationELB"):
            assert dims_point_at(dims["LoadBalancer"], "aws_lb")
            assert dims_point_at(dims["TargetGroup"], "aws_lb_target_group")
        else:
            assert dims_point_at(dims["ClusterName"], "aws_ecs_cluster")
            assert dims_point_at(dims["ServiceName"], "aws_ecs_service")
    assert found["stackkit-alb-unhealthy-hosts"]["threshold"] == 0
    assert found["stackkit-alb-response-time-p95"]["extended_statistic"] == "p95"
    assert found["stackkit-service-running-tasks-low"]["comparison_operator"] == "LessThanThreshold"
    assert found["stackkit-service-running-tasks-low"]["threshold"] >= 2
    rate = found["stackkit-alb-target-5xx-rate"]
    queries = {q["id"]: q for q in rate["metric_query"]}
    assert queries["errors"]["metric"]["metric_name"] == "HTTPCode_Target_5XX_Count"
    assert queries["requests"]["metric"]["metric_name"] == "RequestCount"
    assert "errors / requests" in queries["rate"]["expression"] and queries["rate"]["return_data"] is True


@pytest.mark.parametrize("env", ENVS)
def test_database_and_cache_alarms_watch_the_right_resources(stacks: dict[str, StackJson], env: str) -> None:
    stack = stacks[env]
    found = alarms(stack)
    (db,) = resources(stack, "aws_db_instance").values()
    for name, metric in (
        ("stackkit-database-cpu-high", "CPUUtilization"),
        ("stackkit-database-free-storage-low", "FreeStorageSpace"),
        ("stackkit-database-connections-high", "DatabaseConnections"),
    ):
        assert found[name]["metric_name"] == metric
        assert found[name]["dimensions"]["DBInstanceIdentifier"] == db["identifier"]
    free = found["stackkit-database-free-storage-low"]
    assert 0 < free["threshold"] < db["allocated_storage"] * 1024**3
    (group,) = resources(stack, "aws_elasticache_replication_group").values()
    nodes = group["num_cache_clusters"]
    for metric in ("EngineCPUUtilization", "DatabaseMemoryUsagePercentage", "Evictions"):
        watching = [a for a in found.values() if a.get("metric_name") == metric]
        assert len(watching) == nodes
        assert all(group["replication_group_id"] in a["dimensions"]["CacheClusterId"] for a in watching)
    lag = [a for a in found.values() if a.get("metric_name") == "ReplicationLag"]
    assert len(lag) == (nodes if nodes > 1 else 0)


@pytest.mark.parametrize("env", ENVS)
def test_every_alarm_notifies_the_encrypted_topic_on_alarm_and_ok(
    stacks: dict[str, StackJson], env: str
) -> None:
    stack = stacks[env]
    topic = topic_ref(stack)
    for name, alarm in alarms(stack).items():
        assert alarm["alarm_actions"] == [topic], name
        assert alarm["ok_actions"] == [topic], name
        assert alarm["actions_enabled"] is True
        assert len(alarm["alarm_description"]) > 40, f"{name} needs a description that says what to do"
    (topic_body,) = resources(stack, "aws_sns_topic").values()
    assert ref(topic_body["kms_master_key_id"]).startswith("aws_kms_key.")


@pytest.mark.parametrize("env", ENVS)
def test_failed_and_rolled_back_deployments_reach_the_topic(stacks: dict[str, StackJson], env: str) -> None:
    stack = stacks[env]
    rules = resources(stack, "aws_cloudwatch_event_rule")
    failure = next(r for r in rules.values() if r["name"].endswith("deployment-failed-or-rolled-back"))
    pattern = json.loads(failure["event_pattern"])
    assert pattern["detail"] == FAILED_DEPLOYMENT_PATTERN["detail"]
    assert pattern["detail-type"] == ["ECS Deployment State Change"]
    assert ref(pattern["resources"][0]).startswith("aws_ecs_service.")
    targets = [
        t for t in resources(stack, "aws_cloudwatch_event_target").values() if t["arn"] == topic_ref(stack)
    ]
    assert len(targets) == 1 and targets[0]["rule"].endswith(".name}")


def _matches(pattern: dict[str, Any], event: dict[str, Any]) -> bool:
    """Enough of EventBridge matching for this pattern: lists, $or and (case-sensitive) wildcard."""
    for key, expected in pattern.items():
        if key == "$or":
            if not any(_matches(option, event) for option in expected):
                return False
        elif isinstance(expected, dict):
            if not isinstance(event.get(key), dict) or not _matches(expected, event[key]):
                return False
        else:
            value = event.get(key)
            ok = False
            for option in expected:
                if isinstance(option, dict) and "wildcard" in option:
                    ok = ok or (isinstance(value, str) and fnmatch.fnmatchcase(value, option["wildcard"]))
                else:
                    ok = ok or value == option
            if not ok:
                return False
    return True


@pytest.mark.parametrize(
    ("event_name", "reason", "matched"),
    [
        ("SERVICE_DEPLOYMENT_FAILED", "ECS deployment circuit breaker: tasks failed to start.", True),
        # The reason of AWS's documented rollback example.
        (
            "SERVICE_DEPLOYMENT_IN_PROGRESS",
            "ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/123.",
            True,
        ),
        ("SERVICE_DEPLOYMENT_IN_PROGRESS", "Rollback started for ecs-svc/123.", False),
        ("SERVICE_DEPLOYMENT_IN_PROGRESS", "ECS deployment ecs-svc/123 in progress.", False),
        ("SERVICE_DEPLOYMENT_COMPLETED", "ECS deployment ecs-svc/123 completed.", False),
    ],
)
def test_the_rule_matches_failed_and_rolled_back_deployments_only(
    event_name: str, reason: str, matched: bool
) -> None:
    event = {
        "source": "aws.ecs",
        "detail-type": "ECS Deployment State Change",
        "detail": {"eventType": "ERROR", "eventName": event_name, "reason": reason},
    }
    assert _matches(FAILED_DEPLOYMENT_PATTERN, event) is matched


def test_prod_thresholds_are_stricter_than_dev(stacks: dict[str, StackJson]) -> None:
    dev, prod = alarms(stacks["dev"]), alarms(stacks["prod"])
    for name in ("stackkit-service-cpu-high", "stackkit-database-cpu-high", "stackkit-alb-response-time-p95"):
        assert prod[name]["threshold"] < dev[name]["threshold"]
        assert prod[name]["evaluation_periods"] <= dev[name]["evaluation_periods"]
    assert AlarmThresholds.production().alb_5xx_percent < AlarmThresholds().alb_5xx_percent


@pytest.mark.parametrize("env", ENVS)
def test_dashboard_groups_the_four_seed_metrics(stacks: dict[str, StackJson], env: str) -> None:
    (dashboard,) = resources(stacks[env], "aws_cloudwatch_dashboard").values()
    body = json.loads(dashboard["dashboard_body"])
    titles = [w["properties"]["markdown"] for w in body["widgets"] if w["type"] == "text"]
    assert titles == [
        "## Deployment duration",
        "## Rollback rate",
        "## Container health",
        "## Resource utilization",
    ]
    metrics = json.dumps(body)
    for metric in ("RunningTaskCount", "MatchedEvents", "CPUUtilization", "EngineCPUUtilization"):
        assert metric in metrics


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"thresholds": {"service_cpu_percent": 120}}, "thresholds.service_cpu_percent"),
        ({"thresholds": {"cache_memory_percent": -1}}, "thresholds.cache_memory_percent"),
        ({"thresholds": {"database_connections": -5}}, "thresholds.database_connections"),
        ({"thresholds": {"cache_evictions": -1}}, "thresholds.cache_evictions"),
        ({"thresholds": {"evaluation_periods": 0}}, "thresholds.evaluation_periods"),
        ({"thresholds": {"period_seconds": 45}}, "thresholds.period_seconds"),
        ({"email_subscriptions": ["not-an-email"]}, "email_subscriptions"),
        ({"email_subscriptions": ["a@b"]}, "email_subscriptions"),
        ({"https_subscriptions": ["http://hooks.example.com/x"]}, "https_subscriptions"),
        ({"https_subscriptions": ["https://"]}, "https_subscriptions"),
    ],
)
def test_bad_input_is_rejected_with_the_field_named(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        MonitoringProps(name="shop", **changes)
    assert field in caught.value.fields


def test_cache_metrics_need_at_least_one_node() -> None:
    with pytest.raises(ValidationError) as caught:
        CacheMetrics(replication_group_id="shop-cache", member_cluster_ids=())
    assert caught.value.fields == ["member_cluster_ids"]


def test_the_docs_alarm_table_lists_every_alarm(stacks: dict[str, StackJson]) -> None:
    page = (Path(__file__).resolve().parents[2] / "docs" / "monitoring.md").read_text()
    for name in alarms(stacks["prod"]):
        documented = re.sub(r"-\d{3}$", "-<node>", name.removeprefix("stackkit-"))
        assert f"| `{documented}` |" in page, f"{name} is missing from the alarm table of docs/monitoring.md"
