"""What stackkit's own Checkov checks share: the catalog of policies, reading the stack file,
and decoding the attributes cdktf writes as JSON strings.

Checkov imports every ``.py`` file of this folder as a *top-level* module (the folder is put on
``sys.path``), so this module has a name no other package uses, imports nothing from
``stackkit`` (that would start the jsii kernel inside Checkov) and nothing heavy from Checkov:
the runner imports it too, to check that every policy really ran.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

# The runner imports this module from the package, Checkov as a top-level module (see above).
if TYPE_CHECKING or __package__:
    from stackkit.policy.checks.stackkit_policy_hcl import DecodeError as DecodeError
    from stackkit.policy.checks.stackkit_policy_hcl import jsonencoded
else:
    from stackkit_policy_hcl import DecodeError as DecodeError
    from stackkit_policy_hcl import jsonencoded

#: Set by :func:`stackkit.policy.checkov.run_checkov` to the folder Checkov scans, because a
#: resource check only learns the file path relative to it. Without it: the working directory.
ROOT_ENV = "STACKKIT_CHECKOV_ROOT"

REQUIRED_TAGS = ("Project", "Environment", "ManagedBy", "Owner")
PRODUCTION_ENVIRONMENTS = frozenset({"prod", "production"})

DATABASE_TYPES = ("aws_db_instance", "aws_rds_cluster")
#: Resources whose loss loses data or makes data unreadable (a KMS key) or erases evidence.
STATEFUL_TYPES = (
    *DATABASE_TYPES,
    "aws_elasticache_replication_group",
    "aws_kms_key",
    "aws_s3_bucket",
    "aws_cloudwatch_log_group",
    "aws_efs_file_system",
    "aws_dynamodb_table",
)
#: Resources holding an IAM-style policy document as a JSON string, and the attributes.
POLICY_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "aws_iam_role": ("assume_role_policy", "inline_policy.policy"),
    "aws_iam_policy": ("policy",),
    "aws_iam_role_policy": ("policy",),
    "aws_iam_user_policy": ("policy",),
    "aws_iam_group_policy": ("policy",),
    "aws_kms_key": ("policy",),
    "aws_kms_key_policy": ("policy",),
    "aws_s3_bucket_policy": ("policy",),
    "aws_sns_topic_policy": ("policy",),
    "aws_sqs_queue_policy": ("policy",),
    "aws_secretsmanager_secret_policy": ("policy",),
    "aws_ecr_repository_policy": ("policy",),
}


@dataclass(frozen=True)
class Policy:
    id: str
    name: str
    resource_types: tuple[str, ...]


def _taggable_types() -> tuple[str, ...]:
    """Checkov's own list of taggable AWS resource types (a plain data module, cheap to import).
    Empty without Checkov: then nothing can scan anyway (``stackkit diff`` needs no Checkov)."""
    try:
        from checkov.common.checks_infra.resources_types import resources_types
    except ImportError:
        return ()
    return tuple(resources_types["aws_taggable"])


_POLICY_LIST = (
    Policy(
        "CKV_STACKKIT_1",
        "Taggable resources carry Project, Environment, ManagedBy, Owner (own tags or provider default_tags)",
        _taggable_types(),
    ),
    Policy("CKV_STACKKIT_2", "Stateful resources have lifecycle prevent_destroy", STATEFUL_TYPES),
    Policy("CKV_STACKKIT_3", "Databases have deletion protection and take a final snapshot", DATABASE_TYPES),
    Policy("CKV_STACKKIT_4", "Production databases are multi-AZ", ("aws_db_instance",)),
    Policy(
        "CKV_STACKKIT_5",
        "Production cache replication groups have at least 2 nodes and automatic failover",
        ("aws_elasticache_replication_group",),
    ),
    Policy(
        "CKV_STACKKIT_6",
        "Production ECS services run at least 2 tasks (desired count and autoscaling minimum)",
        ("aws_ecs_service", "aws_appautoscaling_target"),
    ),
    Policy(
        "CKV_STACKKIT_7",
        "Production ECS services have a deployment circuit breaker with rollback",
        ("aws_ecs_service",),
    ),
    Policy(
        "CKV_STACKKIT_8",
        "Containers run as a non-root user (container_definitions)",
        ("aws_ecs_task_definition",),
    ),
    Policy(
        "CKV_STACKKIT_9",
        "Containers have a read-only root filesystem (container_definitions)",
        ("aws_ecs_task_definition",),
    ),
    Policy(
        "CKV_STACKKIT_10",
        "Containers have no secret-looking plain environment values (container_definitions)",
        ("aws_ecs_task_definition",),
    ),
    Policy(
        "CKV_STACKKIT_11",
        "Containers are not privileged (container_definitions)",
        ("aws_ecs_task_definition",),
    ),
    Policy(
        "CKV_STACKKIT_12", "IAM, KMS and resource policies allow no '*' principal", tuple(POLICY_ATTRIBUTES)
    ),
    Policy(
        "CKV_STACKKIT_13",
        "IAM, KMS and resource policies allow no '*' action on '*' resource",
        tuple(POLICY_ATTRIBUTES),
    ),
    # Issue 14. A provider check: its "resource type" is the provider name.
    Policy("CKV_STACKKIT_20", "AWS provider blocks name a known region", ("aws",)),
)
POLICIES: dict[str, Policy] = {policy.id: policy for policy in _POLICY_LIST}


# --- Checkov's resource conf ---------------------------------------------------------------


def first(conf: dict[str, Any], key: str, default: Any = None) -> Any:
    """The value of ``key`` in a Checkov conf (Checkov wraps attribute values in lists)."""
    value = conf.get(key, default)
    if isinstance(value, list):
        return value[0] if value else default
    return value


def block(conf: dict[str, Any], key: str) -> dict[str, Any]:
    """A nested block (``lifecycle``, ``deployment_circuit_breaker``) as a dict, or ``{}``."""
    value = first(conf, key, {})
    return value if isinstance(value, dict) else {}


def is_true(value: Any) -> bool:
    value = value[0] if isinstance(value, list) and value else value
    return value is True or (isinstance(value, str) and value.lower() == "true")


def as_number(value: Any) -> float | None:
    value = value[0] if isinstance(value, list) and value else value
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def clean(mapping: dict[str, Any]) -> dict[str, Any]:
    """Drop Checkov's ``__startline__``-style bookkeeping keys."""
    return {key: value for key, value in mapping.items() if not key.startswith("__")}


# --- the stack file -------------------------------------------------------------------------


def stack_file(entity_path: str) -> Path:
    """The scanned file from Checkov's ``entity_path`` (``/prod/cdk.tf.json:type:name``)."""
    relative = entity_path.split(":", 1)[0].lstrip("/")
    return Path(os.environ.get(ROOT_ENV) or os.getcwd()) / relative


@cache
def read_stack(path: Path) -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(path.read_text())
    return parsed


def provider_default_tags(stack: dict[str, Any], provider_ref: str | None) -> dict[str, Any]:
    """``default_tags`` of the AWS provider a resource uses (``aws`` or ``aws.<alias>``)."""
    alias = provider_ref.split(".", 1)[1] if provider_ref and "." in provider_ref else None
    configs = stack.get("provider", {}).get("aws", [])
    for config in configs if isinstance(configs, list) else [configs]:
        if config.get("alias") == alias:
            tags: dict[str, Any] = {}
            for default in config.get("default_tags", []) or []:
                tags.update(default.get("tags", {}) or {})
            return tags
    return {}


def effective_tags(conf: dict[str, Any], entity_path: str) -> dict[str, Any]:
    """Provider default tags merged with the resource's own tags (the resource wins, as in AWS)."""
    stack = read_stack(stack_file(entity_path))
    tags = dict(provider_default_tags(stack, first(conf, "provider")))
    own = first(conf, "tags", {})
    if isinstance(own, dict):
        tags.update(clean(own))
    return tags


def environment(conf: dict[str, Any], entity_path: str) -> str:
    """The resource's ``Environment`` tag, else the stack folder name (``prod``)."""
    value = effective_tags(conf, entity_path).get("Environment")
    if isinstance(value, str) and value and "${" not in value:
        return value
    return Path(entity_path.split(":", 1)[0].lstrip("/")).parts[0]


# --- JSON strings cdktf writes --------------------------------------------------------------


#: A whole value that is one Terraform reference: ``${data.aws_iam_policy_document.x.json}``.
_REFERENCE = re.compile(r"^\$\{[A-Za-z_][\w-]*(\.[\w-]+|\[[^\]]*\])+\}$")


def decode_json_attribute(value: Any) -> Any | None:
    """Decode a JSON-string attribute as cdktf writes it. Returns the document, or ``None`` for a
    bare reference to another resource or data source (checked where it is defined).

    Two forms: plain JSON (``json.dumps`` in Python; tokens appear as ``"${...}"`` strings), and
    ``${jsonencode({...})}`` (``Fn.jsonencode`` with tokens), whose HCL object is parsed here.
    """
    if isinstance(value, dict | list):
        return value
    if not isinstance(value, str):
        raise DecodeError(f"expected a JSON string, got {type(value).__name__}")
    text = value.strip()
    if _REFERENCE.match(text):
        return None
    if text.startswith("${jsonencode(") and text.endswith(")}"):
        return jsonencoded(text)
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise DecodeError(f"not JSON nor jsonencode(...): {error}") from None


# --- IAM-style policy documents -------------------------------------------------------------


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def allow_statements(document: Any) -> list[dict[str, Any]]:
    if not isinstance(document, dict):
        raise DecodeError("a policy document is a JSON object")
    statements = [s for s in as_list(document.get("Statement")) if isinstance(s, dict)]
    return [s for s in statements if s.get("Effect", "Allow") == "Allow"]


def has_star_principal(statement: dict[str, Any]) -> bool:
    principal = statement.get("Principal")
    if principal == "*":
        return True
    if isinstance(principal, dict):
        return any("*" in as_list(value) for value in principal.values())
    return False


def has_star_action_on_star_resource(statement: dict[str, Any]) -> bool:
    return "*" in as_list(statement.get("Action")) and "*" in as_list(statement.get("Resource", "*"))


def policy_documents(conf: dict[str, Any], resource_type: str) -> list[tuple[str, Any]]:
    """``[(attribute, raw JSON string)]`` of one resource (``inline_policy.policy`` included)."""
    found: list[tuple[str, Any]] = []
    for attribute in POLICY_ATTRIBUTES.get(resource_type, ()):
        if "." in attribute:
            outer, inner = attribute.split(".", 1)
            for item in as_list(conf.get(outer)):
                if isinstance(item, dict) and inner in item:
                    found.append((attribute, first(item, inner)))
        elif attribute in conf:
            found.append((attribute, first(conf, attribute)))
    return found


def offending_statements(
    conf: dict[str, Any], resource_type: str, offends: Callable[[dict[str, Any]], bool]
) -> list[tuple[str, str]]:
    """``[(attribute, statement Sid)]`` of the Allow statements for which ``offends`` holds.
    An attribute that is a reference is skipped: its document is checked where it is defined."""
    found: list[tuple[str, str]] = []
    for attribute, raw in policy_documents(conf, resource_type):
        document = decode_json_attribute(raw)
        if document is not None:
            found += [(attribute, s.get("Sid", "?")) for s in allow_statements(document) if offends(s)]
    return found


# --- container definitions ------------------------------------------------------------------

#: Words of environment variable names that hold secrets (``DB_PASSWORD``, ``dbPassword``,
#: ``API_KEY``, ``DATABASE_URL``...); their values belong in ``secrets``. Matched on whole words
#: so ``BYPASS_CACHE`` or ``COMPASS_URL`` do not count.
SECRET_NAME = re.compile(
    r"(^|_)(PASS|PASSWORDS?|PASSWD|SECRETS?|TOKENS?|API_?KEYS?|PRIVATE_?KEYS?|ACCESS_?KEYS?|CREDENTIALS?|DSN"
    r"|(DATABASE|DB|REDIS|MONGO(DB)?)_?URL)(_|$)"
)
#: Values that are secrets whatever the name: credentials in a URL, AWS keys, PEM keys.
SECRET_VALUE = re.compile(r"://[^/\s:@]+:[^/\s@]+@|\bAKIA[0-9A-Z]{16}\b|-----BEGIN [A-Z ]*PRIVATE KEY-----")
ROOT_USERS = frozenset({"root", "0"})


def containers(conf: dict[str, Any]) -> list[dict[str, Any]]:
    """The decoded ``container_definitions`` of a task definition (a JSON array)."""
    decoded = decode_json_attribute(first(conf, "container_definitions"))
    if decoded is None:
        raise DecodeError("container_definitions is a reference; define it in the task definition")
    if not isinstance(decoded, list) or not all(isinstance(item, dict) for item in decoded):
        raise DecodeError("container_definitions is a JSON array of objects")
    return decoded


def secret_looking_name(name: str) -> bool:
    """``dbPassword`` and ``db-password`` read as ``DB_PASSWORD``."""
    words = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).replace("-", "_").upper()
    return SECRET_NAME.search(words) is not None


def container_name(container: dict[str, Any]) -> str:
    return str(container.get("name", "?"))
