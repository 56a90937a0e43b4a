"""Small helpers every construct uses on the resources it creates."""

from __future__ import annotations

import re
from typing import Any

from stackkit._private.cdk import (
    CAPABILITIES,
    SCOPE_ATTRIBUTE,
    TERRAFORM_TARGET,
    AwsProvider,
    Construct,
    DataAwsCallerIdentity,
    DataAwsPartition,
    DataAwsRegion,
    IConstruct,
    S3Backend,
    TerraformDataSource,
    TerraformProvider,
    TerraformResource,
    TerraformResourceLifecycle,
    TerraformStack,
    Token,
    ephemeral_resource_class,
    implements_validation,
    jsii_runtime,
)
from stackkit._private.comment_keys import SKIP_KEY as SKIP_KEY  # where skips are recorded (re-export)
from stackkit._private.source_location import (
    CREATED_AT_ATTRIBUTE,
    USER_CREATED,
    record_source,
    watch_created,
    write_sources,
)

PROTECTED = TerraformResourceLifecycle(prevent_destroy=True)


def logical_id(*parts: str) -> str:
    """A Terraform-safe resource name from ``parts`` (``db``, ``us-east-1a`` -> ``db_us_east_1a``)."""
    return re.sub(r"[^A-Za-z0-9_]", "_", "_".join(part for part in parts if part))


#: The attribute by which a stack records its pinned resources (``address -> resource``).
PINNED_ATTRIBUTE = "_stackkit_pinned_addresses"


def pin_address(resource: TerraformResource | TerraformDataSource, *parts: str) -> None:
    """Fix the resource's Terraform address so that moving it in the construct tree cannot
    rename it (a renamed database is a destroyed database).

    Call it right after creating the resource: cdktf ignores an override made after an
    attribute of the resource was read. Two resources pinned to one address would be merged
    silently into one block at synthesis, so a second pin of an address raises instead.
    Forgetting it fails the synthesis (see :class:`EveryResourcePinned`)."""
    name = logical_id(*parts)
    block = "data" if isinstance(resource, TerraformDataSource) else "resource"
    address = f"{block}.{_resource_type(resource)}.{name}"
    stack = stack_of(resource)
    pinned = pinned_addresses(stack)
    if address in pinned:
        raise ValueError(
            f"{resource.node.path} and {pinned[address].node.path} would both be {address}: "
            "give the constructs different names"
        )
    pinned[address] = resource
    _pinned_objects(stack).add(id(resource))
    resource.override_logical_id(name)
    # The user's file:line, for the gate's SARIF location (written once per stack at synthesis).
    record_source(_source_lines(stack), address.removeprefix("resource."))


#: The attribute by which a construct caches its stack (see :func:`stack_of`).
STACK_ATTRIBUTE = "_stackkit_stack"


def stack_of(construct: IConstruct) -> TerraformStack:
    """``TerraformStack.of(construct)``, asking the jsii kernel once per scope: a resource made
    through ``_private/cdk.py`` remembers its scope (:data:`SCOPE_ATTRIBUTE`), whose stack is
    its own, and the answer is kept on the construct (a construct never changes stacks)."""
    scope = getattr(construct, SCOPE_ATTRIBUTE, None)
    if scope is not None:
        return stack_of(scope)
    stack: TerraformStack | None = getattr(construct, STACK_ATTRIBUTE, None)
    if stack is None:
        stack = TerraformStack.of(construct)
        setattr(construct, STACK_ATTRIBUTE, stack)
    return stack


#: Resource class -> its Terraform type: read once per class, not once per resource (each read
#: is a round trip to the jsii kernel).
_RESOURCE_TYPES: dict[type, str] = {}


def _resource_type(resource: TerraformResource | TerraformDataSource) -> str:
    kind = type(resource)
    if kind not in _RESOURCE_TYPES:
        _RESOURCE_TYPES[kind] = resource.terraform_resource_type
    return _RESOURCE_TYPES[kind]


def pinned_addresses(stack: TerraformStack) -> dict[str, TerraformResource | TerraformDataSource]:
    """The resources pinned in ``stack``, by address. The first call on a stack registers
    :class:`EveryResourcePinned` and :class:`SourceLinesWriter` on it."""
    pinned: dict[str, TerraformResource | TerraformDataSource] | None = getattr(stack, PINNED_ATTRIBUTE, None)
    if pinned is None:
        pinned = {}
        setattr(stack, PINNED_ATTRIBUTE, pinned)
        stack.node.add_validation(EveryResourcePinned(stack))
        write_source_lines(stack)
    return pinned


#: The attribute by which a stack remembers that its :class:`SourceLinesWriter` is registered.
SOURCE_WRITER_ATTRIBUTE = "_stackkit_source_writer"


def write_source_lines(stack: TerraformStack) -> None:
    """Register :class:`SourceLinesWriter` on ``stack``, once."""
    if not stack.__dict__.get(SOURCE_WRITER_ATTRIBUTE):
        stack.__dict__[SOURCE_WRITER_ATTRIBUTE] = True
        stack.node.add_validation(SourceLinesWriter(stack))


#: The attribute by which a stack records the ``id()`` of its pinned resource objects: jsii hands
#: back the same Python object for a resource created in Python, so the synth-time check can tell
#: a pinned resource without a round trip to the kernel per construct.
PINNED_OBJECTS_ATTRIBUTE = "_stackkit_pinned_objects"


def _pinned_objects(stack: TerraformStack) -> set[int]:
    objects: set[int] = stack.__dict__.setdefault(PINNED_OBJECTS_ATTRIBUTE, set())
    return objects


#: The attribute by which a stack collects the user's source line of each pinned address.
SOURCE_LINES_ATTRIBUTE = "_stackkit_source_lines"


def _source_lines(stack: TerraformStack) -> dict[str, str]:
    lines: dict[str, str] = stack.__dict__.setdefault(SOURCE_LINES_ATTRIBUTE, {})
    return lines


@implements_validation
class SourceLinesWriter:
    """Writes the stack's source-line map into its JSON when the stack synthesizes: cdktf runs
    a stack's validations right before it renders the stack (``StackSynthesizer.synthesize``:
    ``runAllValidations()``, then ``toTerraform()``), so the map holds every resource by then.
    One override per stack instead of one per resource. The map also holds the resources and data
    sources the team's own code made with provider bindings (their line, noted by
    :func:`~stackkit._private.source_location.watch_created`), at their final address. It reports
    no problem. An app that skips validation (``App(skip_validation=True)``) gets no map: the gate
    then reports findings on the JSON only."""

    def __init__(self, stack: TerraformStack) -> None:
        self._stack = stack

    def validate(self) -> list[str]:
        lines = _source_lines(self._stack)
        if USER_CREATED[0]:  # the team's own resources (provider bindings), where they were made
            pinned = _pinned_objects(self._stack)
            for child in self._stack.node.find_all():
                where = getattr(child, CREATED_AT_ATTRIBUTE, None)
                if where is None or id(child) in pinned:
                    continue
                assert isinstance(child, TerraformResource | TerraformDataSource)
                block = "data." if isinstance(child, TerraformDataSource) else ""
                lines.setdefault(f"{block}{_resource_type(child)}.{child.friendly_unique_id}", where)
        write_sources(self._stack, lines)
        return []


def owned_by_stackkit(construct: IConstruct) -> bool:
    """Whether ``construct`` is one of the library's constructs, which pin every address.

    Not ``ProviderScope`` (it only scopes a team's own resources) nor ``AwsContext`` (not in
    ``stackkit.constructs``: a shared per-stack helper whose data sources have no name to
    derive an address from; their addresses are cdktf's, stable as long as its id is)."""
    module = type(construct).__module__
    return module.startswith("stackkit.constructs.") and type(construct).__name__ != "ProviderScope"


@implements_validation
class EveryResourcePinned:
    """A synth-time check, registered on a stack by the first :func:`pin_address` in it (every
    library construct pins its first resource right away): every resource and data source
    whose nearest enclosing construct is one of the library's has its address pinned with
    :func:`pin_address`. Without a pin, moving the construct would rename the resource,
    which for a database means destroying it."""

    def __init__(self, stack: TerraformStack) -> None:
        self._stack = stack

    def validate(self) -> list[str]:
        pinned_objects = _pinned_objects(self._stack)
        problems = []
        for child in self._stack.node.find_all():
            if not isinstance(child, TerraformResource | TerraformDataSource) or id(child) in pinned_objects:
                continue
            owner = child.node.scope
            if owner is None or not owned_by_stackkit(owner):
                continue
            problems.append(
                f"{child.terraform_resource_type} {child.node.path} (created by "
                f"{type(owner).__name__}) has no pinned address: call pin_address(resource, name, ...) "
                "right after creating it, so that moving the construct cannot rename it"
            )
        return problems


#: The attribute by which a scope (``stackkit.ProviderScope``) names the provider of its subtree.
PROVIDER_ATTRIBUTE = "_stackkit_provider"
#: Whether this process has made a provider scope yet: until then no construct can be inside
#: one (its ancestors were all made before it), and :func:`provider_of` needs no walk up the
#: tree (two round trips to the jsii kernel per call).
_PROVIDER_SCOPES_MADE: list[bool] = []


def set_subtree_provider(scope: Construct, provider: TerraformProvider) -> None:
    """Make ``provider`` the one :func:`provider_of` finds for ``scope``'s subtree."""
    setattr(scope, PROVIDER_ATTRIBUTE, provider)
    _PROVIDER_SCOPES_MADE[:] = [True]


def provider_of(scope: Construct) -> TerraformProvider | None:
    """The provider set by the nearest enclosing ``ProviderScope``, or None (the default one)."""
    if not _PROVIDER_SCOPES_MADE:
        return None
    for ancestor in reversed(scope.node.scopes):
        provider = getattr(ancestor, PROVIDER_ATTRIBUTE, None)
        if isinstance(provider, TerraformProvider):
            return provider
    return None


def region_of(scope: Construct) -> str | None:
    """The AWS region ``scope`` builds in, when it is a literal known at synth time: the region
    of the nearest ``ProviderScope``'s provider, else of the stack's default (alias-less) AWS
    provider. None when the region is a token (a variable, unknown until apply), when the
    provider sets no region (it comes from the environment), or when there is no provider yet:
    callers then skip region checks rather than guess."""
    provider = provider_of(scope)
    if provider is None:
        stack = stack_of(scope)
        defaults = [
            child for child in stack.node.children if isinstance(child, AwsProvider) and child.alias is None
        ]
        provider = defaults[0] if len(defaults) == 1 else None
    if not isinstance(provider, AwsProvider):
        return None
    region = provider.region
    if not isinstance(region, str) or not region or Token.is_unresolved(region):
        return None
    return region


#: The context key under which CDK Terrain reads the Terraform versions a project targets
#: (``TARGET_VERSIONS_CONTEXT_KEY`` in cdktn's ``lib/validations/target-versions.js``).
TARGET_VERSIONS_CONTEXT = "targetVersions"


def declare_terraform_target(construct: Construct) -> None:
    """Declare on ``construct``'s subtree the Terraform that stackkit's output needs
    (:data:`~stackkit._private.cdk.TERRAFORM_TARGET`), unless the app or a scope above already
    declares a target (the team's own declaration wins; a too-old one fails CDK Terrain's check
    at synthesis, naming the feature).

    Only on a CDK that checks features against a target (``CAPABILITIES.terraform_target_context``):
    CDK Terrain refuses write-only arguments, ephemeral resources and S3 locking when the project
    targets its default, terraform >=1.5.7. It resolves the target with
    ``scope.node.tryGetContext("targetVersions")`` from the element using the feature
    (cdktn 0.24 ``lib/validations/target-versions.js``), so context on an enclosing construct
    applies, and no ``App`` setting is needed. Call it before the construct has children
    (``constructs`` refuses context on a node with children)."""
    if not CAPABILITIES.terraform_target_context:
        return
    if construct.node.try_get_context(TARGET_VERSIONS_CONTEXT) is None:
        construct.node.set_context(TARGET_VERSIONS_CONTEXT, dict(TERRAFORM_TARGET))


def add_ephemeral(scope: Construct, resource_type: str, name: str, body: dict[str, Any]) -> str:
    """Add an ``ephemeral`` block to ``scope``'s stack, on ``scope``'s provider; returns its address
    (``ephemeral.<type>.<name>``) for expressions. ``body`` uses the Terraform argument names.

    With ``CAPABILITIES.native_ephemeral`` (CDK Terrain) it is the provider's ephemeral class,
    created under ``scope`` with its logical id pinned to ``name``; otherwise (cdktf 0.21, which
    has no classes for them) a raw block written into the stack's JSON. Both synthesize
    ``ephemeral.<type>.<name>`` with the same arguments.

    A raw block is not a construct, so a ``ProviderScope`` cannot assign its provider later:
    it is written here (for the class too, alike)."""
    provider = provider_of(scope)
    address = f"ephemeral.{resource_type}.{name}"
    if CAPABILITIES.native_ephemeral:
        # Terraform argument names are the binding's keyword names (both snake_case).
        resource = ephemeral_resource_class(resource_type)(
            scope, f"ephemeral-{name}", **body, **({"provider": provider} if provider is not None else {})
        )
        declare_terraform_target(resource)
        resource.override_logical_id(name)
        return address
    stack_of(scope).add_override(
        address, {**body, **({"provider": provider.fqn} if provider is not None else {})}
    )
    return address


def s3_backend(stack: TerraformStack, *, bucket: str, key: str, region: str, kms_key_id: str) -> None:
    """Encrypted S3 remote state with S3-native locking (``use_lockfile``; no DynamoDB table:
    Terraform 1.11.0's release notes make S3-native locking generally available and deprecate the
    DynamoDB-related arguments).

    ``kms_key_id``: the state key (a key or alias ARN). The backend sends its own encryption
    header: with ``encrypt = true`` and no ``kms_key_id`` it writes SSE-S3 (AES256) whatever the
    bucket's default says (hashicorp/terraform, ``internal/backend/remote-state/s3/client.go``,
    ``PutObject``); with it, SSE-KMS under that key, for the state and the lock file (Terraform
    docs, "Backend Type: s3": ``kms_key_id`` - "Amazon Resource Name (ARN) of a Key Management
    Service (KMS) Key to use for encrypting the state and lock files",
    https://developer.hashicorp.com/terraform/language/backend/s3#kms_key_id; the backend's
    validation accepts a key ARN or an alias ARN, ``validate.go``, ``isKeyARN``).

    CDK Terrain's ``S3Backend`` takes ``use_lockfile`` (``CAPABILITIES.s3_backend_lockfile``);
    cdktf 0.21's does not, so there it is an override of the backend block (both synthesize
    ``terraform.backend.s3.use_lockfile: true``)."""
    settings: dict[str, Any] = {
        "bucket": bucket,
        "key": key,
        "region": region,
        "encrypt": True,
        "kms_key_id": kms_key_id,
    }
    if CAPABILITIES.s3_backend_lockfile:
        backend = S3Backend(stack, **{**settings, "use_lockfile": True})
        declare_terraform_target(backend)  # cdktn checks S3 native locking against the target
        return
    S3Backend(stack, **settings)
    stack.add_override("terraform.backend.s3.use_lockfile", True)


#: The attribute by which a stack keeps its :class:`AwsContext` objects, by construct id.
AWS_CONTEXTS_ATTRIBUTE = "_stackkit_aws_contexts"


class AwsContext(Construct):
    """Account, partition and region, created once per stack and provider, and shared.

    Resources under a ``ProviderScope`` get the context of that scope's provider (its own
    account and region data sources), not the stack's default provider's."""

    def __init__(self, scope: Construct, id_: str, provider: TerraformProvider | None = None) -> None:
        super().__init__(scope, id_)
        self.account_id = DataAwsCallerIdentity(self, "caller", provider=provider).account_id
        partition = DataAwsPartition(self, "partition", provider=provider)
        self.partition = partition.partition
        self.dns_suffix = partition.dns_suffix
        self.region = DataAwsRegion(self, "region", provider=provider).region

    @classmethod
    def of(cls, scope: Construct) -> AwsContext:
        stack = stack_of(scope)
        provider = provider_of(scope)
        id_ = "stackkit-aws-context"
        if provider is not None:  # the provider's construct id is unique in the stack
            id_ = f"{id_}-{provider.node.id}"
        # Kept on the stack object too: most constructs ask, and each kernel lookup is two round trips.
        known: dict[str, AwsContext] = stack.__dict__.setdefault(AWS_CONTEXTS_ATTRIBUTE, {})
        if id_ not in known:
            existing = stack.node.try_find_child(id_)
            known[id_] = existing if isinstance(existing, AwsContext) else cls(stack, id_, provider)
        return known[id_]


# Where a team's own resources are made (their provider bindings' lines), for the gate's SARIF.
watch_created(jsii_runtime, (TerraformResource, TerraformDataSource), (TerraformStack,), write_source_lines)
