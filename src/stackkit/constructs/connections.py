"""Connections: who may talk to a construct, on which port, without hand-written SG rules.

Modelled on AWS CDK's ``ec2.Connections``. A Database, Cache or Service owns one; callers
write ``database.connections.allow_default_port_from(service)``. Each grant creates exactly
one ingress rule on the target's security group (source: the peer's security group) and,
so the peer's egress stays least-privilege, one egress rule on the peer's security group.
"""

from __future__ import annotations

import functools
from typing import Protocol

from stackkit._private.boundary import require_like
from stackkit._private.cdk import (
    Construct,
    SecurityGroup,
    TerraformResource,
    VpcSecurityGroupEgressRule,
    VpcSecurityGroupIngressRule,
)
from stackkit._private.terraform import logical_id, pin_address


def _rule_id(owner: Construct, direction: str, verb: str, other: Connections, port: int) -> str:
    """``<direction>-<verb>_<other's id>_<port>`` (``ingress-from_service_5432``); when another
    peer with the same id in a different parent took that (two ``service`` constructs sharing
    one database), ``other``'s whole path, so the common case keeps its short, stable id."""
    short = f"{direction}-{logical_id(verb, other._scope_id, str(port))}"
    if owner.node.try_find_child(short) is None:
        return short
    return f"{direction}-{logical_id(verb, *other._scope_path.split('/'), str(port))}"


class HasConnections(Protocol):
    """Anything that owns a :class:`Connections` (Database, Cache, Service...)."""

    @property
    def connections(self) -> Connections: ...


class Connections:
    """A security group, the port its owner listens on, and grants between owners."""

    def __init__(
        self,
        scope: Construct,
        security_group: SecurityGroup,
        default_port: int | None,
        name: str | None = None,
    ) -> None:
        self._scope = scope
        #: Names the rules' Terraform addresses when both sides have one (else: the tree path).
        self.name = name
        self.security_group = security_group
        self.security_group_id: str = security_group.id
        self.default_port = default_port
        self._grants: set[tuple[str, int]] = set()

    @classmethod
    def with_new_security_group(
        cls,
        scope: Construct,
        *,
        name: str,
        vpc_id: str,
        description: str,
        default_port: int | None,
    ) -> Connections:
        """A security group with no rules at all, owned by ``scope``."""
        group = SecurityGroup(
            scope,
            "security-group",
            name_prefix=f"{name}-",
            description=description,
            vpc_id=vpc_id,
            tags={"Name": name},
            revoke_rules_on_delete=True,
            lifecycle={"create_before_destroy": True},
        )
        pin_address(group, name, "sg")
        return cls(scope, group, default_port, name)

    @property
    def connections(self) -> Connections:
        return self

    @functools.cached_property
    def _scope_id(self) -> str:
        """The owner's construct id (read from the jsii kernel once)."""
        return self._scope.node.id

    @functools.cached_property
    def _scope_path(self) -> str:
        """The owner's construct path (read from the jsii kernel once)."""
        return self._scope.node.path

    def allow_default_port_from(
        self, peer: HasConnections, description: str | None = None
    ) -> list[TerraformResource]:
        """Let ``peer`` reach this owner's default port. Returns the two rules (to depend on)."""
        if self.default_port is None:
            raise ValueError("this owner has no default port; use allow_from(peer, port)")
        return self.allow_from(peer, self.default_port, description)

    def allow_from(
        self, peer: HasConnections, port: int, description: str | None = None
    ) -> list[TerraformResource]:
        """Let ``peer`` reach ``port`` (TCP) on this owner: one ingress + one peer egress rule
        (returned, so a run that needs the path can depend on them)."""
        if not 1 <= port <= 65535:
            raise ValueError(f"port {port} is outside 1..65535")
        require_like(peer, "peer", HasConnections, kind="Service, Database, Cache")
        source = peer.connections
        if not isinstance(source, Connections):
            raise TypeError(
                f"peer: its connections must be stackkit Connections, got {type(source).__name__}"
            )
        grant = (source._scope_path, port)
        if grant in self._grants:
            raise ValueError(f"{source._scope_path} may already reach {self._scope_path} on {port}")
        self._grants.add(grant)
        text = description or f"from {source._scope_id} to {self._scope_id} on tcp/{port}"
        ingress = VpcSecurityGroupIngressRule(
            self._scope,
            _rule_id(self._scope, "ingress", "from", source, port),
            security_group_id=self.security_group_id,
            referenced_security_group_id=source.security_group_id,
            ip_protocol="tcp",
            from_port=port,
            to_port=port,
            description=text,
        )
        egress = VpcSecurityGroupEgressRule(
            source._scope,
            _rule_id(source._scope, "egress", "to", self, port),
            security_group_id=source.security_group_id,
            referenced_security_group_id=self.security_group_id,
            ip_protocol="tcp",
            from_port=port,
            to_port=port,
            description=text,
        )
        if self.name and source.name:  # addresses from names survive moves in the construct tree
            pin_address(ingress, self.name, "from", source.name, str(port))
            pin_address(egress, source.name, "to", self.name, str(port))
        return [ingress, egress]
