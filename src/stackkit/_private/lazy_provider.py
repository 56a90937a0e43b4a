"""The AWS provider package, whole but lazy (the ``provider-init`` speed-up of
:mod:`stackkit._private.loading`).

``cdktf_cdktf_provider_aws/__init__.py`` (jsii's older generator) imports all 2,212 resource
submodules. :func:`import_provider_lazily` runs that ``__init__`` with the block of imports
replaced by what jsii itself generates since aws/jsii#5110 (PEP 562): a module ``__getattr__``
imports a submodule on first access, ``__dir__`` and ``__all__`` list every one, a star import
loads them all. Everything else of the ``__init__`` runs as it is (its assembly, ``check_type``,
``publication.publish()``), from the same file name and line numbers.

jsii's lazy form comes with a ``_SUBMODULE_FQN_MAP`` in the package's ``_jsii/__init__.py`` (each
submodule's jsii name -> its Python module), which ``jsii.JSIIAssembly.load`` hands to the
runtime: when the kernel returns an object of a type whose submodule is not loaded yet (made in
JavaScript, found with ``node.find_child``...), the runtime imports that submodule instead of
failing with ``ValueError: Unknown type`` (``jsii._reference_map._try_import_type_module``).
The older generator emits no such map, so :func:`import_provider_lazily` registers the same one.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

from stackkit._private.backends import MissingCdkError, install_fix

#: The block of jsii's older generator that imports every submodule, and one line of it.
_EAGER_IMPORTS = "\n# Loading modules to ensure their types are registered with the jsii runtime library\n"
_EAGER_IMPORT = re.compile(r"from \. import ([A-Za-z_]\w*)")
#: What jsii generates instead since aws/jsii#5110 ("feat: replace eager submodule imports with
#: lazy loading", PEP 562 module ``__getattr__``/``__dir__``); ``_SUBMODULES`` is set beforehand,
#: and ``__dir__`` lists each name once (jsii's lists the submodules twice: in both sets).
_LAZY_IMPORTS = """
import importlib as _importlib

def __getattr__(name: str) -> object:
    if name in _SUBMODULES:
        mod = _importlib.import_module(f".{name}", __name__)
        globals()[name] = mod
        return mod
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

def __dir__() -> "list[str]":
    return sorted({*__all__, *_SUBMODULES})

import sys as _sys
setattr(_sys.modules[__name__], "__getattr__", __getattr__)
setattr(_sys.modules[__name__], "__dir__", __dir__)
"""


def lazy_init_source(source: str) -> tuple[str, frozenset[str]] | None:
    """A provider ``__init__``'s source with its eager submodule imports replaced by jsii's lazy
    form, and the submodules; None unless everything after the eager block's comment is one
    ``from . import <submodule>`` per line."""
    head, marker, tail = source.partition(_EAGER_IMPORTS)
    submodules: list[str] = []
    for line in tail.splitlines() if marker else ():
        if line.strip():
            match = _EAGER_IMPORT.fullmatch(line)
            if match is None:
                return None
            submodules.append(match.group(1))
    if not submodules:
        return None
    return head + "\n" + _LAZY_IMPORTS, frozenset(submodules)


def import_provider_lazily(package: str) -> bool:
    """Import ``package`` with its eager submodule imports replaced (see the module docstring);
    False, with nothing imported, when its ``__init__`` is not of the shape expected."""
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None or spec.submodule_search_locations is None:
        raise MissingCdkError(f"{package} is not installed: {install_fix()}")
    lazy = lazy_init_source(Path(spec.origin).read_text(encoding="utf-8"))
    if lazy is None:
        return False
    source, submodules = lazy
    code = compile(source, spec.origin, "exec")  # the head keeps the file's line numbers
    module = importlib.util.module_from_spec(spec)
    module.__dict__["_SUBMODULES"] = submodules
    sys.modules[package] = module
    try:
        exec(code, module.__dict__)
    except BaseException:
        for name in (package, f"{package}._private"):  # publication.publish() registers both
            sys.modules.pop(name, None)
        raise
    register_submodule_names(package, submodules)
    return True


def jsii_submodule_name(submodule: str) -> str:
    """The jsii name of a submodule from its Python name (``lambda_function`` -> ``lambdaFunction``):
    jsii-pacmak snake-cases the name for Python (the reverse gives back every one of the 2,433 in
    cdktn-provider-aws 25.8.1's ``_SUBMODULE_FQN_MAP``)."""
    first, *rest = submodule.split("_")
    return first + "".join(part[:1].upper() + part[1:] for part in rest)


def register_submodule_names(package: str, submodules: frozenset[str]) -> None:
    """Tell the jsii runtime which Python module holds each submodule of ``package`` (jsii's
    ``_SUBMODULE_FQN_MAP``, see the module docstring); nothing on a jsii without lazy loading."""
    reference_map = sys.modules.get("jsii._reference_map")
    fqn_map = getattr(reference_map, "_submodule_fqn_map", None)
    assemblies = getattr(reference_map, "_assembly_to_module", None)
    if not isinstance(fqn_map, dict) or not isinstance(assemblies, dict):
        return
    for assembly in [name for name, module in assemblies.items() if module == package]:
        for submodule in submodules:
            fqn_map.setdefault(f"{assembly}.{jsii_submodule_name(submodule)}", f"{package}.{submodule}")
