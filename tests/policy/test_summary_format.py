"""The pull request summary as one stable comment: marker, overview, unchanged stacks in one line,
GitHub's comment limit, and ``--format json`` against the schema shipped in the package."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from stackkit.cli import main
from stackkit.policy.cost import estimate
from stackkit.policy.cost_delta import cost_deltas
from stackkit.policy.plan import parse_plan
from stackkit.policy.plan_check import check_plans
from stackkit.policy.replacement import diff_outputs
from stackkit.policy.summary import MARKER
from stackkit.policy.summary_format import COMMENT_LIMIT, fit_comment, summary_markdown
from stackkit.policy.summary_json import load_schema, summary_document
from tests.policy.plan_fixtures import (
    BASE,
    DB,
    head_with,
    plan_document,
    resource_change,
    write_plan,
    write_stacks,
)

#: dev changes (a bigger database class, and Terraform's plan for it), prod and staging do not.
BASE_STACKS = {"dev": BASE, "prod": BASE, "staging": BASE}
HEAD_STACKS = {**BASE_STACKS, "dev": head_with(aws_db_instance={"instance_class": "db.t3.large"})}


def validator() -> jsonschema.Draft202012Validator:
    schema = load_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def problems(document: Any) -> list[str]:
    return sorted(
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator().iter_errors(document)
    )


def summary_of(
    plan_changes: tuple[dict[str, Any], ...] = (), allowed: tuple[str, ...] = ()
) -> tuple[str, dict[str, Any]]:
    diff = diff_outputs(BASE_STACKS, HEAD_STACKS)
    plans = {"dev": parse_plan("dev", plan_document(*plan_changes))} if plan_changes else {}
    checks = check_plans(diff, plans, BASE_STACKS, HEAD_STACKS)
    deltas = cost_deltas(estimate(BASE_STACKS), estimate(HEAD_STACKS))
    return (
        summary_markdown(HEAD_STACKS, diff, allowed, checks, deltas),
        summary_document(HEAD_STACKS, diff, allowed, checks, deltas),
    )


def test_the_summary_starts_with_the_marker_and_collapses_unchanged_stacks() -> None:
    text, _ = summary_of((resource_change(DB, ["update"]),))
    lines = text.splitlines()
    assert lines[0] == "<!-- stackkit-summary -->" == MARKER
    assert lines[1:13] == [
        "# stackkit: infrastructure summary",
        "",
        "| Stack | Resources | Added | Removed | Changed | Moved | "
        "Plan: create | update | replace | delete | Risks |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
        "| `dev` | 4 | 0 | 0 | 1 | 0 | 0 | 1 | 0 | 0 | none |",
        "",
        "**Unchanged (2):** `prod`, `staging`.",
        "",
        "**Monthly cost** (offline estimate, `stackkit cost`):",
        "",
        "| Stack | Monthly before | Monthly after | Delta | Changed items |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    # db.t3.medium 0.072 $/h x 730 h + 20 GB gp3 x 0.115 $/GB-month = 52.56 + 2.30 = 54.86;
    # db.t3.large 0.145 $/h x 730 h + 2.30 = 105.85 + 2.30 = 108.15 (prices.json, us-east-1).
    assert lines[13] == "| dev | $54.86 | $108.15 | +$53.29 | `aws_db_instance.shop_db` $54.86 → $108.15 |"
    assert "## dev" in lines and "## prod" not in lines and "## staging" not in lines
    assert "- changed `aws_db_instance.shop_db`: instance_class" in lines


def test_without_a_plan_the_overview_has_no_plan_columns_and_risks_are_counted() -> None:
    diff = diff_outputs(BASE_STACKS, {**BASE_STACKS, "prod": head_with(aws_db_instance={"engine": "mysql"})})
    text = summary_markdown(BASE_STACKS, diff, ())
    assert "| Stack | Resources | Added | Removed | Changed | Moved | Risks |" in text
    assert "| `prod` | 4 | 0 | 0 | 1 | 0 | 1 blocking |" in text
    assert "**Unchanged (2):** `dev`, `staging`." in text
    acknowledged = summary_markdown(BASE_STACKS, diff, ("prod/aws_db_instance.shop_db",))
    assert "| `prod` | 4 | 0 | 0 | 1 | 0 | 1 acknowledged |" in acknowledged


def test_a_stack_the_head_no_longer_has_shows_as_emptied_with_its_risks() -> None:
    diff = diff_outputs(BASE_STACKS, {"dev": BASE, "staging": BASE})
    text = summary_markdown({"dev": BASE, "staging": BASE}, diff, ())
    assert "| `prod` | 0 | 0 | 4 | 0 | 0 | 3 blocking |" in text  # database, log group, security group
    assert "## prod" in text and "- removed `aws_db_instance.shop_db`" in text


def test_a_stack_whose_only_news_is_a_stale_moved_block_is_not_collapsed() -> None:
    stale = copy.deepcopy(BASE)
    stale["moved"] = [{"from": "aws_s3_bucket.gone", "to": "aws_s3_bucket.also_gone"}]
    diff = diff_outputs(BASE_STACKS, {**BASE_STACKS, "staging": stale})
    text = summary_markdown({**BASE_STACKS, "staging": stale}, diff, ())
    assert "| `staging` | 4 | 0 | 0 | 0 | 0 | none |" in text
    assert "**Unchanged (2):** `dev`, `prod`." in text
    assert "- moved block problem: moved block aws_s3_bucket.gone -> aws_s3_bucket.also_gone:" in text


def test_mismatches_are_listed_in_the_overview() -> None:
    text, _ = summary_of((resource_change(DB, ["delete", "create"], replace_paths=[["instance_class"]]),))
    assert (
        "- `dev/aws_db_instance.shop_db`: Terraform's plan replaces it (replace_paths: instance_class) but "
        "stackkit predicted no replacement: missing row(s) of the replacement table (FORCES_REPLACEMENT): "
        "aws_db_instance.instance_class"
    ) in text
    assert "**Prediction mismatches (1)** (the plan and stackkit disagree):" in text
    assert "| `dev` | 4 | 0 | 0 | 1 | 0 | 0 | 0 | 1 | 0 | 1 blocking |" in text


def test_without_a_base_every_stack_is_shown_whole_after_the_marker() -> None:
    text = summary_markdown(BASE_STACKS)
    assert text.splitlines()[:2] == [MARKER, "# stackkit: infrastructure summary"]
    assert all(f"## {name}" in text for name in BASE_STACKS)
    assert "Unchanged" not in text


# --- GitHub's comment limit -------------------------------------------------------------------


def test_a_summary_that_fits_is_the_comment_as_is() -> None:
    text = MARKER + "\n" + "x" * (COMMENT_LIMIT - len(MARKER) - 1)
    assert len(text) == 65_536 and fit_comment(text) == text


def test_a_longer_summary_is_cut_at_a_line_with_its_fence_closed_and_a_note() -> None:
    rows = "".join(f"| `aws_subnet.private_{i:05}` | 1 |\n" for i in range(3000))  # 35 characters each
    text = f"{MARKER}\n# stackkit: infrastructure summary\n\n```mermaid\nflowchart LR\n{rows}```\n"
    assert len(text) == 25 + 1 + 35 + 1 + 11 + 13 + 3000 * 35 + 4 == 105_090
    comment = fit_comment(text)
    assert len(comment.encode()) <= 65_536
    assert comment.startswith(f"{MARKER}\n# stackkit: infrastructure summary\n\n```mermaid\n")
    assert comment.endswith(
        "```\n\n---\n**Summary truncated:** the full summary has 105,090 characters and a pull request "
        "comment holds at most 65,536. The whole text is in the job summary of this workflow run.\n"
    )
    kept = comment.split("```\n\n---\n")[0]
    assert kept.endswith("| 1 |\n") and kept.count("```") == 1  # whole lines, the fence closed after them


def test_the_limit_counts_what_github_may_count_at_most() -> None:
    """ "é" is one character and two UTF-8 bytes: counted as two, so the comment never exceeds
    the limit however GitHub counts."""
    text = MARKER + "\n" + "é\n" * 30_000
    assert len(text) < 65_536 < len(text.encode())
    comment = fit_comment(text)
    assert len(comment.encode()) <= 65_536 and comment != text


# --- --format json ----------------------------------------------------------------------------


def test_the_json_summary_validates_and_says_what_changed() -> None:
    _, document = summary_of((resource_change(DB, ["delete", "create"], replace_paths=[["instance_class"]]),))
    assert problems(document) == []
    assert document["version"] == 1 and document["has_changes"] is True
    assert document["stacks"] == {
        "dev": {
            "resources": 4,
            "has_changes": True,
            "changes": {"added": 0, "removed": 0, "changed": 1, "moved": 0, "forgotten": 0},
            "plan": {"create": 0, "update": 0, "replace": 1, "delete": 0},
        },
        "prod": {
            "resources": 4,
            "has_changes": False,
            "changes": {"added": 0, "removed": 0, "changed": 0, "moved": 0, "forgotten": 0},
            "plan": None,
        },
        "staging": {
            "resources": 4,
            "has_changes": False,
            "changes": {"added": 0, "removed": 0, "changed": 0, "moved": 0, "forgotten": 0},
            "plan": None,
        },
    }
    assert document["risks"] == [
        {
            "stack": "dev",
            "address": DB,
            "reason": (
                "replaced: Terraform's plan replaces it (destroy, then create; replace_paths: instance_class)"
            ),
            "acknowledged": False,
            "found_by": ["plan"],
        }
    ]
    assert [(m["address"], m["kind"], m["attributes"]) for m in document["mismatches"]] == [
        (DB, "unpredicted-replacement", ["instance_class"])
    ]
    assert document["cost_deltas"][0] == {
        "stack": "dev",
        "before": 54.86,
        "after": 108.15,
        "delta": 53.29,
        "changed": [{"address": DB, "before": 54.86, "after": 108.15, "delta": 53.29}],
        "new_unpriced": [],
    }
    assert [delta["delta"] for delta in document["cost_deltas"][1:]] == [0.0, 0.0]


def test_without_a_base_the_unknowns_are_null_and_it_still_validates() -> None:
    document = summary_document(BASE_STACKS)
    assert problems(document) == []
    assert (document["has_changes"], document["cost_deltas"], document["risks"]) == (None, None, [])
    assert document["stacks"]["dev"] == {"resources": 4, "has_changes": None, "changes": None, "plan": None}


def test_the_schema_refuses_what_the_document_must_not_be() -> None:
    _, good = summary_of()
    missing = {key: value for key, value in good.items() if key != "has_changes"}
    assert problems(missing) == [": 'has_changes' is a required property"]
    wrong = copy.deepcopy(good)
    wrong["stacks"]["dev"]["plan"] = {"create": -1, "update": 0, "replace": 0, "delete": 0, "destroy": 0}
    assert len(problems(wrong)) == 1 and problems(wrong)[0].startswith("stacks/dev/plan: ")
    risky = copy.deepcopy(good)
    risky["risks"] = [{"stack": "dev", "address": DB, "reason": "x", "acknowledged": "no", "found_by": []}]
    assert problems(risky) == [
        "risks/0/acknowledged: 'no' is not of type 'boolean'",
        "risks/0/found_by: [] should be non-empty",
    ]


def test_the_cli_writes_json_and_the_comment(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = write_stacks(tmp_path / "base", BASE_STACKS)
    head = write_stacks(tmp_path / "head", HEAD_STACKS)
    plan = write_plan(tmp_path / "dev.json", plan_document(resource_change(DB, ["update"])))
    comment = tmp_path / "comment.md"
    args = ["--from", str(head), "--base", str(base), "--plan", f"dev={plan}", "--comment", str(comment)]
    assert main(["summary", *args, "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert problems(document) == [] and document["stacks"]["dev"]["plan"]["update"] == 1
    assert comment.read_text().startswith(f"{MARKER}\n")
    assert "**Unchanged (2):** `prod`, `staging`." in comment.read_text()
    summary = tmp_path / "summary.md"
    assert main(["diff", str(base), str(head), "--markdown", str(summary), "--comment", str(comment)]) == 0
    assert summary.read_text() == comment.read_text()  # it fits: the comment is the job summary
    assert json.loads(json.dumps(document)) == document


def test_the_plan_needs_a_base_in_the_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    head = write_stacks(tmp_path / "head", BASE_STACKS)
    plan = write_plan(tmp_path / "dev.json", plan_document())
    assert main(["summary", "--from", str(head), "--plan", f"dev={plan}"]) == 2
    assert "--plan needs --base" in capsys.readouterr().err
