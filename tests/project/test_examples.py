"""The examples in ``examples/`` synthesize, pass Checkov and wire what they claim to wire."""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from stackkit._private.cdk import App
from stackkit.policy.checkov import StackReport, run_checkov
from stackkit.policy.iam_analysis import run_iam_analysis
from tests.conftest import StackJson, ref, resources

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
NAMES = (
    "existing_vpc_database_and_service",
    "network_and_cache",
    "two_services_one_database",
    "restore_database_and_cache",
    "api_and_queue_worker",
    "two_services_one_load_balancer",
    "nightly_scheduled_task",
)
#: Passed checks per example stack today, less a margin: a floor that notices a scan that ran
#: on (next to) nothing.
MIN_PASSED = {
    "orders": 180,
    "sessions": 80,
    "shop": 350,
    "restore": 200,
    "payments": 400,
    "portal": 320,
    "reports": 220,
}


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def synthesized(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Each example's ``main([script, outdir])``, all stacks gathered in one folder."""
    gathered = tmp_path_factory.mktemp("examples") / "stacks"
    for name in NAMES:
        outdir = tmp_path_factory.mktemp(name)
        load(name).main([f"{name}.py", str(outdir)])
        for stack in (outdir / "stacks").iterdir():
            shutil.copytree(stack, gathered / stack.name)
    return gathered


@pytest.fixture(scope="module")
def example_stacks(synthesized: Path) -> dict[str, StackJson]:
    return {path.parent.name: json.loads(path.read_text()) for path in synthesized.glob("*/cdk.tf.json")}


@pytest.fixture(scope="module")
def example_reports(synthesized: Path) -> dict[str, StackReport]:
    return run_checkov(synthesized)


def test_every_example_has_a_build_function_and_a_stack(tmp_path: Path) -> None:
    for name in NAMES:
        module = load(name)
        app = App(outdir=str(tmp_path))  # never synthesized
        stack = module.build(app)
        assert stack.node.id == module.STACK


def test_examples_pass_checkov(
    example_stacks: dict[str, StackJson], example_reports: dict[str, StackReport]
) -> None:
    assert sorted(example_reports) == sorted(MIN_PASSED) == sorted(example_stacks)
    for stack, report in example_reports.items():
        failed = [f"{f.check_id} {f.resource}: {f.check_name}" for f in report.failed]
        assert failed == [], f"{stack}: {failed}"
        assert len(report.passed) >= MIN_PASSED[stack], stack


def test_examples_pass_the_iam_analysis(synthesized: Path) -> None:
    """Every policy document of every example: no finding; a skip only with its recorded reason."""
    reports = run_iam_analysis(synthesized)
    assert sorted(reports) == sorted(MIN_PASSED)
    for stack, report in reports.items():
        failed = [f"{f.check_id} {f.resource}: {'; '.join(f.details)}" for f in report.failed]
        assert failed == [], f"{stack}: {failed}"
        assert report.passed, stack
        assert all(f.skip_reason for f in report.skipped), stack


def ingress_into(stack: StackJson, group_address: str) -> list[dict[str, Any]]:
    return [
        rule
        for rule in resources(stack, "aws_vpc_security_group_ingress_rule").values()
        if ref(rule["security_group_id"]) == group_address
    ]


def group_of(stack: StackJson, resource_type: str, attribute: str = "vpc_security_group_ids") -> str:
    (body,) = resources(stack, resource_type).values()
    value = body[attribute] if attribute != "network_configuration" else body[attribute]["security_groups"]
    (group,) = value
    return ref(group)


def test_existing_vpc_example_creates_no_network_and_uses_the_given_ids(
    example_stacks: dict[str, StackJson],
) -> None:
    network = load(NAMES[0]).NETWORK
    stack = example_stacks["orders"]
    for kind in ("aws_vpc", "aws_subnet", "aws_nat_gateway", "aws_internet_gateway", "aws_route_table"):
        assert resources(stack, kind) == {}, kind
    (subnet_group,) = resources(stack, "aws_db_subnet_group").values()
    assert subnet_group["subnet_ids"] == list(network.isolated_subnet_ids)
    (service,) = resources(stack, "aws_ecs_service").values()
    assert service["network_configuration"]["subnets"] == list(network.private_subnet_ids)
    assert {group["vpc_id"] for group in resources(stack, "aws_security_group").values()} == {network.vpc_id}
    # The service reaches the database: one ingress rule from the tasks' group.
    database_group = group_of(stack, "aws_db_instance")
    (rule,) = ingress_into(stack, database_group)
    assert ref(rule["referenced_security_group_id"]) == group_of(
        stack, "aws_ecs_service", "network_configuration"
    )
    assert rule["from_port"] == rule["to_port"] == 5432


def test_network_and_cache_example_has_only_those(example_stacks: dict[str, StackJson]) -> None:
    stack = example_stacks["sessions"]
    assert len(resources(stack, "aws_vpc")) == 1
    (cache,) = resources(stack, "aws_elasticache_replication_group").values()
    assert cache["num_cache_clusters"] == 2 and cache["automatic_failover_enabled"] is True
    assert cache["preferred_cache_cluster_azs"] == ["us-east-2a", "us-east-2b"]
    for kind in ("aws_db_instance", "aws_ecs_service", "aws_ecs_cluster", "aws_lb"):
        assert resources(stack, kind) == {}, kind
    # Nobody was granted access, so the cache's security group has no ingress rule at all.
    (group,) = cache["security_group_ids"]
    assert ingress_into(stack, ref(group)) == []


def test_two_services_share_one_database_with_one_grant_each(example_stacks: dict[str, StackJson]) -> None:
    stack = example_stacks["shop"]
    assert len(resources(stack, "aws_db_instance")) == 1
    services = resources(stack, "aws_ecs_service")
    assert sorted(body["name"] for body in services.values()) == ["shop-billing", "shop-orders"]
    task_groups = {ref(body["network_configuration"]["security_groups"][0]) for body in services.values()}
    assert len(task_groups) == 2
    rules = ingress_into(stack, group_of(stack, "aws_db_instance"))
    assert len(rules) == 2
    assert {ref(rule["referenced_security_group_id"]) for rule in rules} == task_groups
    assert {(rule["from_port"], rule["to_port"]) for rule in rules} == {(5432, 5432)}
    # Each service has its own DATABASE_URL secret, both derived from the one master secret.
    urls = [name for name in resources(stack, "aws_secretsmanager_secret") if name.endswith("database_url")]
    assert sorted(urls) == ["shop_billing_database_url", "shop_orders_database_url"]


def policy(body: dict[str, Any]) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(body["policy"])
    return document


def test_the_worker_has_no_load_balancer_and_its_group_no_ingress(
    example_stacks: dict[str, StackJson],
) -> None:
    stack = example_stacks["payments"]
    services = resources(stack, "aws_ecs_service")
    worker, api = services["payments_worker_service"], services["payments_api_service"]
    assert "load_balancer" not in worker and "health_check_grace_period_seconds" not in worker
    assert "load_balancer" in api
    worker_group = ref(worker["network_configuration"]["security_groups"][0])
    assert ingress_into(stack, worker_group) == []
    # Only the API's load balancer, certificate and WAF exist: one of each.
    assert len(resources(stack, "aws_lb")) == len(resources(stack, "aws_wafv2_web_acl")) == 1
    (container,) = json.loads(
        resources(stack, "aws_ecs_task_definition")["payments_worker_task_definition"][
            "container_definitions"
        ]
    )
    assert "portMappings" not in container and "healthCheck" not in container
    assert container["command"] == ["node", "worker.js"]
    # Both reach the one database: two grants on its group.
    sources = {
        ref(rule["referenced_security_group_id"])
        for rule in ingress_into(stack, group_of(stack, "aws_db_instance"))
    }
    assert sources == {worker_group, ref(api["network_configuration"]["security_groups"][0])}


def test_the_team_secrets_sit_next_to_database_url_and_each_role_reads_exactly_its_own(
    example_stacks: dict[str, StackJson],
) -> None:
    stack = example_stacks["payments"]
    definitions = resources(stack, "aws_ecs_task_definition")
    (api,) = json.loads(definitions["payments_api_task_definition"]["container_definitions"])
    assert api["secrets"] == [
        {"name": "DATABASE_URL", "valueFrom": "${aws_secretsmanager_secret.payments_api_database_url.arn}"},
        {
            "name": "STRIPE_API_KEY",
            "valueFrom": (
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:payments/stripe-Xy12Ab:api_key::"
            ),
        },
    ]
    (worker,) = json.loads(definitions["payments_worker_task_definition"]["container_definitions"])
    assert worker["secrets"][1:] == [
        {
            "name": "WEBHOOK_SIGNING_KEY",
            "valueFrom": "arn:aws:ssm:us-east-1:123456789012:parameter/payments/webhook-signing-key",
        }
    ]
    policies = resources(stack, "aws_iam_role_policy")
    api_grants = {s["Sid"]: s for s in policy(policies["payments_api_execution_policy"])["Statement"]}
    assert api_grants["ReadTeamSecrets"]["Resource"] == [
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:payments/stripe-Xy12Ab"
    ]
    assert api_grants["ReadConnectionSecrets"]["Resource"] == [
        "${aws_secretsmanager_secret.payments_api_database_url.arn}"
    ]
    assert "ReadTeamParameters" not in api_grants and "DecryptTeamSecrets" not in api_grants
    worker_grants = {s["Sid"]: s for s in policy(policies["payments_worker_execution_policy"])["Statement"]}
    assert "ReadTeamSecrets" not in worker_grants
    assert worker_grants["ReadTeamParameters"]["Resource"] == [
        "arn:aws:ssm:us-east-1:123456789012:parameter/payments/webhook-signing-key"
    ]
    decrypt = worker_grants["DecryptTeamSecrets"]
    assert decrypt["Resource"] == [
        "arn:aws:kms:us-east-1:123456789012:key/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
    ]
    (via,) = decrypt["Condition"]["StringEquals"]["kms:ViaService"]
    assert via.startswith("ssm.${data.aws_region.") and via.endswith(".region}.amazonaws.com")


def test_the_worker_consumes_exactly_its_encrypted_queue_and_scales_on_its_backlog(
    example_stacks: dict[str, StackJson],
) -> None:
    stack = example_stacks["payments"]
    queues = resources(stack, "aws_sqs_queue")
    queue, dlq = queues["payments_jobs_queue"], queues["payments_jobs_dlq"]
    assert (
        ref(queue["kms_master_key_id"])
        == ref(dlq["kms_master_key_id"])
        == "aws_kms_key.payments_jobs_queue_key"
    )
    redrive = json.loads(queue["redrive_policy"])
    assert (
        ref(redrive["deadLetterTargetArn"]) == "aws_sqs_queue.payments_jobs_dlq"
        and redrive["maxReceiveCount"] == 5
    )
    (allow,) = resources(stack, "aws_sqs_queue_redrive_allow_policy").values()
    assert json.loads(allow["redrive_allow_policy"])["sourceQueueArns"] == [
        "${aws_sqs_queue.payments_jobs_queue.arn}"
    ]
    grants = policy(resources(stack, "aws_iam_role_policy")["payments_worker_task_consume_queue"])[
        "Statement"
    ]
    assert {
        (ref(s["Resource"]), tuple(sorted([s["Action"]] if isinstance(s["Action"], str) else s["Action"])))
        for s in grants
    } == {
        (
            "aws_sqs_queue.payments_jobs_queue",
            (
                "sqs:ChangeMessageVisibility",
                "sqs:DeleteMessage",
                "sqs:GetQueueAttributes",
                "sqs:GetQueueUrl",
                "sqs:ReceiveMessage",
            ),
        ),
        ("aws_kms_key.payments_jobs_queue_key", ("kms:Decrypt",)),
    }
    role = ref(resources(stack, "aws_iam_role_policy")["payments_worker_task_consume_queue"]["role"])
    assert role == "aws_iam_role.payments_worker_task_role"
    scaling = resources(stack, "aws_appautoscaling_policy")["payments_worker_scale_queue"]
    metrics = scaling["target_tracking_scaling_policy_configuration"]["customized_metric_specification"][
        "metrics"
    ]
    visible = metrics[0]["metric_stat"]["metric"]
    assert visible["metric_name"] == "ApproximateNumberOfMessagesVisible"
    assert visible["dimensions"] == [{"name": "QueueName", "value": "payments-jobs"}]
    assert [m["id"] for m in metrics if m.get("return_data")] == ["backlog"]


def test_one_monitoring_topic_has_alarms_for_both_services(example_stacks: dict[str, StackJson]) -> None:
    for stack_name, labels in (
        ("payments", ("payments-api", "payments-worker")),
        ("portal", ("portal-web", "portal-admin")),
    ):
        stack = example_stacks[stack_name]
        (topic,) = resources(stack, "aws_sns_topic")
        names = {
            body["alarm_name"]: body for body in resources(stack, "aws_cloudwatch_metric_alarm").values()
        }
        for label in labels:
            mine = [body for name, body in names.items() if name.startswith(f"{stack_name}-{label}-")]
            assert {body["alarm_name"].removeprefix(f"{stack_name}-{label}-") for body in mine} >= {
                "cpu-high",
                "memory-high",
                "running-tasks-low",
            }, label
            assert all(body["alarm_actions"] == [f"${{aws_sns_topic.{topic}.arn}}"] for body in mine)
        assert len(resources(stack, "aws_cloudwatch_dashboard")) == 1
    # The worker has no load-balancer alarms; the queue has its age and dead-letter alarms.
    payments = {
        body["alarm_name"]
        for body in resources(example_stacks["payments"], "aws_cloudwatch_metric_alarm").values()
    }
    assert not any(name.startswith("payments-payments-worker-alb") for name in payments)
    assert {"payments-payments-jobs-oldest-message-age", "payments-payments-jobs-dlq-not-empty"} <= payments
    assert "payments-payments-api-alb-unhealthy-hosts" in payments
    # One deployment-failure rule narrowed to both ECS services.
    rules = resources(example_stacks["payments"], "aws_cloudwatch_event_rule")
    pattern = json.loads(rules["payments_deployment_failures"]["event_pattern"])
    assert sorted(ref(arn) for arn in pattern["resources"]) == [
        "aws_ecs_service.payments_api_service",
        "aws_ecs_service.payments_worker_service",
    ]


def test_two_services_share_one_load_balancer_with_one_rule_each(
    example_stacks: dict[str, StackJson],
) -> None:
    stack = example_stacks["portal"]
    assert len(resources(stack, "aws_lb")) == 1
    assert len(resources(stack, "aws_wafv2_web_acl")) == 1
    assert len([b for b in resources(stack, "aws_s3_bucket")]) == 1
    groups = resources(stack, "aws_lb_target_group")
    assert len(groups) == 2
    rules = resources(stack, "aws_lb_listener_rule")
    assert len(rules) == 2
    (listener,) = [b for b in resources(stack, "aws_lb_listener").values() if b["protocol"] == "HTTPS"]
    assert listener["default_action"] == [
        {
            "type": "fixed-response",
            "fixed_response": {
                "content_type": "text/plain",
                "message_body": "Not Found",
                "status_code": "404",
            },
        }
    ]
    routes = load("two_services_one_load_balancer").ROUTES
    by_group = {ref(rule["action"][0]["target_group_arn"]): rule for rule in rules.values()}
    for name, (host, priority) in routes.items():
        rule = by_group[f"aws_lb_target_group.{name.replace('-', '_')}_target_group"]
        assert rule["priority"] == priority
        assert rule["condition"] == [{"host_header": {"values": [host]}}]
        (service,) = [b for b in resources(stack, "aws_ecs_service").values() if b["name"] == name]
        assert (
            ref(service["load_balancer"][0]["target_group_arn"])
            == f"aws_lb_target_group.{name.replace('-', '_')}_target_group"
        )
        assert service["depends_on"] == [f"aws_lb_listener_rule.{name.replace('-', '_')}_listener_rule"]


def test_the_scheduled_task_role_runs_only_its_family_and_passes_only_its_roles(
    example_stacks: dict[str, StackJson],
) -> None:
    stack = example_stacks["reports"]
    (schedule,) = resources(stack, "aws_scheduler_schedule").values()
    assert schedule["schedule_expression"] == "cron(0 3 * * ? *)"
    target = schedule["target"]
    role = ref(target["role_arn"])
    assert (
        ref(target["ecs_parameters"]["task_definition_arn"])
        == "aws_ecs_task_definition.reports_nightly_task_definition"
    )
    assert ref(target["dead_letter_config"]["arn"]) == "aws_sqs_queue.reports_nightly_schedule_dlq"
    assert target["retry_policy"]["maximum_retry_attempts"] == 2
    (role_policy,) = [b for b in resources(stack, "aws_iam_role_policy").values() if ref(b["role"]) == role]
    statements = {
        s["Action"] if isinstance(s["Action"], str) else tuple(s["Action"]): s
        for s in policy(role_policy)["Statement"]
    }
    run = statements["ecs:RunTask"]
    assert (
        run["Resource"] == "${aws_ecs_task_definition.reports_nightly_task_definition.arn_without_revision}:*"
    )
    assert run["Condition"] == {"ArnEquals": {"ecs:cluster": "${aws_ecs_cluster.reports_cluster.arn}"}}
    passed = statements["iam:PassRole"]
    assert sorted(passed["Resource"]) == [
        "${aws_iam_role.reports_nightly_execution_role.arn}",
        "${aws_iam_role.reports_nightly_task_role.arn}",
    ]
    assert passed["Condition"] == {"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}}
    assert ref(statements["sqs:SendMessage"]["Resource"]) == "aws_sqs_queue.reports_nightly_schedule_dlq"
    # No wildcard resource anywhere (the family's revisions, ``:*``, are the only pattern).
    resources_named = [
        r
        for s in statements.values()
        for r in ([s["Resource"]] if isinstance(s["Resource"], str) else s["Resource"])
    ]
    assert not [r for r in resources_named if r == "*" or (r.endswith("*") and r != run["Resource"])]
    trust = json.loads(resources(stack, "aws_iam_role")[role.split(".")[1]]["assume_role_policy"])
    assert trust["Statement"][0]["Principal"] == {"Service": "scheduler.amazonaws.com"}
    # No ingress into the job's security group; the job alarms on failed invocations.
    group = ref(target["ecs_parameters"]["network_configuration"]["security_groups"][0])
    assert ingress_into(stack, group) == []
    alarm_names = {b["alarm_name"] for b in resources(stack, "aws_cloudwatch_metric_alarm").values()}
    assert alarm_names == {
        "reports-reports-nightly-failed-invocations",
        "reports-reports-nightly-dlq-not-empty",
    }


def test_stackkit_cost_prints_a_monthly_figure_for_every_example(
    synthesized: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`stackkit cost --from` on every example: each stack gets a figure; what the table cannot
    price (the examples' regions, usage) is listed by address, not counted as 0."""
    from stackkit.cli import main

    assert main(["cost", "--from", str(synthesized.parent), "--format", "json"]) == 0
    costs = json.loads(capsys.readouterr().out)["stacks"]
    assert set(costs) == set(MIN_PASSED)
    for name, cost in costs.items():
        assert cost["monthly"] == round(sum(item["monthly"] for item in cost["items"]), 2), name
        assert cost["items"] or cost["unpriced"], name  # every stack has something to show
    # Regional figures, worked by hand from prices.json. orders (eu-west-1): db.t3.medium Multi-AZ
    # = 2 x the Single-AZ $0.078 of the Price List table = $0.156/h x 730 = $113.88; its gp3 storage
    # and the ALB have no eu-west-1 figure, so they are listed, not counted.
    orders = {item["address"]: item["monthly"] for item in costs["orders"]["items"]}
    assert orders["aws_db_instance.orders_db"] == 113.88
    assert {"aws_db_instance.orders_db", "aws_lb.orders_api_alb"} <= set(costs["orders"]["unpriced"])
    # sessions (us-east-2): 2 x cache.t3.micro at $0.017/h x 730 = $24.82, NAT $0.045/h x 730 = $32.85.
    sessions = {item["address"]: item["monthly"] for item in costs["sessions"]["items"]}
    assert sessions == {
        "aws_elasticache_replication_group.sessions_cache": 24.82,
        "aws_nat_gateway.sessions_nat_us_east_2a": 32.85,
    }
    assert main(["cost", "--from", str(synthesized.parent)]) == 0
    text = capsys.readouterr().out
    assert all(f"== {name} (" in text and "per month" in text for name in MIN_PASSED)
