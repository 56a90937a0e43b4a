"""Which CDK to load (cdktf or CDK Terrain), decided without importing either.

:mod:`stackkit._private.cdk` loads the chosen one. This module imports no CDK, so the ``stackkit``
command can tell a user whose environment has none what to install, in one line, instead of
failing with a traceback (see :class:`MissingCdkError`); likewise for a ``$STACKKIT_FAST_LOAD``
it cannot read (:func:`speedups_wanted`, the switch of :mod:`stackkit._private.loading`).
"""

from __future__ import annotations

import importlib.util
import os
import shlex
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from stackkit._private.distribution import installed_source, requirement


@dataclass(frozen=True)
class Backend:
    """One CDK: its Python core module and provider package, and how to load them."""

    name: str
    core: str
    provider: str
    #: The provider package's ``__init__`` imports every submodule (skip it: see ``cdk.py``).
    eager_provider_init: bool


BACKENDS = {
    "cdktn": Backend("cdktn", core="cdktn", provider="cdktn_provider_aws", eager_provider_init=False),
    "cdktf": Backend("cdktf", core="cdktf", provider="cdktf_cdktf_provider_aws", eager_provider_init=True),
}
#: Names ``cdktf`` or ``cdktn`` to pick one when both are installed.
BACKEND_ENV = "STACKKIT_CDK"
#: Turns the loading speed-ups of :mod:`stackkit._private.loading` off (``0``) or picks some.
FAST_LOAD_ENV = "STACKKIT_FAST_LOAD"
#: The loading speed-ups, by the names ``$STACKKIT_FAST_LOAD`` takes (docs/speed.md).
SPEEDUPS = ("provider-init", "node-index", "version-check", "type-hints", "scopes")


class CdkLoadError(ImportError):
    """stackkit cannot load the CDK the way this environment asks. The message is one line naming
    the fix; the ``stackkit`` command prints it (``stackkit check`` before running a Python app)."""


class MissingCdkError(CdkLoadError):
    """The CDK that stackkit needs is not installed."""


def installed(backend: Backend) -> bool:
    return all(importlib.util.find_spec(name) is not None for name in (backend.core, backend.provider))


def install_fix(extra: str = "cdktf", python: str = sys.executable) -> str:
    """The command that installs stackkit with a CDK ``extra`` into ``python``'s environment, from
    where this stackkit came from (a wheel, a git commit, a folder)."""
    wanted = requirement(installed_source(), extras=f"{extra},policy")
    return (
        f"pip --python {shlex.quote(python)} install {shlex.quote(wanted)} "
        "(or `uv pip install --python` with the same arguments)"
    )


def choose_backend(
    environ: Mapping[str, str] = os.environ, is_installed: Callable[[Backend], bool] = installed
) -> Backend:
    """``$STACKKIT_CDK`` if set, else CDK Terrain when installed, else cdktf; :class:`MissingCdkError`
    when the one asked for, or both, are missing."""
    wanted = environ.get(BACKEND_ENV, "").strip()
    if wanted:
        if wanted not in BACKENDS:
            raise MissingCdkError(f"{BACKEND_ENV}={wanted!r}: use one of {', '.join(sorted(BACKENDS))}")
        backend = BACKENDS[wanted]
        if not is_installed(backend):
            raise MissingCdkError(
                f"{BACKEND_ENV}={wanted} but {backend.core} / {backend.provider} is not installed in "
                f"{sys.executable}: unset {BACKEND_ENV}, or install stackkit[{wanted}] there: "
                f"{install_fix(wanted)}"
            )
        return backend
    for backend in BACKENDS.values():  # CDK Terrain first: the maintained one
        if is_installed(backend):
            return backend
    raise MissingCdkError(
        f"stackkit needs a CDK, and {sys.executable} has neither cdktf nor CDK Terrain (cdktn): install "
        f"stackkit with its cdktf extra (cdktn for CDK Terrain) there: {install_fix('cdktf')}"
    )


def speedups_wanted(environ: Mapping[str, str] = os.environ) -> frozenset[str]:
    """The speed-ups ``$STACKKIT_FAST_LOAD`` keeps on: all when unset or ``1``, none for ``0``,
    else the comma-separated names (see :data:`SPEEDUPS`); :class:`CdkLoadError` for any other
    value."""
    value = environ.get(FAST_LOAD_ENV, "").strip()
    if value in ("", "1"):
        return frozenset(SPEEDUPS)
    if value == "0":
        return frozenset()
    names = {name.strip() for name in value.split(",") if name.strip()}
    if unknown := sorted(names - set(SPEEDUPS)):
        raise CdkLoadError(
            f"{FAST_LOAD_ENV}={value!r}: {', '.join(unknown)} is not a speed-up; use 0 (all off), "
            f"1 (all on, the default) or a comma list of {', '.join(SPEEDUPS)}"
        )
    return frozenset(names)
