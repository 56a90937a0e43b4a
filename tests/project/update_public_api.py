"""Regenerate tests/snapshots/public_api.json (see tests/project/test_public_api.py). Usage::

    .venv/bin/python -m tests.project.update_public_api

Only for a deliberate change of the public API, noted in CHANGELOG.md: the test compares, it
never writes.
"""

from __future__ import annotations

import json

from tests.project.test_public_api import SNAPSHOT, public_api


def main() -> int:
    SNAPSHOT.write_text(json.dumps(public_api(), indent=2, sort_keys=True) + "\n")
    print(f"wrote {SNAPSHOT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
