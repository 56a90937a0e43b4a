"""Loading the CDK fast, without side effects on the user's process (stackkit/_private/loading.py;
scripts/bench_synth.py measures the speed, these check the behaviour). The programs run in a
fresh Python, as a team's app does; on whichever CDK this environment has (the suite runs on
cdktf, scripts/test_cdktn.sh runs this file again on CDK Terrain)."""

from __future__ import annotations

import importlib.util
import inspect
import json
import os
import shutil
import subprocess
import sys
import textwrap
import typing
from pathlib import Path

import pytest
from jsii._type_checking import cached_type_hints

from stackkit._private import loading
from stackkit._private.cdk import BACKEND, App, TerraformStack, Vpc
from stackkit._private.lazy_provider import jsii_submodule_name, lazy_init_source
from stackkit._private.loading import (
    LoadOrderWarning,
    node_option_require,
    speedups_wanted,
)
from tests.project.fresh_python import KERNEL_NODE_OPTIONS, last_json, python

ROOT = Path(__file__).resolve().parents[2]
NODE = str(ROOT / "node_modules" / ".bin" / "node")
PRIVATE = ROOT / "src" / "stackkit" / "_private"
PROVIDER = BACKEND.provider
#: Submodules of the provider package installed here (its ``__all__``): cdktf-cdktf-provider-aws
#: 21.22.1 and cdktn-provider-aws 25.8.1.
SUBMODULES = {"cdktf_cdktf_provider_aws": 2212, "cdktn_provider_aws": 2433}[PROVIDER]
#: The NODE_OPTIONS stackkit adds for the kernel (its path has no space, backslash or quote).
PRELOADS = " ".join(
    f'--require "{PRIVATE / name}"' for name in ("lazy_provider_index.js", "version_check_per_synthesis.js")
)


# --- The provider package stays whole --------------------------------------------------------
def test_the_provider_package_is_whole_after_import_stackkit() -> None:
    result = last_json(
        python(f"""
        import importlib, json, sys
        import stackkit
        import {PROVIDER} as aws
        from {PROVIDER} import s3_object  # a submodule stackkit never uses
        before = "{PROVIDER}.xray_group" in sys.modules
        group = aws.xray_group.XrayGroup
        function = aws.lambda_function.LambdaFunction.__name__
        has = [hasattr(aws, "s3_bucket_policy"), hasattr(aws, "s3_bucket_polic")]
        imported = importlib.import_module("{PROVIDER}.s3_bucket_acl") is aws.s3_bucket_acl
        from {PROVIDER}.s3_bucket_logging import S3BucketLoggingA
        try:
            aws.no_such_thing
        except AttributeError as error:
            missing = str(error)
        loaded = sum(name.count(".") == 1 for name in sys.modules if name.startswith("{PROVIDER}."))
        print(json.dumps({{
            "before": before, "group": group.__name__, "object": s3_object.S3Object.__name__,
            "missing": missing, "dir": sorted(set(dir(aws)) & set(aws.__all__)).__len__(),
            "all": len(aws.__all__), "lambda": "lambda_function" in dir(aws), "loaded": loaded,
            "function": function, "has": has, "imported": imported, "logging": S3BucketLoggingA.__name__,
        }}))
        """)
    )
    assert result["before"] is False  # not loaded by import stackkit
    assert result["group"] == "XrayGroup" and result["object"] == "S3Object"
    assert result["function"] == "LambdaFunction" and result["logging"] == "S3BucketLoggingA"
    assert result["has"] == [True, False] and result["imported"] is True
    assert result["missing"] == f"module '{PROVIDER}' has no attribute 'no_such_thing'"
    assert result["dir"] == result["all"] == SUBMODULES and result["lambda"] is True
    assert result["loaded"] < 150  # the ~80 stackkit uses and the two above, not 2,212


@pytest.mark.slow
def test_a_star_import_of_the_provider_gets_every_submodule() -> None:
    count = python(f"""
        import types
        import stackkit
        from {PROVIDER} import *
        print(sum(isinstance(value, types.ModuleType) and value.__name__.startswith("{PROVIDER}.")
                  for value in list(globals().values())))
        """)
    assert int(count.stdout.strip().splitlines()[-1]) == SUBMODULES


_JSII_INIT = '''\
r"""A provider package as jsii's older generator writes it."""
import publication

__all__ = [
    "subnet",
    "vpc",
]

publication.publish()

# Loading modules to ensure their types are registered with the jsii runtime library
from . import subnet
from . import vpc
'''


def test_the_eager_imports_become_jsii_lazy_form() -> None:
    lazy = lazy_init_source(_JSII_INIT)
    assert lazy is not None
    source, submodules = lazy
    assert submodules == {"subnet", "vpc"}
    head = _JSII_INIT.split("# Loading modules")[0]
    assert source.startswith(head)  # kept as it is, so its line numbers stay the file's
    assert "from . import" not in source and "def __getattr__(name: str) -> object:" in source


@pytest.mark.parametrize(
    "source",
    [
        _JSII_INIT + "register_everything()\n",  # code after the imports
        _JSII_INIT.replace("from . import vpc", "from .vpc import Vpc"),  # an import of another shape
        _JSII_INIT.replace("# Loading modules to ensure", "# Modules to ensure"),  # no such block
        _JSII_INIT.split("# Loading")[0] + "# Loading modules to ensure their types are "
        "registered with the jsii runtime library\n",  # the block, empty
    ],
)
def test_an_init_of_another_shape_is_not_rewritten(source: str) -> None:
    assert lazy_init_source(source) is None


def test_the_lazy_package_behaves_like_jsiis(tmp_path: Path) -> None:
    # A package on disk, loaded the way stackkit loads the provider: its submodules record
    # their import; nothing is imported up front, each on first access, all for a star import.
    package = tmp_path / "fakeprovider"
    package.mkdir()
    (package / "__init__.py").write_text(_JSII_INIT)
    for name in ("subnet", "vpc"):
        (package / f"{name}.py").write_text(f"import builtins\nbuiltins.loaded.append({name!r})\n")
    result = last_json(
        python(
            f"""
            import builtins, json, sys
            sys.path.insert(0, {str(tmp_path)!r})
            builtins.loaded = []
            from stackkit._private.lazy_provider import import_provider_lazily
            assert import_provider_lazily("fakeprovider")
            import fakeprovider
            up_front = list(builtins.loaded)
            fakeprovider.vpc
            one = list(builtins.loaded)
            namespace = {{}}
            exec("from fakeprovider import *", namespace)
            star = sorted(set(namespace) - {{"__builtins__"}})
            print(json.dumps({{"up_front": up_front, "one": one, "star": star,
                               "dir": dir(fakeprovider), "all": builtins.loaded}}))
            """
        )
    )
    assert result == {
        "up_front": [],
        "one": ["vpc"],
        "star": ["subnet", "vpc"],
        "dir": ["subnet", "vpc"],
        "all": ["vpc", "subnet"],
    }


def test_an_init_of_another_shape_loads_as_it_is_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "otherprovider"
    package.mkdir()
    (package / "__init__.py").write_text(_JSII_INIT + "register_everything = True\n")
    for name in ("subnet", "vpc"):
        (package / f"{name}.py").write_text(f"NAME = {name!r}\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(loading, "ON", frozenset(loading.SPEEDUPS))
    with pytest.warns(
        LoadOrderWarning, match=r"otherprovider/__init__.py is not of the shape stackkit knows"
    ):
        loading.load_provider("otherprovider", eager_init=True)
    try:
        loaded = {name for name in sys.modules if name.startswith("otherprovider.")}
        # eagerly, as its __init__ says (publication.publish() registers _private)
        assert loaded == {"otherprovider._private", "otherprovider.subnet", "otherprovider.vpc"}
        assert sys.modules["otherprovider._private"].register_everything is True  # the code after them ran
    finally:
        for name in ("otherprovider", "otherprovider._private", "otherprovider.subnet", "otherprovider.vpc"):
            sys.modules.pop(name, None)


def test_the_installed_provider_init_is_understood() -> None:
    # cdktf's provider __init__ is of the older generator's shape (made lazy by stackkit);
    # CDK Terrain's is lazy already (nothing to rewrite).
    spec = importlib.util.find_spec(PROVIDER)
    assert spec is not None and spec.origin is not None
    lazy = lazy_init_source(Path(spec.origin).read_text(encoding="utf-8"))
    if BACKEND.eager_provider_init:
        assert lazy is not None and len(lazy[1]) == SUBMODULES
    else:
        assert lazy is None


def test_an_object_the_kernel_makes_of_a_type_not_loaded_yet_resolves() -> None:
    # A provider resource made in JavaScript (here through the kernel's create request, as a
    # construct library written in TypeScript would) and then found from Python: the jsii
    # runtime imports its submodule on demand, as with the real package (which loaded them all)
    # and with jsii's own lazy form (its _SUBMODULE_FQN_MAP), instead of "Unknown type".
    assembly = {"cdktf": "@cdktf/provider-aws", "cdktn": "@cdktn/provider-aws"}[BACKEND.name]
    result = last_json(
        python(f"""
        import json, sys
        import stackkit
        from stackkit._private.cdk import App, TerraformStack
        import jsii
        from jsii._kernel import _make_reference_for_native
        from jsii._kernel.types import CreateRequest
        stack = TerraformStack(App(), "team")
        before = "{PROVIDER}.xray_group" in sys.modules
        args = [stack, "made-in-javascript", {{"groupName": "g", "filterExpression": "x"}}]
        jsii.kernel.provider.create(CreateRequest(
            fqn="{assembly}.xrayGroup.XrayGroup", args=_make_reference_for_native(jsii.kernel, args)))
        found = stack.node.find_child("made-in-javascript")
        print(json.dumps({{"before": before, "found": type(found).__module__ + "." + type(found).__name__}}))
        """)
    )
    assert result == {"before": False, "found": f"{PROVIDER}.xray_group.XrayGroup"}


@pytest.mark.parametrize(
    ("python_name", "jsii_name"),
    [
        ("alb", "alb"),
        ("s3_bucket", "s3Bucket"),
        ("lambda_function", "lambdaFunction"),
        ("data_aws_iam_policy_document", "dataAwsIamPolicyDocument"),
        ("vpc_ipv4_cidr_block_association", "vpcIpv4CidrBlockAssociation"),
    ],
)
def test_a_submodules_jsii_name_is_its_python_name_camel_cased(python_name: str, jsii_name: str) -> None:
    assert jsii_submodule_name(python_name) == jsii_name


def test_each_submodule_name_registered_is_the_one_jsii_gives() -> None:
    # Against the jsii names of the submodules loaded here (the types stackkit uses), and on
    # CDK Terrain against every entry of the map jsii generated itself.
    package = importlib.import_module(PROVIDER)
    loaded = [name for name in package.__all__ if f"{PROVIDER}.{name}" in sys.modules]
    assert len(loaded) > 50
    for name in loaded:
        classes = [
            value
            for value in vars(sys.modules[f"{PROVIDER}.{name}"]).values()
            if hasattr(value, "__jsii_type__")
        ]
        assert {cls.__jsii_type__.rsplit(".", 1)[0] for cls in classes} == {
            f"@{BACKEND.name}/provider-aws.{jsii_submodule_name(name)}"
        }, name
    generated = getattr(sys.modules[f"{PROVIDER}._jsii"], "_private", sys.modules[f"{PROVIDER}._jsii"])
    jsii_map = getattr(generated, "_SUBMODULE_FQN_MAP", None)
    if BACKEND.eager_provider_init:
        assert jsii_map is None  # the older generator: stackkit registers it
    else:
        assert len(jsii_map) == SUBMODULES and all(
            fqn == f"@cdktn/provider-aws.{jsii_submodule_name(module.partition('.')[2])}"
            for fqn, module in jsii_map.items()
        )


# --- NODE_OPTIONS and the rest of the environment stay the user's ---------------------------
_SYNTH_AND_START_NODE = f"""
    import json, os, subprocess, sys
    KEYS = ("NODE_OPTIONS", "PATH", "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION",
            "JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION")
    before = {{key: os.environ.get(key) for key in KEYS}}
    import stackkit
    from stackkit._private.cdk import App, DataResource, TerraformStack
    kernel = kernel_node_options()
    app = App(outdir=OUTDIR)
    DataResource(TerraformStack(app, "team"), "data", input={{"a": "b"}})
    app.synth()
    child = subprocess.run([{NODE!r}, "-p", "process.env.NODE_OPTIONS ?? '<unset>'"],
                           capture_output=True, text=True, check=True).stdout.strip()
    print(json.dumps({{"before": before, "after": {{key: os.environ.get(key) for key in KEYS}},
                      "kernel": kernel, "child": child, "file": stackkit.__file__}}))
"""


def synth_and_start_node(tmp_path: Path, env: dict[str, str | None]) -> subprocess.CompletedProcess[str]:
    return python(f"OUTDIR = {str(tmp_path / 'out')!r}\n" + textwrap.dedent(_SYNTH_AND_START_NODE), env=env)


@pytest.mark.parametrize(
    ("users", "kernels", "childs"),
    [
        (None, PRELOADS, "<unset>"),
        ("", PRELOADS, ""),
        ("--max-old-space-size=3072", f"--max-old-space-size=3072 {PRELOADS}", "--max-old-space-size=3072"),
    ],
    ids=["unset", "empty", "set"],
)
def test_node_options_are_the_users_again_once_the_kernel_runs(
    tmp_path: Path, users: str | None, kernels: str, childs: str
) -> None:
    # PATH without the pinned Node: stackkit puts it first for the kernel only (the program
    # runs in the repository, which has it).
    pinned = str(ROOT / "node_modules" / ".bin")
    path = os.pathsep.join(part for part in os.environ["PATH"].split(os.pathsep) if part != pinned)
    result = last_json(synth_and_start_node(tmp_path, {"NODE_OPTIONS": users, "PATH": path}))
    assert result["after"] == result["before"]  # NODE_OPTIONS, PATH, jsii's variables
    assert result["before"]["NODE_OPTIONS"] == users
    assert result["kernel"] == kernels  # the kernel had the preloads
    assert result["child"] == childs  # a child node has none of them


def test_a_users_node_options_with_a_quoted_path_stay_as_they_were(tmp_path: Path) -> None:
    # The user's own preload in a folder with a space and a backslash, quoted as Node reads
    # NODE_OPTIONS, and two spaces between options: the kernel runs it with stackkit's preloads
    # after it, the program then sees its value unchanged, and the child node runs it alone.
    folder = tmp_path / "team \\ tools"
    folder.mkdir()
    log = tmp_path / "preloads.log"
    (folder / "user.js").write_text(
        f"require('fs').appendFileSync({str(log)!r}, "
        "require('path').basename(process.argv[1] ?? '-p') + '\\n');\n"
    )
    users = f'--require "{tmp_path}/team \\\\ tools/user.js"  --max-old-space-size=3072'
    result = last_json(synth_and_start_node(tmp_path, {"NODE_OPTIONS": users}))
    assert result["before"]["NODE_OPTIONS"] == result["after"]["NODE_OPTIONS"] == users
    assert result["kernel"] == f"{users} {PRELOADS}"
    assert result["child"] == users
    ran = log.read_text().splitlines()
    assert ran[-1] == "-p" and "jsii-runtime.js" in ran[:-1] and "-p" not in ran[:-1]  # kernel, then child


def test_any_path_reaches_node_as_it_is(tmp_path: Path) -> None:
    # A folder with a backslash, a space and a double quote: Node reads the option back as the
    # path of the file it runs.
    folder = tmp_path / 'te\\am "x" dir'
    folder.mkdir()
    (folder / "preload.js").write_text("console.log(__filename);\n")
    option = node_option_require(folder / "preload.js")
    assert option == f'--require "{tmp_path}/te\\\\am \\"x\\" dir/preload.js"'
    done = subprocess.run(
        [NODE, "-e", ""],
        env={**os.environ, "NODE_OPTIONS": option},
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == str(folder / "preload.js")


def test_stackkit_installed_under_a_backslash_and_a_space_loads_fast(tmp_path: Path) -> None:
    # stackkit itself in such a folder (a Windows path, a user name with a space): the kernel
    # starts with both preloads (a --require Node cannot find is fatal) and synthesizes.
    site = tmp_path / "Users\\team member" / "site-packages"  # no colon: PYTHONPATH splits there
    shutil.copytree(
        ROOT / "src" / "stackkit", site / "stackkit", ignore=shutil.ignore_patterns("__pycache__")
    )
    result = last_json(synth_and_start_node(tmp_path, {"PYTHONPATH": str(site)}))
    private = site / "stackkit" / "_private"
    assert result["file"] == str(site / "stackkit" / "__init__.py")
    escaped = str(private).replace("\\", "\\\\")
    assert result["kernel"] == (
        f'--require "{escaped}/lazy_provider_index.js" --require "{escaped}/version_check_per_synthesis.js"'
    )
    assert (tmp_path / "out" / "stacks" / "team" / "cdk.tf.json").exists()


# --- Loud when it cannot help ----------------------------------------------------------------
def _warnings(done: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in done.stderr.splitlines() if "LoadOrderWarning" in line]


#: What the warning says it costs, by CDK and what was imported first (loading.IMPORT_SECONDS).
COST = {
    ("cdktf", "cdk"): "takes ~2 s instead of ~6 s",
    ("cdktf", "provider"): "takes ~2 s instead of ~21 s",
    ("cdktn", "cdk"): "takes ~2 s instead of ~8 s",
    ("cdktn", "provider"): "takes ~2 s instead of ~7 s",
}


@pytest.mark.parametrize(
    ("first", "named", "case"),
    [
        (BACKEND.core, f"{BACKEND.core}, constructs were imported", "cdk"),
        (PROVIDER, ", ".join(sorted({BACKEND.core, "constructs", PROVIDER})) + " were imported", "provider"),
    ],
    ids=["cdk", "provider"],
)
def test_importing_the_cdk_first_warns_once_with_the_order_and_the_cost(
    first: str, named: str, case: str
) -> None:
    program = f"""
        import {first}
        import stackkit
        from stackkit._private import cdk, loading
        import stackkit.constructs
        print(kernel_node_options())
        """
    output = python(program)
    (warning,) = _warnings(output)
    line = (KERNEL_NODE_OPTIONS + textwrap.dedent(program)).splitlines().index("import stackkit") + 1
    assert warning.startswith(f"<string>:{line}: LoadOrderWarning: stackkit: {named}")  # the user's line
    assert f"Import stackkit first: importing it then {COST[BACKEND.name, case]}" in warning
    assert output.stdout.strip() == "None"  # the kernel had no preload: too late


def test_the_warning_points_at_the_users_import_even_in_a_package_named_like_stackkit(tmp_path: Path) -> None:
    # The team's package sits beside stackkit and its name starts with "stackkit": its
    # `import stackkit` line is the user's, not stackkit's own.
    site = tmp_path / "site"
    shutil.copytree(
        ROOT / "src" / "stackkit", site / "stackkit", ignore=shutil.ignore_patterns("__pycache__")
    )
    (site / "stackkit_team").mkdir()
    (site / "stackkit_team" / "__init__.py").write_text('"""The team\'s stacks."""\nimport stackkit\n')
    output = python(
        f"""
        import sys
        sys.path.insert(0, {str(site)!r})
        import {BACKEND.core}
        import stackkit_team
        """
    )
    (warning,) = _warnings(output)
    assert warning.startswith(f"{site / 'stackkit_team' / '__init__.py'}:2: LoadOrderWarning: ")


def test_importing_jsii_first_is_fine(tmp_path: Path) -> None:
    # jsii alone does not start the kernel (its process starts with the first assembly loaded):
    # every speed-up still applies, so there is nothing to warn about; the stack synthesizes.
    output = python(f"""
        import json, sys
        import jsii
        import stackkit
        from stackkit._private.cdk import App, DataResource, TerraformStack
        kernel = kernel_node_options()
        app = App(outdir={str(tmp_path)!r})
        DataResource(TerraformStack(app, "team"), "data", input={{"a": "b"}})
        app.synth()
        loaded = sum(name.count(".") == 1 for name in sys.modules if name.startswith("{PROVIDER}."))
        print(json.dumps({{"kernel": kernel, "loaded": loaded < 150}}))
        """)
    assert _warnings(output) == [] and "Warning" not in output.stderr
    assert last_json(output) == {"kernel": PRELOADS, "loaded": True}
    written = json.loads((tmp_path / "stacks" / "team" / "cdk.tf.json").read_text())
    assert written["resource"]["terraform_data"]["data"]["input"] == {"a": "b"}


# --- The kill switch --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "on"),
    [
        (None, {"provider-init", "node-index", "version-check", "type-hints", "scopes"}),
        ("1", {"provider-init", "node-index", "version-check", "type-hints", "scopes"}),
        ("0", set()),
        (" node-index, type-hints ", {"node-index", "type-hints"}),
    ],
)
def test_the_switch_turns_speed_ups_off(value: str | None, on: set[str]) -> None:
    assert speedups_wanted({} if value is None else {"STACKKIT_FAST_LOAD": value}) == on


def test_a_wrong_switch_value_names_the_variable_and_the_choices() -> None:
    with pytest.raises(
        ImportError, match=r"STACKKIT_FAST_LOAD='yes': yes is not a speed-up; use 0 \(all off\)"
    ):
        speedups_wanted({"STACKKIT_FAST_LOAD": "yes"})


def test_with_the_switch_off_everything_loads_the_ordinary_way(tmp_path: Path) -> None:
    # constructs first (the kernel started before stackkit): with the switch off, no warning.
    done = python(
        f"""
        import inspect, json, sys, typing
        import constructs
        import stackkit
        from stackkit._private.cdk import App, SCOPE_ATTRIBUTE, SnsTopic, TerraformStack, Vpc
        eager = sum(name.count(".") == 1 and "._" not in name
                    for name in sys.modules if name.startswith("{PROVIDER}."))
        topic = SnsTopic(TerraformStack(App(outdir={str(tmp_path)!r}), "team"), "topic")
        print(json.dumps({{
            "kernel": kernel_node_options(), "eager": eager,
            "typing": inspect.unwrap(Vpc.__init__).__globals__["typing"] is typing,
            "scope": getattr(topic, SCOPE_ATTRIBUTE, None) is None,
        }}))
        """,
        env={"STACKKIT_FAST_LOAD": "0"},
    )
    # The provider's own __init__ (cdktf's loads every submodule; CDK Terrain's is lazy itself:
    # then only the ~80 stackkit uses).
    result = last_json(done)
    assert result.pop("eager") == SUBMODULES if BACKEND.eager_provider_init else result.pop("eager") < 150
    assert result == {"kernel": None, "typing": True, "scope": True}
    assert _warnings(done) == []


#: Synthesizes this repository's environments, and on cdktf every example, into argv[1].
_SYNTH_EVERYTHING = """
import importlib.util, sys
from pathlib import Path
out = Path(sys.argv[1])
import stackkit
from stacks.app import synth
synth(str(out / "environments"))
if sys.argv[2] == "examples":
    for example in sorted(Path("examples").glob("*.py")):
        spec = importlib.util.spec_from_file_location(example.stem, example)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        (out / example.stem).mkdir()
        module.main([example.name, str(out / example.stem)])
"""


@pytest.mark.slow
def test_the_switch_changes_no_byte_of_any_environment_or_example(tmp_path: Path) -> None:
    # The examples import cdktf themselves: on CDK Terrain only the environments synthesize.
    examples = "examples" if BACKEND.name == "cdktf" else "none"
    outputs = {}
    for switch in ("1", "0"):
        out = tmp_path / switch
        out.mkdir()
        environ = {key: value for key, value in os.environ.items() if key != "NODE_OPTIONS"}
        done = subprocess.run(
            [sys.executable, "-c", _SYNTH_EVERYTHING, str(out), examples],
            cwd=ROOT,
            env={**environ, "STACKKIT_FAST_LOAD": switch},
            capture_output=True,
            text=True,
            timeout=1800,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        outputs[switch] = {
            path.relative_to(out).as_posix(): path.read_bytes() for path in sorted(out.rglob("cdk.tf.json"))
        }
    expected = 6 + (7 if examples == "examples" else 0)  # six environment stacks, one per example
    assert len(outputs["1"]) == expected
    assert outputs["0"] == outputs["1"]


# --- The bindings' type hints ----------------------------------------------------------------
def test_the_bindings_read_stub_hints_through_jsiis_cache_and_still_check_types(tmp_path: Path) -> None:
    # cdktf's provider and both CDKs' core bindings call typing.get_type_hints(stub) on every
    # call; stackkit gives them jsii's cached_type_hints. Bindings that call it already (CDK
    # Terrain's provider) are left as they are.
    for cls in (App, Vpc):
        namespace = inspect.unwrap(cls.__init__).__globals__
        stubs = [value for name, value in namespace.items() if name.startswith("_typecheckingstub__")]
        if "cached_type_hints" in namespace:
            assert namespace["typing"] is typing and cls is Vpc and not BACKEND.eager_provider_init
            continue
        assert namespace["typing"] is not typing
        assert stubs and all(
            namespace["typing"].get_type_hints(stub) is cached_type_hints(stub) for stub in stubs
        )
        assert all(cached_type_hints(stub) == typing.get_type_hints(stub) for stub in stubs)
    with pytest.raises(TypeError, match="cidr_block"):
        Vpc(TerraformStack(App(outdir=str(tmp_path)), "typed"), "vpc", cidr_block=10)


def test_the_warning_is_a_runtime_warning() -> None:
    assert issubclass(LoadOrderWarning, RuntimeWarning) and loading.FAST_LOAD_ENV == "STACKKIT_FAST_LOAD"


def test_a_jsii_without_cached_type_hints_leaves_the_bindings_as_they_are(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # jsii before aws/jsii#5177 has no jsii._type_checking.cached_type_hints: nothing is cached,
    # nothing patched (the bindings re-read their hints, as they were generated to).
    older = type(sys)("jsii._type_checking")
    monkeypatch.setitem(sys.modules, "jsii._type_checking", older)
    assert loading._jsii_cached_type_hints() is None
    monkeypatch.setattr(loading, "_TYPING_FOR_BINDINGS", None)

    class Bindings:
        def __init__(self) -> None:
            pass

    namespace = Bindings.__init__.__globals__
    monkeypatch.setitem(namespace, "typing", typing)
    loading.read_stub_hints_once(Bindings)
    assert namespace["typing"] is typing
    monkeypatch.setitem(older.__dict__, "cached_type_hints", cached_type_hints)
    assert loading._jsii_cached_type_hints() is cached_type_hints
