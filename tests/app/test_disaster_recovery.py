"""RPO/RTO in numbers (issue 17): computed from the environments' configuration; the runbook
table of docs/disaster-recovery.md is recomputed here and the test fails when it drifts. The same
figures computed from the synthesized JSON (what ``stackkit summary`` reads) equal the
configuration's."""

from __future__ import annotations

import copy
import importlib.util
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

from stackkit.disaster_recovery import (
    ASSUMED_COPY_DELAY_HOURS,
    PITR_GRANULARITY_MINUTES,
    dr_figures,
    markdown_lines,
    markdown_steps,
    markdown_table,
    schedule_interval_hours,
)
from stackkit.disaster_recovery_json import stack_figures
from stackkit.policy.checkov import run_checkov
from stackkit.policy.summary import markdown as summary_markdown
from stacks.environments import ENVIRONMENT_NAMES, load_environment
from tests.conftest import StackJson

ROOT = Path(__file__).resolve().parents[2]


def runbook_block() -> str:
    text = (ROOT / "docs" / "disaster-recovery.md").read_text()
    return text.split("<!-- dr-table:start -->\n", 1)[1].split("\n<!-- dr-table:end -->", 1)[0]


def test_the_runbook_table_is_computed_from_the_environments() -> None:
    configs = [load_environment(name) for name in ENVIRONMENT_NAMES]
    expected = markdown_table(configs) + "\n\n" + markdown_steps(configs)
    assert runbook_block() == expected, (
        "docs/disaster-recovery.md's table drifted from the configuration; "
        "paste this between the dr-table markers:\n" + expected
    )


def test_the_table_would_notice_a_changed_configuration() -> None:
    configs = [load_environment(name) for name in ENVIRONMENT_NAMES]
    changed = [*configs[:2], load_environment("prod", database={"backup_retention_days": 14})]
    assert markdown_table(changed) != markdown_table(configs)
    assert "14 days / 5 min" in markdown_table(changed)


def test_prod_figures_follow_its_configuration() -> None:
    prod = dr_figures(load_environment("prod"))
    assert (prod.region, prod.dr_region) == ("us-east-1", "us-west-2")
    assert prod.pitr_window_days == 30 and prod.pitr_granularity_minutes == PITR_GRANULARITY_MINUTES
    assert prod.rpo_in_region_minutes == PITR_GRANULARITY_MINUTES
    # A day between recovery points, the hour-long start window, the assumed copy delay.
    assert prod.rpo_region_loss_hours == 24 + 1 + ASSUMED_COPY_DELAY_HOURS
    assert prod.vault_lock == "governance" and prod.dr_retention_days == 35
    assert prod.rto_region_loss_minutes is not None
    assert prod.rto_region_loss_minutes > prod.rto_in_region_minutes
    assert prod.rto_in_region_minutes == sum(step.minutes for step in prod.in_region_steps)


def test_dev_has_no_copy_and_says_so() -> None:
    dev = dr_figures(load_environment("dev"))
    assert dev.dr_region is None and dev.rpo_region_loss_hours is None and dev.region_loss_steps == ()
    assert "not covered" in " ".join(markdown_lines(load_environment("dev")))
    with_copy = dr_figures(load_environment("dev", backup={"dr_region": "us-east-2", "retention_days": 7}))
    assert (with_copy.dr_region, with_copy.dr_retention_days) == ("us-east-2", 7)


def test_a_bigger_database_takes_longer_to_restore() -> None:
    small = dr_figures(load_environment("staging"))
    big = dr_figures(
        load_environment("staging", database={"allocated_storage_gb": 500, "max_allocated_storage_gb": 1000})
    )
    assert big.rto_in_region_minutes > small.rto_in_region_minutes


def test_summary_lines_name_the_figures() -> None:
    lines = markdown_lines(load_environment("prod"))
    assert lines[0].startswith("**Disaster recovery (prod):**")
    assert "us-west-2" in lines[1] and "RPO <= 27 h" in lines[1]


def drill_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("dr_drill", ROOT / "scripts" / "dr_drill.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


UNPROTECTED_KEY: str = drill_script().UNPROTECTED_KEY
RECOVERY_POINT = (
    "arn:aws:rds:us-west-2:333333333333:snapshot:awsbackup:job-0a1b2c3d-4e5f-6789-abcd-ef0123456789"
)
CHECK_SQL = "SELECT 1/count(*) FROM orders"
REGION = "us-west-2"  # prod's DR region


@dataclass(frozen=True)
class Drill:
    stacks_dir: Path
    stack: StackJson
    stdout: str


@pytest.fixture(scope="module")
def drill(tmp_path_factory: pytest.TempPathFactory) -> Drill:
    """``scripts/dr_drill.py`` for prod, with an application query, as the runbook runs it."""
    outdir = tmp_path_factory.mktemp("cdktf.out.drill")
    command = [sys.executable, str(ROOT / "scripts" / "dr_drill.py"), "--env", "prod"]
    command += ["--recovery-point", RECOVERY_POINT, "--outdir", str(outdir), "--check-sql", CHECK_SQL]
    path = f"{ROOT / 'node_modules' / '.bin'}{os.pathsep}{os.environ.get('PATH', '')}"
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=300, cwd=ROOT, env={**os.environ, "PATH": path}
    )
    assert done.returncode == 0, done.stderr[-2000:]
    stack = json.loads((outdir / "stacks" / "prod-dr-drill" / "cdk.tf.json").read_text())
    return Drill(stacks_dir=outdir / "stacks", stack=stack, stdout=done.stdout)


def test_the_drill_stack_restores_the_recovery_point_in_the_dr_region(drill: Drill) -> None:
    stack = drill.stack
    (provider,) = stack["provider"]["aws"]
    assert provider["region"] == "us-west-2"
    (db,) = stack["resource"]["aws_db_instance"].values()
    assert db["snapshot_identifier"] == RECOVERY_POINT
    assert db["deletion_protection"] is False
    assert db["storage_encrypted"] is True and db["manage_master_user_password"] is True
    # Throwaway: nothing in the drill stack blocks its teardown.
    lifecycles = [
        body.get("lifecycle", {}) for by_name in stack["resource"].values() for body in by_name.values()
    ]
    assert not [lifecycle for lifecycle in lifecycles if "prevent_destroy" in lifecycle]


def test_the_drill_checks_the_restored_database_with_psql_during_the_apply(drill: Drill) -> None:
    resources = drill.stack["resource"]
    ((db_name, db),) = resources["aws_db_instance"].items()
    (task_definition,) = resources["aws_ecs_task_definition"].values()
    (container,) = json.loads(task_definition["container_definitions"])
    assert container["image"] == f"public.ecr.aws/docker/library/postgres:{db['engine_version']}-alpine"
    shell, flag, script = container["command"]
    assert (shell, flag) == ("sh", "-c")
    assert 'psql "$DATABASE_URL"' in script and "ON_ERROR_STOP=1" in script
    assert "PGSSLROOTCERT=" in script  # verify-full needs the RDS CA bundle
    assert "FROM pg_catalog.pg_tables" in script and CHECK_SQL + ";" in script
    # The master login: PGPASSWORD from the restored instance's RDS-managed secret, TLS verified.
    secrets = {secret["name"]: secret["valueFrom"] for secret in container["secrets"]}
    assert (
        secrets["PGPASSWORD"] == f"${{aws_db_instance.{db_name}.master_user_secret[0].secret_arn}}:password::"
    )
    (url,) = resources["aws_secretsmanager_secret_version"].values()
    assert url["secret_string"].endswith("?sslmode=verify-full")
    assert f"aws_db_instance.{db_name}.address" in url["secret_string"]
    # The task's security group reaches the database port, and the database lets it in.
    (task_sg_name,) = (name for name in resources["aws_security_group"] if "check" in name)
    task_sg = f"${{aws_security_group.{task_sg_name}.id}}"
    port = db["port"]
    ingress = [
        rule
        for rule in resources["aws_vpc_security_group_ingress_rule"].values()
        if rule["referenced_security_group_id"] == task_sg
    ]
    assert [(rule["from_port"], rule["to_port"]) for rule in ingress] == [(port, port)]
    egress = [
        rule for rule in resources["aws_vpc_security_group_egress_rule"].values() if rule["from_port"] == port
    ]
    assert [rule["security_group_id"] for rule in egress] == [task_sg]
    # In the private subnets, run by the apply after the database and the rules exist.
    (run_name, run) = next(iter(resources["terraform_data"].items()))
    assert f"aws_db_instance.{db_name}" in run["depends_on"]
    ingress_names = [
        name
        for name, rule in resources["aws_vpc_security_group_ingress_rule"].items()
        if rule["referenced_security_group_id"] == task_sg
    ]
    assert f"aws_vpc_security_group_ingress_rule.{ingress_names[0]}" in run["depends_on"]
    (local_exec,) = (provisioner["local-exec"] for provisioner in run["provisioner"])
    assert 'test "$exit_code" = 0' in local_exec["command"]
    network = local_exec["environment"]["NETWORK_CONFIGURATION"]
    private = [name for name in resources["aws_subnet"] if "_private_" in name]
    assert private and all(f"aws_subnet.{name}.id" in network for name in private)
    assert "_public_" not in network and "_isolated_" not in network
    assert run_name.endswith("_run")


def test_the_drill_prints_the_three_commands(drill: Drill) -> None:
    folder = drill.stacks_dir / "prod-dr-drill"
    lines = drill.stdout.splitlines()
    assert f"   cd {folder} && terraform init && terraform apply" in lines
    log_group = next(iter(drill.stack["resource"]["aws_ecs_task_definition"].values()))
    (container,) = json.loads(log_group["container_definitions"])
    group_ref = container["logConfiguration"]["options"]["awslogs-group"]
    (group_name,) = (
        name for name in drill.stack["resource"]["aws_cloudwatch_log_group"] if name in group_ref
    )
    group = drill.stack["resource"]["aws_cloudwatch_log_group"][group_name]["name"]
    assert f"2. the check task's output: aws logs tail {group} --region us-west-2 --since 3h" in lines
    assert any(line.startswith(f"3. tear down: cd {folder} && terraform destroy") for line in lines)


def test_the_drill_rejects_a_check_sql_that_would_end_the_here_document(tmp_path: Path) -> None:
    command = [sys.executable, str(ROOT / "scripts" / "dr_drill.py"), "--recovery-point", RECOVERY_POINT]
    command += ["--outdir", str(tmp_path), "--check-sql", "SELECT 1;\nSQL\nDROP TABLE orders"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode != 0 and "here-document" in done.stderr
    assert not (tmp_path / "stacks").exists()


@pytest.mark.slow
def test_the_drill_stack_fails_checkov_only_where_the_drill_means_to(drill: Drill) -> None:
    """0 failed outside the reviewed skips and the drill's three deliberate exceptions: no
    prevent_destroy (CKV_STACKKIT_2, on exactly the resources the script marks), no deletion
    protection (CKV_STACKKIT_3) and one AZ (CKV_STACKKIT_4) on the restored instance."""
    (report,) = run_checkov(drill.stacks_dir).values()
    resources = drill.stack["resource"]
    (db_name,) = resources["aws_db_instance"]
    unprotected = {
        f"{resource_type}.{name}"
        for resource_type, by_name in resources.items()
        for name, body in by_name.items()
        if UNPROTECTED_KEY in body.get("//", {})
    }
    assert len(unprotected) >= 10
    failed = {(finding.check_id, finding.resource) for finding in report.failed}
    no_prevent_destroy = {address for check_id, address in failed if check_id == "CKV_STACKKIT_2"}
    # Only where the script removed it (a subnet group has it too, but CKV_STACKKIT_2 does not
    # cover subnet groups): the database, its key and log groups among them.
    assert no_prevent_destroy <= unprotected
    assert {f"aws_db_instance.{db_name}", "aws_kms_key.stackkit_drill_db_key"} <= no_prevent_destroy
    assert {finding for finding in failed if finding[0] != "CKV_STACKKIT_2"} == {
        ("CKV_STACKKIT_3", f"aws_db_instance.{db_name}"),
        ("CKV_STACKKIT_4", f"aws_db_instance.{db_name}"),
    }
    skipped = {(finding.check_id, finding.resource) for finding in report.skipped}
    assert ("CKV_AWS_293", f"aws_db_instance.{db_name}") in skipped
    assert len(report.passed) >= 180


# -- the same figures from the synthesized JSON (stackkit summary) ------------------------------


@pytest.mark.parametrize("env", ENVIRONMENT_NAMES)
def test_the_json_gives_the_figures_the_configuration_gives(stacks: dict[str, StackJson], env: str) -> None:
    (from_json,) = stack_figures(env, stacks[env])
    assert from_json == dr_figures(load_environment(env))
    assert from_json.resource == "aws_db_instance.stackkit_db"


@pytest.mark.parametrize("env", ENVIRONMENT_NAMES)
def test_the_summary_shows_the_configuration_figures(stacks: dict[str, StackJson], env: str) -> None:
    text = summary_markdown({env: stacks[env]})
    assert "### Disaster recovery" in text
    # Every row of the runbook's table for this environment (computed from the configuration)
    # is a row of the summary's table (computed from the JSON).
    rows = markdown_table([load_environment(env)]).splitlines()[2:]
    assert len(rows) > 5
    for row in rows:
        assert row in text, row
    assert markdown_lines(load_environment(env))[1] in text


def test_a_stack_without_database_or_backup_plan_has_no_dr_section(stacks: dict[str, StackJson]) -> None:
    stateless = copy.deepcopy(stacks["dev"])
    for resource_type in list(stateless["resource"]):
        if resource_type.startswith(("aws_db_", "aws_backup_")):
            del stateless["resource"][resource_type]
    assert stack_figures("dev", stateless) == []
    text = summary_markdown({"dev": stateless})
    assert "```mermaid" in text and "Disaster recovery" not in text
    assert "Disaster recovery" in summary_markdown({"dev": stacks["dev"]})


def hand_built(retention: int = 7, cache_retention: int = 3) -> StackJson:
    """Another team's stack: a database in eu-west-1 backed up twice a day, copied to
    eu-central-1 by literal ARN, a compliance-locked vault, a cache."""
    return {
        "provider": {"aws": [{"region": "eu-west-1"}]},
        "resource": {
            "aws_db_instance": {
                "orders": {
                    "backup_retention_period": retention,
                    "backup_window": "01:00-01:30",
                    "multi_az": False,
                    "allocated_storage": 100,
                    "max_allocated_storage": 400,
                }
            },
            "aws_backup_vault": {"main": {"name": "orders"}},
            "aws_backup_vault_lock_configuration": {
                "main": {"backup_vault_name": "orders", "changeable_for_days": 3, "min_retention_days": 7}
            },
            "aws_backup_plan": {
                "orders": {
                    "name": "orders",
                    "rule": [
                        {
                            "rule_name": "weekly",
                            "schedule": "cron(0 2 ? * SUN *)",
                            "target_vault_name": "${aws_backup_vault.main.name}",
                            "lifecycle": {"delete_after": 365},
                        },
                        {
                            "rule_name": "twice-a-day",
                            "schedule": "cron(30 0/12 * * ? *)",
                            "start_window": 120,
                            "target_vault_name": "${aws_backup_vault.main.name}",
                            "lifecycle": {"delete_after": 14},
                            "copy_action": [
                                {
                                    "destination_vault_arn": (
                                        "arn:aws:backup:eu-central-1:444444444444:backup-vault:orders-dr"
                                    ),
                                    "lifecycle": {"delete_after": 21},
                                }
                            ],
                        },
                    ],
                }
            },
            "aws_backup_selection": {
                "orders": {
                    "plan_id": "${aws_backup_plan.orders.id}",
                    "resources": ["${aws_db_instance.orders.arn}"],
                }
            },
            "aws_elasticache_replication_group": {
                "sessions": {"snapshot_retention_limit": cache_retention, "snapshot_window": "05:00-06:00"}
            },
        },
    }


def test_the_parser_reads_the_keys_that_make_the_figures() -> None:
    (f,) = stack_figures("orders-prod", hand_built())
    assert (f.environment, f.resource, f.region) == ("orders-prod", "aws_db_instance.orders", "eu-west-1")
    assert (f.pitr_window_days, f.multi_az, f.db_backup_window) == (7, False, "01:00-01:30")
    # The copying rule wins over the weekly one: every 12 h, 2 h start window, the assumed copy delay.
    assert (f.backup_frequency_hours, f.backup_time, f.backup_retention_days) == (
        12,
        "`cron(30 0/12 * * ? *)` UTC",
        14,
    )
    assert (f.dr_region, f.dr_retention_days, f.vault_lock) == ("eu-central-1", 21, "compliance")
    assert f.rpo_region_loss_hours == 12 + 2 + ASSUMED_COPY_DELAY_HOURS
    assert (f.cache_snapshot_retention_days, f.cache_snapshot_window) == (3, "05:00-06:00")
    # The restore copies up to the storage ceiling (400 GB), not the allocated 100 GB.
    assert f.rto_in_region_minutes == dr_figures(load_environment("dev")).rto_in_region_minutes + 30

    # Changing a key changes its figure.
    assert stack_figures("orders-prod", hand_built(retention=14))[0].pitr_window_days == 14
    assert stack_figures("orders-prod", hand_built(cache_retention=0))[0].cache_snapshot_window is None
    # Without automated backups there is no point in time: the in-region RPO is the rule's
    # interval plus its start window.
    (no_pitr,) = stack_figures("orders-prod", hand_built(retention=0))
    assert no_pitr.pitr_granularity_minutes is None
    assert no_pitr.rpo_in_region_minutes == (12 + 2) * 60
    text = summary_markdown({"orders-prod": hand_built(retention=14)})
    assert "| point-in-time window / granularity | 14 days / 5 min |" in text
    assert "| RPO, region lost | <= 16 h |" in text


def test_a_copy_in_the_same_region_is_not_a_dr_copy() -> None:
    stack = hand_built()
    rule = stack["resource"]["aws_backup_plan"]["orders"]["rule"][1]
    rule["copy_action"][0]["destination_vault_arn"] = "arn:aws:backup:eu-west-1:444444444444:backup-vault:x"
    (f,) = stack_figures("orders-prod", stack)
    assert f.dr_region is None and f.rpo_region_loss_hours is None and f.region_loss_steps == ()


@pytest.mark.parametrize(
    ("schedule", "hours"),
    [
        ("cron(0 6 * * ? *)", 24),
        ("cron(0 5 ? * * *)", 24),
        ("cron(15 * ? * * *)", 1),
        ("cron(0 0/8 * * ? *)", 8),
        ("cron(0 1,5 * * ? *)", 20),
        ("cron(0 2 ? * SUN *)", 168),
        ("cron(0 2 ? * MON-FRI *)", 72),
        ("cron(0 2 1 * ? *)", 744),
        ("rate(1 day)", None),
        ("cron(0 2 L * ? *)", None),
    ],
)
def test_schedule_intervals(schedule: str, hours: int | None) -> None:
    assert schedule_interval_hours(schedule) == hours
