"""The commit this stackkit was released from, written here by the release workflow.

``.github/workflows/release.yml`` builds the wheel from the tagged commit and first replaces
``None`` below with that commit's SHA, so ``stackkit init`` can pin the team's call of the
reusable gate workflow to a full commit SHA ("the only way to use an action as an immutable
release", GitHub Docs, *Security hardening for GitHub Actions*, using third-party actions). A
build from anywhere else (a checkout, a test) leaves it None: the scaffold then names the release
tag and says how to pin it.
"""

from __future__ import annotations

RELEASE_COMMIT: str | None = None
