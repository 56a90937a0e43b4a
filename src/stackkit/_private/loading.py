"""Loading the CDK and the AWS provider bindings fast, without side effects on the user's process.

:mod:`stackkit._private.cdk` picks the CDK; this module loads it. Five speed-ups, each measured
in docs/speed.md; none changes what is synthesized (tests/project/test_loading.py):

``provider-init``
    ``cdktf_cdktf_provider_aws/__init__.py`` imports all 2,212 resource submodules. It runs with
    that block replaced by what jsii itself generates since aws/jsii#5110 (PEP 562; see
    :mod:`stackkit._private.lazy_provider`): the package stays whole, each submodule loads on
    first access. An ``__init__`` of any other shape runs as it is. (CDK Terrain's provider is
    generated lazy already.)
``node-index``, ``version-check``
    ``lazy_provider_index.js`` and ``version_check_per_synthesis.js`` (see each file) are required
    into the jsii kernel's node process through ``NODE_OPTIONS``, which is set only while the
    kernel starts: the user's value (or its absence) is back before ``import stackkit`` returns,
    and the Node processes the user starts afterwards run none of it.
``type-hints``
    The generated bindings check every argument against the hints of a stub function, which
    the older generator's bindings re-read on every call (``typing.get_type_hints``). They read
    them through jsii's own ``cached_type_hints`` (aws/jsii#5177) when the installed jsii has it;
    bindings generated with it already are left alone.
``scopes``
    A resource or data source class exported by ``_private/cdk.py`` remembers the scope it was
    made in (:data:`SCOPE_ATTRIBUTE`), so ``stackkit._private.terraform.stack_of`` asks the kernel
    once per scope instead of once per resource.

``STACKKIT_FAST_LOAD=0`` turns all of them off (the provider loads the ordinary way, no preload,
no binding patched); a comma list (``STACKKIT_FAST_LOAD=node-index,type-hints``) keeps only
those on, which is how docs/speed.md measures each one. When the jsii kernel was started before
stackkit was imported (cdktf, constructs or a provider imported first) the Node speed-ups cannot
apply: one :class:`LoadOrderWarning` says so, with the cost.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import os
import sys
import types
import typing
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from stackkit._private.backends import FAST_LOAD_ENV as FAST_LOAD_ENV
from stackkit._private.backends import SPEEDUPS as SPEEDUPS
from stackkit._private.backends import speedups_wanted
from stackkit._private.lazy_provider import import_provider_lazily
from stackkit._private.node import kernel_environment

#: The Node preload behind each Node speed-up (required in this order).
NODE_PRELOADS = {
    "node-index": Path(__file__).with_name("lazy_provider_index.js"),
    "version-check": Path(__file__).with_name("version_check_per_synthesis.js"),
}

#: The speed-ups of this process (read once, at import: a value it cannot read stops the import
#: with :class:`~stackkit._private.backends.CdkLoadError`, before anything is loaded).
ON = speedups_wanted()


# --- Loading order --------------------------------------------------------------------------
class LoadOrderWarning(RuntimeWarning):
    """The CDK was imported before stackkit, so stackkit cannot load it fast."""


#: ``import stackkit`` in seconds, by what was imported before it: the median of five runs on
#: the 2-core build machine, shared (load average 4-5), 2026-12-07 (docs/speed.md, "Import
#: stackkit first"). The CDK first: the kernel loads the provider's whole JavaScript index; the
#: provider first: also every Python submodule (cdktf's eager ``__init__``).
IMPORT_SECONDS = {
    "cdktf": {"stackkit": 1.7, "cdk": 5.6, "provider": 21.4},
    "cdktn": {"stackkit": 1.9, "cdk": 8.0, "provider": 7.0},
}


def kernel_started() -> bool:
    """Whether a jsii assembly was loaded (each ``<package>._jsii`` module loads one), which
    starts the jsii kernel: its Node process then has the environment it had then."""
    return any(name.endswith("._jsii") for name in sys.modules)


def _imported_first(provider: str) -> list[str]:
    """The jsii packages (and the provider) imported before stackkit, which started the kernel."""
    first = {name.partition(".")[0] for name in sys.modules if name.endswith("._jsii")}
    return sorted(first | ({provider} & set(sys.modules)))


def warn_if_imported_first(cdk: str, provider: str) -> None:
    """One :class:`LoadOrderWarning` when the kernel or ``provider`` was loaded before stackkit
    (and the loading speed-ups are on), naming what was imported first and what it costs."""
    first = _imported_first(provider)
    if not first or not {"provider-init", "node-index"} & ON:
        return
    seconds = IMPORT_SECONDS[cdk]
    slow = seconds["provider" if provider in first else "cdk"]
    warnings.warn(
        f"stackkit: {', '.join(first)} {'was' if len(first) == 1 else 'were'} imported before stackkit, "
        f"so stackkit cannot load the AWS provider bindings fast. Import stackkit first: importing it "
        f"then takes ~{seconds['stackkit']:.0f} s instead of ~{slow:.0f} s (measured, docs/speed.md).",
        LoadOrderWarning,
        stacklevel=_first_frame_outside_the_import(),
    )


def _first_frame_outside_the_import() -> int:
    """The ``stacklevel`` that points at the user's ``import stackkit`` line, for a warning
    raised by the caller of the caller (``warnings`` itself skips importlib's frames)."""
    package = os.path.join(Path(__file__).parents[1], "")  # ".../stackkit/", not ".../stackkit_team"

    def importlib_internal(frame: types.FrameType) -> bool:  # as warnings._is_internal_frame
        return "importlib" in frame.f_code.co_filename and "_bootstrap" in frame.f_code.co_filename

    frame, level = sys._getframe(2), 2
    while frame.f_back is not None and (
        frame.f_code.co_filename.startswith(package) or importlib_internal(frame)
    ):
        frame = frame.f_back
        level += not importlib_internal(frame)
    return level


# --- The jsii kernel and its environment ----------------------------------------------------
def node_option_require(path: Path) -> str:
    """``--require "<path>"`` as ``NODE_OPTIONS`` reads it, for any path: Node splits the value at
    spaces outside double quotes, and inside them a backslash escapes the next character
    ("A space-separated list of command-line options ... If an option value contains a space, it
    can be escaped using double quotes", Node.js CLI documentation, NODE_OPTIONS,
    https://nodejs.org/api/cli.html#node_optionsoptions; the escape: nodejs/node#24065,
    "src: allows escaping NODE_OPTIONS with backslashes")."""
    escaped = str(path).replace("\\", "\\\\").replace('"', '\\"')
    return f'--require "{escaped}"'


def node_options_with_preloads(current: str | None, speedups: Iterable[str]) -> str | None:
    """``current`` with the preloads of ``speedups`` after it; None when there is none to add."""
    preloads = [node_option_require(path) for name, path in NODE_PRELOADS.items() if name in speedups]
    if not preloads:
        return None
    return " ".join([*([current] if current else []), *preloads])


@contextmanager
def environment(changes: Mapping[str, str]) -> Iterator[None]:
    """``os.environ`` with ``changes``, and exactly as it was afterwards (a variable that was
    unset is unset again)."""
    previous = {key: os.environ.get(key) for key in changes}
    os.environ.update(changes)
    try:
        yield
    finally:
        for key, value in previous.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def start_kernel() -> None:
    """Start the jsii kernel (by loading the ``constructs`` assembly) with the Node that
    :func:`~stackkit._private.node.kernel_environment` picks and the preloads of the Node
    speed-ups that are on; the environment is the user's again as soon as it runs."""
    if kernel_started():
        return
    changes = kernel_environment()
    node_options = node_options_with_preloads(os.environ.get("NODE_OPTIONS"), ON)
    if node_options is not None:
        changes["NODE_OPTIONS"] = node_options
    with environment(changes):
        importlib.import_module("constructs")


# --- The provider package, whole but lazy ---------------------------------------------------
def load_provider(package: str, *, eager_init: bool) -> None:
    """Import the provider package: lazily when its ``__init__`` is eager and ``provider-init``
    is on (a warning when it cannot be), else the ordinary way."""
    lazy = eager_init and "provider-init" in ON and package not in sys.modules
    if lazy and not import_provider_lazily(package):
        warnings.warn(
            f"stackkit: {package}/__init__.py is not of the shape stackkit knows, so importing "
            "it loads every submodule (slow; docs/speed.md)",
            LoadOrderWarning,
            stacklevel=_first_frame_outside_the_import(),
        )
    importlib.import_module(package)


# --- The bindings: stub hints read once, scopes remembered ----------------------------------
_STUB_PREFIX = "_typecheckingstub__"


#: ``typing.get_type_hints`` of one stub, read once (jsii's ``cached_type_hints``).
StubHints = Callable[[Callable[..., Any]], dict[str, Any]]


def _jsii_cached_type_hints() -> StubHints | None:
    try:
        from jsii._type_checking import cached_type_hints
    except ImportError:  # a jsii older than aws/jsii#5177
        return None
    return cached_type_hints


def _typing_with_cached_stub_hints(cached: StubHints) -> types.ModuleType:
    """What older bindings see as ``typing``: the real module's names, with ``get_type_hints``
    of a type-checking stub (a module-level function whose annotations never change) read
    through ``cached``; anything else, or any other call shape, passed through."""

    def get_type_hints(obj: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        if args or kwargs or not getattr(obj, "__name__", "").startswith(_STUB_PREFIX):
            return typing.get_type_hints(obj, *args, **kwargs)
        return cached(obj)

    view = types.ModuleType("typing")
    view.__dict__.update(vars(typing))
    view.__dict__["get_type_hints"] = get_type_hints
    return view


_CACHED = _jsii_cached_type_hints()
_TYPING_FOR_BINDINGS = None if _CACHED is None else _typing_with_cached_stub_hints(_CACHED)


def read_stub_hints_once(*classes: type) -> None:
    """Give the bindings' modules that define ``classes`` the cached ``typing`` (``type-hints``).
    Their public module object is a view (``publication``); the names their functions read live
    in the namespace the functions were defined in, which ``__init__.__globals__`` is."""
    if "type-hints" not in ON or _TYPING_FOR_BINDINGS is None:
        return
    for cls in classes:
        namespace = getattr(inspect.unwrap(cls.__init__), "__globals__", {})  # type: ignore[misc]
        if namespace.get("typing") is typing and "cached_type_hints" not in namespace:
            namespace["typing"] = _TYPING_FOR_BINDINGS


#: The attribute by which a resource or data source remembers the scope it was made in.
SCOPE_ATTRIBUTE = "_stackkit_scope"
_REMEMBERS_SCOPE = "_stackkit_remembers_scope"


def _remembering_scope(init: Callable[..., None]) -> Callable[..., None]:
    @functools.wraps(init)
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        setattr(self, SCOPE_ATTRIBUTE, args[0] if args else kwargs.get("scope"))

    setattr(__init__, _REMEMBERS_SCOPE, True)
    return __init__


def remember_scopes(candidates: Iterable[object], bases: tuple[type, ...]) -> None:
    """Make each subclass of ``bases`` among ``candidates`` remember its scope (``scopes``)."""
    if "scopes" not in ON:
        return
    for cls in candidates:
        if (
            isinstance(cls, type)
            and issubclass(cls, bases)
            and cls not in bases
            and not hasattr(cls.__init__, _REMEMBERS_SCOPE)
        ):
            cls.__init__ = _remembering_scope(cls.__init__)  # type: ignore[method-assign]
