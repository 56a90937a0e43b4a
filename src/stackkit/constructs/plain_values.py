"""Plain values that are secrets: the check constructs run on ``environment``-like props
before anything is created, with the same detector that CKV_STACKKIT_10 runs on synthesized
container definitions (:mod:`stackkit.policy.checks.stackkit_secret_detector`).

A false positive (a public key id, a commit hash) is accepted when it is marked next to the
value with a reason: ``allow_plain_values={"GIT_SHA": "commit hash of the build, public"}``.
The construct records the marks on the resource (``//`` metadata, :data:`ALLOW_KEY`) so that
the policy check accepts the same names, and a reviewer sees the reason in the JSON.
"""

from __future__ import annotations

from collections.abc import Mapping

from stackkit._private.cdk import TerraformResource
from stackkit.policy.checks.stackkit_policy_common import secret_looking_name

#: ``resource["//"][ALLOW_KEY][variable name] = reason``: read by CKV_STACKKIT_10.
ALLOW_KEY = "stackkit_allow_plain_values"
MIN_REASON_LENGTH = 10


def plain_value_problems(values: Mapping[str, str], allow: Mapping[str, str] | None = None) -> list[str]:
    """``"NAME: why"`` for every value that looks secret (by its name or by its value) and is
    not in ``allow``. Messages never repeat the value."""
    # Imported here: loading the detector costs ~0.3 s, paid only by constructs that scan.
    from stackkit.policy.checks.stackkit_secret_detector import secret_kinds

    allow = allow or {}
    problems = []
    for name, value in values.items():
        if name in allow or not value:
            continue
        kinds = secret_kinds(value)
        if kinds:
            problems.append(f"{name}: the value looks like a {' / '.join(kinds)}; {_advice(name)}")
        elif secret_looking_name(name):
            problems.append(f"{name}: the name says it holds a secret; {_advice(name)}")
    return problems


def _advice(name: str) -> str:
    """Where the value belongs instead: the props' ``secrets``, by ARN (or, if it is no secret,
    a mark with the reason)."""
    return (
        f"store it in Secrets Manager or SSM and pass its ARN in secrets={{{name!r}: '<ARN>'}} "
        f"(ServiceProps.secrets / FargateTaskDefinitionProps.secrets), or if it is not one, mark it: "
        f"allow_plain_values={{{name!r}: '<reason>'}}"
    )


def allow_problems(values: Mapping[str, str], allow: Mapping[str, str]) -> list[str]:
    """Marks that name no value, or give no reason a reviewer can judge."""
    problems = []
    for name, reason in allow.items():
        if name not in values:
            problems.append(f"{name}: marked as not secret but there is no such value")
        elif len(reason.strip()) < MIN_REASON_LENGTH:
            problems.append(
                f"{name}: say why the value is not a secret (at least {MIN_REASON_LENGTH} characters)"
            )
    return problems


def record_allowed_plain_values(resource: TerraformResource, allow: Mapping[str, str]) -> None:
    """Write the marks onto the resource (a task definition) for CKV_STACKKIT_10."""
    for name, reason in sorted(allow.items()):
        resource.add_override(f"//.{ALLOW_KEY}.{name}", reason.strip())


def environment_problem(environment: Mapping[str, str], allow: Mapping[str, str]) -> str | None:
    """The first problem of a construct's plain ``environment`` and its ``allow_plain_values``
    marks, as ``"<field>: <message>"`` for a props model validator; None when all is well."""
    marks = allow_problems(environment, allow)
    if marks:
        return f"allow_plain_values: {marks[0]}"
    secrets = plain_value_problems(environment, allow)
    if secrets:
        return f"environment: {secrets[0]}"
    return None


def check_plain_environment(environment: dict[str, str], allow_plain_values: dict[str, str]) -> None:
    """Refuse a plain ``environment`` value that the secret detector flags (unless marked in
    ``allow_plain_values`` with a reason), and marks of names that are not there."""
    problem = environment_problem(environment, allow_plain_values)
    if problem:
        raise ValueError(problem)
