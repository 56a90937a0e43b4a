"""The synthesized JSON of dev, staging and prod equals the golden copy in tests/golden
(``//`` metadata aside). A refactor must not change it; an intended change regenerates the copy
with ``python -m tests.app.update_golden`` (see tests/app/golden.py) and is reviewed as a diff."""

from __future__ import annotations

import pytest

from stackkit._private.cdk import BACKEND
from stacks.environments import ENVIRONMENT_NAMES
from tests.app.golden import differences, golden_path, normalize
from tests.conftest import StackJson


@pytest.mark.skipif(
    BACKEND.name != "cdktf",
    reason="the golden copy is cdktf's output; CDK Terrain's differs in provider source and version "
    "metadata by design, and tests/project/test_cdk_backends.py compares its addresses with cdktf's",
)
@pytest.mark.parametrize("environment", ENVIRONMENT_NAMES)
def test_synthesized_json_equals_the_golden_copy(stacks: dict[str, StackJson], environment: str) -> None:
    assert golden_path(environment).exists(), "no golden copy: run python -m tests.app.update_golden"
    diff = differences(environment, stacks[environment])
    assert diff == "", (
        f"{environment}'s synthesized JSON differs from tests/golden/{environment}.json. If intended, "
        f"run `python -m tests.app.update_golden` and record it in CHANGELOG.md:\n{diff}"
    )


def test_the_comparison_ignores_metadata_only() -> None:
    stack = {"//": {"metadata": {"version": "0.21.0"}}, "resource": {"t": {"n": {"//": {"x": 1}, "a": 1}}}}
    assert normalize(stack) == {"resource": {"t": {"n": {"a": 1}}}}
    changed = {"resource": {"t": {"n": {"a": 2}}}}
    assert differences(ENVIRONMENT_NAMES[0], changed) != ""
