"""The pull request's job summary: per environment the resource counts, the changes, the risks,
a Mermaid diagram of the stack's main resources and how they connect, and the disaster-recovery
figures (RPO/RTO) of its databases and backup plans."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from stackkit.disaster_recovery_json import summary_section
from stackkit.policy.replacement import DiffResult, resources_of

#: The resources a reader looks for in the diagram, with their label. Everything else (keys, log
#: groups, secrets, routes, roles, rules...) is plumbing: it only shows up through the edges.
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
}
_REFERENCE = re.compile(r"\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)[.\[]")
#: ``_us_east_1a``: subnets, NAT gateways... per AZ collapse into one node.
_AZ_SUFFIX = re.compile(r"_[a-z]{2}(_gov)?_[a-z]+_\d[a-z]$")


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


def _references(value: Any) -> set[str]:
    """Addresses (``type.name``) that a resource body references."""
    if isinstance(value, str):
        return {f"{kind}.{name}" for kind, name in _REFERENCE.findall(value) if kind.startswith("aws_")}
    if isinstance(value, dict):
        return set().union(*(_references(item) for item in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(_references(item) for item in value)) if value else set()
    return set()


def _node_id(address: str) -> str:
    resource_type, name = address.split(".", 1)
    return re.sub(r"\W", "_", f"{resource_type}__{_AZ_SUFFIX.sub('', name)}")


def diagram(stack: dict[str, Any]) -> Diagram:
    """Main resources (per-AZ copies collapsed into one node) and their connections: direct
    references, and security group rules between the resources that use the groups."""
    resources = resources_of(stack)
    result = Diagram()
    counts: Counter[str] = Counter()
    for address in resources:
        resource_type, name = address.split(".", 1)
        if resource_type in MAIN_TYPES:
            node = _node_id(address)
            counts[node] += 1
            result.nodes[node] = f"{MAIN_TYPES[resource_type]}<br/>{_AZ_SUFFIX.sub('', name)}"
    for node, count in counts.items():
        if count > 1:
            result.nodes[node] += f" x{count}"

    groups_used_by: dict[str, set[str]] = {}
    for address, body in resources.items():
        if address.split(".", 1)[0] not in MAIN_TYPES:
            continue
        direct = _references(body)
        # One hop through plumbing: a database -> its subnet group -> the isolated subnets.
        through = {
            target
            for middle in direct
            if middle.split(".", 1)[0] not in MAIN_TYPES and middle in resources
            for target in _references(resources[middle])
        }
        for target in direct | through:
            target_type = target.split(".", 1)[0]
            if target_type in MAIN_TYPES and _node_id(target) != _node_id(address):
                result.edges.add((_node_id(address), _node_id(target), ""))
        for target in direct:
            if target.split(".", 1)[0] == "aws_security_group":
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
    for address, body in resources.items():
        if not address.startswith("aws_vpc_security_group_ingress_rule."):
            continue
        targets = _references(body.get("security_group_id"))
        sources = _references(body.get("referenced_security_group_id"))
        port = body.get("from_port")
        label = f"port {port}" if port is not None else "all ports"
        for source_group in sources:
            for target_group in targets:
                for source in groups_used_by.get(source_group, ()):
                    for target in groups_used_by.get(target_group, ()):
                        if source != target:
                            result.edges.add((source, target, label))
    _add_protection_and_alert_edges(resources, result)
    # One edge per pair: a labelled edge (the port a rule opens) says more than the plain reference
    # that also links the two (the service reads the database's secret: service -> database).
    labelled = {(source, target) for source, target, label in result.edges if label}
    result.edges = {
        (source, target, label)
        for source, target, label in result.edges
        if label or (source, target) not in labelled
    }
    return result


def _main(addresses: set[str]) -> set[str]:
    return {address for address in addresses if address.split(".", 1)[0] in MAIN_TYPES}


#: Metric dimensions that name a resource with a literal (known at synthesis), and the attribute
#: of the resource they hold. A cache node id is ``<replication group id>-001``.
_NAMED_BY = {
    "DBInstanceIdentifier": ("aws_db_instance", "identifier"),
    "DBClusterIdentifier": ("aws_rds_cluster", "cluster_identifier"),
    "CacheClusterId": ("aws_elasticache_replication_group", "replication_group_id"),
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


def _named_in_dimensions(resources: dict[str, dict[str, Any]], alarm: dict[str, Any]) -> set[str]:
    """Main resources an alarm watches by literal name (database identifier, cache node id)."""
    watched: set[str] = set()
    for dimension, value in _dimension_values(alarm):
        if dimension not in _NAMED_BY or "${" in value:
            continue
        resource_type, attribute = _NAMED_BY[dimension]
        for address, body in resources.items():
            name = body.get(attribute)
            if not address.startswith(f"{resource_type}.") or not isinstance(name, str):
                continue
            if value == name or (dimension == "CacheClusterId" and value.startswith(f"{name}-")):
                watched.add(address)
    return watched


def _add_protection_and_alert_edges(resources: dict[str, dict[str, Any]], result: Diagram) -> None:
    """Edges that run through plumbing resources a reader still wants to see: the WAF that
    protects a load balancer (web ACL association), and what feeds the alert topic (metric alarms
    on a resource's metrics, EventBridge rules matching a resource's events)."""
    for address, body in resources.items():
        resource_type = address.split(".", 1)[0]
        if resource_type == "aws_wafv2_web_acl_association":
            for waf in _main(_references(body.get("web_acl_arn"))):
                for protected in _main(_references(body.get("resource_arn"))):
                    result.edges.add((_node_id(waf), _node_id(protected), "protects"))
        elif resource_type == "aws_cloudwatch_metric_alarm":
            actions = [body.get(key) for key in ("alarm_actions", "ok_actions", "insufficient_data_actions")]
            topics = {t for t in _main(_references(actions)) if t.startswith("aws_sns_topic.")}
            watched = _main(_references({k: v for k, v in body.items() if not k.endswith("_actions")}))
            watched |= _named_in_dimensions(resources, body)
            for topic in topics:
                for source in watched:
                    result.edges.add((_node_id(source), _node_id(topic), "alarms"))
        elif resource_type == "aws_cloudwatch_event_target":
            topics = {t for t in _main(_references(body.get("arn"))) if t.startswith("aws_sns_topic.")}
            rules = [resources[r] for r in _references(body.get("rule")) if r in resources]
            for topic in topics:
                for source in _main(_references(rules)):
                    result.edges.add((_node_id(source), _node_id(topic), "events"))


def resource_counts(stack: dict[str, Any]) -> Counter[str]:
    return Counter(address.split(".", 1)[0] for address in resources_of(stack))


#: The summary's first line: how the workflow finds its one pull request comment to update.
MARKER = "<!-- stackkit-summary -->"


def markdown(
    stacks: dict[str, dict[str, Any]],
    diff: DiffResult | None = None,
    allowed: tuple[str, ...] = (),
    overview: Sequence[str] = (),
) -> str:
    """The job summary: the marker, the ``overview`` lines, one section per environment."""
    out: list[str] = [MARKER, "# stackkit: infrastructure summary", "", *overview]
    for name, stack in stacks.items():
        counts = resource_counts(stack)
        out += [f"## {name}", "", f"**{sum(counts.values())} resources** of {len(counts)} types.", ""]
        out += ["| type | count |", "|---|---|"]
        out += [f"| `{resource_type}` | {count} |" for resource_type, count in sorted(counts.items())]
        out.append("")
        stack_diff = diff.stacks.get(name) if diff else None
        if stack_diff is not None:
            out.append(
                f"**Changes:** {len(stack_diff.added)} added, {len(stack_diff.removed)} removed, "
                f"{len(stack_diff.changed)} changed."
            )
            out += [f"- added `{address}`" for address in stack_diff.added]
            out += [f"- removed `{address}`" for address in stack_diff.removed]
            out += [
                f"- changed `{address}`: {', '.join(keys)}" for address, keys in stack_diff.changed.items()
            ]
            out.append("")
            if stack_diff.risks:
                out.append("**Risks (stateful resources destroyed or replaced):**")
                for risk in stack_diff.risks:
                    status = (
                        "acknowledged" if risk.address in allowed or risk.key in allowed else "**blocking**"
                    )
                    out.append(f"- {status} `{risk.address}`: {risk.reason}")
            else:
                out.append("**Risks:** none.")
            out.append("")
        out += ["```mermaid", diagram(stack).mermaid(), "```", ""]
        # RPO/RTO from the stack's databases and backup plans (issue 17); none without either.
        out += summary_section(name, stack)
    return "\n".join(out)
