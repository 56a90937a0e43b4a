"""Regenerate tests/golden/<env>.json (see tests/app/golden.py). Usage::

    .venv/bin/python -m tests.app.update_golden [CDKTF_OUT]

Without an argument, synthesizes this checkout's environments into a temporary folder first.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from tests.app.golden import write


def main(argv: list[str]) -> int:
    from stacks.environments import ENVIRONMENT_NAMES

    with tempfile.TemporaryDirectory(prefix="stackkit-golden-") as temporary:
        if argv:
            outdir = Path(argv[0])
        else:
            from stacks.app import synth

            outdir = Path(temporary)
            synth(str(outdir))
        for environment in ENVIRONMENT_NAMES:
            stack = json.loads((outdir / "stacks" / environment / "cdk.tf.json").read_text())
            print(f"wrote {write(environment, stack)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
