"""The replacement guard on hand-written stacks: a rename explained with its fix, a removal beside
an unrelated addition not explained as a move, stale and malformed ``moved`` blocks reported (never
a crash), unused acknowledgements reported, and an empty or wrong folder refused (exit 2).

Every expected line is written out here: the wording is what a team reads and what the end-to-end
test of issue 22 asserts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from stackkit.cli import main
from stackkit.policy.replacement import DiffResult, diff_outputs, load_stacks, render_diff
from stackkit.policy.sources import SourceError
from stackkit.policy.summary import markdown


def db(name: str, *, identifier: str | None = None, instance_class: str = "db.t3.medium") -> dict[str, Any]:
    """An RDS instance as a Database construct named ``name`` writes it (trimmed)."""
    return {
        "identifier": identifier or f"{name}-db",
        "engine": "postgres",
        "engine_version": "15",
        "instance_class": instance_class,
        "allocated_storage": 20,
        "storage_encrypted": True,
        "kms_key_id": f"${{aws_kms_key.{name}_db_key.arn}}",
        "final_snapshot_identifier": f"{name}-db-final",
        "lifecycle": {"prevent_destroy": True},
        "tags": {"Name": f"{name}-db"},
    }


def key(name: str, purpose: str = "database storage") -> dict[str, Any]:
    return {
        "description": f"{name}-db: {purpose}",
        "enable_key_rotation": True,
        "deletion_window_in_days": 30,
        "tags": {"Name": f"{name}-db-key"},
    }


def stack(resources: dict[str, dict[str, dict[str, Any]]], **blocks: Any) -> dict[str, Any]:
    return {"resource": resources, **blocks}


def shop() -> dict[str, Any]:
    return stack({"aws_db_instance": {"shop_db": db("shop")}, "aws_kms_key": {"shop_db_key": key("shop")}})


def store(**blocks: Any) -> dict[str, Any]:
    resources = {"aws_db_instance": {"store_db": db("store")}, "aws_kms_key": {"store_db_key": key("store")}}
    return stack(resources, **blocks)


SHOP_DB = "aws_db_instance.shop_db"


def reasons(result: DiffResult) -> dict[str, str]:
    return {risk.address: risk.reason for risk in result.risks}


# --- a rename, explained with its fix -------------------------------------------------------------

RENAME_ADVICE = [
    "   LOOKS RENAMED: 2 removed resource(s) look like added ones under a new address. To keep them, "
    "keep the old name (the construct's `name` prop, or a plain cdktf resource's construct id), or "
    "carry their state to the new addresses with a moved block per resource, such as",
    "     moved {",
    "       from = aws_db_instance.shop_db",
    "       to   = aws_db_instance.store_db",
    "     }",
    "   which a cdktf app (Python) writes for all of them from its stack:",
    '     stack.add_override("moved", [',
    '         {"from": "aws_db_instance.shop_db", "to": "aws_db_instance.store_db"},',
    '         {"from": "aws_kms_key.shop_db_key", "to": "aws_kms_key.store_db_key"},',
    "     ])",
    "   or one by one, on a resource the app creates itself: "
    'resource.move_from_id("aws_db_instance.shop_db")',
    "   A moved block carries the state, but these also change an attribute that forces a new "
    "resource, so they are replaced anyway: aws_db_instance.shop_db (identifier). Keep the old "
    "name for them.",
]


def test_a_renamed_construct_is_explained_with_the_moved_blocks_that_keep_it() -> None:
    result = diff_outputs({"app": shop()}, {"app": store()})
    assert reasons(result) == {
        "aws_db_instance.shop_db": "removed: Terraform destroys it; it looks renamed to "
        "aws_db_instance.store_db (same settings apart from names: final_snapshot_identifier, identifier)",
        "aws_kms_key.shop_db_key": "removed: Terraform destroys it; it looks renamed to "
        "aws_kms_key.store_db_key (same settings apart from names: description)",
    }
    lines = render_diff(result).splitlines()
    start = lines.index(RENAME_ADVICE[0])
    assert lines[start : start + len(RENAME_ADVICE)] == RENAME_ADVICE
    assert lines[start + len(RENAME_ADVICE)] == (
        "2 stateful resource(s) would be destroyed or replaced. If that is intended, acknowledge each one:"
    )


def test_with_the_advised_moved_blocks_only_the_forced_replacement_is_left() -> None:
    moved = [
        {"from": "aws_db_instance.shop_db", "to": "aws_db_instance.store_db"},
        {"from": "aws_kms_key.shop_db_key", "to": "aws_kms_key.store_db_key"},
    ]
    result = diff_outputs({"app": shop()}, {"app": store(moved=moved)})
    # The key's reference moved with the key: kms_key_id is not a change; the identifier is.
    assert reasons(result) == {
        "aws_db_instance.store_db": 'replaced: identifier "shop-db" -> "store-db" forces a new resource'
    }
    diff = result.stacks["app"]
    assert diff.changed == {
        "aws_db_instance.store_db": ["final_snapshot_identifier", "identifier", "tags"],
        "aws_kms_key.store_db_key": ["description", "tags"],
    }
    assert (diff.renamed, diff.moved_problems, diff.removed, diff.added) == ([], [], [], [])


def test_keeping_the_identifier_at_a_new_address_is_a_move_without_a_block() -> None:
    before = stack({"aws_db_instance": {"shop_db": db("shop")}})
    after = stack(
        {"aws_db_instance": {"orders_db": db("shop", identifier="shop-db", instance_class="db.t3.large")}}
    )
    result = diff_outputs({"app": before}, {"app": after})
    assert reasons(result) == {
        "aws_db_instance.shop_db": "address moved to aws_db_instance.orders_db without a moved block: "
        "Terraform destroys and re-creates it"
    }
    # The same object: no attribute that a moved block would still see change forces a new one.
    (rename,) = result.stacks["app"].renamed
    assert (rename.old, rename.new, rename.changed, rename.forcing) == (
        "aws_db_instance.shop_db",
        "aws_db_instance.orders_db",
        ("instance_class",),
        (),
    )


def test_two_renamed_databases_pair_with_their_own_successors() -> None:
    before = stack({"aws_db_instance": {"shop_db": db("shop"), "shop_reports_db": db("shop-reports")}})
    after = stack({"aws_db_instance": {"store_db": db("store"), "store_reports_db": db("store-reports")}})
    renamed = diff_outputs({"app": before}, {"app": after}).stacks["app"].renamed
    assert [(rename.old, rename.new) for rename in renamed] == [
        ("aws_db_instance.shop_db", "aws_db_instance.store_db"),
        ("aws_db_instance.shop_reports_db", "aws_db_instance.store_reports_db"),
    ]


def test_one_added_resource_explains_one_removed_resource() -> None:
    # shop_db -> store_db changes one word, shop_old_db -> store_db two: the closer one pairs.
    before = stack({"aws_db_instance": {"shop_db": db("shop"), "shop_old_db": db("shop-old")}})
    result = diff_outputs({"app": before}, {"app": stack({"aws_db_instance": {"store_db": db("store")}})})
    assert [(rename.old, rename.new) for rename in result.stacks["app"].renamed] == [
        ("aws_db_instance.shop_db", "aws_db_instance.store_db")
    ]
    assert reasons(result)["aws_db_instance.shop_old_db"] == "removed: Terraform destroys it"


def parameter_group(name: str, **extra: Any) -> dict[str, Any]:
    return {
        "name_prefix": f"{name}-db-",
        "family": "postgres15",
        "description": f"{name}-db parameters",
        **extra,
    }


@pytest.mark.parametrize(
    ("lifecycle", "forcing"),
    [
        # A new group (a new name from the prefix) exists before the old one goes: no harm.
        ({"lifecycle": {"create_before_destroy": True}}, ()),
        ({}, ("description", "name_prefix")),
    ],
    ids=["create-before-destroy", "destroy-first"],
)
def test_what_a_moved_block_cannot_save_leaves_out_safe_replacements(
    lifecycle: dict[str, Any], forcing: tuple[str, ...]
) -> None:
    before = stack({"aws_db_parameter_group": {"shop_db_parameters": parameter_group("shop", **lifecycle)}})
    after = stack({"aws_db_parameter_group": {"store_db_parameters": parameter_group("store", **lifecycle)}})
    (rename,) = diff_outputs({"app": before}, {"app": after}).stacks["app"].renamed
    assert (rename.changed, rename.forcing) == (("description", "name_prefix"), forcing)


def test_a_name_known_only_at_apply_proves_nothing() -> None:
    unknown = {"identifier": "${var.identifier}"}
    before = stack({"aws_db_instance": {"shop_db": {**db("shop"), **unknown}}})
    after = stack(
        {"aws_db_instance": {"orders_db": {**db("orders", instance_class="db.r6g.large"), **unknown}}}
    )
    assert reasons(diff_outputs({"app": before}, {"app": after})) == {
        SHOP_DB: "removed: Terraform destroys it"
    }


def test_a_name_unique_only_per_role_or_per_vpc_is_no_identity() -> None:
    # An inline policy's name is unique per role, a security group's per VPC: two can share it.
    before = stack(
        {
            "aws_iam_role_policy": {
                "shop_logs": {"name": "logs", "role": "${aws_iam_role.shop.id}", "policy": "{}"}
            },
            "aws_security_group": {"shop_sg": {"name": "app", "vpc_id": "${aws_vpc.shop.id}", "ingress": []}},
        }
    )
    after = stack(
        {
            "aws_iam_role_policy": {
                "orders_logs": {"name": "logs", "role": "${aws_iam_role.orders.id}", "policy": "[]"}
            },
            "aws_security_group": {
                "orders_sg": {"name": "app", "vpc_id": "${aws_vpc.orders.id}", "egress": []}
            },
        }
    )
    assert reasons(diff_outputs({"app": before}, {"app": after})) == {
        "aws_iam_role_policy.shop_logs": "removed: Terraform destroys it",
        "aws_security_group.shop_sg": "removed: Terraform destroys it",
    }


# --- a removal beside an unrelated addition is a removal ------------------------------------------


@pytest.mark.parametrize(
    "added",
    [
        # Same type, other settings: a new, bigger database of another team.
        {"aws_db_instance": {"analytics_db": db("analytics", instance_class="db.r6g.large")}},
        # Another type with the same words in its name.
        {"aws_rds_cluster": {"store_db": {"cluster_identifier": "store-db", "engine": "aurora-postgresql"}}},
        # A key for something else: every attribute that forces a new key is unset on both.
        {"aws_kms_key": {"orders_logs_key": key("orders", "log groups")}},
        # Another type with the same settings: Terraform moves state within a type only.
        {"aws_kms_replica_key": {"store_db_key": key("store")}},
    ],
    ids=["other-database", "other-type", "other-key", "same-settings-other-type"],
)
def test_a_removed_resource_beside_an_unrelated_addition_is_not_called_a_move(
    added: dict[str, dict[str, Any]],
) -> None:
    result = diff_outputs({"app": shop()}, {"app": stack(added)})
    assert reasons(result) == {
        "aws_db_instance.shop_db": "removed: Terraform destroys it",
        "aws_kms_key.shop_db_key": "removed: Terraform destroys it",
    }
    assert result.stacks["app"].renamed == []
    assert "LOOKS RENAMED" not in render_diff(result)


# --- a name that gains or loses a word ------------------------------------------------------------


def worker(name: str, queue: str = "team-jobs", desired_count: int = 3) -> dict[str, dict[str, Any]]:
    """A WorkerService named ``name`` as stackkit writes it (trimmed), beside a queue and a
    database whose names the rename does not touch (``team-jobs``, ``team-db``)."""
    prefix = name.replace("-", "_")
    service = f"${{aws_ecs_service.{prefix}_service.name}}"
    return {
        "aws_ecs_service": {
            f"{prefix}_service": {
                "name": name,
                "cluster": "${aws_ecs_cluster.team_cluster.arn}",
                "desired_count": desired_count,
                "task_definition": f"${{aws_ecs_task_definition.{prefix}_task_definition.arn}}",
            }
        },
        "aws_cloudwatch_log_group": {
            f"{prefix}_service_logs": {"name": f"/ecs/{name}", "retention_in_days": 30}
        },
        "aws_appautoscaling_policy": {
            f"{prefix}_scale_queue": {
                "name": f"{name}-QueueBacklogPerTask",
                "metrics": [
                    {"name": "QueueName", "value": queue},
                    {"name": "ServiceName", "value": service},
                ],
            }
        },
        "aws_vpc_security_group_egress_rule": {
            f"{prefix}_tasks_to_team_db_5432": {
                "description": f"{name}: worker tasks to team-db",
                "to_port": 5432,
            }
        },
    }


def renamed_pairs(before: str, after: str, **changes: Any) -> dict[str, str | None]:
    """Each removed address -> the added one it is explained as renamed to (None: a removal)."""
    result = diff_outputs({"app": stack(worker(before))}, {"app": stack(worker(after, **changes))})
    renamed = {rename.old: rename.new for rename in result.stacks["app"].renamed}
    return {address: renamed.get(address) for address in result.stacks["app"].removed}


@pytest.mark.parametrize(
    ("before", "after", "new"),
    [
        # A word added in the middle; "team-jobs" is also the queue's name, which did not change.
        ("team-worker", "team-jobs-worker", "team_jobs_worker"),
        ("team-jobs-worker", "team-worker", "team_worker"),  # and dropped
        ("team-worker", "team-worker-v2", "team_worker_v2"),  # added at the end of the name
        ("worker", "jobs-worker", "jobs_worker"),  # added at its start
    ],
    ids=["added", "dropped", "appended", "prepended"],
)
def test_a_name_that_gains_or_loses_a_word_is_a_rename(before: str, after: str, new: str) -> None:
    old = before.replace("-", "_")
    assert renamed_pairs(before, after) == {
        f"aws_appautoscaling_policy.{old}_scale_queue": f"aws_appautoscaling_policy.{new}_scale_queue",
        f"aws_cloudwatch_log_group.{old}_service_logs": f"aws_cloudwatch_log_group.{new}_service_logs",
        f"aws_ecs_service.{old}_service": f"aws_ecs_service.{new}_service",
        f"aws_vpc_security_group_egress_rule.{old}_tasks_to_team_db_5432": (
            f"aws_vpc_security_group_egress_rule.{new}_tasks_to_team_db_5432"
        ),
    }


def test_a_name_that_gains_a_word_and_changes_a_setting_is_a_removal() -> None:
    pairs = renamed_pairs("team-worker", "team-jobs-worker", queue="team-tasks", desired_count=2)
    assert pairs["aws_ecs_service.team_worker_service"] is None
    assert pairs["aws_appautoscaling_policy.team_worker_scale_queue"] is None
    # The two that did not change settings are still explained.
    assert pairs["aws_cloudwatch_log_group.team_worker_service_logs"] == (
        "aws_cloudwatch_log_group.team_jobs_worker_service_logs"
    )


# --- moved blocks that carry nothing, or that Terraform refuses -----------------------------------


@pytest.mark.parametrize(
    ("moved", "problem"),
    [
        (
            [{"from": SHOP_DB, "to": "aws_db_instance.stor_db"}],
            "moved block aws_db_instance.shop_db -> aws_db_instance.stor_db: aws_db_instance.stor_db is "
            "not in this configuration (a typo, or removed since), so the block carries nothing and "
            "aws_db_instance.shop_db counts as removed",
        ),
        (
            [{"from": SHOP_DB}],
            'moved block {"from": "aws_db_instance.shop_db"} is not {"from": "<type.name>", "to": '
            '"<type.name>"}: ignored, it carries no state',
        ),
        (
            [[SHOP_DB, "aws_db_instance.store_db"]],
            'moved block ["aws_db_instance.shop_db", "aws_db_instance.store_db"] is not {"from": '
            '"<type.name>", "to": "<type.name>"}: ignored, it carries no state',
        ),
        (
            [{"from": SHOP_DB, "to": 7}],
            'moved block {"from": "aws_db_instance.shop_db", "to": 7} is not {"from": "<type.name>", '
            '"to": "<type.name>"}: ignored, it carries no state',
        ),
        (
            "aws_db_instance.shop_db -> aws_db_instance.store_db",
            '"moved" is "aws_db_instance.shop_db -> aws_db_instance.store_db", not a list of blocks: '
            "ignored, it carries no state",
        ),
        (
            [{"from": SHOP_DB, "to": SHOP_DB}],
            "moved block aws_db_instance.shop_db -> aws_db_instance.shop_db: moves an address to itself "
            '("Redundant move statement")',
        ),
    ],
    ids=["target-missing", "no-to", "a-list", "to-not-a-string", "not-a-list", "to-itself"],
)
def test_a_moved_block_that_carries_nothing_is_reported_and_the_removal_still_flagged(
    moved: Any, problem: str
) -> None:
    before = stack({"aws_db_instance": {"shop_db": db("shop")}})
    after = stack(
        {"aws_db_instance": {"orders_db": db("orders", instance_class="db.r6g.large")}}, moved=moved
    )
    result = diff_outputs({"app": before}, {"app": after})
    assert result.stacks["app"].moved_problems == [problem]
    assert reasons(result) == {SHOP_DB: "removed: Terraform destroys it"}
    assert f"   ! {problem}" in render_diff(result).splitlines()
    assert f"- moved block problem: {problem}" in markdown({"app": after}, result).splitlines()


def test_moved_blocks_terraform_refuses_are_named_with_terraform_s_words() -> None:
    before = stack({"aws_db_instance": {"shop_db": db("shop"), "old_db": db("old")}})
    after = stack(
        {"aws_db_instance": {"shop_db": db("shop"), "store_db": db("store"), "new_db": db("old")}},
        moved=[
            {"from": SHOP_DB, "to": "aws_db_instance.store_db"},
            {"from": "aws_db_instance.old_db", "to": "aws_db_instance.new_db"},
            {"from": "aws_db_instance.old_db", "to": "aws_db_instance.store_db"},
        ],
    )
    result = diff_outputs({"app": before}, {"app": after})
    assert result.stacks["app"].moved_problems == [
        "moved block aws_db_instance.old_db -> aws_db_instance.store_db: aws_db_instance.old_db is already "
        'moved to aws_db_instance.new_db ("Ambiguous move statements"): ignored',
        "moved block aws_db_instance.shop_db -> aws_db_instance.store_db: aws_db_instance.shop_db is still "
        'in this configuration ("Moved object still exists"): remove the old resource or the block',
    ]
    assert result.stacks["app"].moved == {"aws_db_instance.old_db": "aws_db_instance.new_db"}
    assert result.risks == []


def test_a_chain_of_moved_blocks_and_a_lone_block_object_carry_the_state() -> None:
    before = stack({"aws_db_instance": {"a_db": db("a")}})
    chain = [{"from": "aws_db_instance.a_db", "to": "aws_db_instance.b_db"}]
    chain.append({"from": "aws_db_instance.b_db", "to": "aws_db_instance.c_db"})
    after = stack({"aws_db_instance": {"c_db": db("a")}}, moved=chain)
    result = diff_outputs({"app": before}, {"app": after})
    assert (result.stacks["app"].moved, result.stacks["app"].moved_problems) == (
        {"aws_db_instance.a_db": "aws_db_instance.c_db"},
        [],
    )
    lone = stack(
        {"aws_db_instance": {"c_db": db("a")}},
        moved={"from": "aws_db_instance.a_db", "to": "aws_db_instance.c_db"},
    )
    assert diff_outputs({"app": before}, {"app": lone}).stacks["app"].moved == {
        "aws_db_instance.a_db": "aws_db_instance.c_db"
    }


def test_a_moved_block_kept_after_its_apply_is_not_a_problem() -> None:
    # Terraform's docs keep moved blocks as history: both sides already use the new address.
    kept = [{"from": "aws_db_instance.old_db", "to": SHOP_DB}]
    result = diff_outputs({"app": shop()}, {"app": stack(shop()["resource"], moved=kept)})
    assert (result.stacks["app"].moved_problems, result.risks) == ([], [])


# --- acknowledgements that match nothing ----------------------------------------------------------


def test_an_acknowledgement_that_matches_nothing_is_reported_with_the_closest_risk() -> None:
    result = diff_outputs({"app": shop()}, {"app": stack({})})
    allowed = (
        "app/aws_db_instance.shop-db",
        "aws_kms_key.shop_db_key",
        "aws_s3_bucket.logs",
        "aws_s3_bucket.logs",
    )
    assert result.unused(allowed) == ["app/aws_db_instance.shop-db", "aws_s3_bucket.logs"]
    lines = render_diff(result, allowed).splitlines()
    assert lines[-2:] == [
        "UNUSED --allow-replace app/aws_db_instance.shop-db: nothing in this diff is destroyed or replaced "
        "at that address; remove it, or its `stackkit-allow-replace: app/aws_db_instance.shop-db` line in "
        "the pull request description (did you mean app/aws_db_instance.shop_db?)",
        "UNUSED --allow-replace aws_s3_bucket.logs: nothing in this diff is destroyed or replaced at that "
        "address; remove it, or its `stackkit-allow-replace: aws_s3_bucket.logs` line in the pull request "
        "description",
    ]
    assert "   ACKNOWLEDGED aws_kms_key.shop_db_key: removed: Terraform destroys it" in lines
    assert "   RISK aws_db_instance.shop_db: removed: Terraform destroys it" in lines
    summary = markdown({"app": stack({})}, result, allowed).splitlines()
    assert summary[0] == "<!-- stackkit-summary -->"  # the marker, then the title
    assert summary[3].startswith("- UNUSED --allow-replace app/aws_db_instance.shop-db: ")
    assert render_diff(result, ("app/aws_db_instance.shop_db", "aws_kms_key.shop_db_key")).splitlines()[
        -1
    ] == ("No unacknowledged destruction or replacement of stateful resources.")


# --- the command: a rename fails with its fix, nothing to compare is an error ---------------------


def write_stacks(folder: Path, stacks: dict[str, dict[str, Any]]) -> Path:
    for name, document in stacks.items():
        (folder / "stacks" / name).mkdir(parents=True)
        (folder / "stacks" / name / "cdk.tf.json").write_text(json.dumps(document))
    return folder


def test_the_cli_fails_a_rename_and_prints_the_moved_blocks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = write_stacks(tmp_path / "base", {"app": shop()})
    head = write_stacks(tmp_path / "head", {"app": store()})
    assert main(["diff", str(base), str(head), "--allow-replace", "app/aws_kms_key.shop_db_keys"]) == 1
    out = capsys.readouterr().out.splitlines()
    start = out.index(RENAME_ADVICE[0])
    assert out[start : start + len(RENAME_ADVICE)] == RENAME_ADVICE
    assert "   --allow-replace app/aws_db_instance.shop_db" in out
    assert out[-1].startswith("UNUSED --allow-replace app/aws_kms_key.shop_db_keys: ")
    assert out[-1].endswith("(did you mean app/aws_kms_key.shop_db_key?)")
    # An unused acknowledgement is reported, not failed: acknowledging both risks passes.
    both = ["--allow-replace", "aws_db_instance.shop_db", "--allow-replace", "aws_kms_key.shop_db_key"]
    assert main(["diff", str(base), str(head), *both, "--allow-replace", "aws_vpc.gone"]) == 0


def test_the_cli_refuses_an_empty_or_wrong_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    head = write_stacks(tmp_path / "head", {"app": shop()})
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["diff", str(empty), str(head)]) == 2
    assert main(["diff", str(head), str(empty)]) == 2
    one = head / "stacks" / "app"
    assert main(["diff", str(one), str(head)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [
        f"stackkit diff: no stacks/*/cdk.tf.json under {empty}: pass a cdktf.out folder (as `cdktf synth` "
        "writes it) or a git revision",
        f"stackkit diff: no stacks/*/cdk.tf.json under {empty}: pass a cdktf.out folder (as `cdktf synth` "
        "writes it) or a git revision",
        f"stackkit diff: no stacks/*/cdk.tf.json under {one}: that is one stack's folder: pass the "
        "cdktf.out folder that holds stacks/",
    ]


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (
            '{"resource": ',
            "is not valid JSON (Expecting value: line 1 column 14 (char 13)): synthesize it again",
        ),
        (
            '{"resource": []}',
            'is not a Terraform JSON configuration: expected an object whose "resource" maps each '
            'resource type to {"<name>": {<arguments>}}',
        ),
        (
            '{"resource": {"aws_db_instance": {"shop_db": "db"}}}',
            'is not a Terraform JSON configuration: expected an object whose "resource" maps each '
            'resource type to {"<name>": {<arguments>}}',
        ),
        (
            "[]",
            'is not a Terraform JSON configuration: expected an object whose "resource" maps each '
            'resource type to {"<name>": {<arguments>}}',
        ),
    ],
    ids=["truncated", "resource-list", "body-string", "top-list"],
)
def test_a_stack_file_that_is_not_terraform_json_is_an_error(tmp_path: Path, text: str, error: str) -> None:
    (tmp_path / "stacks" / "app").mkdir(parents=True)
    path = tmp_path / "stacks" / "app" / "cdk.tf.json"
    path.write_text(text)
    with pytest.raises(SourceError) as raised:
        load_stacks(tmp_path)
    assert str(raised.value) == f"{path} {error}"
    assert main(["diff", str(tmp_path), str(tmp_path)]) == 2


def test_a_stack_without_resources_is_a_stack(tmp_path: Path) -> None:
    write_stacks(tmp_path, {"empty": {}, "app": shop()})
    assert load_stacks(tmp_path) == {"app": shop(), "empty": {}}
    assert list(load_stacks(tmp_path / "stacks")) == ["app", "empty"]
