"""The project's own tooling: lint, types, one import point, the real cdktf CLI."""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "stackkit"
BINDING_ROOTS = {"cdktf", "cdktf_cdktf_provider_aws", "cdktn", "cdktn_provider_aws", "constructs", "jsii"}


def test_ruff_is_clean() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_is_clean() -> None:
    command = [sys.executable, "-m", "mypy", "src", "main.py", "stacks", "docs"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_only_the_cdk_modules_import_cdktf_and_the_provider() -> None:
    # _private/cdk.py (which CDK; its names, typed, in _private/cdk_names.py) and
    # _private/loading.py (how it is loaded: jsii's own type-hint cache).
    importers = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom) and node.level == 0
                else []
            )
            if any(name.split(".")[0] in BINDING_ROOTS for name in names):
                importers.add(path.relative_to(PACKAGE).as_posix())
    assert importers == {"_private/cdk.py", "_private/cdk_names.py", "_private/loading.py"}


@pytest.mark.slow
def test_importing_the_package_does_not_load_every_provider_submodule() -> None:
    # Resource submodules loaded (each also loads its own ``._private``), against the 2,214 the
    # package ``__init__`` would import: the product uses ~70 resource types; a tenth is the bound.
    code = (
        "import sys, stackkit; from stackkit._private.cdk import BACKEND; "
        "print(len({m.split('.')[1] for m in sys.modules if m.startswith(BACKEND.provider + '.')}))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert 0 < int(result.stdout) < 221


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("npx") is None, reason="needs npm for the pinned cdktf-cli")
def test_cdktf_cli_synthesizes_every_environment(tmp_path: Path) -> None:
    env = {**os.environ, "CHECKPOINT_DISABLE": "1", "CI": "1"}
    result = subprocess.run(
        ["npx", "--no-install", "cdktf", "synth", "--output", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for name in ("dev", "staging", "prod"):
        stack = json.loads((tmp_path / "stacks" / name / "cdk.tf.json").read_text())
        assert stack["terraform"]["backend"]["s3"]["use_lockfile"] is True
    assert "end-of-life" not in result.stdout + result.stderr


def test_readme_starts_with_the_two_fresh_machine_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    commands = [line for line in readme.splitlines()[:20] if line.startswith("    ") or line.startswith("$ ")]
    assert any("npm run synth" in line for line in commands)
    assert any("npm test" in line for line in commands)
    ci = (ROOT / ".ci" / "run").read_text()
    assert "npm test" in ci
