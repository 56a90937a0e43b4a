"""The README's python block runs as written (in a fresh process, in a temporary folder), and what
it synthesizes passes Checkov: the README cannot rot. The docs' blocks: tests/project/test_docs.py."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from stackkit.policy.checkov import run_checkov

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def python_blocks() -> list[str]:
    return PYTHON_BLOCK.findall(README.read_text())


def test_the_readme_has_a_use_it_in_your_own_stack_section_with_a_snippet() -> None:
    text = README.read_text()
    assert "\n## Use it in your own stack\n" in text
    section = text.split("\n## Use it in your own stack\n")[1].split("\n## ")[0]
    [snippet] = PYTHON_BLOCK.findall(section)
    assert len(snippet.splitlines()) <= 25, "keep the README's example short; longer ones go to docs/"


def test_the_readme_fits_on_a_screen_or_two_and_links_into_the_docs() -> None:
    text = README.read_text()
    assert len(text.splitlines()) < 200
    links = re.findall(r"\]\((docs/[^)#]+)(?:#[^)]*)?\)", text)
    assert len(set(links)) >= 15
    for link in links:
        assert (ROOT / link).is_file(), f"README links to {link}, which does not exist"
    # The reason the library is not a top-level constructs/ folder stays findable.
    assert "shadow" in text and "src/stackkit/constructs/" in text


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


#: End-to-end (subprocesses, Checkov): `pytest -m "not slow"` skips it; CI runs it.
@pytest.mark.slow
def test_every_python_block_runs_and_the_synthesized_stacks_pass_checkov(
    ran_blocks: list[Path], tmp_path: Path
) -> None:
    stacks = tmp_path / "stacks"
    for folder in ran_blocks:
        for stack in (folder / "cdktf.out" / "stacks").glob("*") if (folder / "cdktf.out").exists() else []:
            shutil.copytree(stack, stacks / stack.name)
    assert sorted(path.name for path in stacks.iterdir()) == ["orders"]
    for name, report in run_checkov(stacks).items():
        failed = [f"{f.check_id} {f.resource}" for f in report.failed]
        assert failed == [], f"README stack {name}: {failed}"
        assert len(report.passed) > 50, name
    # The service really was granted the database port (one ingress rule on the database's group).
    orders = (stacks / "orders" / "cdk.tf.json").read_text()
    assert '"from_port": 5432' in orders
