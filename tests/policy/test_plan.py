"""Terraform's own plan (``stackkit diff --plan STACK=PLAN.json``) on plan documents written from
Terraform's JSON output format page (tests/policy/plan_fixtures.py), next to the prediction."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from stackkit.cli import main
from stackkit.policy.plan import (
    PlanError,
    classify,
    parse_plan,
    path_text,
    read_plan,
    read_plans,
    require_stacks,
)
from stackkit.policy.plan_check import PlanCheck, check_plan
from stackkit.policy.replacement import DiffResult, diff_outputs
from tests.policy.plan_fixtures import (
    BASE,
    DB,
    head_with,
    plan_document,
    resource_change,
    write_plan,
    write_stacks,
)


def checked(head: dict[str, Any], *changes: dict[str, Any]) -> tuple[DiffResult, PlanCheck]:
    result = diff_outputs({"dev": BASE}, {"dev": head})
    check = check_plan(result.stacks["dev"], parse_plan("dev", plan_document(*changes)), BASE, head)
    return result, check


def reasons(result: DiffResult) -> dict[str, str]:
    return {risk.address: risk.reason for risk in result.risks}


# --- reading the plan ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actions", "action"),
    [
        (["create"], "create"),
        (["update"], "update"),
        (["delete", "create"], "replace"),
        (["create", "delete"], "replace"),
        (["delete"], "delete"),
        (["no-op"], "other"),
        (["read"], "other"),
        (["forget"], "other"),
        (["create", "forget"], "create"),  # a replacement that leaves the old object: nothing destroyed
    ],
)
def test_each_documented_action_list_is_one_word(actions: list[str], action: str) -> None:
    assert classify(actions) == action


def test_counts_per_stack_leave_out_no_ops_data_sources_and_forgotten_objects() -> None:
    plan = parse_plan(
        "dev",
        plan_document(
            resource_change("aws_s3_bucket.new", ["create"]),
            resource_change("aws_security_group.web", ["update"]),
            resource_change("aws_ecs_task_definition.app", ["delete", "create"]),
            resource_change("aws_lb_target_group.api", ["create", "delete"]),
            resource_change("aws_sns_topic.old", ["delete"]),
            resource_change("aws_iam_role.kept", ["forget"]),
            {**resource_change("data.aws_caller_identity.current", ["read"]), "mode": "data"},
            untouched=False,
        ),
    )
    assert plan.counts() == {"create": 1, "update": 1, "replace": 2, "delete": 1}
    assert "data.aws_caller_identity.current" not in {change.address for change in plan.changes}


def test_instances_and_module_resources_are_named_by_their_resource() -> None:
    plan = parse_plan(
        "dev",
        plan_document(
            resource_change("aws_subnet.private[0]", ["update"]),
            resource_change("module.logs.aws_s3_bucket.logs", ["delete"], module_address="module.logs"),
            untouched=False,
        ),
    )
    assert [(c.address, c.resource, c.in_root_module) for c in plan.changes] == [
        ("aws_subnet.private[0]", "aws_subnet.private", True),
        ("module.logs.aws_s3_bucket.logs", "module.logs.aws_s3_bucket.logs", False),
    ]


def test_replace_paths_read_as_terraform_writes_them() -> None:
    assert path_text(["tags", "Name"]) == "tags.Name"
    assert path_text(["ebs_block_device", 0, "volume_size"]) == "ebs_block_device[0].volume_size"
    change = parse_plan(
        "dev",
        plan_document(
            resource_change(
                DB, ["delete", "create"], replace_paths=[["engine"], ["tags", "Name"], ["engine"]]
            ),
            untouched=False,
        ),
    ).changes[0]
    assert change.replace_attributes == ("engine", "tags")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"PK\x03\x04binary",
            "is a binary plan file: pass its JSON, `terraform show -json tfplan > tfplan.json`",
        ),
        (b"Plan: 1 to add", "is not JSON"),
        (
            b'{"resource_changes": []}',
            "has no format_version: it is not `terraform show -json PLANFILE` output",
        ),
        (
            b'{"format_version": "2.0", "resource_changes": []}',
            "has format_version 2.0: stackkit reads Terraform's JSON output format 1.x",
        ),
        (
            b'{"format_version": "1.0", "terraform_version": "1.11.4", "values": {}}',
            "is a state (`terraform show -json` without a plan file): pass `terraform show -json PLANFILE`",
        ),
        (
            b'{"format_version": "1.2", "planned_values": {}, "resource_changes": [], "errored": true}',
            "Terraform reports the plan errored (it is incomplete)",
        ),
        (
            b'{"format_version": "1.2", "resource_changes": [{"address": "aws_vpc.main", "type": "aws_vpc", '
            b'"name": "main", "change": {"before": null}}]}',
            "resource_changes[0] has no change.actions list",
        ),
        (
            b'{"format_version": "1.2", "resource_changes": [{"address": "aws_vpc.main", "type": "aws_vpc", '
            b'"name": "main", "change": {"actions": ["delete", "create"], "replace_paths": "cidr_block"}}]}',
            "resource_changes[0]: change.replace_paths is not a list of paths",
        ),
    ],
)
def test_what_is_not_a_plan_is_refused_by_name(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "tfplan"
    path.write_bytes(content)
    with pytest.raises(PlanError) as error:
        read_plan("dev", path)
    assert f"--plan dev={path}" in str(error.value)
    assert message in str(error.value)


def test_a_plan_for_an_unknown_stack_or_twice_for_one_is_refused(tmp_path: Path) -> None:
    path = write_plan(tmp_path / "plan.json", plan_document())
    with pytest.raises(PlanError, match=r"--plan dev= is given twice: one plan per stack"):
        read_plans([("dev", path), ("dev", path)])
    plans = read_plans([("prod", path)])
    with pytest.raises(PlanError, match=r"no stack named prod; the stacks are dev, staging"):
        require_stacks(plans, {"dev": {}, "staging": {}})
    with pytest.raises(PlanError, match=r"--plan dev=.*missing.json: No such file or directory"):
        read_plans([("dev", tmp_path / "missing.json")])


# --- the plan next to the prediction ----------------------------------------------------------


def test_a_database_the_plan_replaces_fails_as_a_predicted_one() -> None:
    result, check = checked(
        BASE, resource_change(DB, ["delete", "create"], action_reason="replace_because_tainted")
    )
    assert reasons(result) == {
        DB: "replaced: Terraform's plan replaces it (destroy, then create; "
        "the object is tainted in the state)"
    }
    assert [risk.key for risk in result.unacknowledged(())] == ["dev/aws_db_instance.shop_db"]
    assert result.unacknowledged(("dev/aws_db_instance.shop_db",)) == []
    assert result.unacknowledged(("aws_db_instance.shop_db",)) == []
    assert check.mismatches == ()  # a tainted object is no fault of the prediction
    assert check.plan.counts() == {"create": 0, "update": 0, "replace": 1, "delete": 0}


def test_a_predicted_replacement_the_plan_confirms_stays_one_risk() -> None:
    head = head_with(aws_db_instance={"engine": "mysql"})
    result, check = checked(head, resource_change(DB, ["delete", "create"], replace_paths=[["engine"]]))
    assert reasons(result) == {DB: 'replaced: engine "postgres" -> "mysql" forces a new resource'}
    assert check.confirmed == ("dev/aws_db_instance.shop_db",)
    assert check.added == () and check.mismatches == ()


def test_an_in_place_update_passes() -> None:
    head = head_with(aws_db_instance={"instance_class": "db.t3.large"})
    result, check = checked(head, resource_change(DB, ["update"]))
    assert result.risks == [] and check.mismatches == ()
    assert check.plan.counts() == {"create": 0, "update": 1, "replace": 0, "delete": 0}


def test_an_unpredicted_replacement_is_a_mismatch_naming_the_missing_table_row() -> None:
    """``nchar_character_set_name`` of an Oracle instance is "(Optional, Forces new resource)"
    (AWS provider, aws_db_instance argument reference), and the replacement table has no row for
    it: the plan's ``replace_paths`` names the row to add."""
    head = head_with(aws_db_instance={"nchar_character_set_name": "UTF8"})
    result, check = checked(
        head,
        resource_change(
            DB,
            ["delete", "create"],
            replace_paths=[["nchar_character_set_name"]],
            action_reason="replace_because_cannot_update",
        ),
    )
    (mismatch,) = check.mismatches
    assert (mismatch.address, mismatch.kind, mismatch.attributes) == (
        DB,
        "unpredicted-replacement",
        ("nchar_character_set_name",),
    )
    assert mismatch.message == (
        "Terraform's plan replaces it (replace_paths: nchar_character_set_name) but stackkit predicted "
        "no replacement: missing row(s) of the replacement table (FORCES_REPLACEMENT): "
        "aws_db_instance.nchar_character_set_name"
    )
    # The database is guarded: its replacement is a risk, from the plan.
    assert reasons(result) == {
        DB: "replaced: Terraform's plan replaces it "
        "(destroy, then create; replace_paths: nchar_character_set_name)"
    }


def test_an_unpredicted_replacement_on_a_row_the_table_has_is_not_called_a_missing_row() -> None:
    """``engine`` of aws_db_instance is in the table; BASE and HEAD both say postgres, yet the plan
    replaces the database for it (the deployed one differs from BASE): the row is not missing."""
    result, check = checked(BASE, resource_change(DB, ["delete", "create"], replace_paths=[["engine"]]))
    (mismatch,) = check.mismatches
    assert mismatch.kind == "unpredicted-replacement" and mismatch.missing_rows == ()
    assert mismatch.message == (
        "Terraform's plan replaces it (replace_paths: engine) but stackkit predicted no replacement: "
        "aws_db_instance.engine already in the replacement table: BASE and HEAD do not change it as "
        "written (a referenced object's new value, or the deployed object differs from BASE)"
    )
    assert DB in reasons(result)  # still a risk, from the plan
    # One row the table has and one it lacks: only the second is called missing.
    _, mixed = checked(
        BASE,
        resource_change(DB, ["delete", "create"], replace_paths=[["engine"], ["nchar_character_set_name"]]),
    )
    (both,) = mixed.mismatches
    assert both.missing_rows == ("aws_db_instance.nchar_character_set_name",)
    assert both.message == (
        "Terraform's plan replaces it (replace_paths: engine, nchar_character_set_name) but stackkit "
        "predicted no replacement: missing row(s) of the replacement table (FORCES_REPLACEMENT): "
        "aws_db_instance.nchar_character_set_name; aws_db_instance.engine already in the replacement "
        "table: BASE and HEAD do not change it as written (a referenced object's new value, or the "
        "deployed object differs from BASE)"
    )


def test_a_predicted_replacement_made_in_place_is_a_mismatch_and_still_a_risk() -> None:
    """Provider 5.x renames a database in place; the guard refuses the new identifier all the same."""
    head = head_with(aws_db_instance={"identifier": "shop-main-db"})
    result, check = checked(head, resource_change(DB, ["update"]))
    (mismatch,) = check.mismatches
    assert mismatch.kind == "replacement-not-planned"
    assert mismatch.message == (
        "stackkit predicted a replacement (identifier changed) but Terraform's plan makes it in place: the "
        "row(s) aws_db_instance.identifier of the replacement table may not force a new resource with this "
        "provider"
    )
    assert DB in reasons(result)


def test_deletions_the_plan_makes_are_risks_and_confirm_predicted_removals() -> None:
    log_group = "aws_cloudwatch_log_group.shop_app"
    drift, check = checked(
        BASE, resource_change(log_group, ["delete"], action_reason="delete_because_no_resource_config")
    )
    assert reasons(drift) == {
        log_group: "removed: Terraform's plan destroys it (no longer in the configuration)"
    }
    head = head_with()
    del head["resource"]["aws_cloudwatch_log_group"]
    removed, check = checked(head, resource_change(log_group, ["delete"]))
    assert reasons(removed) == {log_group: "removed: Terraform destroys it"}
    assert check.confirmed == ("dev/aws_cloudwatch_log_group.shop_app",)


def test_a_safe_replacement_and_unguarded_ones_are_no_risk() -> None:
    safe = {"name_prefix": "api-", "port": 3000, "lifecycle": {"create_before_destroy": True}}
    base = {**BASE, "resource": {**BASE["resource"], "aws_lb_target_group": {"api": safe}}}
    head = {**base, "resource": {**base["resource"], "aws_lb_target_group": {"api": {**safe, "port": 8080}}}}
    result = diff_outputs({"dev": base}, {"dev": head})
    plan = plan_document(
        resource_change("aws_lb_target_group.api", ["create", "delete"], replace_paths=[["port"]]),
        resource_change(
            "aws_ecs_task_definition.shop_app",
            ["delete", "create"],
            replace_paths=[["container_definitions"]],
        ),
        resource_change("aws_iam_role.kept", ["forget"]),
    )
    check = check_plan(result.stacks["dev"], parse_plan("dev", plan), base, head)
    assert result.risks == [] and check.mismatches == ()
    assert check.plan.counts()["replace"] == 2
    # The same configuration, but Terraform's plan destroys first: not safe, whatever the body says.
    result = diff_outputs({"dev": base}, {"dev": head})
    plan = plan_document(
        resource_change("aws_lb_target_group.api", ["delete", "create"], replace_paths=[["port"]])
    )
    check_plan(result.stacks["dev"], parse_plan("dev", plan), base, head)
    assert reasons(result) == {
        "aws_lb_target_group.api": (
            "replaced: Terraform's plan replaces it (destroy, then create; replace_paths: port)"
        )
    }


def test_a_replacement_replace_triggered_by_causes_is_a_risk_but_no_missing_table_row() -> None:
    result, check = checked(
        BASE, resource_change(DB, ["delete", "create"], action_reason="replace_by_triggers")
    )
    assert reasons(result) == {
        DB: "replaced: Terraform's plan replaces it (destroy, then create; "
        "replace_triggered_by: something it names changes)"
    }
    assert check.mismatches == ()


def test_a_deposed_object_an_instance_key_and_a_missing_move_target_name_their_resource() -> None:
    result, check = checked(
        BASE,
        resource_change(DB, ["delete"], deposed="deadbeef"),
        resource_change(
            'aws_cloudwatch_log_group.shop_app["a"]',
            ["delete"],
            index="a",
            action_reason="delete_because_no_move_target",
        ),
        resource_change("aws_security_group.shop_web", ["create", "forget"]),
    )
    assert reasons(result) == {
        DB: "removed: Terraform's plan destroys it (its deposed object deadbeef)",
        "aws_cloudwatch_log_group.shop_app": (
            "removed: Terraform's plan destroys it (a moved block's target is not in the configuration)"
        ),
    }
    assert check.plan.counts() == {"create": 1, "update": 0, "replace": 0, "delete": 2}
    assert check.mismatches == ()


def test_a_module_resource_is_guarded_but_not_compared_with_the_prediction() -> None:
    address = "module.legacy.aws_db_instance.main"
    result, check = checked(
        BASE,
        resource_change(
            address, ["delete"], module_address="module.legacy", action_reason="delete_because_no_module"
        ),
    )
    assert reasons(result) == {
        address: "removed: Terraform's plan destroys it (its module is no longer in the configuration)"
    }
    assert check.mismatches == ()


# --- the command ------------------------------------------------------------------------------


@pytest.fixture
def outputs(tmp_path: Path) -> tuple[Path, Path]:
    return write_stacks(tmp_path / "base", {"dev": BASE}), tmp_path / "head"


def test_diff_with_a_plan_fails_on_the_replaced_database_until_acknowledged(
    outputs: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base, head = outputs
    write_stacks(head, {"dev": BASE})
    plan = write_plan(
        tmp_path / "dev.json",
        plan_document(resource_change(DB, ["delete", "create"], replace_paths=[["kms_key_id"]])),
    )
    assert main(["diff", str(base), str(head), "--plan", f"dev={plan}"]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[:2] == [
        "== Terraform's plan for dev: 0 to create, 0 to update, 1 to replace, 0 to destroy",
        "   -/+ aws_db_instance.shop_db (replace_paths: kms_key_id)",
    ]
    assert (
        "   RISK aws_db_instance.shop_db: replaced: Terraform's plan replaces it (destroy, then create; "
        "replace_paths: kms_key_id)" in out
    )
    assert out.endswith(
        "1 stateful resource(s) would be destroyed or replaced. If that is intended, acknowledge each one:\n"
        "   --allow-replace dev/aws_db_instance.shop_db\n"
    )
    assert main(["diff", str(base), str(head), "--plan", f"dev={plan}", "--allow-replace", "dev/" + DB]) == 0
    assert "ACKNOWLEDGED aws_db_instance.shop_db" in capsys.readouterr().out


def test_diff_with_a_plan_passes_an_in_place_update(
    outputs: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base, head = outputs
    write_stacks(head, {"dev": head_with(aws_db_instance={"instance_class": "db.t3.large"})})
    plan = write_plan(tmp_path / "dev.json", plan_document(resource_change(DB, ["update"])))
    assert main(["diff", str(base), str(head), "--plan", f"dev={plan}"]) == 0
    out = capsys.readouterr().out
    assert "== Terraform's plan for dev: 0 to create, 1 to update, 0 to replace, 0 to destroy" in out
    assert "No unacknowledged destruction or replacement of stateful resources." in out


def test_a_bad_plan_fails_before_any_synthesis(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "tfplan"
    plan.write_bytes(b"PK\x03\x04")
    # The revisions do not exist: had they been synthesized first, the error would name them.
    assert main(["diff", "no-such-rev", "no-such-rev-either", "--plan", f"dev={plan}"]) == 2
    assert "is a binary plan file" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        main(["diff", "a", "b", "--plan", "dev"])
    assert usage.value.code == 2
    assert "expected STACK=PLAN.json" in capsys.readouterr().err


def test_summary_json_carries_the_plan_counts_and_the_json_is_the_documented_one(
    outputs: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base, head = outputs
    write_stacks(head, {"dev": head_with(aws_db_instance={"instance_class": "db.t3.large"})})
    plan = write_plan(tmp_path / "dev.json", plan_document(resource_change(DB, ["update"])))
    assert (
        main(
            ["summary", "--from", str(head), "--base", str(base), "--plan", f"dev={plan}", "--format", "json"]
        )
        == 0
    )
    document = json.loads(capsys.readouterr().out)
    assert document["stacks"]["dev"]["plan"] == {"create": 0, "update": 1, "replace": 0, "delete": 0}
    assert document["has_changes"] is True


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("terraform") is None, reason="needs the terraform binary")
def test_a_real_terraform_plan_reads_as_the_documented_format(tmp_path: Path) -> None:
    """The fixtures above follow the documentation; this checks the reader on Terraform's own
    output too, with ``terraform_data`` (built into Terraform: no provider to download)."""
    env = {**os.environ, "CHECKPOINT_DISABLE": "1", "TF_IN_AUTOMATION": "1", "TF_CLI_CONFIG_FILE": os.devnull}

    def terraform(*args: str) -> str:
        done = subprocess.run(
            ["terraform", f"-chdir={tmp_path}", *args], env=env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def configure(resources: dict[str, dict[str, Any]]) -> None:
        (tmp_path / "main.tf.json").write_text(json.dumps({"resource": {"terraform_data": resources}}))

    configure({"a": {"triggers_replace": ["x"]}, "b": {"input": "keep"}, "c": {"input": "gone"}})
    terraform("init", "-input=false", "-no-color")
    terraform("apply", "-input=false", "-no-color", "-auto-approve")
    configure({"a": {"triggers_replace": ["y"]}, "b": {"input": "changed"}, "d": {"input": "new"}})
    terraform("plan", "-input=false", "-no-color", "-out=tfplan")
    (tmp_path / "plan.json").write_text(terraform("show", "-json", "tfplan"))

    plan = read_plan("dev", tmp_path / "plan.json")
    assert {change.resource: change.action for change in plan.changes} == {
        "terraform_data.a": "replace",
        "terraform_data.b": "update",
        "terraform_data.c": "delete",
        "terraform_data.d": "create",
    }
    (replaced,) = [change for change in plan.changes if change.action == "replace"]
    assert (replaced.actions, replaced.replace_paths, replaced.action_reason) == (
        ("delete", "create"),
        (("triggers_replace",),),
        "replace_because_cannot_update",
    )
    assert plan.counts() == {"create": 1, "update": 1, "replace": 1, "delete": 1}
    with pytest.raises(PlanError, match="is a binary plan file"):
        read_plan("dev", tmp_path / "tfplan")
    (tmp_path / "state.json").write_text(terraform("show", "-json"))
    with pytest.raises(PlanError, match=r"is a state \(`terraform show -json` without a plan file\)"):
        read_plan("dev", tmp_path / "state.json")


def test_the_plan_can_come_on_standard_input_once(
    outputs: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``terraform show -json tfplan | stackkit diff ... --plan dev=-``: no file holds the plan."""
    base, head = outputs
    write_stacks(head, {"dev": BASE})
    document = json.dumps(plan_document(resource_change(DB, ["delete"]))).encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(document)))
    assert main(["diff", str(base), str(head), "--plan", "dev=-"]) == 1
    assert "   RISK aws_db_instance.shop_db: removed: Terraform's plan destroys it" in capsys.readouterr().out
    with pytest.raises(PlanError, match=r"--plan STACK=- is given twice: standard input holds one plan"):
        read_plans([("dev", Path("-")), ("prod", Path("-"))])
