"""Every IAM policy document of a synthesized stack, as JSON that an IAM linter can read.

Where a stack keeps policy documents (AWS provider 6.x argument reference, one page per resource
type; every ``policy`` below is "the policy document, a JSON formatted string"):

- identity policies: ``aws_iam_role.inline_policy[].policy``, ``aws_iam_role_policy``,
  ``aws_iam_policy``, ``aws_iam_user_policy``, ``aws_iam_group_policy``;
- trust policies: ``aws_iam_role.assume_role_policy``;
- resource policies: ``aws_sns_topic_policy``, ``aws_sqs_queue_policy``, ``aws_kms_key``,
  ``aws_s3_bucket_policy``, ``aws_secretsmanager_secret_policy``, ``aws_backup_vault_policy``,
  ``aws_ecr_repository_policy``, ``aws_cloudwatch_log_resource_policy`` (``policy_document``), and
  the inline ``policy`` of ``aws_sns_topic``, ``aws_sqs_queue``, ``aws_s3_bucket`` and
  ``aws_secretsmanager_secret``;
- ``data.aws_iam_policy_document``, rendered from its ``statement`` blocks as the provider renders
  its ``json`` attribute (a resource whose policy is ``${data.aws_iam_policy_document.x.json}`` is
  analysed once, at the data source);
- permissions boundaries: an ``aws_iam_policy`` that a role of the stack names as its
  ``permissions_boundary``, or that carries the ``//`` marker :data:`BOUNDARY_KEY`.

Terraform references (``${...}``) are unknown until apply. They are replaced by placeholders that
keep what the linters look at: the ARN of the referenced resource's service and resource type (in
the formats of the Service Authorization Reference), partition ``aws``, account ``111122223333``
and region ``us-east-1`` (the example values of AWS's documentation). A reference whose ARN
cannot be told (``${var.x}``, an unknown resource type) becomes ``*`` in the copy given to
parliament (so it reports no resource mismatch it cannot know about) and a distinct, constrained
ARN in the copy the escalation rules read (so it is not mistaken for ``*``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from stackkit._private.comment_keys import BOUNDARY_KEY
from stackkit.policy.checks.stackkit_policy_hcl import DecodeError, jsonencoded
from stackkit.policy.iam_render import render_policy_document as render_policy_document

#: ``boundary``: a managed policy used as a permissions boundary, a ceiling rather than a grant
#: (IAM User Guide, *Permissions boundaries for IAM entities*: "Permissions boundaries ... do not
#: grant permissions"), so it is linted but not read for escalations.
Kind = Literal["identity", "resource", "trust", "boundary"]

#: Placeholder values: AWS's documentation examples (account 111122223333, region us-east-1).
PARTITION, ACCOUNT, REGION = "aws", "111122223333", "us-east-1"
#: The ARN prefix of a reference whose ARN cannot be told: not ``*``, so never "unconstrained".
UNRESOLVED_ARN = f"arn:{PARTITION}:unresolved:{REGION}:{ACCOUNT}:"

#: ``{type}`` (or ``{type}.{attribute}``) -> the ARN of one such resource named ``{name}``
#: (Service Authorization Reference, "Resource types defined by <service>": the ARN format of each
#: resource type).
ARN_FORMATS: dict[str, str] = {
    "aws_backup_plan": "arn:aws:backup:{region}:{account}:backup-plan:{name}",
    "aws_backup_vault": "arn:aws:backup:{region}:{account}:backup-vault:{name}",
    "aws_cloudwatch_event_bus": "arn:aws:events:{region}:{account}:event-bus/{name}",
    "aws_cloudwatch_event_rule": "arn:aws:events:{region}:{account}:rule/{name}",
    "aws_cloudwatch_log_group": "arn:aws:logs:{region}:{account}:log-group:{name}",
    "aws_cloudwatch_metric_alarm": "arn:aws:cloudwatch:{region}:{account}:alarm:{name}",
    "aws_db_instance": "arn:aws:rds:{region}:{account}:db:{name}",
    "aws_dynamodb_table": "arn:aws:dynamodb:{region}:{account}:table/{name}",
    "aws_ecr_repository": "arn:aws:ecr:{region}:{account}:repository/{name}",
    "aws_ecs_cluster": "arn:aws:ecs:{region}:{account}:cluster/{name}",
    "aws_ecs_service": "arn:aws:ecs:{region}:{account}:service/cluster/{name}",
    "aws_ecs_task_definition": "arn:aws:ecs:{region}:{account}:task-definition/{name}:1",
    "aws_ecs_task_definition.arn_without_revision": "arn:aws:ecs:{region}:{account}:task-definition/{name}",
    "aws_elasticache_replication_group": "arn:aws:elasticache:{region}:{account}:replicationgroup:{name}",
    "aws_elb_service_account": "arn:aws:iam::{account}:root",
    "aws_iam_group": "arn:aws:iam::{account}:group/{name}",
    "aws_iam_openid_connect_provider": "arn:aws:iam::{account}:oidc-provider/{name}.example.com",
    "aws_iam_policy": "arn:aws:iam::{account}:policy/{name}",
    "aws_iam_role": "arn:aws:iam::{account}:role/{name}",
    "aws_iam_user": "arn:aws:iam::{account}:user/{name}",
    "aws_kms_alias": "arn:aws:kms:{region}:{account}:alias/{name}",
    "aws_kms_key": "arn:aws:kms:{region}:{account}:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    "aws_lambda_function": "arn:aws:lambda:{region}:{account}:function:{name}",
    "aws_lb": "arn:aws:elasticloadbalancing:{region}:{account}:loadbalancer/app/{name}/50dc6c495c0c9188",
    "aws_lb_target_group": (
        "arn:aws:elasticloadbalancing:{region}:{account}:targetgroup/{name}/73e2d6bc24d8a067"
    ),
    "aws_rds_cluster": "arn:aws:rds:{region}:{account}:cluster:{name}",
    "aws_s3_bucket": "arn:aws:s3:::{name}",
    "aws_scheduler_schedule": "arn:aws:scheduler:{region}:{account}:schedule/default/{name}",
    "aws_scheduler_schedule_group": "arn:aws:scheduler:{region}:{account}:schedule-group/{name}",
    "aws_secretsmanager_secret": "arn:aws:secretsmanager:{region}:{account}:secret:{name}-AbCdEf",
    "aws_sfn_state_machine": "arn:aws:states:{region}:{account}:stateMachine:{name}",
    "aws_sns_topic": "arn:aws:sns:{region}:{account}:{name}",
    "aws_sqs_queue": "arn:aws:sqs:{region}:{account}:{name}",
    "aws_ssm_parameter": "arn:aws:ssm:{region}:{account}:parameter/{name}",
    "aws_wafv2_web_acl": (
        "arn:aws:wafv2:{region}:{account}:regional/webacl/{name}/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111"
    ),
}
#: ARN-valued attributes whose ARN is not of the resource that has them.
ARN_ATTRIBUTES: dict[str, str] = {
    "secret_arn": "aws_secretsmanager_secret",  # aws_db_instance.master_user_secret[0].secret_arn
    "kms_key_arn": "aws_kms_key",
    "kms_key_id": "aws_kms_key",
    "role_arn": "aws_iam_role",
}
#: Data sources whose attributes are the placeholders themselves.
CONTEXT_VALUES: dict[tuple[str, str], str] = {
    ("aws_partition", "partition"): PARTITION,
    ("aws_partition", "dns_suffix"): "amazonaws.com",
    ("aws_caller_identity", "account_id"): ACCOUNT,
    ("aws_region", "name"): REGION,
    ("aws_region", "region"): REGION,
    ("aws_region", "id"): REGION,
}

#: ``(resource type, attribute, kind)``: where each resource type keeps a policy document.
POLICY_ATTRIBUTES: tuple[tuple[str, str, Kind], ...] = (
    ("aws_iam_role", "assume_role_policy", "trust"),
    ("aws_iam_role_policy", "policy", "identity"),
    ("aws_iam_policy", "policy", "identity"),
    ("aws_iam_user_policy", "policy", "identity"),
    ("aws_iam_group_policy", "policy", "identity"),
    ("aws_sns_topic_policy", "policy", "resource"),
    ("aws_sns_topic", "policy", "resource"),
    ("aws_sqs_queue_policy", "policy", "resource"),
    ("aws_sqs_queue", "policy", "resource"),
    ("aws_kms_key", "policy", "resource"),
    ("aws_s3_bucket_policy", "policy", "resource"),
    ("aws_s3_bucket", "policy", "resource"),
    ("aws_secretsmanager_secret_policy", "policy", "resource"),
    ("aws_secretsmanager_secret", "policy", "resource"),
    ("aws_backup_vault_policy", "policy", "resource"),
    ("aws_ecr_repository_policy", "policy", "resource"),
    ("aws_cloudwatch_log_resource_policy", "policy_document", "resource"),
)
#: The identity-policy resource types, by the argument that names their principal.
PRINCIPAL_ARGUMENTS = {
    "aws_iam_role_policy": ("role", "aws_iam_role"),
    "aws_iam_user_policy": ("user", "aws_iam_user"),
    "aws_iam_group_policy": ("group", "aws_iam_group"),
}
DOCUMENT_DATA_SOURCE = "aws_iam_policy_document"
_DOCUMENT_REFERENCE = re.compile(
    r"^\$\{data\.aws_iam_policy_document\.([A-Za-z0-9_-]+)\.(?:minified_)?json\}$"
)


@dataclass(frozen=True)
class PolicyDocument:
    """One policy document of a stack, with its references replaced.

    ``address``: the resource or data source that holds it (``aws_iam_role.deployer``,
    ``data.aws_iam_policy_document.x``); ``part``: which of its documents (``policy``,
    ``assume_role_policy``, ``inline_policy "name"``, ``statement``); ``document``: for the
    escalation rules (an unknown ARN stays a constrained ARN); ``lint_document``: for parliament
    (an unknown resource ARN is ``*``); ``principals``: the roles, users or groups (addresses) an
    identity document is attached to in this stack."""

    address: str
    part: str
    kind: Kind
    document: dict[str, Any]
    lint_document: dict[str, Any]
    principals: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Unreadable:
    """A policy the gate cannot read (a Terraform expression that is not JSON)."""

    address: str
    part: str
    value: str


@dataclass
class StackDocuments:
    documents: list[PolicyDocument] = field(default_factory=list)
    unreadable: list[Unreadable] = field(default_factory=list)
    #: ``{principal address: its permissions boundary document's address}``, when in the stack.
    boundaries: dict[str, str] = field(default_factory=dict)


def _matching_brace(text: str, start: int) -> int:
    """The index of the ``}`` closing the ``${`` at ``start`` (nested braces counted)."""
    depth = 0
    for index in range(start + 1, len(text)):
        if text[index] == "{":
            depth += 1
        elif text[index] == "}":
            depth -= 1
            if depth == 0:
                return index
    return len(text) - 1


def _name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9-]", "-", text).strip("-") or "x"


def _reference_value(expression: str, *, leading: bool, in_resource: bool, lint: bool) -> str:
    """The placeholder for ``${expression}``; ``leading``: it starts the string (so it gives the
    string its ARN prefix)."""
    parts = re.sub(r"\[\d+\]", "", expression).split(".")
    data = parts[0] == "data"
    if data:
        parts = parts[1:]
    if len(parts) < 3 or not re.fullmatch(r"aws_[a-z0-9_]+", parts[0]):
        return _unresolved(expression, leading=leading, in_resource=in_resource, lint=lint)
    resource_type, name, attribute = parts[0], parts[1], parts[-1]
    if data and (context := CONTEXT_VALUES.get((resource_type, attribute))):
        return context
    arn_type = resource_type if attribute == "arn" else ARN_ATTRIBUTES.get(attribute, "")
    arn_format = ARN_FORMATS.get(f"{resource_type}.{attribute}") or ARN_FORMATS.get(arn_type)
    if arn_format is not None:
        return arn_format.format(region=REGION, account=ACCOUNT, name=_name(name))
    if attribute == "arn" or attribute.endswith("_arn"):
        return _unresolved(expression, leading=leading, in_resource=in_resource, lint=lint)
    if attribute == "url" and resource_type == "aws_sqs_queue":
        return f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{_name(name)}"
    return _name(name)


def _unresolved(expression: str, *, leading: bool, in_resource: bool, lint: bool) -> str:
    if not leading:
        return "unresolved-" + _name(expression)[:40]
    if lint and in_resource:
        return "*"
    return UNRESOLVED_ARN + _name(expression)[:60]


def substitute(text: str, *, in_resource: bool = False, lint: bool = False) -> str:
    """``text`` with every ``${...}`` replaced by its placeholder (see the module docstring)."""
    if "${" not in text:
        return text
    out: list[str] = []
    index = 0
    while (start := text.find("${", index)) != -1:
        end = _matching_brace(text, start)
        out.append(text[index:start])
        value = _reference_value(
            text[start + 2 : end], leading=start == 0, in_resource=in_resource, lint=lint
        )
        if value == "*":  # parliament's copy of a resource element led by an unknown ARN
            return "*"
        out.append(value)
        index = end + 1
    out.append(text[index:])
    return "".join(out)


def _substituted(value: Any, *, lint: bool, in_resource: bool = False) -> Any:
    if isinstance(value, str):
        return substitute(value, in_resource=in_resource, lint=lint)
    if isinstance(value, list):
        return [_substituted(item, lint=lint, in_resource=in_resource) for item in value]
    if isinstance(value, dict):
        return {
            substitute(key): _substituted(
                item, lint=lint, in_resource=in_resource or key in ("Resource", "NotResource")
            )
            for key, item in value.items()
        }
    return value


def _resources(stack: dict[str, Any], block: str = "resource") -> Iterator[tuple[str, str, dict[str, Any]]]:
    by_type = stack.get(block) or {}
    if not isinstance(by_type, dict):
        return
    for resource_type, by_name in by_type.items():
        if isinstance(by_name, dict):
            for name, body in by_name.items():
                if isinstance(body, dict):
                    yield resource_type, name, body


def _reference_to(value: Any, resource_type: str) -> str | None:
    """The name of the ``resource_type`` that ``value`` (``${aws_iam_role.x.name}``) refers to."""
    if isinstance(value, str):
        found = re.fullmatch(r"\$\{" + resource_type + r"\.([A-Za-z0-9_-]+)\.(?:name|id|arn)\}", value)
        if found:
            return found.group(1)
    return None


def _principals(stack: dict[str, Any]) -> dict[str, set[str]]:
    """``{identity policy address: the principal addresses it is attached to}``."""
    attached: dict[str, set[str]] = {}
    names = {
        (resource_type, str(body.get("name"))): f"{resource_type}.{name}"
        for resource_type, name, body in _resources(stack)
        if resource_type in ("aws_iam_role", "aws_iam_user", "aws_iam_group") and "name" in body
    }
    for resource_type, name, body in _resources(stack):
        if resource_type in PRINCIPAL_ARGUMENTS:
            argument, principal_type = PRINCIPAL_ARGUMENTS[resource_type]
            value = body.get(argument)
            target = _reference_to(value, principal_type)
            principal = f"{principal_type}.{target}" if target else names.get((principal_type, str(value)))
            if principal:
                attached.setdefault(f"{resource_type}.{name}", set()).add(principal)
        if resource_type == "aws_iam_role":  # its exclusive list of managed policies
            for arn in body.get("managed_policy_arns") or []:
                if policy := _reference_to(arn, "aws_iam_policy"):
                    attached.setdefault(f"aws_iam_policy.{policy}", set()).add(f"{resource_type}.{name}")
        if resource_type.endswith("_policy_attachment"):
            policy = _reference_to(body.get("policy_arn"), "aws_iam_policy")
            for argument, principal_type in (
                ("role", "aws_iam_role"),
                ("user", "aws_iam_user"),
                ("group", "aws_iam_group"),
            ):
                target = _reference_to(body.get(argument), principal_type)
                principal = (
                    f"{principal_type}.{target}"
                    if target
                    else names.get((principal_type, str(body.get(argument))))
                )
                if policy and principal:
                    attached.setdefault(f"aws_iam_policy.{policy}", set()).add(principal)
    return attached


def _parse(value: Any) -> dict[str, Any] | None:
    """A policy attribute's JSON (or the value of ``Fn.jsonencode`` of a literal, read strictly:
    a ``for``, a conditional or an operator leaves the policy unreadable), or None when it is
    another Terraform expression."""
    if isinstance(value, dict):
        return value
    if not isinstance(value, str):
        return None
    try:
        parsed = json.loads(value)
    except json.JSONDecodeError:
        try:
            parsed = jsonencoded(value, strict=True)
        except DecodeError:
            return None
    return parsed if isinstance(parsed, dict) else None


def stack_documents(stack: dict[str, Any]) -> StackDocuments:
    """Every policy document of one synthesized stack (``cdk.tf.json``, parsed)."""
    found = StackDocuments()
    attached = _principals(stack)
    data_principals: dict[str, set[str]] = {}
    readable: list[tuple[str, str, Kind, dict[str, Any], frozenset[str]]] = []

    def add(address: str, part: str, kind: Kind, value: Any, principals: set[str]) -> None:
        if isinstance(value, str) and (reference := _DOCUMENT_REFERENCE.match(value)):
            data_principals.setdefault(f"data.{DOCUMENT_DATA_SOURCE}.{reference.group(1)}", set()).update(
                principals
            )
            return
        parsed = _parse(value)
        if parsed is None:
            found.unreadable.append(Unreadable(address, part, str(value)))
            return
        readable.append((address, part, kind, parsed, frozenset(principals)))

    for resource_type, name, body in _resources(stack):
        address = f"{resource_type}.{name}"
        if resource_type == "aws_iam_role":
            for inline in body.get("inline_policy") or []:
                if isinstance(inline, dict) and inline.get("policy") is not None:
                    add(
                        address,
                        f'inline_policy "{inline.get("name", "")}"',
                        "identity",
                        inline["policy"],
                        {address},
                    )
            boundary = _reference_to(body.get("permissions_boundary"), "aws_iam_policy")
            if boundary:
                found.boundaries[address] = f"aws_iam_policy.{boundary}"
        for policy_type, attribute, kind in POLICY_ATTRIBUTES:
            if resource_type == policy_type and body.get(attribute) is not None:
                add(address, attribute, kind, body[attribute], attached.get(address, set()))
    for resource_type, name, body in _resources(stack, "data"):
        if resource_type == DOCUMENT_DATA_SOURCE:
            address = f"data.{resource_type}.{name}"
            document = render_policy_document(body)
            listed = document["Statement"]
            principal_given = any("Principal" in s or "NotPrincipal" in s for s in listed)
            data_kind: Kind = "identity" if not principal_given else "resource"
            if principal_given and all(_is_trust(s) for s in listed):
                data_kind = "trust"
            readable.append(
                (address, "statement", data_kind, document, frozenset(data_principals.get(address, set())))
            )
    ceilings = set(found.boundaries.values()) | {
        f"{resource_type}.{name}"
        for resource_type, name, body in _resources(stack)
        if resource_type == "aws_iam_policy" and BOUNDARY_KEY in (body.get("//") or {})
    }
    for address, part, kind, parsed, principals in readable:
        found.documents.append(
            PolicyDocument(
                address=address,
                part=part,
                # A boundary attached to a principal as a policy grants as well: read as a grant.
                kind="boundary" if address in ceilings and kind == "identity" and not principals else kind,
                document=_substituted(parsed, lint=False),
                lint_document=_substituted(parsed, lint=True),
                principals=principals,
            )
        )
    return found


def document_referrers(stack: dict[str, Any]) -> dict[str, set[str]]:
    """``{data.aws_iam_policy_document address: the resources whose policy is its json}``."""
    found: dict[str, set[str]] = {}
    for resource_type, name, body in _resources(stack):
        values = [
            body.get(attribute)
            for policy_type, attribute, _kind in POLICY_ATTRIBUTES
            if policy_type == resource_type
        ]
        if resource_type == "aws_iam_role":
            values += [i.get("policy") for i in body.get("inline_policy") or [] if isinstance(i, dict)]
        for value in values:
            if isinstance(value, str) and (reference := _DOCUMENT_REFERENCE.match(value)):
                found.setdefault(f"data.{DOCUMENT_DATA_SOURCE}.{reference.group(1)}", set()).add(
                    f"{resource_type}.{name}"
                )
    return found


def _is_trust(statement: dict[str, Any]) -> bool:
    actions = statement.get("Action")
    listed = actions if isinstance(actions, list) else [actions]
    return bool(listed) and all(isinstance(a, str) and a.lower().startswith("sts:") for a in listed)


def statements(document: dict[str, Any]) -> list[dict[str, Any]]:
    """The statements of a policy document (a single statement object counts as a list of one)."""
    listed = document.get("Statement", [])
    return [s for s in (listed if isinstance(listed, list) else [listed]) if isinstance(s, dict)]


def as_list(value: Any) -> list[str]:
    """An IAM policy element that may be a string or a list of strings, as a list."""
    if value is None:
        return []
    return [str(item) for item in (value if isinstance(value, list) else [value])]
