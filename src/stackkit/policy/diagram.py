"""The job summary's Mermaid diagram of one stack: what a team runs (load balancers, services,
one-off and scheduled tasks with their schedules, queues with their dead-letter queues,
databases, caches, buckets...) and how those connect. Everything else (keys, log groups, secrets,
roles, routes, rules...) is plumbing: it only shows up through the edges it carries."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from stackkit.policy.replacement import resources_of

#: The resources a reader looks for, with their label.
MAIN_TYPES: dict[str, str] = {
    "aws_vpc": "VPC",
    "aws_subnet": "subnets",
    "aws_internet_gateway": "internet gateway",
    "aws_nat_gateway": "NAT gateway",
    "aws_lb": "load balancer",
    "aws_ecs_cluster": "ECS cluster",
    "aws_ecs_service": "ECS service",
    "aws_db_instance": "database",
    "aws_rds_cluster": "database cluster",
    "aws_elasticache_replication_group": "cache",
    "aws_s3_bucket": "bucket",
    "aws_ecr_repository": "ECR repository",
    "aws_sns_topic": "SNS topic",
    "aws_wafv2_web_acl": "WAF",
    "aws_sqs_queue": "SQS queue",
    "aws_scheduler_schedule": "schedule",
}
#: Main only in one role: an EventBridge rule with a ``schedule_expression`` is a schedule; a task
#: definition that no ECS service runs is a task of its own (run on apply, by hand or on a schedule).
SCHEDULE, SCHEDULED_TASK, ONE_OFF_TASK = "schedule", "scheduled task", "one-off task"
#: What starts a task that no service runs: an EventBridge Scheduler schedule, an EventBridge rule's
#: target, or a ``terraform_data`` that runs it during the apply (stackkit's OneOffTask).
TASK_TYPE = "aws_ecs_task_definition"
_RUNNER_TYPES = frozenset({"aws_scheduler_schedule", "aws_cloudwatch_event_target", "terraform_data"})
#: Where a queue or a schedule names the queue that takes what it could not deliver.
_DEAD_LETTER_KEYS = frozenset({"redrive_policy", "dead_letter_config"})
#: ``aws_vpc.main.id`` inside a Terraform expression (not ``data.aws_region.x``).
_ADDRESS = re.compile(r"(?<![\w.-])(aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)(?=[.\[])")
#: ``_us_east_1a``: subnets, NAT gateways... per AZ collapse into one node.
_AZ_SUFFIX = re.compile(r"_[a-z]{2}(_gov)?_[a-z]+_\d[a-z]$")
#: IAM actions (lower case, as IAM compares them) that name what a task does with a queue.
_ACCESS_LABELS = (("sqs:receivemessage", "consumes"), ("sqs:sendmessage", "sends"))


@dataclass
class Diagram:
    nodes: dict[str, str] = field(default_factory=dict)
    edges: set[tuple[str, str, str]] = field(default_factory=set)

    def mermaid(self) -> str:
        lines = ["flowchart LR"]
        lines += [f'  {node}["{label}"]' for node, label in sorted(self.nodes.items())]
        for source, target, label in sorted(self.edges):
            lines.append(f"  {source} -->|{label}| {target}" if label else f"  {source} --> {target}")
        return "\n".join(lines)


def _expressions(text: str) -> Iterator[str]:
    """The ``${...}`` interpolations of a string, nested braces included (``${jsonencode({...})}``)."""
    start = text.find("${")
    while start != -1:
        depth, index = 0, start + 1
        while index < len(text):
            depth += {"{": 1, "}": -1}.get(text[index], 0)
            if depth == 0:
                break
            index += 1
        yield text[start + 2 : index]
        start = text.find("${", index)


def references(value: Any) -> set[str]:
    """Addresses (``type.name``) of the AWS resources that a resource body references."""
    if isinstance(value, str):
        return {f"{kind}.{name}" for text in _expressions(value) for kind, name in _ADDRESS.findall(text)}
    if isinstance(value, dict):
        return set().union(*(references(item) for item in value.values()))
    if isinstance(value, list):
        return set().union(*(references(item) for item in value))
    return set()


def _type(address: str) -> str:
    return address.split(".", 1)[0]


def _node_id(address: str) -> str:
    resource_type, name = address.split(".", 1)
    return re.sub(r"\W", "_", f"{resource_type}__{_AZ_SUFFIX.sub('', name)}")


def _dead_letter_references(body: dict[str, Any]) -> set[str]:
    found: set[str] = set()
    for key, value in body.items():
        if key in _DEAD_LETTER_KEYS:
            found |= references(value)
        elif isinstance(value, dict):
            found |= _dead_letter_references(value)
        elif isinstance(value, list):
            for item in value:
                found |= _dead_letter_references(item) if isinstance(item, dict) else set()
    return found


@dataclass
class _Stack:
    """A stack's resources, which of them are main (with their label), and what runs each task."""

    resources: dict[str, dict[str, Any]]
    labels: dict[str, str] = field(default_factory=dict)
    #: task definition -> the resources that start it (schedules, event targets, terraform_data).
    runners: dict[str, list[str]] = field(default_factory=dict)
    #: task definition -> the ECS service that runs it.
    service_of: dict[str, str] = field(default_factory=dict)
    #: task definition that nothing in the stack runs -> the security groups of its construct.
    groups_of: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, stack: dict[str, Any]) -> _Stack:
        found = cls(resources_of(stack))
        for address, body in found.resources.items():
            if _type(address) == "aws_ecs_service":
                for task in references(body.get("task_definition")):
                    found.service_of[task] = address
        for address, body in found.resources.items():
            if _type(address) in _RUNNER_TYPES:
                for task in references(body):
                    if _type(task) == TASK_TYPE and task not in found.service_of:
                        found.runners.setdefault(task, []).append(address)
        # Schedules first: a task is a scheduled task when a schedule runs it.
        for address, body in sorted(found.resources.items(), key=lambda item: _type(item[0]) == TASK_TYPE):
            found._label(address, body)
        found._groups_of_unrun_tasks(_construct_paths(stack))
        return found

    def _groups_of_unrun_tasks(self, paths: dict[str, str]) -> None:
        """A task run by hand (stackkit's ``OneOffTask(run_on_apply=False)``): nothing in the
        configuration names its security group (``aws ecs run-task`` does, later), so the group
        is the one created in the same construct, read from the construct paths cdktf records
        (``//`` metadata ``path``): under the nearest enclosing construct that has one, not the
        stack itself."""
        groups = {address: path for address, path in paths.items() if _type(address) == "aws_security_group"}
        for task in self.resources:
            if _type(task) != TASK_TYPE or task in self.service_of or task in self.runners:
                continue
            scope = paths.get(task, "").split("/")[:-1]
            while len(scope) > 1:  # the first part is the stack
                prefix = "/".join(scope) + "/"
                mine = {group for group, path in groups.items() if path.startswith(prefix)}
                if mine:
                    self.groups_of[task] = mine
                    break
                scope.pop()

    def _label(self, address: str, body: dict[str, Any]) -> None:
        resource_type = _type(address)
        if resource_type in MAIN_TYPES:
            self.labels[address] = MAIN_TYPES[resource_type]
        elif resource_type == "aws_cloudwatch_event_rule" and body.get("schedule_expression"):
            self.labels[address] = SCHEDULE
        elif resource_type == TASK_TYPE and address not in self.service_of:
            scheduled = any(self.schedules_of(runner) for runner in self.runners.get(address, []))
            self.labels[address] = SCHEDULED_TASK if scheduled else ONE_OFF_TASK

    def schedules_of(self, runner: str) -> list[str]:
        """The schedule that fires ``runner``: itself, or an event target's scheduled rule."""
        if _type(runner) == "aws_scheduler_schedule":
            return [runner]
        if _type(runner) == "aws_cloudwatch_event_target":
            rules = references(self.resources[runner].get("rule"))
            return sorted(rule for rule in rules if self.labels.get(rule) == SCHEDULE)
        return []

    def main(self, addresses: set[str]) -> set[str]:
        return {address for address in addresses if address in self.labels}

    def node_label(self, address: str) -> str:
        name = _AZ_SUFFIX.sub("", address.split(".", 1)[1])
        label = f"{self.labels[address]}<br/>{name}"
        expression = self.resources[address].get("schedule_expression")
        if self.labels[address] == SCHEDULE and isinstance(expression, str):
            label += f"<br/>{expression.replace(chr(34), chr(39))}"
        return label

    def own_references(self, address: str) -> set[str]:
        """What a main resource references, as the diagram draws it: a schedule points only at
        what it runs (drawn apart), a task also at where its runner starts it (the cluster, the
        subnets, the security group), which are the task's, not the schedule's."""
        body = self.resources[address]
        if self.labels[address] == SCHEDULE:
            return set()
        found = references(body)
        for runner in self.runners.get(address, []):
            runner_body = self.resources[runner]
            found |= references(runner_body) - _dead_letter_references(runner_body) - {address}
            found -= set(self.schedules_of(runner))
        found |= self.groups_of.get(address, set())
        return found & self.resources.keys()

    def workload(self, task: str) -> str | None:
        """The node that stands for a task definition: the service that runs it, or the task."""
        return self.service_of.get(task) or (task if task in self.labels else None)


def _construct_paths(stack: dict[str, Any]) -> dict[str, str]:
    """``{address: construct path}`` as cdktf records it (``"//": {"metadata": {"path": ...}}``)."""
    found: dict[str, str] = {}
    for resource_type, by_name in (stack.get("resource") or {}).items():
        for name, body in by_name.items():
            path = ((body.get("//") or {}).get("metadata") or {}).get("path")
            if isinstance(path, str):
                found[f"{resource_type}.{name}"] = path
    return found


def diagram(stack: dict[str, Any]) -> Diagram:
    """Main resources (per-AZ copies collapsed into one node) and their connections: direct
    references, security group rules between the resources that use the groups, what a schedule
    runs, where a queue sends its dead letters, what a task's role lets it do with a queue."""
    graph = _Stack.of(stack)
    result = Diagram()
    counts: Counter[str] = Counter()
    for address in graph.labels:
        node = _node_id(address)
        counts[node] += 1
        result.nodes[node] = graph.node_label(address)
    for node, count in counts.items():
        if count > 1:
            result.nodes[node] += f" x{count}"

    groups_used_by: dict[str, set[str]] = {}
    for address in graph.labels:
        direct = graph.own_references(address)
        # One hop through plumbing: a database -> its subnet group -> the isolated subnets.
        through = {
            target
            for middle in direct
            if middle not in graph.labels and middle in graph.resources
            for target in references(graph.resources[middle])
        }
        for target in graph.main(direct | through):
            if _node_id(target) != _node_id(address):
                result.edges.add((_node_id(address), _node_id(target), ""))
        for target in direct:
            if _type(target) == "aws_security_group":
                groups_used_by.setdefault(target, set()).add(_node_id(address))

    # Drop X -> C when X -> B -> C says it already (the service's VPC is its subnets' VPC).
    plain = {(source, target) for source, target, label in result.edges if not label}
    result.edges = {
        (source, target, label)
        for source, target, label in result.edges
        if label
        or not any((source, middle) in plain and (middle, target) in plain for middle in result.nodes)
    }

    # A rule "group B accepts port P from group A" connects whoever uses A to whoever uses B.
    for address, body in graph.resources.items():
        if _type(address) != "aws_vpc_security_group_ingress_rule":
            continue
        targets = references(body.get("security_group_id"))
        sources = references(body.get("referenced_security_group_id"))
        port = body.get("from_port")
        label = f"port {port}" if port is not None else "all ports"
        for source_group in sources:
            for target_group in targets:
                for source in groups_used_by.get(source_group, ()):
                    for target in groups_used_by.get(target_group, ()):
                        if source != target:
                            result.edges.add((source, target, label))
    _add_schedule_and_queue_edges(graph, result)
    _add_access_edges(graph, result)
    _add_protection_and_alert_edges(graph, result)
    # One edge per pair: a labelled edge (the port a rule opens) says more than the plain reference
    # that also links the two (the service reads the database's secret: service -> database).
    labelled = {(source, target) for source, target, label in result.edges if label}
    result.edges = {
        (source, target, label)
        for source, target, label in result.edges
        if label or (source, target) not in labelled
    }
    return result


def _add_schedule_and_queue_edges(graph: _Stack, result: Diagram) -> None:
    """``schedule -->|runs| task``, and ``-->|dead letters| queue`` from a queue's redrive policy
    and from a schedule's (or an EventBridge target's) dead-letter config."""
    for task, runners in graph.runners.items():
        for runner in runners:
            for schedule in graph.schedules_of(runner):
                result.edges.add((_node_id(schedule), _node_id(task), "runs"))
                for queue in graph.main(_dead_letter_references(graph.resources[runner])):
                    result.edges.add((_node_id(schedule), _node_id(queue), "dead letters"))
    for address in graph.labels:
        if _type(address) == "aws_sqs_queue":
            for queue in graph.main(_dead_letter_references(graph.resources[address])):
                result.edges.add((_node_id(address), _node_id(queue), "dead letters"))


def _statements(policy: Any) -> list[dict[str, Any]]:
    """The statements of an IAM policy document given as JSON text (cdktf writes ``policy`` so)."""
    try:
        document = json.loads(policy) if isinstance(policy, str) else policy
    except json.JSONDecodeError:
        return [{"Resource": policy}]  # an expression (jsonencode, a data source): references only
    statements = document.get("Statement") if isinstance(document, dict) else None
    if isinstance(statements, dict):
        statements = [statements]
    return [item for item in statements or [] if isinstance(item, dict)]


def _policies_of(graph: _Stack, role: str) -> list[Any]:
    """The policy documents given to ``role``: inline (aws_iam_role_policy) and attached
    customer-managed ones (aws_iam_role_policy_attachment -> aws_iam_policy)."""
    found: list[Any] = []
    for address, body in graph.resources.items():
        if role not in references(body.get("role")):
            continue
        if _type(address) == "aws_iam_role_policy":
            found.append(body.get("policy"))
        elif _type(address) == "aws_iam_role_policy_attachment":
            for policy in references(body.get("policy_arn")):
                found.append(graph.resources.get(policy, {}).get("policy"))
    return found


def _add_access_edges(graph: _Stack, result: Diagram) -> None:
    """What a task's role lets it do with main resources (a worker ``-->|consumes|`` its queue):
    the task role's policies, drawn from the service that runs the task, or from the task."""
    for task, body in graph.resources.items():
        workload = graph.workload(task) if _type(task) == TASK_TYPE else None
        if workload is None:
            continue
        for role in references(body.get("task_role_arn")):
            for policy in _policies_of(graph, role):
                for statement in _statements(policy):
                    if statement.get("Effect", "Allow") != "Allow":
                        continue
                    actions = statement.get("Action")
                    granted = {str(a).lower() for a in (actions if isinstance(actions, list) else [actions])}
                    label = next((name for action, name in _ACCESS_LABELS if action in granted), "")
                    for target in graph.main(references(statement.get("Resource"))):
                        result.edges.add((_node_id(workload), _node_id(target), label))


#: Metric dimensions that name a resource with a literal (known at synthesis), and the attribute
#: of the resource they hold. A cache node id is ``<replication group id>-001``.
_NAMED_BY = {
    "DBInstanceIdentifier": ("aws_db_instance", "identifier"),
    "DBClusterIdentifier": ("aws_rds_cluster", "cluster_identifier"),
    "CacheClusterId": ("aws_elasticache_replication_group", "replication_group_id"),
    "QueueName": ("aws_sqs_queue", "name"),
    # EventBridge Scheduler's metrics are per schedule group: every schedule of the group.
    "ScheduleGroup": ("aws_scheduler_schedule", "group_name"),
}


def _dimension_values(value: Any) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "dimensions" and isinstance(item, dict):
                found += [(k, v) for k, v in item.items() if isinstance(v, str)]
            else:
                found += _dimension_values(item)
    elif isinstance(value, list):
        for item in value:
            found += _dimension_values(item)
    return found


def _literal(graph: _Stack, value: Any) -> Any:
    """``value``, or the literal ``name`` of the one resource it references (a schedule's
    ``group_name`` = ``${aws_scheduler_schedule_group.x.name}``)."""
    targets = references(value) if isinstance(value, str) and value.endswith(".name}") else set()
    if len(targets) == 1 and value.startswith("${"):
        return graph.resources.get(targets.pop(), {}).get("name", value)
    return value


def _named_in_dimensions(graph: _Stack, alarm: dict[str, Any]) -> set[str]:
    """Main resources an alarm watches by literal name (database identifier, cache node id,
    queue name, schedule group)."""
    watched: set[str] = set()
    for dimension, value in _dimension_values(alarm):
        if dimension not in _NAMED_BY or "${" in value:
            continue
        resource_type, attribute = _NAMED_BY[dimension]
        for address, body in graph.resources.items():
            name = _literal(graph, body.get(attribute))
            if not address.startswith(f"{resource_type}.") or not isinstance(name, str):
                continue
            if value == name or (dimension == "CacheClusterId" and value.startswith(f"{name}-")):
                watched.add(address)
    return graph.main(watched)


def _add_protection_and_alert_edges(graph: _Stack, result: Diagram) -> None:
    """Edges that run through plumbing resources a reader still wants to see: the WAF that
    protects a load balancer (web ACL association), and what feeds the alert topic (metric alarms
    on a resource's metrics, EventBridge rules matching a resource's events)."""
    for address, body in graph.resources.items():
        resource_type = _type(address)
        if resource_type == "aws_wafv2_web_acl_association":
            for waf in graph.main(references(body.get("web_acl_arn"))):
                for protected in graph.main(references(body.get("resource_arn"))):
                    result.edges.add((_node_id(waf), _node_id(protected), "protects"))
        elif resource_type == "aws_cloudwatch_metric_alarm":
            actions = [body.get(key) for key in ("alarm_actions", "ok_actions", "insufficient_data_actions")]
            topics = {t for t in graph.main(references(actions)) if _type(t) == "aws_sns_topic"}
            watched = graph.main(references({k: v for k, v in body.items() if not k.endswith("_actions")}))
            watched |= _named_in_dimensions(graph, body)
            for topic in topics:
                for source in watched:
                    result.edges.add((_node_id(source), _node_id(topic), "alarms"))
        elif resource_type == "aws_cloudwatch_event_target":
            topics = {t for t in graph.main(references(body.get("arn"))) if _type(t) == "aws_sns_topic"}
            rules = [graph.resources[r] for r in references(body.get("rule")) if r in graph.resources]
            for topic in topics:
                for source in graph.main(references(rules)):
                    result.edges.add((_node_id(source), _node_id(topic), "events"))
