"""Synthesize every environment once per test session; scan once with the real Checkov."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
PINNED_NODE = ROOT / "node_modules" / ".bin"
if (PINNED_NODE / "node").exists():  # jsii must use the Node pinned in package.json
    os.environ["PATH"] = f"{PINNED_NODE}{os.pathsep}{os.environ.get('PATH', '')}"

from stackkit.policy.checkov import StackReport, run_checkov  # noqa: E402
from stacks.app import synth  # noqa: E402
from stacks.environments import ENVIRONMENT_NAMES  # noqa: E402

StackJson = dict[str, Any]

#: Fixtures that scan with Checkov (a subprocess, seconds each): a test using one is end-to-end.
CHECKOV_FIXTURES = frozenset({"checkov_reports", "case_reports", "example_reports"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests that need a Checkov scan ``slow`` (the others are marked where they are)."""
    for item in items:
        if CHECKOV_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def outdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("cdktf.out")
    synth(str(directory))
    return directory


@pytest.fixture(scope="session")
def stacks(outdir: Path) -> dict[str, StackJson]:
    return {
        env: json.loads((outdir / "stacks" / env / "cdk.tf.json").read_text()) for env in ENVIRONMENT_NAMES
    }


@pytest.fixture(scope="session")
def bootstraps(outdir: Path) -> dict[str, StackJson]:
    """Each environment's ``<env>-bootstrap`` stack (all of this repository's have one)."""
    return {
        env: json.loads((outdir / "stacks" / f"{env}-bootstrap" / "cdk.tf.json").read_text())
        for env in ENVIRONMENT_NAMES
    }


@pytest.fixture(scope="session")
def checkov_reports(outdir: Path) -> dict[str, StackReport]:
    return run_checkov(outdir / "stacks")


def resources(stack: StackJson, resource_type: str) -> dict[str, dict[str, Any]]:
    """``{name: body}`` of one resource type in a synthesized stack."""
    found: dict[str, dict[str, Any]] = stack.get("resource", {}).get(resource_type, {})
    return found


def ref(stack_json_value: str) -> str:
    """``${aws_vpc.x.id}`` -> ``aws_vpc.x``: the address a reference points to."""
    inner = stack_json_value.removeprefix("${").removesuffix("}")
    return ".".join(inner.split(".")[:2])
