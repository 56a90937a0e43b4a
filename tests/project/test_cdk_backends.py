"""Both CDKs from one import point: CDK Terrain (cdktn) and cdktf. The whole suite runs on cdktf;
`scripts/test_cdktn.sh` (part of `npm test`) runs this file and the synthesis, Checkov and
construct tests again in a CDK Terrain environment, where the cross-CDK tests below run."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from stackkit import Cache, CacheProps, Network, NetworkProps
from stackkit._private import cdk, cdk_names
from stackkit._private.backends import BACKENDS, MissingCdkError, choose_backend
from stackkit._private.cdk import (
    BACKEND,
    CAPABILITIES,
    CORE_NAMES,
    PROVIDER_NAMES,
    App,
    AwsProvider,
    TerraformStack,
)
from stackkit.policy.sources import cdk_problem
from tests.conftest import ENVIRONMENT_NAMES, StackJson

ROOT = Path(__file__).resolve().parents[2]
ON_CDKTN = BACKEND.name == "cdktn"
CDKTF_PYTHON = ROOT / ".venv" / "bin" / "python"
CDKTN_CLI = ROOT / "tools" / "cdktn" / "node_modules" / ".bin" / "cdktn"
ONLY_IN_THE_CDKTN_PASS = "runs in the CDK Terrain pass (scripts/test_cdktn.sh), which has both environments"


def test_the_override_picks_a_cdk_and_names_what_to_install() -> None:
    assert choose_backend({"STACKKIT_CDK": BACKEND.name}) == BACKEND
    assert choose_backend({}) == BACKEND  # the one installed here (the extras conflict)
    with pytest.raises(MissingCdkError, match="use one of cdktf, cdktn"):
        choose_backend({"STACKKIT_CDK": "pulumi"})
    (other,) = (backend for backend in BACKENDS.values() if backend != BACKEND)
    fix = rf"unset STACKKIT_CDK, or install stackkit\[{other.name}\] there"
    with pytest.raises(MissingCdkError, match=fix):
        choose_backend({"STACKKIT_CDK": other.name})


def test_without_any_cdk_the_error_is_one_line_with_the_install_command() -> None:
    with pytest.raises(MissingCdkError) as caught:
        choose_backend({}, is_installed=lambda backend: False)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"stackkit needs a CDK, and {sys.executable} has neither cdktf nor CDK Terrain")
    # This checkout is installed editable (uv sync): the fix installs it again, with the extra.
    assert f"pip --python {sys.executable} install 'stackkit[cdktf,policy] @ file://{ROOT}'" in message
    assert "uv sync" not in message and "this repository" not in message


def test_capabilities_are_those_of_the_loaded_cdk() -> None:
    # Probed on the bindings, not derived from the name: all on CDK Terrain, all off on cdktf.
    assert set(vars(CAPABILITIES).values()) == {ON_CDKTN}


def test_the_type_checking_imports_name_exactly_what_is_loaded_at_run_time() -> None:
    tree = ast.parse(Path(cdk_names.__file__).read_text())
    (block,) = [
        node for node in tree.body if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
    ]
    core: list[str] = []
    provider: dict[str, tuple[str, ...]] = {}
    for node in block.body:
        assert isinstance(node, ast.ImportFrom) and node.module
        names = tuple(alias.name for alias in node.names)
        if node.module == "cdktf":
            core.extend(names)
        else:
            package, submodule = node.module.split(".")
            assert package == BACKENDS["cdktf"].provider
            provider[submodule] = names
    assert tuple(core) == CORE_NAMES
    assert provider == PROVIDER_NAMES
    for name in (*CORE_NAMES, *(n for names in PROVIDER_NAMES.values() for n in names)):
        assert getattr(cdk, name).__module__.split(".")[0] in (BACKEND.core, BACKEND.provider), name


@pytest.mark.parametrize("env", ENVIRONMENT_NAMES)
def test_the_backend_locks_with_the_lockfile(stacks: dict[str, StackJson], env: str) -> None:
    s3 = stacks[env]["terraform"]["backend"]["s3"]
    assert s3["use_lockfile"] is True and s3["encrypt"] is True


def _addresses(stack: StackJson) -> dict[str, set[str]]:
    return {
        block: {f"{kind}.{name}" for kind, by_name in stack.get(block, {}).items() for name in by_name}
        for block in ("resource", "data", "ephemeral", "output")
    }


@pytest.mark.skipif(not ON_CDKTN, reason=ONLY_IN_THE_CDKTN_PASS)
def test_cdktf_and_cdk_terrain_outputs_have_the_same_addresses(
    stacks: dict[str, StackJson], tmp_path: Path
) -> None:
    # Moving a team from cdktf to CDK Terrain moves nothing in state: every resource, ephemeral
    # block and output keeps its address. The one difference is the data source that read the
    # AUTH token back on cdktf; CDK Terrain sends the token write-only and reads nothing.
    env = {key: value for key, value in os.environ.items() if key not in ("VIRTUAL_ENV", "STACKKIT_CDK")}
    env["CDKTF_OUTDIR"] = str(tmp_path)  # read by App, as under the CLI
    done = subprocess.run(
        [str(CDKTF_PYTHON), "main.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    for name, stack in stacks.items():
        cdktf_stack: dict[str, Any] = json.loads((tmp_path / "stacks" / name / "cdk.tf.json").read_text())
        assert cdktf_stack["terraform"]["required_providers"]["aws"]["source"] == "aws"  # it is cdktf's
        ours, theirs = _addresses(stack), _addresses(cdktf_stack)
        assert ours["resource"] == theirs["resource"] and len(ours["resource"]) > 100
        assert ours["ephemeral"] == theirs["ephemeral"] and ours["output"] == theirs["output"]
        assert theirs["data"] - ours["data"] == {
            "aws_secretsmanager_secret_version.stackkit_cache_auth_token"
        }
        assert ours["data"] <= theirs["data"]
        assert cdktf_stack["terraform"]["backend"] == stack["terraform"]["backend"]


@pytest.mark.skipif(not ON_CDKTN, reason=ONLY_IN_THE_CDKTN_PASS)
@pytest.mark.parametrize("env", ENVIRONMENT_NAMES)
def test_cdk_terrain_keeps_the_auth_token_out_of_json_and_state(
    stacks: dict[str, StackJson], env: str
) -> None:
    stack = stacks[env]
    (group,) = stack["resource"]["aws_elasticache_replication_group"].values()
    assert group["auth_token_wo"].startswith("${ephemeral.aws_secretsmanager_random_password.")
    assert "auth_token" not in group
    # Nothing reads a secret version into state: the only readers are ephemeral.
    assert "aws_secretsmanager_secret_version" not in stack.get("data", {})
    assert stack["terraform"]["required_providers"]["aws"] == {"source": "hashicorp/aws", "version": "6.69.1"}


@pytest.mark.skipif(not ON_CDKTN, reason=ONLY_IN_THE_CDKTN_PASS)
def test_cdktn_cli_synthesizes_every_environment_from_the_same_cdktf_json(tmp_path: Path) -> None:
    # cdktn-cli 0.24 reads cdktf.json (@cdktn/commons config.js: CONFIG_FILE = "cdktf.json");
    # only the app command points at this environment's Python instead of .venv's.
    assert CDKTN_CLI.exists(), "run `npm ci --prefix tools/cdktn` (scripts/test_cdktn.sh does)"
    node = ROOT / "node_modules" / ".bin"  # the Node pinned in package.json (cdktn-cli: >= 22.19)
    env = {
        **os.environ,
        "CHECKPOINT_DISABLE": "1",
        "CI": "1",
        "PATH": f"{node}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    result = subprocess.run(
        [str(CDKTN_CLI), "synth", "--app", f"{sys.executable} main.py", "--output", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for name in ENVIRONMENT_NAMES:
        stack = json.loads((tmp_path / "stacks" / name / "cdk.tf.json").read_text())
        assert stack["terraform"]["backend"]["s3"]["use_lockfile"] is True
        assert "auth_token_wo" in next(iter(stack["resource"]["aws_elasticache_replication_group"].values()))
    assert "end-of-life" not in result.stdout + result.stderr


def _cache_app(tmp_path: Path, context: dict[str, Any] | None) -> App:
    app = App(outdir=str(tmp_path), **({"context": context} if context is not None else {}))
    stack = TerraformStack(app, "team")
    AwsProvider(stack, "aws", region="us-east-1")
    network = Network(
        stack, "network", NetworkProps(name="team", availability_zones=("us-east-1a", "us-east-1b"))
    )
    Cache(stack, "cache", CacheProps(name="team", network=network))
    return app


@pytest.mark.skipif(not ON_CDKTN, reason=ONLY_IN_THE_CDKTN_PASS)
def test_a_plain_app_needs_no_target_and_a_declared_target_wins(tmp_path: Path) -> None:
    # No targetVersions anywhere: the Cache declares Terraform >= 1.11 on its own subtree.
    _cache_app(tmp_path / "plain", None).synth()
    stack = json.loads((tmp_path / "plain" / "stacks" / "team" / "cdk.tf.json").read_text())
    assert "auth_token_wo" in stack["resource"]["aws_elasticache_replication_group"]["team_cache"]
    # A team that declares an older Terraform keeps its declaration, and CDK Terrain refuses
    # the write-only argument at synthesis instead of stackkit overriding the team.
    with pytest.raises(Exception, match=r"requires terraform >=1\.11\.0"):
        _cache_app(tmp_path / "old", {"targetVersions": {"terraform": ">=1.5.7"}}).synth()


@pytest.mark.parametrize(
    ("command", "switch", "problem"),
    [
        (
            "python3 app.py",
            "fast",
            "STACKKIT_FAST_LOAD='fast': fast is not a speed-up; use 0 (all off), "
            "1 (all on, the default) or a comma list of provider-init, node-index, version-check, "
            "type-hints, scopes",
        ),
        (".venv/bin/python main.py", " node-index , scopes", None),
        ("python main.py", "0", None),
        ("node main.js", "fast", None),  # not a Python app: it never imports stackkit
    ],
)
def test_the_gate_says_why_a_python_app_cannot_load_its_cdk_before_running_it(
    monkeypatch: pytest.MonkeyPatch, command: str, switch: str, problem: str | None
) -> None:
    monkeypatch.setenv("STACKKIT_FAST_LOAD", switch)
    monkeypatch.delenv("STACKKIT_CDK", raising=False)
    assert cdk_problem(command) == problem
