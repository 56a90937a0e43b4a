"""The README's python blocks run as written (each in a fresh process, in a temporary folder),
and what they synthesize passes Checkov: the documentation cannot rot."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from stackkit.policy.checkov import run_checkov

#: End-to-end (subprocesses, Checkov): `pytest -m "not slow"` skips them; CI runs them.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def python_blocks() -> list[str]:
    return PYTHON_BLOCK.findall(README.read_text())


def test_the_readme_has_a_use_it_in_your_own_stack_section_with_snippets() -> None:
    text = README.read_text()
    assert "\n## Use it in your own stack\n" in text
    section = text.split("\n## Use it in your own stack\n")[1].split("\n## ")[0]
    assert len(PYTHON_BLOCK.findall(section)) >= 3


@pytest.fixture(scope="module")
def ran_blocks(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Run every block; returns each block's folder."""
    env = {**os.environ, "PATH": f"{ROOT / 'node_modules' / '.bin'}{os.pathsep}{os.environ.get('PATH', '')}"}
    folders = []
    for index, code in enumerate(python_blocks(), start=1):
        folder = tmp_path_factory.mktemp(f"readme-block-{index}")
        done = subprocess.run(
            [sys.executable, "-c", code], cwd=folder, env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, f"README python block {index} failed:\n{code}\n{done.stderr[-3000:]}"
        folders.append(folder)
    return folders


def test_every_python_block_runs_and_the_synthesized_stacks_pass_checkov(
    ran_blocks: list[Path], tmp_path: Path
) -> None:
    stacks = tmp_path / "stacks"
    for folder in ran_blocks:
        for stack in (folder / "cdktf.out" / "stacks").glob("*") if (folder / "cdktf.out").exists() else []:
            shutil.copytree(stack, stacks / stack.name)
    assert sorted(path.name for path in stacks.iterdir()) == ["orders", "sessions"]
    for name, report in run_checkov(stacks).items():
        failed = [f"{f.check_id} {f.resource}" for f in report.failed]
        assert failed == [], f"README stack {name}: {failed}"
        assert len(report.passed) > 50, name
    # The alias snippet really put the cache on the aliased provider.
    sessions = (stacks / "sessions" / "cdk.tf.json").read_text()
    assert '"provider": "aws.west"' in sessions
