"""The normalised function view that declarative policies evaluate.

SAM and CloudFormation name the same Lambda settings differently (``Tracing: Active`` against
``TracingConfig.Mode``, a tag map against a ``Key``/``Value`` list) and SAM adds ``Globals``. A policy
written against this view covers both: every setting has one kebab-case name, its value is plain
Python data, and it keeps the template node that sets it so a finding points at that line (a value
merged from Globals at the Globals line). Where the template is silent and Lambda has a default, the
view holds the default, so "tracing is Active" fails on a function that says nothing.

Values the template does not fix stay :class:`~lambdalint.model.graph.Unknown`: a ``!Ref`` to a
parameter without default, ``Fn::ImportValue``, an ``!If`` whose branches differ, and a reference to a
resource of the template (its name or ARN is decided at deploy time). The one exception is ``role``:
a role of the template is named by its logical id, which is what a policy can say something about.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

from lambdalint.loaders.tree import Mapping, Node, Sequence, intrinsic_name, scalar_value
from lambdalint.model.events import event_sources, refers_to
from lambdalint.model.graph import NoValue, ResourceRef, TemplateGraph, Unknown, Value
from lambdalint.model.project import SERVERLESS_FUNCTION, Function


@dataclass(frozen=True)
class Field:
    """One setting of the view: its plain value and the template node that sets it."""

    #: plain Python (str, int, float, bool, list, dict) or an :class:`Unknown`
    value: object
    #: the node that sets it; ``None`` when the value is Lambda's default or no node of the function sets it
    node: Node | None
    #: the template is silent and Lambda's default applies
    defaulted: bool = False
    #: for a dict value, each entry with its own node (a tag's ``Value``, an environment variable),
    #: so that :func:`lookup` points at the entry rather than at the whole map
    parts: dict[str, Field] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class FieldSource:
    """Where a field comes from, for the documentation and for reading it."""

    name: str
    summary: str
    #: the property path in ``AWS::Serverless::Function``
    sam: str
    #: the property path in ``AWS::Lambda::Function`` (or the resource that sets it)
    cloudformation: str
    #: Lambda's default when the template is silent; ``None`` when there is none
    default: object = None


#: every field of the view, in documentation order
FIELDS: tuple[FieldSource, ...] = (
    FieldSource("runtime", "the runtime identifier", "Runtime", "Runtime"),
    FieldSource("handler", "the handler", "Handler", "Handler"),
    FieldSource("package-type", "Zip or Image", "PackageType", "PackageType", "Zip"),
    FieldSource("code-uri", "where the code is", "CodeUri", "Code"),
    FieldSource("memory", "memory in MB", "MemorySize", "MemorySize", 128),
    FieldSource("timeout", "timeout in seconds", "Timeout", "Timeout", 3),
    FieldSource("ephemeral-storage", "/tmp size in MB", "EphemeralStorage.Size", "EphemeralStorage.Size", 512),
    FieldSource("architectures", "instruction set architectures", "Architectures", "Architectures", ("x86_64",)),
    FieldSource("tracing", "X-Ray tracing mode", "Tracing", "TracingConfig.Mode", "PassThrough"),
    FieldSource("layers", "layer ARNs", "Layers", "Layers"),
    FieldSource("environment", "environment variables by name", "Environment.Variables", "Environment.Variables"),
    FieldSource("role", "the execution role: an ARN, or a role resource's logical id", "Role", "Role"),
    FieldSource(
        "vpc",
        "subnet-ids and security-group-ids",
        "VpcConfig.SubnetIds, VpcConfig.SecurityGroupIds",
        "VpcConfig.SubnetIds, VpcConfig.SecurityGroupIds",
    ),
    FieldSource(
        "events",
        "event source types",
        "Events.*.Type, and resources that invoke the function",
        "resources that invoke the function (their types)",
    ),
    FieldSource("tags", "tags by key", "Tags (a map)", "Tags (a list of Key and Value)"),
    FieldSource(
        "reserved-concurrency",
        "reserved concurrent executions",
        "ReservedConcurrentExecutions",
        "ReservedConcurrentExecutions",
    ),
    FieldSource(
        "provisioned-concurrency",
        "provisioned concurrent executions",
        "ProvisionedConcurrencyConfig.ProvisionedConcurrentExecutions",
        "AWS::Lambda::Alias or AWS::Lambda::Version ProvisionedConcurrencyConfig.ProvisionedConcurrentExecutions",
    ),
    FieldSource("dead-letter", "the dead-letter target ARN", "DeadLetterQueue.TargetArn", "DeadLetterConfig.TargetArn"),
    FieldSource(
        "destinations",
        "on-success and on-failure destinations of asynchronous invocations",
        "EventInvokeConfig.DestinationConfig.OnSuccess/OnFailure.Destination",
        "AWS::Lambda::EventInvokeConfig DestinationConfig.OnSuccess/OnFailure.Destination",
    ),
    FieldSource("function-name", "the function's name", "FunctionName", "FunctionName"),
    FieldSource(
        "capacity-provider",
        "the Lambda Managed Instances capacity provider",
        "CapacityProviderConfig",
        "CapacityProviderConfig",
    ),
)

FIELD_NAMES: tuple[str, ...] = tuple(source.name for source in FIELDS)

#: fields CloudFormation also accepts as strings ("512"); the view holds them as numbers
_INTEGERS = frozenset({"memory", "timeout", "ephemeral-storage", "reserved-concurrency", "provisioned-concurrency"})

Reader = Callable[[Function, TemplateGraph], "Field | None"]


def function_view(function: Function) -> dict[str, Field]:
    """The function's settings under one vocabulary for SAM and CloudFormation, Globals merged.

    A setting the template does not give is present with Lambda's default when Lambda has one, and
    absent from the dict when it has none. ``events`` is always present (an empty list when nothing
    invokes the function).
    """
    graph = function.template.graph
    serverless = function.type == SERVERLESS_FUNCTION
    view: dict[str, Field] = {}
    for source in FIELDS:
        reader = _READERS.get(source.name)
        if reader is not None:
            found = reader(function, graph)
        else:
            first, *rest = (source.sam if serverless else source.cloudformation).split(".")
            found = _at(graph, function.get(first), rest)
        if found is None and source.default is not None:
            default = source.default
            found = Field(list(default) if isinstance(default, tuple) else default, None, defaulted=True)
        if found is not None:
            view[source.name] = _as_integer(found) if source.name in _INTEGERS else found
    return view


def lookup(view: dict[str, Field], path: str) -> Field | None:
    """A dotted path: ``"memory"``, ``"tags.Workload"``, ``"environment.TABLE_NAME"``, ``"vpc.subnet-ids"``.

    Descends into dict values; a key may itself contain dots (``tags.app.example.com/team``). The node
    is the entry's own when the template has one, else the parent's. Below an ``Unknown`` value the
    answer is that ``Unknown`` (the entry may or may not be there). ``None`` when absent.
    """
    name, _, rest = path.partition(".")
    found = view.get(name)
    while found is not None and rest:
        if isinstance(found.value, Unknown):
            return Field(found.value, found.node)
        if not isinstance(found.value, dict):
            return None
        key = next((key for key in _key_candidates(rest) if key in found.value), None)
        if key is None:
            return None
        found = found.parts.get(key) or Field(found.value[key], found.node)
        rest = rest[len(key) + 1 :]
    return found


def _key_candidates(rest: str) -> Iterator[str]:
    """The keys a dotted remainder may start with, longest first."""
    yield rest
    position = len(rest)
    while (position := rest.rfind(".", 0, position)) > 0:
        yield rest[:position]


# -- reading values ----------------------------------------------------------------------------


def _at(graph: TemplateGraph, node: Node | None, path: list[str]) -> Field | None:
    """The field under ``path`` from ``node``; an intrinsic on the way is evaluated and descended into."""
    path = list(path)
    while node is not None and path and _plain_mapping(node):
        assert isinstance(node, Mapping)
        node = node.get(path.pop(0))
    if node is None:
        return None
    value = _plain(graph.evaluate(node))
    for part in path:
        if isinstance(value, Unknown):
            break
        value = value.get(part) if isinstance(value, dict) else None
    if value is None or isinstance(value, NoValue):
        return None
    return Field(value, node)


def _plain(value: Value) -> object:
    """A graph value as the view holds it: a resource reference is a value decided at deploy time."""
    if isinstance(value, ResourceRef):
        what = f"{value.logical_id}.{value.attribute}" if value.attribute else f"the Ref of {value.logical_id}"
        return Unknown(f"{what} is decided at deploy time", frozenset({value.logical_id}))
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def _plain_mapping(node: Node) -> bool:
    return isinstance(node, Mapping) and intrinsic_name(node) is None


def _as_integer(found: Field) -> Field:
    value = found.value
    if isinstance(value, str) and value.strip().isdigit():
        return replace(found, value=int(value))
    return found


def _entries(graph: TemplateGraph, node: Node) -> Field | None:
    """A map whose entries keep their own nodes (environment variables, SAM tags)."""
    if not _plain_mapping(node):
        return _at(graph, node, [])
    assert isinstance(node, Mapping)
    parts = {key: found for key, item in node.items() if (found := _at(graph, item, [])) is not None}
    return Field({key: found.value for key, found in parts.items()}, node, parts=parts)


def _record(graph: TemplateGraph, node: Node | None, keys: dict[str, str]) -> Field | None:
    """A dict under our names, each read from a path under ``node``; ``None`` when none is set."""
    if node is None:
        return None
    if not _plain_mapping(node):
        whole = _at(graph, node, [])
        if whole is None or isinstance(whole.value, Unknown):
            return whole
    parts = {name: found for name, path in keys.items() if (found := _at(graph, node, path.split("."))) is not None}
    if not parts:
        return None
    return Field({name: found.value for name, found in parts.items()}, node, parts=parts)


def _pointing(function: Function, graph: TemplateGraph, *kinds: str) -> Iterator[Mapping]:
    """The properties of the resources of these types whose ``FunctionName`` is the function."""
    for logical_id in graph.of_type(*kinds):
        properties = graph.properties(logical_id)
        if refers_to(graph, properties.get("FunctionName"), function):
            yield properties


# -- the fields that are more than one property path -------------------------------------------


def _environment(function: Function, graph: TemplateGraph) -> Field | None:
    environment = function.get("Environment")
    if environment is not None and not _plain_mapping(environment):
        return _at(graph, environment, ["Variables"])
    variables = environment.get("Variables") if isinstance(environment, Mapping) else None
    return _entries(graph, variables) if variables is not None else None


def _tags(function: Function, graph: TemplateGraph) -> Field | None:
    """SAM's tag map as it is; CloudFormation's ``Key``/``Value`` list as a map of the values."""
    tags = function.get("Tags")
    if not isinstance(tags, Sequence):
        return _entries(graph, tags) if tags is not None else None
    parts: dict[str, Field] = {}
    for item in tags:
        if isinstance(graph.evaluate(item), NoValue):
            continue
        key = graph.evaluate(item.get("Key")) if isinstance(item, Mapping) and _plain_mapping(item) else None
        if not isinstance(key, str) or not isinstance(item, Mapping):
            return Field(Unknown("a tag whose key or presence is decided at deploy time"), tags)
        value = item.get("Value")
        found = _at(graph, value, []) if value is not None else None
        parts[key] = found or Field("", item)
    return Field({key: found.value for key, found in parts.items()}, tags, parts=parts)


def _role(function: Function, graph: TemplateGraph) -> Field | None:
    """The role's ARN, or the logical id of the role resource the template defines."""
    role = function.get("Role")
    value = graph.evaluate(role)
    if isinstance(value, ResourceRef):
        return Field(value.logical_id, role)
    return _at(graph, role, [])


def _vpc(function: Function, graph: TemplateGraph) -> Field | None:
    keys = {"subnet-ids": "SubnetIds", "security-group-ids": "SecurityGroupIds"}
    return _record(graph, function.get("VpcConfig"), keys)


def _events(function: Function, graph: TemplateGraph) -> Field:
    """The type of each event source; present (empty) even when nothing invokes the function."""
    types = [source.type for source in event_sources(function)]
    node = function.get("Events")
    return Field(types, node, defaulted=node is None and not types)


def _provisioned(function: Function, graph: TemplateGraph) -> Field | None:
    path = ["ProvisionedConcurrencyConfig", "ProvisionedConcurrentExecutions"]
    if (found := _at(graph, function.get(path[0]), path[1:])) is not None:
        return found
    aliases = _pointing(function, graph, "AWS::Lambda::Alias", "AWS::Lambda::Version")
    return next((found for properties in aliases if (found := _at(graph, properties, path)) is not None), None)


_DESTINATIONS = {"on-success": "OnSuccess.Destination", "on-failure": "OnFailure.Destination"}


def _destinations(function: Function, graph: TemplateGraph) -> Field | None:
    """SAM's ``EventInvokeConfig`` first, else an ``AWS::Lambda::EventInvokeConfig`` of the function."""
    config = function.get("EventInvokeConfig")
    if config is not None and not _plain_mapping(config):
        keys = {name: f"DestinationConfig.{path}" for name, path in _DESTINATIONS.items()}
        return _record(graph, config, keys)
    destinations = config.get("DestinationConfig") if isinstance(config, Mapping) else None
    if destinations is not None:
        return _sam_created(destinations, _record(graph, destinations, _DESTINATIONS))
    resources = _pointing(function, graph, "AWS::Lambda::EventInvokeConfig")
    configured = (_record(graph, properties.get("DestinationConfig"), _DESTINATIONS) for properties in resources)
    return next(filter(None, configured), None)


def _sam_created(destinations: Node, found: Field | None) -> Field | None:
    """An SQS or SNS destination without ``Destination``: SAM creates the queue or topic itself."""
    if not isinstance(destinations, Mapping) or (found is not None and isinstance(found.value, Unknown)):
        return found
    parts = dict(found.parts) if found is not None else {}
    for name, key in (("on-success", "OnSuccess"), ("on-failure", "OnFailure")):
        target = destinations.mapping(key)
        kind = scalar_value(target.get("Type")) if target is not None else None
        if name not in parts and kind in ("SQS", "SNS"):
            parts[name] = Field(Unknown(f"the {kind} destination SAM creates"), target)
    if not parts:
        return None
    return Field({name: part.value for name, part in parts.items()}, destinations, parts=parts)


_READERS: dict[str, Reader] = {
    "environment": _environment,
    "tags": _tags,
    "role": _role,
    "vpc": _vpc,
    "events": _events,
    "provisioned-concurrency": _provisioned,
    "destinations": _destinations,
}
