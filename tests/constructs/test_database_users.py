"""Issue 15: the application logs in as its own IAM database user, created by a bootstrap task;
migrations run as a one-off task before the new version; a failed rollout fails the deploy."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from stackkit import ValidationError
from stackkit.constructs.database import DatabaseProps
from stackkit.constructs.one_off_task import RUN_TASK_SCRIPT, OneOffTaskProps, bootstrap_sql
from stackkit.constructs.task_definition import FargateTaskDefinitionProps
from stacks.app import build_app
from stacks.environments import load_environment
from tests.conftest import StackJson, ref, resources

ENVS = ("dev", "staging", "prod")


def containers_of_services(stack: StackJson) -> dict[str, str]:
    """``{task definition: container_definitions}`` of every task definition an ECS service runs."""
    definitions = resources(stack, "aws_ecs_task_definition")
    return {
        ref(service["task_definition"]): definitions[ref(service["task_definition"]).split(".")[1]][
            "container_definitions"
        ]
        for service in resources(stack, "aws_ecs_service").values()
    }


@pytest.mark.parametrize("env", ENVS)
def test_no_app_service_gets_the_master_secret(stacks: dict[str, StackJson], env: str) -> None:
    found = containers_of_services(stacks[env])
    assert found, "no service"
    for text in found.values():
        assert "master_user_secret" not in text and "PGPASSWORD" not in text
        (container,) = json.loads(text)
        assert {s["name"] for s in container["secrets"]} == {"DATABASE_URL", "REDIS_URL"}


@pytest.mark.parametrize("env", ENVS)
def test_the_service_role_may_connect_only_as_the_app_user(stacks: dict[str, StackJson], env: str) -> None:
    stack = stacks[env]
    policies = resources(stack, "aws_iam_role_policy")
    connect = [
        statement
        for policy in policies.values()
        for statement in json.loads(policy["policy"])["Statement"]
        if "rds-db:connect" in json.dumps(statement["Action"])
    ]
    (statement,) = connect  # only the service's task role (the bootstrap logs in with the password)
    assert statement["Action"] == "rds-db:connect" and statement["Effect"] == "Allow"
    resource = statement["Resource"]
    assert resource.endswith(":dbuser:${aws_db_instance.stackkit_db.resource_id}/app")
    assert resource.startswith("arn:${data.aws_partition.") and ":rds-db:${data.aws_region." in resource
    owner = [name for name, p in policies.items() if "rds-db:connect" in p["policy"]]
    assert owner == ["stackkit_api_task_database_connect"]
    assert ref(policies[owner[0]]["role"]) == "aws_iam_role.stackkit_api_task_role"
    url = resources(stack, "aws_secretsmanager_secret_version")["stackkit_api_database_url_value"]
    assert url["secret_string"].startswith("postgresql://app@") and url["secret_string"].endswith(
        "?sslmode=verify-full"
    )


@pytest.mark.parametrize("env", ENVS)
def test_the_bootstrap_task_creates_the_users_before_the_service_starts(
    stacks: dict[str, StackJson], env: str
) -> None:
    stack = stacks[env]
    task = resources(stack, "aws_ecs_task_definition")["stackkit_db_bootstrap_task_definition"]
    (container,) = json.loads(task["container_definitions"])
    assert container["image"] == "public.ecr.aws/docker/library/postgres:15-alpine"
    secrets = {s["name"]: s["valueFrom"] for s in container["secrets"]}
    # The master password, from the RDS-managed secret at task start (current after a rotation).
    assert (
        secrets["PGPASSWORD"] == "${aws_db_instance.stackkit_db.master_user_secret[0].secret_arn}:password::"
    )
    script = container["command"][2]
    assert container["command"][:2] == ["sh", "-c"] and "ON_ERROR_STOP=1" in script
    assert 'CREATE ROLE "app" LOGIN' in script and 'GRANT rds_iam TO "app", "app_migrator"' in script
    assert "truststore.pki.rds.amazonaws.com" in script and "PGSSLROOTCERT" in script
    for role in ("execution_role", "task_role"):
        assert f"stackkit_db_bootstrap_{role}" in resources(stack, "aws_iam_role")
    # Its own security group, allowed to the database port.
    rules = resources(stack, "aws_vpc_security_group_ingress_rule")
    assert ref(
        rules["stackkit_db_from_stackkit_db_bootstrap_tasks_5432"]["referenced_security_group_id"]
    ) == ("aws_security_group.stackkit_db_bootstrap_tasks_sg")
    # Run during the apply: run-task, wait until stopped, exit code 0, in the private subnets.
    run = stack["resource"]["terraform_data"]["stackkit_db_bootstrap_run"]
    (provisioner,) = run["provisioner"]
    local = provisioner["local-exec"]
    assert local["command"] == RUN_TASK_SCRIPT
    for step in ("aws ecs run-task", "aws ecs wait tasks-stopped", "exitCode", 'test "$exit_code" = 0'):
        assert step in local["command"]
    assert (
        local["environment"]["TASK_DEFINITION"]
        == "${aws_ecs_task_definition.stackkit_db_bootstrap_task_definition.arn}"
    )
    assert "aws_subnet.stackkit_private_" in local["environment"]["NETWORK_CONFIGURATION"]
    assert '\\"assignPublicIp\\" = \\"DISABLED\\"' in json.dumps(
        local["environment"]["NETWORK_CONFIGURATION"]
    )
    assert run["triggers_replace"] == {"task_definition": local["environment"]["TASK_DEFINITION"]}
    assert "aws_db_instance.stackkit_db" in run["depends_on"]
    service = resources(stack, "aws_ecs_service")["stackkit_api_service"]
    assert "terraform_data.stackkit_db_bootstrap_run" in service["depends_on"]


@pytest.mark.parametrize("env", ENVS)
def test_the_service_waits_for_steady_state(stacks: dict[str, StackJson], env: str) -> None:
    for service in resources(stacks[env], "aws_ecs_service").values():
        assert service["wait_for_steady_state"] is True
        assert service["deployment_circuit_breaker"] == {"enable": True, "rollback": True}


def test_bootstrap_sql_is_idempotent_and_least_privilege() -> None:
    sql = bootstrap_sql(database_name="myapp", app_username="app", migrator_username="app_migrator")
    assert sql.count("IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = ") == 2
    for never in ("DROP", "SUPERUSER", "CREATEDB", "CREATEROLE", "ALL PRIVILEGES", "PASSWORD"):
        assert never not in sql.upper()
    assert "rds_superuser" not in sql
    assert 'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "app"' in sql
    assert 'GRANT USAGE, CREATE ON SCHEMA public TO "app_migrator"' in sql
    assert 'GRANT USAGE ON SCHEMA public TO "app";' in sql  # the app cannot change the schema
    assert 'ALTER DEFAULT PRIVILEGES FOR ROLE "app_migrator" IN SCHEMA public' in sql


def test_migrations_run_as_the_migrator_after_the_bootstrap_and_before_the_service(tmp_path: Path) -> None:
    config = load_environment("dev", migrations_command=["npm", "run", "migrate"])
    build_app(str(tmp_path), [config]).synth()
    stack: dict[str, Any] = json.loads((tmp_path / "stacks" / "dev" / "cdk.tf.json").read_text())
    task = resources(stack, "aws_ecs_task_definition")["stackkit_migrate_task_definition"]
    (container,) = json.loads(task["container_definitions"])
    assert container["command"] == ["npm", "run", "migrate"]
    # The service's image, from the bootstrap stack's repository (issue 15).
    assert container["image"] == stack["output"]["ecr_repository_url"]["value"] + ":v1.0.0"
    assert resources(stack, "aws_ecr_repository") == {}
    assert "PGPASSWORD" not in task["container_definitions"]
    versions = resources(stack, "aws_secretsmanager_secret_version")
    assert versions["stackkit_migrate_database_url_value"]["secret_string"].startswith(
        "postgresql://app_migrator@"
    )
    connect = json.loads(
        resources(stack, "aws_iam_role_policy")["stackkit_migrate_task_database_connect"]["policy"]
    )
    assert connect["Statement"][0]["Resource"].endswith("/app_migrator")
    runs = stack["resource"]["terraform_data"]
    assert "terraform_data.stackkit_db_bootstrap_run" in runs["stackkit_migrate_run"]["depends_on"]
    service = resources(stack, "aws_ecs_service")["stackkit_api_service"]
    assert {"terraform_data.stackkit_db_bootstrap_run", "terraform_data.stackkit_migrate_run"} <= set(
        service["depends_on"]
    )
    # One repository, the bootstrap stack's: the migration uses the service's image, and pulls it.
    bootstrap: dict[str, Any] = json.loads(
        (tmp_path / "stacks" / "dev-bootstrap" / "cdk.tf.json").read_text()
    )
    assert list(resources(bootstrap, "aws_ecr_repository")) == ["stackkit_api_repository"]
    assert resources(stack, "aws_ecr_repository") == {}
    execution = json.loads(
        resources(stack, "aws_iam_role_policy")["stackkit_migrate_execution_policy"]["policy"]
    )
    pull = next(s for s in execution["Statement"] if s["Sid"] == "PullImage")
    assert pull["Resource"].endswith(":repository/stackkit-api")
    # A plan refreshes the migration's DATABASE_URL version too (GetSecretValue): the plan role
    # reads and decrypts it like the others (issue 23 item 2).
    plan = json.loads(
        resources(bootstrap, "aws_iam_role_policy")["stackkit_dev_github_plan_policy"]["policy"]
    )
    (read,) = [s for s in plan["Statement"] if s["Sid"] == "ReadPlanSecrets"]
    assert [arn.split(":secret:", 1)[1] for arn in read["Resource"]] == [
        "stackkit-api/database-url-??????",
        "stackkit-api/redis-url-??????",
        "stackkit-cache/auth-token-??????",
        "stackkit-db-bootstrap/database-url-??????",
        "stackkit-migrate/database-url-??????",
    ]


def test_a_one_off_task_listens_on_nothing() -> None:
    with pytest.raises(ValidationError) as caught:
        OneOffTaskProps(task=FargateTaskDefinitionProps(name="shop-migrate"))
    assert caught.value.fields == ["task"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"app_username": "rds_app"}, "app_username"),
        ({"migrator_username": "select"}, "migrator_username"),
        ({"app_username": "dbadmin"}, "app_username"),
    ],
)
def test_bad_database_users_are_refused(changes: dict[str, str], field: str) -> None:
    network = type("N", (), {"vpc_id": "vpc-1", "isolated_subnet_ids": ["a", "b"]})()
    with pytest.raises(ValidationError) as caught:
        DatabaseProps(name="shop", network=network, **changes)
    assert caught.value.fields == [field]


@pytest.mark.parametrize(("container_exit", "script_exit"), [("0", 0), ("3", 1), ("None", 1)])
def test_the_run_script_fails_unless_the_container_exited_0(
    tmp_path: Path, container_exit: str, script_exit: int
) -> None:
    """The local-exec script against a fake ``aws``: run-task, wait, then the exit code decides."""
    import subprocess

    calls = tmp_path / "calls"
    fake = tmp_path / "aws"
    fake.write_text(
        "#!/bin/bash\n"
        f'echo "$*" >> {calls}\n'
        'case "$1 $2" in\n'
        '  "ecs run-task") echo arn:aws:ecs:us-east-1:1:task/c/abc ;;\n'
        '  "ecs wait") exit 0 ;;\n'
        '  "ecs describe-tasks") case "$*" in\n'
        f"    *exitCode*) echo {container_exit} ;;\n"
        "    *) echo Essential container exited ;;\n"
        "  esac ;;\n"
        "esac\n"
    )
    fake.chmod(0o755)
    env = {
        "PATH": f"{tmp_path}:/usr/bin:/bin",
        "REGION": "eu-west-1",
        "CLUSTER": "c",
        "TASK_DEFINITION": "t",
        "NETWORK_CONFIGURATION": "{}",
    }
    result = subprocess.run(["bash", "-c", RUN_TASK_SCRIPT], env=env, capture_output=True, text=True)
    assert result.returncode == script_exit, result.stdout + result.stderr
    made = calls.read_text().splitlines()
    assert made[0].startswith(
        "ecs run-task --region eu-west-1 --cluster c --task-definition t --launch-type FARGATE"
    )
    assert (
        made[1]
        == "ecs wait tasks-stopped --region eu-west-1 --cluster c --tasks arn:aws:ecs:us-east-1:1:task/c/abc"
    )
    # Every call names the task's region, whatever the machine's default region is.
    assert all(" --region eu-west-1 " in call for call in made)
