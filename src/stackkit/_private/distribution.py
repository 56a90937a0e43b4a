"""Where the running stackkit was installed from, and the requirement that installs it again.

``stackkit init`` writes that requirement into a new project, and the missing-CDK message names
it, so both say what is true for the user's installation: stackkit is not on PyPI, so a bare
``stackkit`` requirement would install nothing of ours (or someone else's package).

The source is the installed distribution's ``direct_url.json`` (PEP 610, "Recording the Direct
URL Origin of installed distributions"; pip and uv both write it): a wheel file or URL
(``archive_info``), a git checkout (``vcs_info``, pinned to the commit that was installed) or a
local folder (``dir_info``). An installation from a package index has no such file.
"""

from __future__ import annotations

import json
from importlib.metadata import PackageNotFoundError, distribution

#: The extras a team's project needs: the CDK this repository builds on, and the policy gate.
DEFAULT_EXTRAS = "cdktf,policy"
DISTRIBUTION = "stackkit"


def installed_source() -> str | None:
    """The URL the running stackkit was installed from (``file:///.../stackkit-0.3.0-py3-none-any.whl``,
    ``git+https://github.com/OWNER/stackkit@<commit>``, ``file:///path/to/checkout``), or None
    (installed from an index, or not installed at all)."""
    try:
        text = distribution(DISTRIBUTION).read_text("direct_url.json")
    except PackageNotFoundError:
        return None
    if not text:
        return None
    try:
        recorded = json.loads(text)
    except json.JSONDecodeError:
        return None
    url = recorded.get("url")
    if not isinstance(url, str) or not url:
        return None
    vcs = recorded.get("vcs_info")
    if isinstance(vcs, dict) and vcs.get("vcs") == "git":
        revision = vcs.get("commit_id") or vcs.get("requested_revision")
        return f"git+{url}@{revision}" if revision else f"git+{url}"
    return url


def requirement(source: str | None = None, extras: str = DEFAULT_EXTRAS) -> str:
    """``stackkit[cdktf,policy] @ <source>``; without a source, the running version from an index."""
    if source:
        return f"{DISTRIBUTION}[{extras}] @ {source}"
    try:
        version = distribution(DISTRIBUTION).version
    except PackageNotFoundError:
        return f"{DISTRIBUTION}[{extras}]"
    return f"{DISTRIBUTION}[{extras}]=={version}"
