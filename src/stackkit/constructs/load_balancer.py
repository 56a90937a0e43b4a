"""LoadBalancer: one Application Load Balancer that one or several services attach to.

HTTPS listener (TLS 1.3 policy) with a certificate (given, or requested with DNS validation),
HTTP -> HTTPS redirect, invalid headers dropped, access logs to S3, a WAF web ACL. Services
attach with :meth:`LoadBalancer.add_target`: one target group each and, behind a shared load
balancer, one listener rule each (host and/or path conditions, unique priority). The listener's
default action answers a fixed 404, so a request that matches no rule never reaches a service by
accident; only a target added with ``default=True`` becomes the default (what the single-service
:class:`~stackkit.Service` does).
"""

from __future__ import annotations

from typing import Self

from pydantic import Field, model_validator

from stackkit._private.arns import certificate_region_problem
from stackkit._private.cdk import (
    Construct,
    Lb,
    LbListener,
    LbListenerDefaultAction,
    LbListenerRule,
    LbListenerRuleAction,
    LbListenerRuleCondition,
    LbTargetGroup,
    TerraformResource,
    VpcSecurityGroupIngressRule,
)
from stackkit._private.load_balancer_parts import access_log_bucket, certificate, web_acl
from stackkit._private.logs import DEFAULT_LOG_RETENTION_DAYS
from stackkit._private.model import FrozenModel
from stackkit._private.rules import LogRetentionDays
from stackkit._private.service_defaults import (
    DEFAULT_ACCESS_LOG_DAYS,
    DEFAULT_RATE_LIMIT_PER_IP,
    DEFAULT_RATE_LIMIT_WINDOW_SECONDS,
    DEFAULT_READINESS_INTERVAL,
    DEFAULT_READINESS_PATH,
    DEFAULT_SSL_POLICY,
    DEFAULT_WAF_RULE_GROUPS,
    MIN_RATE_LIMIT,
    SERVICE_NAME_PATTERN,
    AcmArn,
    DomainName,
    DomainNames,
    RateLimitWindow,
    UrlPath,
    WafRuleGroups,
    check_certificate_choice,
    check_url_path,
)
from stackkit._private.skips import (
    ALB_HTTP_REDIRECT,
    ALB_NO_DELETION_PROTECTION,
    TARGET_GROUP_BEHIND_RULE,
    record_skip,
)
from stackkit._private.terraform import pin_address, region_of
from stackkit.constructs.connections import Connections
from stackkit.constructs.encryption_key import EncryptionKey, EncryptionKeyProps
from stackkit.constructs.network import NetworkLike
from stackkit.constructs.protocols import require_workload_inputs
from stackkit.errors import ValidationError

#: A listener rule's priority: "Valid Range: Minimum value of 1. Maximum value of 50000."
#: (Elastic Load Balancing API reference, RulePriorityPair).
RULE_PRIORITY_RANGE = (1, 50000)
#: "You can specify up to three comparison strings per condition and up to five per rule."
#: (ELB user guide, "Listener rules for your Application Load Balancer").
MAX_VALUES_PER_CONDITION = 3
MAX_VALUES_PER_RULE = 5


#: The provider's limit on ``aws_lb_target_group.name_prefix`` (see LoadBalancerTarget).
TARGET_GROUP_NAME_PREFIX_LENGTH = 6


def target_group_name_prefix(name: str) -> str:
    """At most 6 characters: the service name's first letters and a hyphen (``stackk-``... is
    7, so ``stack-``); Terraform appends a unique suffix. The ``Name`` tag keeps the full name."""
    return f"{name[: TARGET_GROUP_NAME_PREFIX_LENGTH - 1].rstrip('-')}-"


class LoadBalancerProps(FrozenModel):
    """Props of :class:`LoadBalancer`."""

    name: str = Field(pattern=SERVICE_NAME_PATTERN)
    """Required. The load balancer is ``<name>-alb``: 3-28 characters, because an ALB name has
    at most 32 (ELB API reference, CreateLoadBalancer: "can have a maximum of 32 characters")."""
    internal: bool = False
    """Default off: internet-facing in the public subnets, 443 and 80 open to the internet. On:
    internal, in the private subnets, reachable only from peers granted through
    ``connections.allow_default_port_from(peer)``."""
    production: bool = False
    """Default off. On: deletion protection cannot be turned off."""
    certificate_arn: AcmArn = None
    """Default: none. An existing ACM certificate (in the load balancer's region). Either this or
    ``domain_name`` with ``hosted_zone_id``."""
    domain_name: DomainName = None
    """Default: none. Request a DNS-validated certificate for this name and point it at the load balancer."""
    subject_alternative_names: DomainNames = ()
    """Default: none. More names on the requested certificate (the hosts of listener rules)."""
    hosted_zone_id: str | None = Field(default=None, pattern=r"^Z[A-Z0-9]{1,31}$")
    """Default: none. Route 53 hosted zone of ``domain_name``."""
    ssl_policy: str = Field(default=DEFAULT_SSL_POLICY, pattern=r"^ELBSecurityPolicy-TLS13-")
    """Default ``ELBSecurityPolicy-TLS13-1-2-2021-06``; only TLS 1.3 policies are accepted."""
    deletion_protection: bool | None = None
    """Default: on in production, off elsewhere."""
    waf_rule_groups: WafRuleGroups = DEFAULT_WAF_RULE_GROUPS
    """Default: Common, KnownBadInputs, AmazonIpReputation, AnonymousIp. Must include
    AWSManagedRulesKnownBadInputsRuleSet."""
    rate_limit_per_ip: int = Field(default=DEFAULT_RATE_LIMIT_PER_IP, ge=MIN_RATE_LIMIT, le=2_000_000_000)
    """Default 2000 requests per client IP per ``rate_limit_window_seconds`` (5 minutes): above
    it the WAF blocks that IP until its rate drops (a flood, a password-guessing run). At
    least 10 (WAF's lowest limit)."""
    rate_limit_window_seconds: RateLimitWindow = DEFAULT_RATE_LIMIT_WINDOW_SECONDS
    """Default 300 s (WAF's default): the window the limit counts over; 60, 120, 300 or 600."""
    rate_limit_count_only: bool = False
    """Default off (block). On: the rate-based rule only counts (metric
    ``<name>-rate-limit-per-ip`` and the WAF logs), to measure real traffic before blocking."""
    log_retention_days: LogRetentionDays = DEFAULT_LOG_RETENTION_DAYS
    """WAF log retention. Default 365 days (CKV_AWS_338)."""
    access_log_days: int = Field(default=DEFAULT_ACCESS_LOG_DAYS, ge=1)
    """Days access logs stay in S3. Default 365."""

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        check_certificate_choice(self.certificate_arn, self.domain_name, self.hosted_zone_id)
        if self.subject_alternative_names and self.domain_name is None:
            raise ValueError("subject_alternative_names: only with a requested certificate (domain_name)")
        if self.production and self.deletion_protection is False:
            raise ValueError("deletion_protection: production keeps load balancer deletion protection")
        return self


class ListenerRuleProps(FrozenModel):
    """Which requests reach a target: host and/or path conditions at a priority."""

    priority: int = Field(ge=RULE_PRIORITY_RANGE[0], le=RULE_PRIORITY_RANGE[1])
    """Required, 1..50000 (lowest evaluated first), unique per load balancer."""
    hosts: tuple[str, ...] = ()
    """Host headers (``api.example.com``, ``*.example.com``). Default: none (any host)."""
    paths: tuple[str, ...] = ()
    """Path patterns (``/api/*``). Default: none (any path). At least one host or path."""

    @model_validator(mode="after")
    def _conditions(self) -> Self:
        if not self.hosts and not self.paths:
            raise ValueError("hosts: a listener rule needs at least one host or path condition")
        if max(len(self.hosts), len(self.paths)) > MAX_VALUES_PER_CONDITION:
            raise ValueError(f"hosts: at most {MAX_VALUES_PER_CONDITION} values per condition (ALB quota)")
        if len(self.hosts) + len(self.paths) > MAX_VALUES_PER_RULE:
            raise ValueError(f"hosts: at most {MAX_VALUES_PER_RULE} hosts and paths per rule (ALB quota)")
        for path in self.paths:
            check_url_path(path)
        return self


class LoadBalancerTargetProps(FrozenModel):
    """A service's target group on a :class:`LoadBalancer`, and how requests reach it."""

    name: str = Field(pattern=SERVICE_NAME_PATTERN)
    """Required. The service's name: the target group is named ``<first 5 letters>-<unique
    suffix>`` (a name prefix, so it can be replaced) and tagged ``Name=<name>-tg``."""
    port: int = Field(ge=1, le=65535)
    """Required. The container port the load balancer sends to."""
    readiness_path: UrlPath = DEFAULT_READINESS_PATH
    """Default ``/ready`` (the Kubernetes readinessProbe): the target group's health check."""
    readiness_interval: int = Field(default=DEFAULT_READINESS_INTERVAL, ge=5, le=300)
    """Default 5 s (the readinessProbe's ``periodSeconds``; ALB's minimum)."""
    rule: ListenerRuleProps | None = None
    """Default: none, then ``default`` must be on. The listener rule routing to this target."""
    default: bool = False
    """Default off. On: this target is the listener's default action (every request no rule
    matches); at most one per load balancer, and only without a ``rule``."""

    @model_validator(mode="after")
    def _rule_or_default(self) -> Self:
        if (self.rule is None) != self.default:
            raise ValueError("rule: give a listener rule, or default=True for the one default target")
        return self


class LoadBalancerTarget(Construct):
    """A target group on a load balancer (and its listener rule). Attributes: ``target_group``,
    ``target_group_arn``, ``target_group_arn_suffix``, ``port``, ``readiness_path``,
    ``load_balancer``, ``listener_rule`` (None for the default target), ``depends_on``."""

    def __init__(
        self, scope: Construct, id_: str, props: LoadBalancerTargetProps, *, load_balancer: LoadBalancer
    ) -> None:
        super().__init__(scope, id_)
        name = props.name
        self.load_balancer = load_balancer
        self.port = props.port
        self.readiness_path = props.readiness_path
        # A name prefix and create-before-destroy: a change that replaces the target group
        # (port, protocol, target type, VPC) creates the new one first, moves the listener
        # (rule) and the ECS service to it, then deletes the old one. With a fixed name the new
        # group could not exist next to the old one, and the old one cannot be deleted while
        # the listener uses it ("ResourceInUse"). The ECS service follows in place: UpdateService
        # changes load balancers since 2022, and the provider no longer replaces the service
        # for it (terraform-provider-aws #23596). ``name_prefix`` "Cannot be longer than 6
        # characters" (AWS provider 6.x, aws_lb_target_group argument reference,
        # https://registry.terraform.io/providers/hashicorp/aws/6.25.0/docs/resources/lb_target_group).
        self.target_group = LbTargetGroup(
            self,
            "target-group",
            name_prefix=target_group_name_prefix(name),
            port=props.port,
            protocol="HTTP",
            target_type="ip",
            vpc_id=load_balancer.vpc_id,
            deregistration_delay="30",
            health_check={
                "enabled": True,
                "path": props.readiness_path,
                "port": "traffic-port",
                "protocol": "HTTP",
                "matcher": "200",
                "interval": props.readiness_interval,
                "timeout": max(2, min(props.readiness_interval - 1, 5)),
                "healthy_threshold": 2,
                "unhealthy_threshold": 3,
            },
            tags={"Name": f"{name}-tg"},
            lifecycle={"create_before_destroy": True},
        )
        pin_address(self.target_group, name, "target_group")
        self.target_group_arn: str = self.target_group.arn
        self.target_group_arn_suffix: str = self.target_group.arn_suffix
        self.listener_rule: LbListenerRule | None = None
        #: What an ECS service using this target must wait for (the target group is attached).
        self.depends_on: list[TerraformResource] = [load_balancer.https_listener]
        if props.rule is not None:
            conditions: list[LbListenerRuleCondition] = []
            if props.rule.hosts:
                conditions.append(LbListenerRuleCondition(host_header={"values": list(props.rule.hosts)}))
            if props.rule.paths:
                conditions.append(LbListenerRuleCondition(path_pattern={"values": list(props.rule.paths)}))
            self.listener_rule = LbListenerRule(
                self,
                "listener-rule",
                listener_arn=load_balancer.https_listener.arn,
                priority=props.rule.priority,
                action=[LbListenerRuleAction(type="forward", target_group_arn=self.target_group.arn)],
                condition=conditions,
            )
            pin_address(self.listener_rule, name, "listener_rule")
            # CKV_AWS_378 passes an HTTP target group only when it is connected straight to a
            # non-HTTP listener; through a listener rule it is connected to the rule only.
            record_skip(self.target_group, TARGET_GROUP_BEHIND_RULE)
            self.depends_on = [self.listener_rule]


class LoadBalancer(Construct):
    """An Application Load Balancer ``<name>-alb``: HTTPS listener whose default action is a
    fixed 404, HTTP -> HTTPS redirect, access-log bucket, WAF web ACL, its own security group.

    ``kms_key_arn`` encrypts the WAF log group; default: a key of its own (``<name>-alb``).

    Attributes: ``load_balancer``, ``arn``, ``arn_suffix``, ``dns_name``, ``zone_id``,
    ``https_listener``, ``connections``, ``security_group_id``, ``vpc_id``, ``web_acl``,
    ``access_log_bucket``, ``targets`` (name -> :class:`LoadBalancerTarget`).
    """

    def __init__(
        self,
        scope: Construct,
        id_: str,
        props: LoadBalancerProps,
        *,
        network: NetworkLike,
        kms_key_arn: str | None = None,
    ) -> None:
        require_workload_inputs(network=network)
        # ALB certificates are regional: an ACM certificate must be in the load balancer's region
        # (Elastic Load Balancing User Guide, "SSL certificates for your Application Load
        # Balancer"). Checked when the stack's region is a literal; skipped for a token.
        in_region = certificate_region_problem(props.certificate_arn, region_of(scope))
        if in_region:
            raise ValidationError("LoadBalancerProps", [("certificate_arn", in_region)])
        super().__init__(scope, id_)
        self.props = props
        name = props.name
        self.vpc_id: str = network.vpc_id
        self.targets: dict[str, LoadBalancerTarget] = {}
        self._priorities: dict[int, str] = {}
        if kms_key_arn is None:
            kms_key_arn = EncryptionKey(
                self,
                "key",
                EncryptionKeyProps(
                    name=f"{name}-alb", description=f"{name}: WAF logs", allow_cloudwatch_logs=True
                ),
            ).arn
        side = Construct(self, "alb")  # the security group's scope (kept from the first Service)
        self.connections = Connections.with_new_security_group(
            side,
            name=f"{name}-alb",
            vpc_id=network.vpc_id,
            description=(
                f"{name} load balancer: HTTPS from granted peers"
                if props.internal
                else f"{name} load balancer: HTTPS from the internet"
            ),
            default_port=443,
        )
        self.security_group_id: str = self.connections.security_group_id
        bucket, bucket_policy = access_log_bucket(self, name, props.access_log_days)
        self.access_log_bucket = bucket
        deletion_protection = (
            props.deletion_protection if props.deletion_protection is not None else props.production
        )
        self.load_balancer = Lb(
            self,
            "load-balancer",
            name=f"{name}-alb",
            internal=props.internal,
            load_balancer_type="application",
            security_groups=[self.security_group_id],
            subnets=list(network.private_subnet_ids if props.internal else network.public_subnet_ids),
            drop_invalid_header_fields=True,
            enable_deletion_protection=deletion_protection,
            access_logs={"bucket": bucket.id, "enabled": True, "prefix": name},
            depends_on=[bucket_policy],
        )
        pin_address(self.load_balancer, name, "alb")
        if not deletion_protection:
            record_skip(self.load_balancer, ALB_NO_DELETION_PROTECTION)
        self.arn: str = self.load_balancer.arn
        self.arn_suffix: str = self.load_balancer.arn_suffix
        self.dns_name: str = self.load_balancer.dns_name
        self.zone_id: str = self.load_balancer.zone_id
        self.https_listener = LbListener(
            self,
            "https-listener",
            load_balancer_arn=self.load_balancer.arn,
            port=443,
            protocol="HTTPS",
            ssl_policy=props.ssl_policy,
            certificate_arn=certificate(self, name, props, self.load_balancer),
            default_action=[
                LbListenerDefaultAction(
                    type="fixed-response",
                    fixed_response={
                        "content_type": "text/plain",
                        "message_body": "Not Found",
                        "status_code": "404",
                    },
                )
            ],
        )
        pin_address(self.https_listener, name, "https_listener")
        http_listener = LbListener(
            self,
            "http-listener",
            load_balancer_arn=self.load_balancer.arn,
            port=80,
            protocol="HTTP",
            default_action=[
                LbListenerDefaultAction(
                    type="redirect",
                    redirect={"port": "443", "protocol": "HTTPS", "status_code": "HTTP_301"},
                )
            ],
        )
        pin_address(http_listener, name, "http_listener")
        self.web_acl = web_acl(
            self,
            name,
            load_balancer_arn=self.load_balancer.arn,
            rule_groups=props.waf_rule_groups,
            kms_key_arn=kms_key_arn,
            log_retention_days=props.log_retention_days,
            rate_limit_per_ip=props.rate_limit_per_ip,
            rate_limit_window_seconds=props.rate_limit_window_seconds,
            rate_limit_count_only=props.rate_limit_count_only,
        )
        if not props.internal:
            for port, why in (
                (443, "HTTPS from the internet"),
                (80, "HTTP from the internet, redirected to HTTPS"),
            ):
                rule = VpcSecurityGroupIngressRule(
                    side,
                    f"ingress-internet-{port}",
                    security_group_id=self.security_group_id,
                    cidr_ipv4="0.0.0.0/0",
                    ip_protocol="tcp",
                    from_port=port,
                    to_port=port,
                    description=f"{name}: {why}",
                )
                pin_address(rule, name, "alb", "from_internet", str(port))
                if port == 80:
                    record_skip(rule, ALB_HTTP_REDIRECT)

    def add_target(self, scope: Construct, props: LoadBalancerTargetProps) -> LoadBalancerTarget:
        """A target group for one service (created in ``scope``) and its listener rule, or the
        listener's default action when ``props.default``. Raises :class:`ValidationError` on a
        second target of the same name, a priority already taken, or a second default."""
        problems: list[tuple[str, str]] = []
        if props.name in self.targets:
            problems.append(("name", f"{props.name!r} already has a target on {self.props.name}-alb"))
        if props.rule is not None and props.rule.priority in self._priorities:
            taken = self._priorities[props.rule.priority]
            problems.append(
                (
                    "rule.priority",
                    f"{props.rule.priority} is already {taken!r}'s; priorities are unique per listener",
                )
            )
        if props.default and "(default)" in self._priorities.values():
            problems.append(
                ("default", "the listener already forwards to a default target; give this one a rule")
            )
        if problems:
            raise ValidationError("LoadBalancerTargetProps", problems)
        target = LoadBalancerTarget(scope, f"target-{props.name}", props, load_balancer=self)
        self.targets[props.name] = target
        if props.rule is not None:
            self._priorities[props.rule.priority] = props.name
        else:
            self._priorities[0] = "(default)"
            self.https_listener.put_default_action(
                [LbListenerDefaultAction(type="forward", target_group_arn=target.target_group.arn)]
            )
        return target


__all__ = [
    "ListenerRuleProps",
    "LoadBalancer",
    "LoadBalancerProps",
    "LoadBalancerTarget",
    "LoadBalancerTargetProps",
]
