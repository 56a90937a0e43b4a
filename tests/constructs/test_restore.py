"""Restore as code (issue 17): a Database or Cache from a snapshot or a point in time is a new
resource with every protection of the original, and the replacement guard treats switching an
existing one to a restore as the replacement it is."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from stackkit import (
    CacheRestore,
    Database,
    DatabaseProps,
    DatabaseRestore,
    Network,
    NetworkProps,
    ValidationError,
)
from stackkit._private.cdk import App, AwsProvider, AwsProviderDefaultTags, TerraformStack
from stackkit.policy.replacement import diff_outputs, load_stacks
from tests.conftest import StackJson, ref, resources
from tests.project.test_examples import load

EXAMPLE = "restore_database_and_cache"


@pytest.fixture(scope="module")
def restored(tmp_path_factory: pytest.TempPathFactory) -> StackJson:
    outdir = tmp_path_factory.mktemp("restore")
    load(EXAMPLE).main(["restore", str(outdir)])
    (stack,) = load_stacks(outdir).values()
    return stack


def test_databases_restore_from_a_snapshot_and_from_a_point_in_time(restored: StackJson) -> None:
    example = load(EXAMPLE)
    instances = resources(restored, "aws_db_instance")
    snapshot, pitr = instances["drill_snapshot_db"], instances["drill_pitr_db"]
    assert snapshot["snapshot_identifier"] == example.SNAPSHOT_ARN
    assert "restore_to_point_in_time" not in snapshot
    assert pitr["restore_to_point_in_time"] == {
        "source_db_instance_identifier": example.SOURCE_INSTANCE,
        "restore_time": "2026-11-29T23:55:00Z",
    }
    assert "snapshot_identifier" not in pitr
    # Each a new instance under its own identifier (required by restore_to_point_in_time).
    assert (snapshot["identifier"], pitr["identifier"]) == ("drill-snapshot-db", "drill-pitr-db")
    for body in (snapshot, pitr):
        # Key, database name and master user come from the source (no perpetual diff).
        for attribute in ("kms_key_id", "db_name", "username", "password"):
            assert attribute not in body, attribute


@pytest.mark.parametrize("name", ["drill_snapshot_db", "drill_pitr_db"])
def test_restored_databases_keep_every_protection(restored: StackJson, name: str) -> None:
    db = resources(restored, "aws_db_instance")[name]
    assert db["storage_encrypted"] is True
    assert db["deletion_protection"] is True
    assert db["lifecycle"] == {"prevent_destroy": True}
    assert (
        db["skip_final_snapshot"] is False and db["final_snapshot_identifier"] == f"{db['identifier']}-final"
    )
    assert db["manage_master_user_password"] is True
    assert ref(db["master_user_secret_kms_key_id"]) == f"aws_kms_key.{name}_key"
    assert db["publicly_accessible"] is False
    assert db["multi_az"] is True and db["backup_retention_period"] == 30
    assert db["iam_database_authentication_enabled"] is True
    assert db["performance_insights_enabled"] is True
    assert ref(db["parameter_group_name"]) == f"aws_db_parameter_group.{name}_parameters"
    assert ref(db["db_subnet_group_name"]) == f"aws_db_subnet_group.{name}_subnets"
    # Nobody reaches a restored database until a grant: its security group has no ingress rule.
    (group,) = db["vpc_security_group_ids"]
    rules = [
        rule
        for rule in resources(restored, "aws_vpc_security_group_ingress_rule").values()
        if ref(rule["security_group_id"]) == ref(group)
    ]
    assert rules == []


def test_cache_restores_from_a_snapshot_with_its_protections(restored: StackJson) -> None:
    (cache,) = resources(restored, "aws_elasticache_replication_group").values()
    assert cache["snapshot_name"] == load(EXAMPLE).CACHE_SNAPSHOT
    assert "snapshot_arns" not in cache
    assert cache["at_rest_encryption_enabled"] == "true" and cache["transit_encryption_enabled"] is True
    assert ref(cache["kms_key_id"]) == "aws_kms_key.drill_cache_key"
    assert cache["lifecycle"] == {"prevent_destroy": True}


# --- validation --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({}, "snapshot_identifier"),
        ({"snapshot_identifier": "a", "source_db_instance_identifier": "b"}, "snapshot_identifier"),
        ({"snapshot_identifier": "not a snapshot!"}, "snapshot_identifier"),
        ({"source_db_instance_identifier": "shop-db"}, "restore_time"),
        (
            {
                "source_db_instance_identifier": "shop-db",
                "use_latest_restorable_time": True,
                "restore_time": datetime(2026, 1, 1, tzinfo=UTC),
            },
            "restore_time",
        ),
        ({"snapshot_identifier": "snap-1", "use_latest_restorable_time": True}, "restore_time"),
        (
            {"source_db_instance_identifier": "Shop_DB", "use_latest_restorable_time": True},
            "source_db_instance_identifier",
        ),
        (
            {
                "source_db_instance_identifier": "shop-db",
                "restore_time": datetime(2026, 1, 1, tzinfo=timezone(timedelta(hours=2))),
            },
            "restore_time",
        ),
    ],
)
def test_bad_restore_sources_name_the_field(kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        DatabaseRestore(**kwargs)
    assert caught.value.fields == [field], str(caught.value)


def test_cache_restore_needs_exactly_one_source() -> None:
    with pytest.raises(ValidationError, match="exactly one"):
        CacheRestore()
    with pytest.raises(ValidationError, match="rdb"):
        CacheRestore(snapshot_arns=("arn:aws:s3:::bucket/dump.txt",))
    assert CacheRestore(snapshot_arns=("arn:aws:s3:::bucket/dump.rdb",)).snapshot_name is None


def test_latest_restorable_time_is_the_default_point() -> None:
    restore = DatabaseRestore.to_point_in_time("shop-db")
    assert restore.use_latest_restorable_time is True and restore.rfc3339_restore_time is None


# --- the replacement guard -------------------------------------------------------------------------


def _synth(outdir: Path, restore: DatabaseRestore | None) -> Path:
    app = App(outdir=str(outdir))
    stack = TerraformStack(app, "test")
    tags = {"Project": "shop", "Environment": "dev", "ManagedBy": "stackkit", "Owner": "t"}
    AwsProvider(stack, "aws", region="us-east-1", default_tags=[AwsProviderDefaultTags(tags=tags)])
    network = Network(
        stack, "network", NetworkProps(name="shop", availability_zones=("us-east-1a", "us-east-1b"))
    )
    Database(stack, "database", DatabaseProps(name="shop", network=network, restore_from=restore))
    app.synth()
    return outdir


@pytest.mark.parametrize(
    ("restore", "attribute"),
    [
        (DatabaseRestore.from_snapshot("shop-db-final"), "snapshot_identifier"),
        (DatabaseRestore.to_point_in_time("shop-db"), "restore_to_point_in_time"),
    ],
)
def test_switching_an_existing_database_to_a_restore_is_flagged(
    tmp_path: Path, restore: DatabaseRestore, attribute: str
) -> None:
    base = load_stacks(_synth(tmp_path / "base", None))
    head = load_stacks(_synth(tmp_path / "head", restore))
    risks = {risk.address: risk.reason for risk in diff_outputs(base, head).risks}
    assert list(risks) == ["aws_db_instance.shop_db"]
    reason = risks["aws_db_instance.shop_db"]
    assert attribute in reason and "forces a new resource" in reason
    assert "kms_key_id" in reason  # the restored instance keeps the source's key
