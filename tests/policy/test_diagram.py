"""The summary's diagram shows what a team runs: queues with their dead-letter queues, schedules,
one-off and scheduled tasks, each with its edges (examples/api_and_queue_worker.py,
examples/nightly_scheduled_task.py, and hand-written stacks for the other shapes)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from stackkit.policy.diagram import references
from stackkit.policy.summary import diagram, markdown
from tests.project.test_examples import load


def synthesize(name: str, outdir: Path, **constants: str) -> dict[str, Any]:
    # The examples are user code written against cdktf (`from cdktf import App`): the CDK Terrain
    # pass (scripts/test_cdktn.sh, no cdktf installed) leaves them out, as it does test_examples.
    pytest.importorskip("cdktf", reason="the examples import cdktf; the CDK Terrain pass has no cdktf")
    module = load(name)
    for constant, value in constants.items():
        setattr(module, constant, value)
    module.main([f"{name}.py", str(outdir)])
    (path,) = (outdir / "stacks").glob("*/cdk.tf.json")
    document: dict[str, Any] = json.loads(path.read_text())
    return document


@pytest.fixture(scope="module")
def payments(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return synthesize("api_and_queue_worker", tmp_path_factory.mktemp("payments"))


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    # The nightly job's image as a tag of its own ECR repository (the shape of the team app).
    return synthesize("nightly_scheduled_task", tmp_path_factory.mktemp("reports"), IMAGE="v2.3.1")


def test_the_worker_consumes_its_queue_and_the_queue_has_its_dead_letter_queue(
    payments: dict[str, Any],
) -> None:
    graph = diagram(payments)
    assert graph.nodes["aws_sqs_queue__payments_jobs_queue"] == "SQS queue<br/>payments_jobs_queue"
    assert graph.nodes["aws_sqs_queue__payments_jobs_dlq"] == "SQS queue<br/>payments_jobs_dlq"
    queue_edges = sorted(edge for edge in graph.edges if "aws_sqs_queue" in edge[0] + edge[1])
    assert queue_edges == [
        ("aws_ecs_service__payments_worker_service", "aws_sqs_queue__payments_jobs_queue", "consumes"),
        ("aws_sqs_queue__payments_jobs_dlq", "aws_sns_topic__payments_alerts_topic", "alarms"),
        ("aws_sqs_queue__payments_jobs_queue", "aws_sns_topic__payments_alerts_topic", "alarms"),
        ("aws_sqs_queue__payments_jobs_queue", "aws_sqs_queue__payments_jobs_dlq", "dead letters"),
    ]
    # The API has no queue: its role names none.
    assert not any(s == "aws_ecs_service__payments_api_service" and "sqs" in t for s, t, _ in graph.edges)
    mermaid = graph.mermaid().splitlines()
    assert (
        "  aws_ecs_service__payments_worker_service -->|consumes| aws_sqs_queue__payments_jobs_queue"
        in mermaid
    )
    assert (
        "  aws_sqs_queue__payments_jobs_queue -->|dead letters| aws_sqs_queue__payments_jobs_dlq" in mermaid
    )


def test_the_nightly_schedule_runs_its_task_whose_repository_has_an_edge(reports: dict[str, Any]) -> None:
    graph = diagram(reports)
    task, schedule = (
        "aws_ecs_task_definition__reports_nightly_task_definition",
        "aws_scheduler_schedule__reports_nightly_schedule",
    )
    assert graph.nodes[schedule] == "schedule<br/>reports_nightly_schedule<br/>cron(0 3 * * ? *)"
    assert graph.nodes[task] == "scheduled task<br/>reports_nightly_task_definition"
    around = sorted(edge for edge in graph.edges if task in edge or schedule in edge)
    assert around == [
        (task, "aws_db_instance__reports_db", "port 5432"),
        (task, "aws_ecr_repository__reports_nightly_repository", ""),
        (task, "aws_ecs_cluster__reports_cluster", ""),
        (task, "aws_subnet__reports_private", ""),
        (schedule, task, "runs"),
        (schedule, "aws_sns_topic__reports_alerts_topic", "alarms"),  # failed invocations, per group
        (schedule, "aws_sqs_queue__reports_nightly_schedule_dlq", "dead letters"),
    ]
    assert (
        "aws_sqs_queue__reports_nightly_schedule_dlq",
        "aws_sns_topic__reports_alerts_topic",
        "alarms",
    ) in (graph.edges)
    text = markdown({"reports": reports})
    assert f"  {schedule} -->|runs| {task}" in text.splitlines()


# --- the other shapes, hand-written ----------------------------------------------------------------

NETWORK = '${jsonencode({"awsvpcConfiguration" = {"subnets" = [aws_subnet.app_private_a.id], '
NETWORK += '"securityGroups" = [aws_security_group.migrate_sg.id], "assignPublicIp" = "DISABLED"}})}'


def stack() -> dict[str, Any]:
    """A cluster, a database reachable on 5432 from the migration's group, a migration run on apply
    (stackkit's OneOffTask shape), a report job on an EventBridge rule's schedule with a
    dead-letter queue, a queue it sends to (through an attached managed policy), and an API service."""
    role_policy = {
        "Statement": [
            {"Effect": "Allow", "Action": ["sqs:SendMessage"], "Resource": "${aws_sqs_queue.exports.arn}"}
        ]
    }
    return {
        "resource": {
            "aws_vpc": {"app_vpc": {"cidr_block": "10.0.0.0/16"}},
            "aws_subnet": {"app_private_a": {"vpc_id": "${aws_vpc.app_vpc.id}", "cidr_block": "10.0.1.0/24"}},
            "aws_ecs_cluster": {"app_cluster": {"name": "app"}},
            "aws_security_group": {
                "migrate_sg": {"vpc_id": "${aws_vpc.app_vpc.id}"},
                "db_sg": {"vpc_id": "${aws_vpc.app_vpc.id}"},
            },
            "aws_vpc_security_group_ingress_rule": {
                "db_from_migrate": {
                    "security_group_id": "${aws_security_group.db_sg.id}",
                    "referenced_security_group_id": "${aws_security_group.migrate_sg.id}",
                    "from_port": 5432,
                }
            },
            "aws_db_instance": {
                "app_db": {
                    "identifier": "app-db",
                    "vpc_security_group_ids": ["${aws_security_group.db_sg.id}"],
                }
            },
            "aws_ecs_task_definition": {
                "migrate_task": {"family": "app-migrate"},
                "report_task": {"family": "app-report", "task_role_arn": "${aws_iam_role.report_role.arn}"},
                "api_task": {"family": "app-api"},
            },
            "aws_ecs_service": {
                "api_service": {"task_definition": "${aws_ecs_task_definition.api_task.arn}"}
            },
            "terraform_data": {
                "migrate_run": {
                    "triggers_replace": {"task_definition": "${aws_ecs_task_definition.migrate_task.arn}"},
                    "provisioner": [
                        {
                            "local-exec": {
                                "environment": {
                                    "CLUSTER": "${aws_ecs_cluster.app_cluster.arn}",
                                    "NETWORK_CONFIGURATION": NETWORK,
                                }
                            }
                        }
                    ],
                }
            },
            "aws_cloudwatch_event_rule": {
                "report_rule": {"schedule_expression": "rate(1 day)"},
                "deployments": {"event_pattern": '{"source": ["aws.ecs"]}'},
            },
            "aws_cloudwatch_event_target": {
                "report_target": {
                    "rule": "${aws_cloudwatch_event_rule.report_rule.name}",
                    "arn": "${aws_ecs_cluster.app_cluster.arn}",
                    "ecs_target": {"task_definition_arn": "${aws_ecs_task_definition.report_task.arn}"},
                    "dead_letter_config": {"arn": "${aws_sqs_queue.report_dlq.arn}"},
                }
            },
            "aws_sqs_queue": {"report_dlq": {"name": "report-dlq"}, "exports": {"name": "exports"}},
            "aws_iam_role": {"report_role": {"name": "report"}},
            "aws_iam_policy": {"send_exports": {"policy": json.dumps(role_policy)}},
            "aws_iam_role_policy_attachment": {
                "report_send": {
                    "role": "${aws_iam_role.report_role.name}",
                    "policy_arn": "${aws_iam_policy.send_exports.arn}",
                }
            },
        }
    }


def test_a_one_off_task_and_a_scheduled_rule_are_drawn_with_their_edges() -> None:
    graph = diagram(stack())
    assert {node: label for node, label in graph.nodes.items() if "task" in node or "rule" in node} == {
        "aws_ecs_task_definition__migrate_task": "one-off task<br/>migrate_task",
        "aws_ecs_task_definition__report_task": "scheduled task<br/>report_task",
        "aws_cloudwatch_event_rule__report_rule": "schedule<br/>report_rule<br/>rate(1 day)",
    }
    assert sorted(graph.edges) == [
        ("aws_cloudwatch_event_rule__report_rule", "aws_ecs_task_definition__report_task", "runs"),
        ("aws_cloudwatch_event_rule__report_rule", "aws_sqs_queue__report_dlq", "dead letters"),
        ("aws_db_instance__app_db", "aws_vpc__app_vpc", ""),  # through its security group
        ("aws_ecs_task_definition__migrate_task", "aws_db_instance__app_db", "port 5432"),
        ("aws_ecs_task_definition__migrate_task", "aws_ecs_cluster__app_cluster", ""),
        ("aws_ecs_task_definition__migrate_task", "aws_subnet__app_private_a", ""),
        ("aws_ecs_task_definition__report_task", "aws_ecs_cluster__app_cluster", ""),
        ("aws_ecs_task_definition__report_task", "aws_sqs_queue__exports", "sends"),
        ("aws_subnet__app_private_a", "aws_vpc__app_vpc", ""),
    ]
    # The service's task definition is the service; an event-pattern rule is plumbing.
    assert "aws_ecs_task_definition__api_task" not in graph.nodes
    assert "aws_cloudwatch_event_rule__deployments" not in graph.nodes
    assert graph.nodes["aws_ecs_service__api_service"] == "ECS service<br/>api_service"


def test_references_are_found_inside_nested_expressions() -> None:
    assert references(NETWORK) == {"aws_subnet.app_private_a", "aws_security_group.migrate_sg"}
    assert references("${data.aws_region.here.region}/${aws_kms_key.k.arn}") == {"aws_kms_key.k"}
    assert references(["aws_db_instance.not_an_expression", {"a": "${aws_vpc.v[0].id}"}]) == {"aws_vpc.v"}


def test_a_one_off_task_run_by_hand_is_drawn_with_its_construct_s_security_group() -> None:
    """``OneOffTask(run_on_apply=False)``: nothing in the configuration runs the task (the team runs
    ``aws ecs run-task`` later), so its security group is the one of its construct (cdktf's
    ``//`` path), which gives the database port and the VPC; a group at the stack's top level
    belongs to no task."""
    tree = stack()
    del tree["resource"]["terraform_data"]  # the migration is now run by hand
    paths = {
        ("aws_ecs_task_definition", "migrate_task"): "app/migrate/task/task-definition",
        ("aws_security_group", "migrate_sg"): "app/migrate/security-group",
        ("aws_security_group", "db_sg"): "app/database/security-group",
        ("aws_ecs_task_definition", "report_task"): "app/report-task",
    }
    for (kind, name), path in paths.items():
        tree["resource"][kind][name]["//"] = {"metadata": {"path": path, "uniqueId": name}}
    graph = diagram(tree)
    assert graph.nodes["aws_ecs_task_definition__migrate_task"] == "one-off task<br/>migrate_task"
    assert sorted(edge for edge in graph.edges if edge[0] == "aws_ecs_task_definition__migrate_task") == [
        ("aws_ecs_task_definition__migrate_task", "aws_db_instance__app_db", "port 5432"),
        ("aws_ecs_task_definition__migrate_task", "aws_vpc__app_vpc", ""),
    ]
    # The report task sits at the stack's top level: no construct of its own, no group guessed.
    del tree["resource"]["aws_cloudwatch_event_target"]
    del tree["resource"]["aws_iam_role_policy_attachment"]
    alone = diagram(tree)
    assert [edge for edge in alone.edges if edge[0] == "aws_ecs_task_definition__report_task"] == []


def test_stackkit_s_one_off_task_run_by_hand_has_its_edges(tmp_path: Path) -> None:
    from stackkit import (
        Cluster,
        ClusterProps,
        Database,
        DatabaseProps,
        FargateTaskDefinitionProps,
        Network,
        NetworkProps,
        OneOffTask,
        OneOffTaskProps,
    )
    from tests.synth_helpers import synth_stack

    def build(stack: Any) -> None:
        network = Network(
            stack, "network", NetworkProps(name="shop", availability_zones=("us-east-1a", "us-east-1b"))
        )
        cluster = Cluster(stack, "cluster", ClusterProps(name="shop"))
        database = Database(stack, "db", DatabaseProps(name="shop", network=network))
        task = FargateTaskDefinitionProps(name="shop-seed", image="v1.0.0", container_port=None)
        OneOffTask(
            stack,
            "seed",
            OneOffTaskProps(task=task, run_on_apply=False),
            network=network,
            cluster=cluster,
            database=database,
        )

    graph = diagram(synth_stack(tmp_path, build))
    task = "aws_ecs_task_definition__shop_seed_task_definition"
    assert graph.nodes[task] == "one-off task<br/>shop_seed_task_definition"
    assert sorted(edge for edge in graph.edges if task in edge) == [
        (task, "aws_db_instance__shop_db", "port 5432"),
        (task, "aws_ecr_repository__shop_seed_repository", ""),
        (task, "aws_vpc__shop_vpc", ""),
    ]
