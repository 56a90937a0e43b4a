"""Regenerate tests/snapshots/stateful_addresses.json (see tests/app/test_address_stability.py).
Usage::

    .venv/bin/python -m tests.app.update_stateful_addresses [CDKTF_OUT]

Without an argument, synthesizes this checkout's stacks into a temporary folder first. Only when
an address change is deliberate, with its upgrade note in the CHANGELOG: the test compares, it
never writes.
"""

from __future__ import annotations

import json
import sys

from tests.app.test_address_stability import SNAPSHOT, read_stacks, stateful_addresses
from tests.app.update_golden import synthesized


def main(argv: list[str]) -> int:
    with synthesized(argv) as outdir:
        SNAPSHOT.write_text(json.dumps(stateful_addresses(read_stacks(outdir)), indent=2) + "\n")
    print(f"wrote {SNAPSHOT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
