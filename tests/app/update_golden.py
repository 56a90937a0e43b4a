"""Regenerate tests/golden/<env>.json (see tests/app/golden.py). Usage::

    .venv/bin/python -m tests.app.update_golden [CDKTF_OUT]

Without an argument, synthesizes this checkout's environments into a temporary folder first.
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.app.golden import write


@contextmanager
def synthesized(argv: list[str]) -> Iterator[Path]:
    """The cdktf output folder given as the first argument, else this checkout's stacks
    synthesized into a temporary folder (removed afterwards)."""
    if argv:
        yield Path(argv[0])
        return
    from stacks.app import synth

    with tempfile.TemporaryDirectory(prefix="stackkit-synth-") as temporary:
        synth(temporary)
        yield Path(temporary)


def main(argv: list[str]) -> int:
    from stacks.environments import ENVIRONMENT_NAMES

    with synthesized(argv) as outdir:
        for environment in ENVIRONMENT_NAMES:
            stack = json.loads((outdir / "stacks" / environment / "cdk.tf.json").read_text())
            print(f"wrote {write(environment, stack)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
