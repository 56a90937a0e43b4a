"""The cost rules: one per resource type, reading its quantities from the Terraform JSON
(instance class, node count, task count and size, alarm metrics ...) and pricing them from the
table for the resource's region, 730 hours a month (:func:`price_resource`; the types without a
rule are classified in :mod:`stackkit.policy.cost_types`). :mod:`stackkit.policy.cost` sums what
they find per stack."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from stackkit.policy.cost_context import (
    Priced,
    PricingContext,
    number,
    plain,
    table_rate,
)
from stackkit.policy.cost_types import FREE_TYPES, UNPRICED_TYPES, USAGE_BASED

# What each fact below rests on (checked in the stored AWS documentation):
# - Multi-AZ RDS is billed per DB instance-hour for both the primary and the standby, and storage
#   per GB-month for both: Amazon RDS User Guide, "On-Demand DB instances for Amazon RDS",
#   https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_OnDemandDBInstances.html
# - Fargate is priced on the vCPU and memory requested for the task: AWS Fargate pricing,
#   https://aws.amazon.com/fargate/pricing/ ("Pricing is based on requested vCPU, memory,
#   Operating Systems, CPU Architecture, and storage resources for the Task or Pod").
# - An interface endpoint is charged for each hour it is provisioned in each Availability Zone:
#   AWS PrivateLink pricing, https://aws.amazon.com/privatelink/pricing/ ; it has one network
#   interface per subnet it is enabled in: AWS PrivateLink Guide, "Access AWS services through
#   AWS PrivateLink" (one endpoint network interface in each subnet).
# - A replica secret is billed as a distinct secret: AWS Secrets Manager pricing,
#   https://aws.amazon.com/secrets-manager/pricing/
# - A rule group in a web ACL, managed or custom, is billed as one rule: AWS Security Services
#   Best Practices, "WAF Cost", https://aws.github.io/aws-security-services-best-practices/guides/waf/waf-cost/docs/
#   Most AWS Managed Rules rule groups are free; the paid ones add their own subscription:
#   AWS WAF Developer Guide, "Using managed rule group statements in AWS WAF",
#   https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-managed-rule-group.html
_PROVIDER_DOCS = "https://registry.terraform.io/providers/hashicorp/aws/6.25.0/docs/resources"

#: Paid AWS Managed Rules rule groups: a subscription and per-request fee on top of the rule.
PAID_RULE_GROUPS = frozenset(
    {
        "AWSManagedRulesBotControlRuleSet",
        "AWSManagedRulesATPRuleSet",
        "AWSManagedRulesACFPRuleSet",
        "AWSManagedRulesAntiDDoSRuleSet",
    }
)


# --- one rule per resource type ------------------------------------------------------------------


def _nat_gateway(priced: Priced, body: dict[str, Any], ctx: PricingContext) -> None:
    rate = table_rate(priced, ctx, ctx.region_of(body), "nat_gateway_hour", None, "NAT gateway hours")
    if rate is not None:
        priced.add(rate * ctx.hours, f"{ctx.hours} h")
    priced.usage("data processed")


def _load_balancer(priced: Priced, body: dict[str, Any], ctx: PricingContext) -> None:
    lb_type = body.get("load_balancer_type", "application")  # provider default: application
    if lb_type != "application":
        priced.unpriced(f"{lb_type} load balancer hours are not in the price table")
        return
    rate = table_rate(priced, ctx, ctx.region_of(body), "alb_hour", None, "Application Load Balancer hours")
    if rate is not None:
        priced.add(rate * ctx.hours, f"{ctx.hours} h")
    priced.usage("LCUs")


def _db_instance(priced: Priced, body: dict[str, Any], ctx: PricingContext) -> None:
    region = ctx.region_of(body)
    engine = body.get("engine")
    if engine != "postgres":
        priced.unpriced(f"engine {engine or '(unset)'}: the price table has RDS for PostgreSQL only")
        return
    multi_az = body.get("multi_az", False)
    if not isinstance(multi_az, bool):
        priced.unpriced(f"multi_az is not a literal ({multi_az})")
        return
    deployment = "Multi-AZ" if multi_az else "Single-AZ"
    suffix = "multi_az" if multi_az else "single_az"
    instance_class = str(body.get("instance_class"))
    rate = table_rate(
        priced, ctx, region, f"rds_postgres_{suffix}_hour", instance_class, f"{instance_class} {deployment}"
    )
    if rate is not None:
        priced.add(rate * ctx.hours, f"{instance_class} {deployment} x {ctx.hours} h")
    # storage_type: "The default is io1 if iops is specified, gp2 if not"
    # (<_PROVIDER_DOCS>/db_instance#storage_type).
    storage_type = str(body.get("storage_type") or ("io1" if "iops" in body else "gp2"))
    size = number(body.get("allocated_storage"))
    if size is None:
        priced.unpriced("storage: allocated_storage is not set (the snapshot's or source's size)")
    else:
        what = f"{storage_type} storage {deployment}"
        gb_rate = table_rate(priced, ctx, region, f"rds_storage_{suffix}_gb_month", storage_type, what)
        if gb_rate is not None:
            priced.add(gb_rate * size, f"{plain(size)} GB {storage_type} {deployment}")
    if "iops" in body:
        priced.unpriced(f"provisioned IOPS ({body['iops']} on {storage_type}) are not in the price table")


def _cache_nodes(body: dict[str, Any]) -> Decimal | None:
    if "num_cache_clusters" in body:
        return number(body["num_cache_clusters"])
    if "num_node_groups" in body or "replicas_per_node_group" in body:
        groups = number(body.get("num_node_groups", 1))
        replicas = number(body.get("replicas_per_node_group", 0))
        return None if groups is None or replicas is None else groups * (replicas + 1)
    return None


def _cache_nodes_cost(
    priced: Priced, body: dict[str, Any], ctx: PricingContext, nodes: Decimal | None
) -> None:
    engine = body.get("engine", "redis")
    if engine != "redis":
        priced.unpriced(f"engine {engine}: the price table has ElastiCache Redis OSS nodes only")
        return
    if nodes is None:
        priced.unpriced("node count is not set as a literal (num_cache_clusters or num_node_groups)")
        return
    node_type = str(body.get("node_type"))
    rate = table_rate(
        priced, ctx, ctx.region_of(body), "elasticache_node_hour", node_type, f"{node_type} nodes"
    )
    if rate is not None:
        priced.add(rate * nodes * ctx.hours, f"{plain(nodes)} x {node_type} x {ctx.hours} h")


def _replication_group(priced: Priced, body: dict[str, Any], ctx: PricingContext) -> None:
    _cache_nodes_cost(priced, body, ctx, _cache_nodes(body))


def _cache_cluster(priced: Priced, body: dict[str, Any], ctx: PricingContext) -> None:
    if body.get("replication_group_id"):
        return  # a member of a replication group: its nodes are counted with the group
    _cache_nodes_cost(priced, body, ctx, number(body.get("num_cache_nodes", 1)))


def _ignored(body: Mapping[str, Any], attribute: str) -> bool:
    """True when ``lifecycle.ignore_changes`` names ``attribute`` (or is "all")."""
    lifecycle = body.get("lifecycle")
    ignored = lifecycle.get("ignore_changes") if isinstance(lifecycle, dict) else None
    return ignored == "all" or (isinstance(ignored, list) and attribute in ignored)


def _task_count(
    address: str, body: dict[str, Any], ctx: PricingContext
) -> tuple[Decimal | None, str, str | None]:
    """The tasks a service runs at least, the quantity's note, and what of its count is billed by use.

    With an Application Auto Scaling target for the service, the count stays within
    ``min_capacity..max_capacity``: "Scaling policies will never go higher or lower than the
    minimum-maximum range", and a count outside it "is updated to comply" when a policy runs or
    the target is registered (Application Auto Scaling User Guide, "Application Auto Scaling
    concepts", https://docs.aws.amazon.com/autoscaling/application/userguide/getting-started.html).
    When ``desired_count`` is in ``lifecycle.ignore_changes`` (as stackkit's services have it),
    Terraform sets it only when it creates the service and autoscaling owns it after: the count
    priced is ``min_capacity``, whatever ``desired_count`` says. Otherwise every apply sets
    ``desired_count``, kept within the range. Tasks autoscaling adds above that are usage-based.
    """
    ignored = _ignored(body, "desired_count")
    desired = number(body.get("desired_count", 0))  # provider default 0
    name = address.split(".", 1)[1]
    for target in ctx.resources.get("aws_appautoscaling_target", {}).values():
        resource_id = str(target.get("resource_id", ""))
        if f"${{aws_ecs_service.{name}." in resource_id:
            low, high = number(target.get("min_capacity")), number(target.get("max_capacity"))
            scaling = f", autoscaling {plain(low)}..{plain(high) if high is not None else '?'}"
            if low is None or (desired is None and not ignored):
                return None, "", None
            if ignored or desired is None:
                return low, f"{scaling} (desired_count ignored)", "tasks above the minimum"
            count = max(desired, low) if high is None else min(max(desired, low), high)
            return count, scaling, "tasks above the minimum"
    if ignored and desired is not None:
        return desired, " (desired_count, set at creation only)", "a count changed outside Terraform"
    return desired, "", None


#: Ephemeral storage every Fargate task has without charge (GiB).
INCLUDED_EPHEMERAL_GIB = 20


def _ephemeral_storage(priced: Priced, task: dict[str, Any]) -> None:
    """Storage above the 20 GiB every task gets is a fixed charge the table has no figure for.

    "By default, Amazon ECS tasks that are hosted on Fargate using platform version 1.4.0 or later
    receive a minimum of 20 GiB of ephemeral storage", up to 200 GiB with ``ephemeralStorage``
    (Amazon ECS Developer Guide, "Fargate task ephemeral storage for Amazon ECS",
    https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-storage.html); the
    storage configured is billed ("storage resources for the Task", AWS Fargate pricing above).
    """
    storage = task.get("ephemeral_storage") or {}
    storage = storage[0] if isinstance(storage, list) and storage else storage
    if not isinstance(storage, dict) or "size_in_gib" not in storage:
        return
    size = number(storage["size_in_gib"])
    if size is None or size > INCLUDED_EPHEMERAL_GIB:
        shown = plain(size) if size is not None else storage["size_in_gib"]
        priced.unpriced(
            f"ephemeral storage above the {INCLUDED_EPHEMERAL_GIB} GiB included ({shown} GiB per task) "
            "is not in the price table"
        )


def _ecs_service(priced: Priced, body: dict[str, Any], ctx: PricingContext) -> None:
    # launch_type: "Defaults to EC2" (<_PROVIDER_DOCS>/ecs_service#launch_type).
    strategy = body.get("capacity_provider_strategy") or []
    providers = {
        item.get("capacity_provider") for item in (strategy if isinstance(strategy, list) else [strategy])
    }
    fargate = body.get("launch_type") == "FARGATE" or (providers and providers <= {"FARGATE"})
    if not fargate:
        priced.unpriced("not a Fargate on-demand service (EC2 or Spot capacity is not in the price table)")
        return
    found = ctx.referenced(body.get("task_definition"), "aws_ecs_task_definition")
    if found is None:
        priced.unpriced("its task definition is not in this stack, so its CPU and memory are unknown")
        return
    task = found[1]
    cpu, memory = number(task.get("cpu")), number(task.get("memory"))
    found_platform = task.get("runtime_platform") or {}
    platform: dict[str, Any] = (
        found_platform[0] if isinstance(found_platform, list) and found_platform else found_platform or {}
    )
    # cpuArchitecture defaults to X86_64 (Amazon ECS Developer Guide, task definition
    # parameters, runtimePlatform).
    arch = str(platform.get("cpu_architecture") or "X86_64")
    system = str(platform.get("operating_system_family") or "LINUX")
    count, scaling, above = _task_count(priced.address, body, ctx)
    if cpu is None or memory is None or count is None:
        priced.unpriced("task CPU, memory or task count is not a literal")
        return
    if system != "LINUX":
        priced.unpriced(f"{system} tasks are not in the price table (Linux only)")
        return
    region = ctx.region_of(body)
    vcpu, gb = cpu / 1024, memory / 1024
    vcpu_rate = table_rate(priced, ctx, region, "fargate_vcpu_hour", arch, f"Fargate {arch} vCPU-hours")
    gb_rate = table_rate(priced, ctx, region, "fargate_gb_hour", arch, f"Fargate {arch} GB-hours")
    if vcpu_rate is not None and gb_rate is not None:
        priced.add(
            count * ctx.hours * (vcpu * vcpu_rate + gb * gb_rate),
            f"{plain(count)} tasks x ({plain(vcpu)} vCPU + {plain(gb)} GB {arch}) x {ctx.hours} h{scaling}",
        )
    if above:
        priced.usage(above)
    _ephemeral_storage(priced, task)


def _flat(kind: str, what: str) -> Callable[[Priced, dict[str, Any], PricingContext], None]:
    def rule(priced: Priced, body: dict[str, Any], ctx: PricingContext) -> None:
        rate = table_rate(priced, ctx, ctx.region_of(body), kind, None, what)
        if rate is not None:
            priced.add(rate, f"1 {what}")

    return rule


def _secret(priced: Priced, body: dict[str, Any], ctx: PricingContext) -> None:
    _flat("secret_month", "secret")(priced, body, ctx)
    replicas = body.get("replica") or []
    for replica in replicas if isinstance(replicas, list) else [replicas]:
        region = replica.get("region")
        region = region if isinstance(region, str) and "${" not in region else None
        rate = table_rate(priced, ctx, region, "secret_month", None, "replica secret")
        if rate is not None:
            priced.add(rate, f"1 replica in {region}")


def _alarm_metrics(body: dict[str, Any]) -> tuple[int, bool, bool]:
    """(metrics, high resolution, anomaly detection) of a metric alarm."""
    if body.get("metric_name"):
        period = number(body.get("period"))
        return 1, period is not None and period < 60, False
    queries = body.get("metric_query") or []
    queries = queries if isinstance(queries, list) else [queries]
    metrics = [query["metric"] for query in queries if isinstance(query.get("metric"), dict)]
    high = any((number(metric.get("period")) or Decimal(60)) < 60 for metric in metrics)
    anomaly = any("ANOMALY_DETECTION_BAND" in str(query.get("expression", "")) for query in queries)
    return len(metrics), high, anomaly


def _alarm(priced: Priced, body: dict[str, Any], ctx: PricingContext) -> None:
    metrics, high, anomaly = _alarm_metrics(body)
    if anomaly:
        priced.unpriced("anomaly detection alarms are not in the price table")
        return
    resolution = "high_resolution" if high else "standard"
    what = f"{resolution.replace('_', '-')} alarm metrics"
    rate = table_rate(priced, ctx, ctx.region_of(body), "cloudwatch_alarm_metric_month", resolution, what)
    if rate is not None:
        plural = "s" * (metrics != 1)
        priced.add(rate * metrics, f"{metrics} {resolution.replace('_', '-')} alarm metric{plural}")


def _web_acl_rules(body: dict[str, Any]) -> list[dict[str, Any]]:
    rules = body.get("rule") or []
    if not rules and isinstance(body.get("rule_json"), str):
        try:
            rules = json.loads(body["rule_json"])
        except json.JSONDecodeError:
            rules = []
    return [rule for rule in (rules if isinstance(rules, list) else [rules]) if isinstance(rule, dict)]


def _managed_group(rule: dict[str, Any]) -> dict[str, Any]:
    statement = rule.get("statement") or rule.get("Statement") or {}
    group = statement.get("managed_rule_group_statement") or statement.get("ManagedRuleGroupStatement") or {}
    return group if isinstance(group, dict) else {}


def _web_acl(priced: Priced, body: dict[str, Any], ctx: PricingContext) -> None:
    region = ctx.region_of(body)
    rules = _web_acl_rules(body)
    acl_rate = table_rate(priced, ctx, region, "waf_web_acl_month", None, "web ACL")
    rule_rate = table_rate(priced, ctx, region, "waf_rule_month", None, "WAF rules")
    if acl_rate is not None and rule_rate is not None:
        priced.add(acl_rate + rule_rate * len(rules), f"1 web ACL + {len(rules)} rules")
    for rule in rules:
        group = _managed_group(rule)
        name = group.get("name") or group.get("Name")
        vendor = group.get("vendor_name") or group.get("VendorName")
        if name and (name in PAID_RULE_GROUPS or vendor != "AWS"):
            priced.unpriced(f"the paid rule group {vendor}/{name} (subscription) is not in the price table")
    priced.usage("requests inspected")


def _vpc_endpoint(priced: Priced, body: dict[str, Any], ctx: PricingContext) -> None:
    endpoint_type = body.get("vpc_endpoint_type", "Gateway")  # provider default: Gateway (free)
    if endpoint_type == "Gateway":
        return
    if endpoint_type != "Interface":
        priced.unpriced(f"{endpoint_type} endpoints are not in the price table")
        return
    subnets = body.get("subnet_ids")
    if not isinstance(subnets, list):
        priced.unpriced("subnet_ids is not a literal list, so the number of Availability Zones is unknown")
        return
    what = "interface endpoint hours"
    rate = table_rate(priced, ctx, ctx.region_of(body), "interface_endpoint_az_hour", None, what)
    if rate is not None:
        priced.add(rate * len(subnets) * ctx.hours, f"{len(subnets)} AZ x {ctx.hours} h")
    priced.usage("data processed")


def _ecs_cluster(priced: Priced, body: dict[str, Any], ctx: PricingContext) -> None:
    settings = body.get("setting") or []
    for setting in settings if isinstance(settings, list) else [settings]:
        if setting.get("name") == "containerInsights" and setting.get("value") in ("enabled", "enhanced"):
            priced.usage("Container Insights metrics and logs")


def _event_target(priced: Priced, body: dict[str, Any], ctx: PricingContext) -> None:
    if body.get("ecs_target"):
        priced.usage("scheduled ECS task runs (Fargate time per run)")


RULES: dict[str, Callable[[Priced, dict[str, Any], PricingContext], None]] = {
    "aws_nat_gateway": _nat_gateway,
    "aws_lb": _load_balancer,
    "aws_alb": _load_balancer,
    "aws_db_instance": _db_instance,
    "aws_elasticache_replication_group": _replication_group,
    "aws_elasticache_cluster": _cache_cluster,
    "aws_ecs_service": _ecs_service,
    "aws_kms_key": _flat("kms_key_month", "key"),
    "aws_kms_replica_key": _flat("kms_key_month", "key"),
    "aws_secretsmanager_secret": _secret,
    "aws_cloudwatch_metric_alarm": _alarm,
    "aws_cloudwatch_dashboard": _flat("cloudwatch_dashboard_month", "dashboard"),
    "aws_wafv2_web_acl": _web_acl,
    "aws_vpc_endpoint": _vpc_endpoint,
    "aws_ecs_cluster": _ecs_cluster,
    "aws_cloudwatch_event_target": _event_target,
}


def instances(body: Mapping[str, Any]) -> tuple[Decimal | None, str]:
    """How many objects a resource block makes, and the meta-argument that says so: a literal
    ``count``, the keys of a literal ``for_each`` map, else one; None when it is an expression
    Terraform evaluates when it plans. "The for_each meta-argument accepts a map or a set of
    strings and creates an instance for each item" (Terraform language, "for_each reference",
    https://developer.hashicorp.com/terraform/language/meta-arguments/for_each); ``count`` makes
    that many instances (https://developer.hashicorp.com/terraform/language/meta-arguments/count)."""
    if "count" in body:
        return number(body["count"]), "count"
    if "for_each" in body:
        each = body["for_each"]
        return (Decimal(len(each)) if isinstance(each, dict) else None), "for_each"
    return Decimal(1), ""


def price_resource(resource_type: str, address: str, body: dict[str, Any], ctx: PricingContext) -> Priced:
    """What ``address`` costs: its rule's parts, once per object its ``count``/``for_each`` makes."""
    priced = Priced(address)
    if resource_type in FREE_TYPES:
        return priced
    many, meta = instances(body)
    if many is None:
        priced.unpriced(f"{meta} is not a literal, so the number of objects is unknown")
        return priced
    if many == 0:
        return priced  # count = 0: no object
    rule = RULES.get(resource_type)
    if rule is not None:
        rule(priced, body, ctx)
    elif resource_type in USAGE_BASED:
        priced.usage(USAGE_BASED[resource_type])
    elif resource_type in UNPRICED_TYPES:
        priced.unpriced(f"{UNPRICED_TYPES[resource_type]} are not in the price table")
    else:
        priced.unpriced(f"stackkit has no cost rule for {resource_type}")
    if meta:
        priced.parts = [(usd * many, f"{meta} {plain(many)} x ({text})") for usd, text in priced.parts]
    return priced
