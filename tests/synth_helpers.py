"""Synthesize a small ad-hoc stack in a test (the jsii kernel is shared per process)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from stackkit._private.cdk import App, AwsProvider, TerraformStack


def synth_stack(
    tmp_path: Path, build: Callable[[TerraformStack], object], name: str = "test"
) -> dict[str, Any]:
    app = App(outdir=str(tmp_path))
    stack = TerraformStack(app, name)
    AwsProvider(stack, "aws", region="us-east-1")
    build(stack)
    app.synth()
    result: dict[str, Any] = json.loads((tmp_path / "stacks" / name / "cdk.tf.json").read_text())
    return result
