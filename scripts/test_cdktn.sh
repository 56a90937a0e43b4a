#!/usr/bin/env bash
# The CDK Terrain pass of `npm test` (after the whole suite on cdktf): a second virtual
# environment with stackkit[cdktn] and no cdktf (.venv-cdktn), the pinned cdktn CLI
# (tools/cdktn), then the synthesis, Checkov, construct and gate tests on CDK Terrain's output.
# Left out here, because they are about this repository's cdktf setup, not about the output:
# lint/types/the cdktf CLI (test_tooling: mypy checks against cdktf), the wheel, the workflows,
# and the README, the docs site (its python blocks), examples (and test_restore, which builds one)
# and the consumer-repository test (user code written with `from cdktf import ...`).
set -euo pipefail
cd "$(dirname "$0")/.."
UV_PROJECT_ENVIRONMENT=.venv-cdktn python3 -m uv sync --frozen --compile-bytecode --extra cdktn --no-group cdktf
npm ci --prefix tools/cdktn --no-audit --no-fund
exec .venv-cdktn/bin/python -m pytest -p no:cacheprovider tests \
  --ignore tests/project/test_tooling.py \
  --ignore tests/project/test_wheel.py \
  --ignore tests/project/test_workflows.py \
  --ignore tests/project/test_readme.py \
  --ignore tests/project/test_docs.py \
  --ignore tests/project/test_examples.py \
  --ignore tests/policy/test_consumer_gate.py \
  --ignore tests/project/test_first_day.py \
  --ignore tests/constructs/test_restore.py "$@"
