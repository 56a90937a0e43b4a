"""As a team runs it: the built wheel in a fresh virtual environment (the ``consumer`` fixture of
test_consumer_gate), ``stackkit diff --plan`` on a plan document and the summary's JSON checked
against the schema that the installed wheel ships (not this repository's copy)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import jsonschema
import pytest

from tests.policy import test_consumer_gate
from tests.policy.plan_fixtures import (
    BASE,
    DB,
    head_with,
    plan_document,
    resource_change,
    write_plan,
    write_stacks,
)

pytestmark = pytest.mark.slow
consumer = test_consumer_gate.consumer


def test_the_wheel_checks_a_plan_and_its_json_validates_against_its_own_schema(
    consumer: test_consumer_gate.Consumer, tmp_path: Path
) -> None:
    base = write_stacks(tmp_path / "base", {"shop-dev": BASE, "shop-live": BASE})
    head = write_stacks(
        tmp_path / "head",
        {"shop-dev": head_with(aws_db_instance={"instance_class": "db.t3.large"}), "shop-live": BASE},
    )
    plan = write_plan(
        tmp_path / "plan.json",
        plan_document(resource_change(DB, ["delete", "create"], replace_paths=[["instance_class"]])),
    )
    refused = consumer(
        "diff", "base", "head", "--plan", f"shop-dev={plan}", "--comment", "c.md", cwd=tmp_path, expect=1
    )
    assert "   --allow-replace shop-dev/aws_db_instance.shop_db" in refused.stdout
    assert "PREDICTION MISMATCH aws_db_instance.shop_db:" in refused.stdout
    comment = (tmp_path / "c.md").read_text()
    assert comment.startswith("<!-- stackkit-summary -->\n")
    assert "**Unchanged (1):** `shop-live`." in comment

    summary = consumer(
        "summary",
        "--from",
        "head",
        "--base",
        "base",
        "--plan",
        f"shop-dev={plan}",
        "--format",
        "json",
        cwd=tmp_path,
    )
    document = json.loads(summary.stdout)
    python = consumer.stackkit.parent / "python"
    shipped = subprocess.run(
        [
            str(python),
            "-c",
            "import json; from stackkit.policy.summary_json import load_schema; "
            "print(json.dumps(load_schema()))",
        ],
        cwd=tmp_path,
        env=consumer.env,
        capture_output=True,
        text=True,
        check=True,
    )
    schema = json.loads(shipped.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(document)) == []
    assert document["stacks"]["shop-dev"]["plan"] == {"create": 0, "update": 0, "replace": 1, "delete": 0}
    assert [risk["found_by"] for risk in document["risks"]] == [["plan"]]
    assert base.is_dir() and head.is_dir()
