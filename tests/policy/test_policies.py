"""stackkit's own Checkov checks: for each policy a stack it catches and a stack it passes.

All cases are written as cdk.tf.json by hand (one stack folder per case) and scanned by the real
Checkov in one run, through the same runner as the gate."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from stackkit.policy import checkov as checkov_runner
from stackkit.policy.checkov import CheckovError, StackReport, run_checkov
from stackkit.policy.checks.stackkit_policy_common import (
    POLICIES,
    REQUIRED_TAGS,
    DecodeError,
    decode_json_attribute,
    secret_looking_name,
)

STRIPE_KEY = "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc"
GIT_SHA = {"name": "GIT_SHA", "value": "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3"}
TAGS = {"Project": "stackkit", "Environment": "dev", "ManagedBy": "stackkit", "Owner": "platform-team"}
PROTECTED = {"lifecycle": {"prevent_destroy": True}}
GOOD_CONTAINER = {
    "name": "app",
    "image": "app:1",
    "user": "1001",
    "readonlyRootFilesystem": True,
    "environment": [{"name": "NODE_ENV", "value": "production"}, {"name": "PORT", "value": "3000"}],
    "secrets": [{"name": "DATABASE_URL", "valueFrom": "${aws_secretsmanager_secret.db.arn}"}],
}


def stack(
    resources: dict[str, dict[str, dict[str, Any]]],
    *,
    environment: str = "dev",
    default_tags: dict[str, str] | None = None,
    extra_providers: tuple[dict[str, Any], ...] = (),
) -> dict[str, Any]:
    tags = {**TAGS, "Environment": environment} if default_tags is None else default_tags
    provider = {"region": "us-east-1", "default_tags": [{"tags": tags}]} if tags else {"region": "us-east-1"}
    return {"provider": {"aws": [provider, *extra_providers]}, "resource": resources}


def task_definition(containers: Any) -> dict[str, Any]:
    return {
        "family": "app",
        "requires_compatibilities": ["FARGATE"],
        "network_mode": "awsvpc",
        "cpu": "512",
        "memory": "1024",
        "container_definitions": containers if isinstance(containers, str) else json.dumps(containers),
    }


def role(policy: Any) -> dict[str, Any]:
    return {"name": "r", "assume_role_policy": policy if isinstance(policy, str) else json.dumps(policy)}


def statement(**fields: Any) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": [{"Sid": "S", "Effect": "Allow", **fields}]}


DB_OK = {
    "identifier": "app",
    "engine": "postgres",
    "instance_class": "db.t3.medium",
    "deletion_protection": True,
    "skip_final_snapshot": False,
    "final_snapshot_identifier": "app-final",
    "multi_az": True,
    **PROTECTED,
}
CACHE_OK = {
    "replication_group_id": "cache",
    "description": "cache",
    "num_cache_clusters": 2,
    "automatic_failover_enabled": True,
    **PROTECTED,
}
SERVICE_OK = {
    "name": "app",
    "desired_count": 3,
    "deployment_circuit_breaker": {"enable": True, "rollback": True},
}
SCALING_OK = {
    "service_namespace": "ecs",
    "min_capacity": 3,
    "max_capacity": 20,
    "resource_id": "service/c/app",
}

#: case -> (stack, {(address, check id): expected "failed" or "passed"})
CASES: dict[str, tuple[dict[str, Any], dict[tuple[str, str], str]]] = {
    # CKV_STACKKIT_1: required tags
    "tags_via_provider": (
        stack({"aws_vpc": {"v": {"cidr_block": "10.0.0.0/16"}}}),
        {("aws_vpc.v", "CKV_STACKKIT_1"): "passed"},
    ),
    "tags_on_resource": (
        stack({"aws_vpc": {"v": {"cidr_block": "10.0.0.0/16", "tags": TAGS}}}, default_tags={}),
        {("aws_vpc.v", "CKV_STACKKIT_1"): "passed"},
    ),
    "tags_missing": (
        stack(
            {"aws_vpc": {"v": {"cidr_block": "10.0.0.0/16", "tags": {"Name": "v", "Project": "p"}}}},
            default_tags={"Environment": "dev", "ManagedBy": "stackkit"},
        ),
        {("aws_vpc.v", "CKV_STACKKIT_1"): "failed"},
    ),
    "tags_other_provider_alias": (
        stack(
            {"aws_vpc": {"v": {"cidr_block": "10.0.0.0/16", "provider": "aws.west"}}},
            extra_providers=({"alias": "west", "region": "us-west-2"},),
        ),
        {("aws_vpc.v", "CKV_STACKKIT_1"): "failed"},
    ),
    # CKV_STACKKIT_2: prevent_destroy
    "stateful_protected": (
        stack({"aws_kms_key": {"k": {"enable_key_rotation": True, **PROTECTED}}}),
        {("aws_kms_key.k", "CKV_STACKKIT_2"): "passed"},
    ),
    "stateful_unprotected": (
        stack({"aws_kms_key": {"k": {"enable_key_rotation": True}}, "aws_s3_bucket": {"b": {"bucket": "b"}}}),
        {("aws_kms_key.k", "CKV_STACKKIT_2"): "failed", ("aws_s3_bucket.b", "CKV_STACKKIT_2"): "failed"},
    ),
    # CKV_STACKKIT_3: deletion protection and final snapshot
    "db_protected": (
        stack({"aws_db_instance": {"db": DB_OK}}),
        {("aws_db_instance.db", "CKV_STACKKIT_3"): "passed"},
    ),
    "db_unprotected": (
        stack(
            {
                "aws_db_instance": {
                    "db": {**DB_OK, "deletion_protection": False, "skip_final_snapshot": True},
                    "no_snapshot_name": {**DB_OK, "final_snapshot_identifier": None},
                }
            }
        ),
        {
            ("aws_db_instance.db", "CKV_STACKKIT_3"): "failed",
            ("aws_db_instance.no_snapshot_name", "CKV_STACKKIT_3"): "failed",
        },
    ),
    # CKV_STACKKIT_4: prod multi-AZ database
    "prod_db_multi_az": (
        stack({"aws_db_instance": {"db": DB_OK}}, environment="prod"),
        {("aws_db_instance.db", "CKV_STACKKIT_4"): "passed"},
    ),
    "prod_db_single_az": (
        stack({"aws_db_instance": {"db": {**DB_OK, "multi_az": False}}}, environment="prod"),
        {("aws_db_instance.db", "CKV_STACKKIT_4"): "failed"},
    ),
    "dev_db_single_az": (
        stack({"aws_db_instance": {"db": {**DB_OK, "multi_az": False}}}, environment="dev"),
        {("aws_db_instance.db", "CKV_STACKKIT_4"): "passed"},
    ),
    # CKV_STACKKIT_5: prod cache nodes and failover
    "prod_cache_failover": (
        stack({"aws_elasticache_replication_group": {"c": CACHE_OK}}, environment="prod"),
        {("aws_elasticache_replication_group.c", "CKV_STACKKIT_5"): "passed"},
    ),
    "prod_cache_single_node": (
        stack(
            {
                "aws_elasticache_replication_group": {
                    "one": {**CACHE_OK, "num_cache_clusters": 1, "automatic_failover_enabled": False},
                    "no_failover": {**CACHE_OK, "automatic_failover_enabled": False},
                }
            },
            environment="prod",
        ),
        {
            ("aws_elasticache_replication_group.one", "CKV_STACKKIT_5"): "failed",
            ("aws_elasticache_replication_group.no_failover", "CKV_STACKKIT_5"): "failed",
        },
    ),
    # CKV_STACKKIT_6: prod task count; CKV_STACKKIT_7: circuit breaker with rollback
    "prod_service_ok": (
        stack(
            {"aws_ecs_service": {"s": SERVICE_OK}, "aws_appautoscaling_target": {"t": SCALING_OK}},
            environment="prod",
        ),
        {
            ("aws_ecs_service.s", "CKV_STACKKIT_6"): "passed",
            ("aws_appautoscaling_target.t", "CKV_STACKKIT_6"): "passed",
            ("aws_ecs_service.s", "CKV_STACKKIT_7"): "passed",
        },
    ),
    "prod_service_fragile": (
        stack(
            {
                "aws_ecs_service": {
                    "s": {
                        **SERVICE_OK,
                        "desired_count": 1,
                        "deployment_circuit_breaker": {"enable": True, "rollback": False},
                    }
                },
                "aws_appautoscaling_target": {"t": {**SCALING_OK, "min_capacity": 1}},
            },
            environment="prod",
        ),
        {
            ("aws_ecs_service.s", "CKV_STACKKIT_6"): "failed",
            ("aws_appautoscaling_target.t", "CKV_STACKKIT_6"): "failed",
            ("aws_ecs_service.s", "CKV_STACKKIT_7"): "failed",
        },
    ),
    "dev_service_single_task": (
        stack({"aws_ecs_service": {"s": {**SERVICE_OK, "desired_count": 1}}}, environment="dev"),
        {("aws_ecs_service.s", "CKV_STACKKIT_6"): "passed"},
    ),
    # CKV_STACKKIT_8..11: container_definitions
    "containers_ok": (
        stack({"aws_ecs_task_definition": {"td": task_definition([GOOD_CONTAINER])}}),
        {("aws_ecs_task_definition.td", f"CKV_STACKKIT_{n}"): "passed" for n in (8, 9, 10, 11)},
    ),
    "containers_ok_jsonencode": (
        stack(
            {
                "aws_ecs_task_definition": {
                    "td": task_definition(
                        '${jsonencode([{"name" = "app", "image" = "${aws_ecr_repository.r.repository_url}:1",'
                        ' "user" = "1001", "readonlyRootFilesystem" = true, "privileged" = false,'
                        ' "environment" = [{"name" = "REDIS_HOST",'
                        ' "value" = aws_elasticache_replication_group.c.primary_endpoint_address}],'
                        ' "portMappings" = [{"containerPort" = 3000}]}])}'
                    )
                }
            }
        ),
        {("aws_ecs_task_definition.td", f"CKV_STACKKIT_{n}"): "passed" for n in (8, 9, 10, 11)},
    ),
    "container_root": (
        stack({"aws_ecs_task_definition": {"td": task_definition([{**GOOD_CONTAINER, "user": "0:0"}])}}),
        {("aws_ecs_task_definition.td", "CKV_STACKKIT_8"): "failed"},
    ),
    "container_no_user": (
        stack(
            {
                "aws_ecs_task_definition": {
                    "td": task_definition([{k: v for k, v in GOOD_CONTAINER.items() if k != "user"}])
                }
            }
        ),
        {("aws_ecs_task_definition.td", "CKV_STACKKIT_8"): "failed"},
    ),
    "container_writable_root": (
        stack(
            {
                "aws_ecs_task_definition": {
                    "td": task_definition(
                        '${jsonencode([{"name" = "app", "user" = "1001", "readonlyRootFilesystem" = false}])}'
                    )
                }
            }
        ),
        {("aws_ecs_task_definition.td", "CKV_STACKKIT_9"): "failed"},
    ),
    "container_plain_secrets": (
        stack(
            {
                "aws_ecs_task_definition": {
                    "password": task_definition(
                        [{**GOOD_CONTAINER, "environment": [{"name": "DB_PASSWORD", "value": "hunter2"}]}]
                    ),
                    "url": task_definition(
                        [
                            {
                                **GOOD_CONTAINER,
                                "environment": [
                                    {"name": "UPSTREAM", "value": "postgres://app:s3cret@db:5432/app"}
                                ],
                            }
                        ]
                    ),
                }
            }
        ),
        {
            ("aws_ecs_task_definition.password", "CKV_STACKKIT_10"): "failed",
            ("aws_ecs_task_definition.url", "CKV_STACKKIT_10"): "failed",
        },
    ),
    # Issue 14: secrets judged by value (a maintained detector), with a marked false positive.
    "container_secret_by_value": (
        stack(
            {
                "aws_ecs_task_definition": {
                    "stripe": task_definition(
                        [
                            {
                                **GOOD_CONTAINER,
                                "environment": [{"name": "PAYMENTS", "value": STRIPE_KEY}],
                            }
                        ]
                    ),
                    "marked": {
                        **task_definition(
                            [
                                {
                                    **GOOD_CONTAINER,
                                    "environment": [GIT_SHA],
                                }
                            ]
                        ),
                        "//": {"stackkit_allow_plain_values": {"GIT_SHA": "commit hash of the build"}},
                    },
                    "unmarked": task_definition(
                        [
                            {
                                **GOOD_CONTAINER,
                                "environment": [GIT_SHA],
                            }
                        ]
                    ),
                }
            }
        ),
        {
            ("aws_ecs_task_definition.stripe", "CKV_STACKKIT_10"): "failed",
            ("aws_ecs_task_definition.marked", "CKV_STACKKIT_10"): "passed",
            ("aws_ecs_task_definition.unmarked", "CKV_STACKKIT_10"): "failed",
        },
    ),
    # CKV_STACKKIT_20: the provider's region (issue 14)
    "provider_region_known": (
        stack({"aws_vpc": {"v": {"cidr_block": "10.0.0.0/16"}}}),
        {("provider.aws", "CKV_STACKKIT_20"): "passed"},
    ),
    "provider_region_token": (
        {"provider": {"aws": [{"region": "${var.region}"}]}, "resource": {"aws_vpc": {"v": {}}}},
        {("provider.aws", "CKV_STACKKIT_20"): "passed"},
    ),
    "provider_region_typo": (
        {"provider": {"aws": [{"region": "eu-west1"}]}, "resource": {"aws_vpc": {"v": {}}}},
        {("provider.aws", "CKV_STACKKIT_20"): "failed"},
    ),
    "container_privileged": (
        stack({"aws_ecs_task_definition": {"td": task_definition([{**GOOD_CONTAINER, "privileged": True}])}}),
        {("aws_ecs_task_definition.td", "CKV_STACKKIT_11"): "failed"},
    ),
    "container_undecodable": (
        stack({"aws_ecs_task_definition": {"td": task_definition("[{not json")}}),
        {("aws_ecs_task_definition.td", f"CKV_STACKKIT_{n}"): "failed" for n in (8, 9, 10, 11)},
    ),
    # CKV_STACKKIT_12 / 13: policies
    "policies_ok": (
        stack(
            {
                "aws_iam_role": {"r": role(statement(Principal={"Service": "ecs-tasks.amazonaws.com"}))},
                "aws_kms_key": {
                    "k": {
                        "policy": json.dumps(
                            statement(
                                Principal={
                                    "AWS": "arn:aws:iam::${data.aws_caller_identity.c.account_id}:root"
                                },
                                Action="kms:*",
                                Resource="*",
                            )
                        ),
                        **PROTECTED,
                    }
                },
                "aws_s3_bucket_policy": {
                    "deny_http": {
                        "bucket": "b",
                        "policy": json.dumps(
                            {
                                "Statement": [
                                    {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"}
                                ]
                            }
                        ),
                    }
                },
                "aws_iam_role_policy": {
                    "by_reference": {"role": "r", "policy": "${data.aws_iam_policy_document.d.json}"}
                },
            }
        ),
        {
            ("aws_iam_role.r", "CKV_STACKKIT_12"): "passed",
            ("aws_iam_role.r", "CKV_STACKKIT_13"): "passed",
            ("aws_kms_key.k", "CKV_STACKKIT_12"): "passed",
            ("aws_kms_key.k", "CKV_STACKKIT_13"): "passed",
            ("aws_s3_bucket_policy.deny_http", "CKV_STACKKIT_12"): "passed",
            ("aws_iam_role_policy.by_reference", "CKV_STACKKIT_13"): "passed",
        },
    ),
    "policy_star_principal": (
        stack(
            {
                "aws_iam_role": {"r": role(statement(Principal={"AWS": "*"}, Action="sts:AssumeRole"))},
                "aws_kms_key": {
                    "k": {
                        "policy": '${jsonencode({"Statement" = [{"Effect" = "Allow", "Principal" = "*",'
                        ' "Action" = ["kms:Decrypt"], "Resource" = "*"}]})}',
                        **PROTECTED,
                    }
                },
            }
        ),
        {("aws_iam_role.r", "CKV_STACKKIT_12"): "failed", ("aws_kms_key.k", "CKV_STACKKIT_12"): "failed"},
    ),
    "policy_star_admin": (
        stack(
            {
                "aws_iam_role_policy": {
                    "admin": {"role": "r", "policy": json.dumps(statement(Action=["*"], Resource="*"))}
                },
                "aws_iam_role": {
                    "inline": {
                        **role(statement(Principal={"Service": "ecs-tasks.amazonaws.com"})),
                        "inline_policy": [
                            {
                                "name": "all",
                                "policy": '${jsonencode({"Statement" = [{"Effect" = "Allow", "Action" = "*",'
                                ' "Resource" = ["*"]}]})}',
                            }
                        ],
                    }
                },
            }
        ),
        {
            ("aws_iam_role_policy.admin", "CKV_STACKKIT_13"): "failed",
            ("aws_iam_role.inline", "CKV_STACKKIT_13"): "failed",
        },
    ),
}


@pytest.fixture(scope="module")
def case_reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, StackReport]:
    stacks_dir = tmp_path_factory.mktemp("policy-cases") / "stacks"
    for name, (body, _) in CASES.items():
        (stacks_dir / name).mkdir(parents=True)
        (stacks_dir / name / "cdk.tf.json").write_text(json.dumps(body, indent=2))
    return run_checkov(stacks_dir)


@pytest.mark.parametrize("case", sorted(CASES))
def test_policy_case(case_reports: dict[str, StackReport], case: str) -> None:
    report = case_reports[case]
    outcome = {(f.resource, f.check_id): "failed" for f in report.failed}
    outcome |= {(f.resource, f.check_id): "passed" for f in report.passed}
    expected = CASES[case][1]
    assert {key: outcome.get(key) for key in expected} == expected
    for finding in report.failed:
        if finding.check_id.startswith("CKV_STACKKIT_"):
            assert finding.details, f"{finding.check_id} failed without saying why"


def test_every_policy_has_a_catching_and_a_passing_case() -> None:
    outcomes: dict[str, set[str]] = {policy: set() for policy in POLICIES}
    for _, expected in CASES.values():
        for (_, check_id), outcome in expected.items():
            outcomes[check_id].add(outcome)
    assert {policy: found for policy, found in outcomes.items() if found != {"passed", "failed"}} == {}


def test_a_failure_says_what_to_fix(case_reports: dict[str, StackReport]) -> None:
    missing = next(f for f in case_reports["tags_missing"].failed if f.check_id == "CKV_STACKKIT_1")
    assert missing.details == ("missing tags: Owner",)
    secret = next(
        f for f in case_reports["container_plain_secrets"].failed if f.resource.endswith("password")
    )
    assert "DB_PASSWORD" in secret.details[0]
    assert "hunter2" not in " ".join(secret.details)
    (stripe,) = [f for f in case_reports["container_secret_by_value"].failed if f.resource.endswith("stripe")]
    assert stripe.details == (
        "container app: the value of PAYMENTS looks like a Stripe Access Key; store it in Secrets Manager "
        "or SSM and reference its ARN in the container's secrets (with stackkit: secrets={NAME: '<ARN>'} "
        "on ServiceProps / FargateTaskDefinitionProps)",
    )
    (region,) = [f for f in case_reports["provider_region_typo"].failed if f.check_id == "CKV_STACKKIT_20"]
    assert "did you mean eu-west-1" in region.details[0]


def test_own_policies_run_on_every_real_stack(checkov_reports: dict[str, StackReport]) -> None:
    """Every environment has a database, a cache and a service, so all 13 policies apply (the
    bootstrap stacks of issue 15 hold only a bucket, a key and roles: the policies that apply
    there must pass)."""
    for env, report in checkov_reports.items():
        assert not [f for f in report.failed if f.check_id.startswith("CKV_STACKKIT_")], env
        if env.endswith("-bootstrap"):
            continue
        ran = {f.check_id for f in report.passed}
        assert set(POLICIES) - ran == set(), env


@pytest.mark.slow
def test_own_checks_cannot_be_skipped(tmp_path: Path) -> None:
    body = stack(
        {"aws_kms_key": {"k": {"//": {"stackkit_checkov_skip": {"CKV_STACKKIT_2": "not needed here"}}}}}
    )
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "cdk.tf.json").write_text(json.dumps(body))
    with pytest.raises(CheckovError, match="cannot be skipped"):
        run_checkov(tmp_path)


@pytest.mark.slow
def test_a_check_that_does_not_load_fails_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "checks"
    shutil.copytree(checkov_runner.CHECKS_DIR, broken, ignore=shutil.ignore_patterns("__pycache__"))
    (broken / "stackkit_required_tags.py").unlink()
    monkeypatch.setattr(checkov_runner, "CHECKS_DIR", broken)
    (tmp_path / "stacks" / "s").mkdir(parents=True)
    (tmp_path / "stacks" / "s" / "cdk.tf.json").write_text(json.dumps(stack({"aws_vpc": {"v": {}}})))
    with pytest.raises(CheckovError, match="CKV_STACKKIT_1 did not run"):
        run_checkov(tmp_path / "stacks")


def test_required_tags_are_the_documented_four() -> None:
    assert REQUIRED_TAGS == ("Project", "Environment", "ManagedBy", "Owner")


@pytest.mark.parametrize(
    ("raw", "decoded"),
    [
        ('{"a": "${aws_kms_key.k.arn}"}', {"a": "${aws_kms_key.k.arn}"}),
        (
            '${jsonencode({"A" = aws_kms_key.k.arn, "B" = [1, 2.5, true, null], "C" = "x\\"y",'
            ' D = join(",", ["a", "b"])})}',
            {
                "A": "${aws_kms_key.k.arn}",
                "B": [1, 2.5, True, None],
                "C": 'x"y',
                "D": '${join(",", ["a", "b"])}',
            },
        ),
        ("${data.aws_iam_policy_document.d.json}", None),
        # The policies look only at literal values: any other expression is kept as a token.
        (
            '${jsonencode({"A" = var.x ? "y" : "z", "B" = [for s in var.l : s], "C" = 1 + 2, "D" = "*"})}',
            {"A": '${var.x ? "y" : "z"}', "B": ["${for s in var.l : s}"], "C": "${1 + 2}", "D": "*"},
        ),
    ],
)
def test_decode_json_attribute(raw: str, decoded: Any) -> None:
    assert decode_json_attribute(raw) == decoded


@pytest.mark.parametrize("raw", ["{not json", '${jsonencode({"A" = })}', '${templatefile("p.json", {})}', 3])
def test_decode_json_attribute_refuses_what_it_cannot_read(raw: Any) -> None:
    with pytest.raises(DecodeError):
        decode_json_attribute(raw)


def test_skip_check_refuses_own_policies(tmp_path: Path) -> None:
    from stackkit import skip_check
    from stackkit._private.cdk import S3Bucket
    from tests.synth_helpers import synth_stack

    with pytest.raises(ValueError, match="cannot be skipped"):
        synth_stack(
            tmp_path,
            lambda s: skip_check(
                S3Bucket(s, "b", bucket="b-bucket"), "CKV_STACKKIT_2", "a long enough reason"
            ),
        )


@pytest.mark.parametrize(
    ("name", "secret"),
    [
        ("DB_PASSWORD", True),
        ("dbPassword", True),
        ("API_KEY", True),
        ("APIKEY", True),
        ("JWT_SECRET", True),
        ("DATABASE_URL", True),
        ("redis-url", True),
        ("GITHUB_TOKEN", True),
        ("NODE_ENV", False),
        ("BYPASS_CACHE", False),
        ("COMPASS_URL", False),
        ("PORT", False),
        ("REDIS_HOST", False),
    ],
)
def test_secret_looking_names(name: str, secret: bool) -> None:
    assert secret_looking_name(name) is secret
