"""A team's own secrets for a container (``secrets={"STRIPE_API_KEY": "<ARN>"}``): what a
reference may look like, where it must live, and exactly what the task execution role is granted
to read it.

ECS injects each one at task start as an environment variable (the container definition's
``secrets``: ``name`` and ``valueFrom``), read with the task *execution* role (ECS developer
guide, "Pass sensitive data to an Amazon ECS container",
https://docs.aws.amazon.com/AmazonECS/latest/developerguide/specifying-sensitive-data.html).

- A Secrets Manager secret is referenced by its ARN, optionally followed by ECS's suffix
  ``:json-key:version-stage:version-id``: "These parameters are optional, but if you do not use
  them, you must include the colons", and a version stage and a version id exclude each other
  (ECS developer guide, "Pass Secrets Manager secrets through Amazon ECS environment variables",
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html).
  The ARN is the complete one: "Secrets Manager constructs the last part of the secret ARN by
  appending a dash and six random alphanumeric characters at the end of the secret name"
  (Secrets Manager user guide, "Permissions reference for Secrets Manager",
  https://docs.aws.amazon.com/secretsmanager/latest/userguide/reference_iam-permissions.html);
  a partial ARN (the name alone) would not match that grant.
- An SSM parameter is referenced by its full ARN ``arn:<partition>:ssm:<region>:<account>:
  parameter/<name>`` (ECS developer guide, "Pass Systems Manager parameters through Amazon ECS
  environment variables").

What the execution role needs ("Amazon ECS task execution IAM role", section "Required IAM
permissions for Amazon ECS secrets",
https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html):
``secretsmanager:GetSecretValue`` for a secret, ``ssm:GetParameters`` for a parameter, and
``kms:Decrypt`` "only if your secret uses a custom KMS key and not the default key. The ARN for
your custom key should be added as a resource". So the grant names the secret's own ARN (the
suffix selects a key or a version *inside* that secret, it is not part of the resource), the
parameter's ARN, and the team's customer-managed keys, never ``*``. Decrypt is further limited
with ``kms:ViaService`` to this region's Secrets Manager / SSM (KMS developer guide, "AWS KMS
condition keys", kms:ViaService), so the role cannot decrypt with those keys directly.

Where: the secret must be in the stack's region and partition (when the region is known at
synth time). ECS could read a secret of another region, but the task's start would then depend
on that region, and the decrypt grant is limited to this region's services; partitions never
mix ("You cannot use IAM credentials from one partition to interact with resources in a
different partition", AWS whitepaper "AWS Fault Isolation Boundaries", "Partitions").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal, Protocol

from stackkit._private.cdk import Construct
from stackkit._private.regions import partition_of
from stackkit._private.terraform import region_of
from stackkit.errors import ValidationError

_PARTITION = r"aws(?:-[a-z]+)*"
_REGION = r"[a-z]{2}(?:-[a-z]+)+-\d"
#: Any ARN, split into its fields (IAM user guide, "IAM identifiers":
#: ``arn:partition:service:region:account:resource``).
_ANY_ARN = re.compile(
    rf"^arn:(?P<partition>{_PARTITION}):(?P<service>[a-z0-9-]+):(?P<region>[a-z0-9-]*):"
    r"(?P<account>[0-9]*):(?P<resource>.*)$"
)
#: Secret names: "ASCII letters, digits, or any of the following characters: /_+=.@-" (ECS
#: developer guide, "Creating an AWS Secrets Manager secret"); the complete ARN adds ``-`` and
#: six random alphanumeric characters.
_SECRET_NAME = re.compile(r"^[A-Za-z0-9/_+=.@-]+$")
_COMPLETE_SECRET_NAME = re.compile(r"^[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}$")
#: Parameter names: a-z, A-Z, 0-9, ``_.-``, ``/`` between hierarchy levels (Systems Manager user
#: guide, "Creating Parameter Store parameters": requirements and constraints for names).
_PARAMETER_NAME = re.compile(r"^[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)*$")
#: A parameter that only refers to a Secrets Manager secret (``/aws/reference/secretsmanager/``).
_REFERENCE_PARAMETER = "aws/reference/secretsmanager/"
#: "The unique identifier of the version ... typically a UUID-type value" of 32-64 characters
#: (Secrets Manager API reference, GetSecretValue: VersionId, length 32-64).
_VERSION_ID = re.compile(r"^[A-Za-z0-9-]{32,64}$")
_VERSION_STAGE = re.compile(r"^\S{1,256}$")
KMS_KEY_ARN = re.compile(
    rf"^arn:(?P<partition>{_PARTITION}):kms:(?P<region>{_REGION}):(?P<account>\d{{12}}):key/"
    r"(?P<key>mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$"
)
SECRET_EXAMPLE = "arn:aws:secretsmanager:us-east-1:123456789012:secret:payments/stripe-AbCdEf"
PARAMETER_EXAMPLE = "arn:aws:ssm:us-east-1:123456789012:parameter/payments/webhook-key"
KEY_EXAMPLE = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"


@dataclass(frozen=True)
class SecretReference:
    """One parsed ``valueFrom``: which store, and the ARN the execution role is granted."""

    store: Literal["secretsmanager", "ssm"]
    resource_arn: str
    """The secret's ARN without ECS's ``:json-key:version-stage:version-id``, or the parameter's."""
    partition: str
    region: str


def parse_reference(value: str) -> SecretReference | str:
    """The reference ``value`` names, or why it is not one (a sentence with the fix)."""
    if "${" in value:
        return (
            f"{value!r} is a Terraform reference, not an ARN: stackkit grants exactly the secret it is "
            "given and must know whether it is a Secrets Manager secret or an SSM parameter; pass the "
            f"literal ARN, e.g. {SECRET_EXAMPLE!r}"
        )
    arn = _ANY_ARN.fullmatch(value)
    if arn is None and value.startswith("/") and _PARAMETER_NAME.fullmatch(value[1:]):
        # ECS would take a parameter's name in the task's region, but the grant needs its ARN.
        return (
            f"{value!r} is a parameter's name: give its ARN, "
            f"arn:<partition>:ssm:<region>:<account>:parameter{value} (the name's leading '/' "
            "is the one after 'parameter'), so that the execution role is granted exactly it"
        )
    if arn is None or not re.fullmatch(_REGION, arn["region"]) or not re.fullmatch(r"\d{12}", arn["account"]):
        return (
            f"{value!r} is not the ARN of a Secrets Manager secret or an SSM parameter; use the full ARN, "
            f"e.g. {SECRET_EXAMPLE!r} or {PARAMETER_EXAMPLE!r}"
        )
    if arn["service"] == "secretsmanager":
        return _secret(value, arn)
    if arn["service"] == "ssm":
        return _parameter(value, arn)
    return (
        f"{value!r} is an ARN of {arn['service']}; ECS injects only a Secrets Manager secret "
        f"(e.g. {SECRET_EXAMPLE!r}) or an SSM parameter (e.g. {PARAMETER_EXAMPLE!r})"
    )


def _secret(value: str, arn: re.Match[str]) -> SecretReference | str:
    kind, _, rest = arn["resource"].partition(":")
    name, *suffix = rest.split(":")
    if kind != "secret" or not _SECRET_NAME.fullmatch(name):
        return (
            f"{value!r} is not a secret ARN: expected "
            "arn:<partition>:secretsmanager:<region>:<account>:secret:<name>"
        )
    if not _COMPLETE_SECRET_NAME.fullmatch(name):
        return (
            f"{value!r} is not a complete secret ARN: it ends with the secret's name, a hyphen and "
            f"the 6 random characters Secrets Manager adds (e.g. {SECRET_EXAMPLE!r}); get it with "
            f"`aws secretsmanager describe-secret --secret-id {name} --query ARN`"
        )
    if suffix and len(suffix) != 3:
        return (
            f"{value!r}: after the secret's ARN ECS takes exactly "
            "':<json-key>:<version-stage>:<version-id>' (leave a part empty but keep its colon, "
            "e.g. ':api_key::' for one JSON key of the current version)"
        )
    if suffix:
        _json_key, stage, version_id = suffix
        if stage and version_id:
            return f"{value!r}: give a version stage or a version id, not both (ECS accepts one of them)"
        if stage and not _VERSION_STAGE.fullmatch(stage):
            return f"{value!r}: the version stage {stage!r} is not a staging label such as AWSCURRENT"
        if version_id and not _VERSION_ID.fullmatch(version_id):
            return (
                f"{value!r}: the version id {version_id!r} is not a version id (32-64 letters, digits and -)"
            )
    base = f"arn:{arn['partition']}:secretsmanager:{arn['region']}:{arn['account']}:secret:{name}"
    return SecretReference("secretsmanager", base, arn["partition"], arn["region"])


def _parameter(value: str, arn: re.Match[str]) -> SecretReference | str:
    kind, _, name = arn["resource"].partition("/")
    if kind != "parameter" or not _PARAMETER_NAME.fullmatch(name):
        return (
            f"{value!r} is not a parameter ARN: expected "
            "arn:<partition>:ssm:<region>:<account>:parameter/<name> (the name without its leading "
            "'/', e.g. parameter/payments/webhook-key for /payments/webhook-key)"
        )
    if name.startswith(_REFERENCE_PARAMETER):
        return (
            f"{value!r} refers to a Secrets Manager secret through Parameter Store: pass the secret's own "
            "ARN (arn:<partition>:secretsmanager:...) instead, so that exactly that secret is granted"
        )
    return SecretReference("ssm", value, arn["partition"], arn["region"])


def kms_key_problem(arn: str) -> str | None:
    """Why ``arn`` is not a KMS key ARN the execution role can be granted ``kms:Decrypt`` on."""
    if KMS_KEY_ARN.fullmatch(arn):
        return None
    if ":alias/" in arn:
        # "These features do not allow you to identify a KMS key by using an alias in the resource
        # element of a policy statement" (KMS developer guide, "Use aliases to control access to KMS keys").
        return (
            f"{arn!r} is an alias: an alias in a policy's Resource does not match its key; give the key's "
            f"ARN (aws kms describe-key --key-id <alias> --query KeyMetadata.Arn), e.g. {KEY_EXAMPLE!r}"
        )
    return f"{arn!r} is not a KMS key ARN such as {KEY_EXAMPLE!r}"


def _place_problem(what: str, arn: str, partition: str, arn_region: str, region: str | None) -> str | None:
    if region is None:
        return None
    if arn_region != region:
        return (
            f"{what} {arn!r} is in {arn_region}, but this stack builds in {region}; use one in {region} "
            "(a Secrets Manager replica secret, or a parameter created there)"
        )
    expected = partition_of(region)
    if expected is not None and partition != expected:
        return (
            f"{what} {arn!r} is in partition {partition}, but {region} is in {expected}: "
            f"use an ARN of {expected}"
        )
    return None


def secrets_place_problem(
    secrets: Mapping[str, str], kms_key_arns: Iterable[str], region: str | None
) -> tuple[str, str] | None:
    """``(field, message)`` for the first secret or key outside ``region`` (or its partition);
    None when all fit or the region is not known at synth time (then nothing is guessed)."""
    for env_name, value in secrets.items():
        reference = parse_reference(value)
        if isinstance(reference, SecretReference):
            problem = _place_problem(env_name, value, reference.partition, reference.region, region)
            if problem:
                return "secrets", problem
    for arn in kms_key_arns:
        key = KMS_KEY_ARN.fullmatch(arn)
        problem = _place_problem("the key", arn, key["partition"], key["region"], region) if key else None
        if problem:
            return "secrets_kms_key_arns", problem
    return None


class _WithSecrets(Protocol):
    @property
    def secrets(self) -> dict[str, str]: ...
    @property
    def secrets_kms_key_arns(self) -> tuple[str, ...]: ...


def require_secrets_in_region(
    scope: Construct, props: _WithSecrets, props_name: str, *, field_prefix: str = ""
) -> None:
    """Refuse, before any resource exists, secrets or keys outside the region ``scope`` builds in
    (the provider's; known only in the construct, not in the props). Skipped for a token region.
    ``field_prefix``: where the props sit in ``props_name`` (``"task."`` for a worker's task), so
    that the message names the field the team wrote."""
    problem = secrets_place_problem(props.secrets, props.secrets_kms_key_arns, region_of(scope))
    if problem:
        field, message = problem
        raise ValidationError(props_name, [(f"{field_prefix}{field}", message)])


def team_secret_statements(
    secrets: Mapping[str, str], kms_key_arns: Iterable[str], region: str
) -> list[dict[str, object]]:
    """The execution role's statements for the team's secrets (see the module docstring): read
    exactly these secrets and parameters, decrypt with exactly these keys through this region's
    Secrets Manager / SSM. ``region`` may be a token (the stack's region data source)."""
    references = [parse_reference(value) for value in secrets.values()]
    parsed = [reference for reference in references if isinstance(reference, SecretReference)]
    secret_arns = sorted({r.resource_arn for r in parsed if r.store == "secretsmanager"})
    parameter_arns = sorted({r.resource_arn for r in parsed if r.store == "ssm"})
    statements: list[dict[str, object]] = []
    if secret_arns:
        statements.append(
            {
                "Sid": "ReadTeamSecrets",
                "Effect": "Allow",
                "Action": "secretsmanager:GetSecretValue",
                "Resource": secret_arns,
            }
        )
    if parameter_arns:
        statements.append(
            {
                "Sid": "ReadTeamParameters",
                "Effect": "Allow",
                "Action": "ssm:GetParameters",
                "Resource": parameter_arns,
            }
        )
    keys = sorted(set(kms_key_arns))
    if keys:
        services = [
            f"{store}.{region}.amazonaws.com"
            for store, arns in (("secretsmanager", secret_arns), ("ssm", parameter_arns))
            if arns
        ]
        statements.append(
            {
                "Sid": "DecryptTeamSecrets",
                "Effect": "Allow",
                "Action": "kms:Decrypt",
                "Resource": keys,
                "Condition": {"StringEquals": {"kms:ViaService": services}},
            }
        )
    return statements
