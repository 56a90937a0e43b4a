"""RPO/RTO in numbers (issue 17): computed from the environments' configuration; the runbook table
of docs/disaster-recovery.md is recomputed here and the test fails when it drifts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from stackkit.disaster_recovery import (
    ASSUMED_COPY_DELAY_HOURS,
    PITR_GRANULARITY_MINUTES,
    dr_figures,
    markdown_lines,
    markdown_steps,
    markdown_table,
)
from stacks.environments import ENVIRONMENT_NAMES, load_environment

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


@pytest.mark.parametrize("env", ["prod"])
def test_the_drill_stack_restores_the_recovery_point_in_the_dr_region(tmp_path: Path, env: str) -> None:
    arn = "arn:aws:rds:us-west-2:333333333333:snapshot:awsbackup:job-0a1b2c3d-4e5f-6789-abcd-ef0123456789"
    command = [sys.executable, str(ROOT / "scripts" / "dr_drill.py"), "--env", env]
    command += ["--recovery-point", arn, "--outdir", str(tmp_path)]
    path = f"{ROOT / 'node_modules' / '.bin'}{os.pathsep}{os.environ.get('PATH', '')}"
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=300, cwd=ROOT, env={**os.environ, "PATH": path}
    )
    assert done.returncode == 0, done.stderr[-2000:]
    stack = json.loads((tmp_path / "stacks" / f"{env}-dr-drill" / "cdk.tf.json").read_text())
    (provider,) = stack["provider"]["aws"]
    assert provider["region"] == "us-west-2"
    (db,) = stack["resource"]["aws_db_instance"].values()
    assert db["snapshot_identifier"] == arn
    assert db["deletion_protection"] is False
    assert db["storage_encrypted"] is True and db["manage_master_user_password"] is True
    # Throwaway: nothing in the drill stack blocks its teardown.
    assert "prevent_destroy" not in json.dumps(stack)
