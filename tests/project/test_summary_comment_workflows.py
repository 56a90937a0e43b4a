"""The workflow steps of issue 25, run as GitHub runs them (``bash -eo pipefail``) with ``gh`` and
``terraform`` replaced by recording stand-ins (no network, no AWS here): the pull request's one
summary comment, updated in place, and the deploy's ``stackkit diff --plan`` between plan and apply.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from stackkit.cli import main
from tests.policy.plan_fixtures import BASE, plan_document, resource_change

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
MARKER = "<!-- stackkit-summary -->"

#: ``gh`` as the steps call it: ``api --paginate URL --jq EXPR`` answers $GH_COMMENTS through jq
#: (as gh's own --jq prints strings raw); ``api URL --jq EXPR`` answers $GH_PULLS; ``--method M URL
#: -F body=@FILE`` records the method, the URL and the file's text. Every call goes to $GH_LOG.
FAKE_GH = r"""#!/usr/bin/env bash
set -e
echo "gh $*" >> "$GH_LOG"
if [ -n "$GH_FAIL" ]; then echo "HTTP 403" >&2; exit 1; fi
expr=""; method=""; url=""; body=""
while [ $# -gt 0 ]; do
  case "$1" in
    --jq) expr="$2"; shift 2 ;;
    --method) method="$2"; shift 2 ;;
    -F) body="${2#body=@}"; shift 2 ;;
    api|--paginate) shift ;;
    *) url="$1"; shift ;;
  esac
done
if [ -n "$method" ]; then
  { echo "$method $url"; cat "$body"; echo; } >> "$GH_WRITES"
elif [[ "$url" == */pulls ]]; then
  jq -r "$expr" "$GH_PULLS"
else
  jq -r "$expr" "$GH_COMMENTS"
fi
"""


def load(name: str) -> dict[str, Any]:
    workflow: dict[str, Any] = yaml.safe_load((WORKFLOWS / name).read_text())
    workflow["on"] = workflow.pop(True, workflow.get("on"))
    return workflow


def step(job: dict[str, Any], name_start: str) -> dict[str, Any]:
    (found,) = [s for s in job["steps"] if str(s.get("name", "")).startswith(name_start)]
    return found


def stand_ins(tmp_path: Path, **programs: str) -> dict[str, str]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    for name, text in programs.items():
        (bin_dir / name).write_text(text)
        (bin_dir / name).chmod(0o755)
    return {
        "PATH": f"{bin_dir}{os.pathsep}{ROOT / 'node_modules' / '.bin'}{os.pathsep}{os.environ['PATH']}",
        "GH_LOG": str(tmp_path / "gh.log"),
        "GH_WRITES": str(tmp_path / "gh.writes"),
    }


def run_step(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The step's script as GitHub runs a ``run:`` on Linux: ``bash --noprofile --norc -eo pipefail``."""
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=cwd,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=600,
    )


# --- the pull request comment ---------------------------------------------------------------


def test_the_gate_writes_the_comment_and_has_the_permission_from_every_caller(tmp_path: Path) -> None:
    (gate,) = load("gate.yml")["jobs"].values()
    assert gate["permissions"]["pull-requests"] == "write"
    diff = step(gate, "stackkit diff")
    assert '--markdown "$GITHUB_STEP_SUMMARY" --comment reports/comment.md' in diff["run"]
    comment = step(gate, "The summary as one pull request comment")
    # Not for a fork's pull request: its token is read-only.
    assert comment["if"] == (
        "${{ !cancelled() && github.event.pull_request.head.repo.full_name == github.repository }}"
    )
    assert comment["env"]["GH_TOKEN"] == "${{ github.token }}"
    (caller,) = load("pull-request.yml")["jobs"].values()
    assert caller["permissions"]["pull-requests"] == "write"  # a called workflow gets at most this
    assert main(["init", str(tmp_path / "team"), "--name", "team"]) == 0  # a team's caller
    written = yaml.safe_load((tmp_path / "team" / ".github" / "workflows" / "pull-request.yml").read_text())
    (scaffolded,) = written["jobs"].values()
    assert scaffolded["permissions"]["pull-requests"] == "write"
    # One run per pull request at a time (as this repository's caller): two overlapping runs
    # would each find no comment and each create one.
    expected = {"group": "pull-request-${{ github.event.pull_request.number }}", "cancel-in-progress": True}
    assert written["concurrency"] == expected
    assert load("pull-request.yml")["concurrency"] == expected


@pytest.fixture
def comment_step(tmp_path: Path) -> tuple[str, Path, dict[str, str]]:
    (gate,) = load("gate.yml")["jobs"].values()
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "comment.md").write_text(f"{MARKER}\n# stackkit: infrastructure summary\n")
    env = stand_ins(tmp_path, gh=FAKE_GH)
    env.update(
        {"REPOSITORY": "acme/shop", "PULL_REQUEST": "42", "GH_COMMENTS": str(tmp_path / "comments.json")}
    )
    return step(gate, "The summary as one pull request comment")["run"], tmp_path, env


def comments(tmp_path: Path, *entries: tuple[int, str, str]) -> None:
    (tmp_path / "comments.json").write_text(
        json.dumps([{"id": id_, "user": {"login": login}, "body": body} for id_, login, body in entries])
    )


def test_the_comment_with_the_marker_is_updated_in_place(
    comment_step: tuple[str, Path, dict[str, str]],
) -> None:
    script, tmp_path, env = comment_step
    comments(
        tmp_path,
        (3, "alice", f"{MARKER}\nquoted by a person"),  # not ours: left alone
        (7, "github-actions[bot]", f"{MARKER}\nthe previous run"),
        (9, "github-actions[bot]", "another workflow's comment"),
    )
    done = run_step(script, tmp_path, env)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "gh.writes").read_text() == (
        f"PATCH repos/acme/shop/issues/comments/7\n{MARKER}\n# stackkit: infrastructure summary\n\n"
    )


def test_without_one_the_comment_is_created(comment_step: tuple[str, Path, dict[str, str]]) -> None:
    script, tmp_path, env = comment_step
    comments(tmp_path, (9, "github-actions[bot]", "another workflow's comment"))
    done = run_step(script, tmp_path, env)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "gh.writes").read_text().splitlines()[0] == "POST repos/acme/shop/issues/42/comments"


def test_a_refused_comment_warns_and_a_missing_summary_does_nothing(
    comment_step: tuple[str, Path, dict[str, str]],
) -> None:
    script, tmp_path, env = comment_step
    done = run_step(script, tmp_path, {**env, "GH_FAIL": "1"})
    assert done.returncode == 0
    assert "::warning::stackkit could not read the pull request comment" in done.stdout
    assert not (tmp_path / "gh.writes").exists()
    (tmp_path / "reports" / "comment.md").unlink()
    (tmp_path / "gh.log").unlink()
    assert run_step(script, tmp_path, env).returncode == 0
    assert not (tmp_path / "gh.log").exists()


# --- the deploy: stackkit diff --plan between plan and apply -----------------------------------

#: A cdktf app in miniature: the stack and the manifest.json that lists it, where cdktf writes them.
APP = """import json, os, pathlib
root = pathlib.Path(os.environ["CDKTF_OUTDIR"])
(root / "stacks" / "dev").mkdir(parents=True, exist_ok=True)
(root / "stacks" / "dev" / "cdk.tf.json").write_text(json.dumps(STACK))
manifest = {"stacks": {"dev": {"name": "dev", "synthesizedStackPath": "stacks/dev/cdk.tf.json"}}}
(root / "manifest.json").write_text(json.dumps(manifest))
"""

#: ``terraform -chdir=DIR show -json tfplan``: the plan document in $PLAN_JSON.
FAKE_TERRAFORM = """#!/usr/bin/env bash
echo "terraform $*" >> "$GH_LOG"
cat "$PLAN_JSON"
"""


def test_the_deploy_checks_the_plan_between_plan_and_apply() -> None:
    jobs = load("deploy-environment.yml")["jobs"]
    names = [str(s.get("name", s.get("uses", ""))) for s in jobs["plan"]["steps"]]
    check = names.index("stackkit diff --plan (the plan against the replacement guard)")
    assert names[check - 1] == "terraform plan -out=tfplan with the new image"
    assert check == len(names) - 1  # the plan job's last step: the apply job needs the plan job
    assert jobs["apply"]["needs"] == "plan"
    assert jobs["plan"]["permissions"]["pull-requests"] == "read"
    assert jobs["plan"]["steps"][0]["with"]["fetch-depth"] == 2
    callers = load("deploy.yml")["jobs"]
    assert [callers[env]["permissions"]["pull-requests"] for env in ("dev", "staging", "prod")] == [
        "read"
    ] * 3


def plan_copies(root: Path) -> list[Path]:
    """Files under ``root`` that hold a plan document (``resource_changes``)."""
    return sorted(
        path
        for path in root.rglob("*")
        if path.is_file() and ".git" not in path.parts and b'"resource_changes"' in path.read_bytes()
    )


@pytest.mark.slow
def test_the_deploy_step_fails_on_a_replaced_database_unless_the_pull_request_acknowledged_it(
    tmp_path: Path,
) -> None:
    jobs = load("deploy-environment.yml")["jobs"]
    script = step(jobs["plan"], "stackkit diff --plan")["run"]
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "cdktf.json").write_text(json.dumps({"app": "python app.py"}))
    (repo / "app.py").write_text(f"STACK = {BASE!r}\n{APP}")
    git_env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    for message in ("the database", "a later change"):
        (repo / "notes.txt").write_text(message)
        subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
        subprocess.run(["git", "commit", "-q", "-m", message], cwd=repo, check=True, env=git_env)
    stack_dir = repo / "cdktf.out" / "stacks" / "dev"
    stack_dir.mkdir(parents=True)
    (stack_dir / "cdk.tf.json").write_text(json.dumps(BASE))  # as the job's synthesis wrote it
    (stack_dir / "tfplan").write_bytes(b"PK\x03\x04")
    (repo / ".venv" / "bin").mkdir(parents=True)
    (repo / ".venv" / "bin" / "stackkit").symlink_to(Path(sys.executable).parent / "stackkit")
    plan = tmp_path / "plan.json"
    plan.write_text(
        json.dumps(
            plan_document(
                resource_change(
                    "aws_db_instance.shop_db", ["delete", "create"], replace_paths=[["storage_encrypted"]]
                )
            )
        )
    )
    env = stand_ins(tmp_path, gh=FAKE_GH, terraform=FAKE_TERRAFORM)
    env.update(
        {
            "STACK": "dev",
            "REPOSITORY": "acme/shop",
            "GITHUB_STEP_SUMMARY": str(tmp_path / "step-summary.md"),
            "PLAN_JSON": str(plan),
            "GH_PULLS": str(tmp_path / "pulls.json"),
        }
    )

    def pull_request(body: str) -> None:
        (tmp_path / "pulls.json").write_text(json.dumps([{"number": 5, "body": body}]))

    pull_request("Encrypt the database storage.")
    refused = run_step(script, repo, env)
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert (
        "   RISK aws_db_instance.shop_db: replaced: Terraform's plan replaces it (destroy, then create; "
        "replace_paths: storage_encrypted)" in refused.stdout
    )
    assert "   --allow-replace dev/aws_db_instance.shop_db" in refused.stdout
    # The plan JSON (it may hold secrets) went through a pipe: no file but the stand-in's holds it.
    assert plan_copies(tmp_path) == [plan]
    assert (tmp_path / "step-summary.md").read_text().startswith(f"{MARKER}\n")
    assert "terraform -chdir=cdktf.out/stacks/dev show -json tfplan" in (tmp_path / "gh.log").read_text()

    pull_request(
        "Encrypt the database storage.\r\n\r\nstackkit-allow-replace: dev/aws_db_instance.shop_db\r\n"
    )
    accepted = run_step(script, repo, env)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert "ACKNOWLEDGED aws_db_instance.shop_db" in accepted.stdout
    assert plan_copies(tmp_path) == [plan]
