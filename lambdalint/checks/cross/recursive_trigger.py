"""LL212 recursive-trigger: code writes to the very bucket, queue, topic or table that triggers it.

The link is made through the template: the code writes to a resource named by an environment
variable (``Bucket=os.environ["BUCKET"]``, or a name bound to that read), the function's
``Environment.Variables`` sets that variable to a resource of the template (``!Ref ImagesBucket``),
and the same resource is one of the function's event sources. An S3 event with a key filter is
reported only when the written key is a literal the filter lets through; anything unknown is silent.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import libcst as cst

from lambdalint.analysis.calls import argument, literal_string
from lambdalint.analysis.program import Invocation
from lambdalint.checks.base import CodeCheck, CodePlace, Report, TemplatePlace, code_check
from lambdalint.loaders.tree import Mapping, Node, Sequence, scalar_value
from lambdalint.model.events import event_sources
from lambdalint.model.project import Function

#: (service, method) → the keyword naming the resource written to, and its position
WRITES: dict[tuple[str, str], tuple[str, int | None]] = {
    ("s3", "put_object"): ("Bucket", None),
    ("s3", "copy_object"): ("Bucket", None),
    ("s3", "upload_file"): ("Bucket", 1),
    ("s3", "upload_fileobj"): ("Bucket", 1),
    ("sqs", "send_message"): ("QueueUrl", None),
    ("sqs", "send_message_batch"): ("QueueUrl", None),
    ("sns", "publish"): ("TopicArn", None),
    ("sns", "publish_batch"): ("TopicArn", None),
    ("kinesis", "put_record"): ("StreamName", None),
    ("kinesis", "put_records"): ("StreamName", None),
    ("dynamodb", "put_item"): ("TableName", None),
    ("dynamodb", "update_item"): ("TableName", None),
}
ENVIRONMENT_READS = frozenset({"os.environ", "os.environ.get", "os.getenv"})


@dataclass(frozen=True)
class Write:
    node: cst.Call
    function: str
    service: str
    variable: str
    key: str | None


@code_check
class RecursiveTrigger(CodeCheck):
    rule_id = "LL212"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: names bound to SDK clients, by scope: ("handler", "s3") → "s3"
        self.clients: dict[tuple[str | None, str], str] = {}
        #: names bound to environment reads, by scope
        self.variables: dict[tuple[str | None, str], str] = {}
        self.writes: list[Write] = []

    def _scope(self) -> str | None:
        current = self.facts.current_function
        return current.name if current else None

    def visit_Assign(self, node: cst.Assign) -> None:
        service, variable = self._client_service(node.value), self._environment_variable(node.value)
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                key = (self._scope(), target.target.value)
                if service:
                    self.clients[key] = service
                if variable:
                    self.variables[key] = variable

    def visit_Call(self, node: cst.Call) -> None:
        if not isinstance(node.func, cst.Attribute):
            return
        service = self._client_service(node.func.value)
        write = WRITES.get((service or "", node.func.attr.value))
        site = self.facts.call_site(node)
        if write is None or site is None:
            return
        keyword, position = write
        target = argument(node, position, keyword)
        variable = self._environment_variable(target) if target is not None else None
        if service and variable:
            key = argument(node, 2 if node.func.attr.value.startswith("upload") else None, "Key")
            self.writes.append(Write(node, site.function, service, variable, literal_string(key)))

    def _client_service(self, expression: cst.BaseExpression) -> str | None:
        """``s3`` for ``boto3.client("s3")`` or a name bound to it."""
        if isinstance(expression, cst.Name):
            return self.clients.get((self._scope(), expression.value)) or self.clients.get((None, expression.value))
        if isinstance(expression, cst.Call) and self.facts.qualified_name(expression.func) == "boto3.client":
            first = argument(expression, 0, "service_name")
            value = first.evaluated_value if isinstance(first, cst.SimpleString) else None
            return value if isinstance(value, str) else None
        return None

    def _environment_variable(self, expression: cst.BaseExpression) -> str | None:
        """``X`` for ``os.environ["X"]``, ``os.environ.get("X")``, ``os.getenv("X")`` or a name bound to one."""
        if isinstance(expression, cst.Name):
            return self.variables.get((self._scope(), expression.value)) or self.variables.get((None, expression.value))
        if isinstance(expression, cst.Subscript) and self.facts.qualified_name(expression.value) == "os.environ":
            index = expression.slice[0].slice if len(expression.slice) == 1 else None
            name = index.value if isinstance(index, cst.Index) else None
        elif isinstance(expression, cst.Call) and self.facts.qualified_name(expression.func) in ENVIRONMENT_READS:
            name = expression.args[0].value if expression.args else None
        else:
            return None
        value = name.evaluated_value if isinstance(name, cst.SimpleString) else None
        return value if isinstance(value, str) else None

    def finish(self, invocation: Invocation) -> Iterator[Report]:
        for write in self.writes:
            if not invocation.runs_per_invocation(write.function):
                continue
            for function in invocation.lambda_functions():
                yield from _loops(self, invocation, write, function)


def _loops(check: RecursiveTrigger, invocation: Invocation, write: Write, function: Function) -> Iterator[Report]:
    variables = function.environment_variables()
    value = variables.get(write.variable) if variables else None
    if value is None:
        return
    graph = function.template.graph
    written = graph.references(value)
    for source in event_sources(function):
        if source.source is None or source.source.logical_id not in written:
            continue
        if source.type == "S3" and not _passes_filter(source.properties.get("Filter"), write.key):
            continue
        what = graph.type_of(source.source.logical_id) or "resource"
        yield Report(
            f"{function.logical_id} writes to {source.source.logical_id} ({what}, through {write.variable}), "
            f"which triggers {function.logical_id} again: every invocation causes another, a loop that runs and "
            "bills until something breaks it. Write somewhere else, or filter the trigger so it skips what the "
            "function writes",
            CodePlace(check.module, write.node),
            (
                (
                    TemplatePlace(function.template, source.node),
                    f"the {source.type} event that invokes {function.logical_id}",
                ),
                (TemplatePlace(function.template, value), f"{write.variable} names {source.source.logical_id}"),
                *invocation.related(write.function),
            ),
            function=function,
        )


def _passes_filter(filter_node: Node | None, key: str | None) -> bool:
    """Whether an object written with ``key`` passes an S3 event's key filter (no filter: it does)."""
    if filter_node is None:
        return True
    if key is None:
        return False  # a filter and a key we cannot read: precision first
    s3_key = filter_node.get("S3Key") if isinstance(filter_node, Mapping) else None
    rules = s3_key.get("Rules") if isinstance(s3_key, Mapping) else None
    for rule in rules.items if isinstance(rules, Sequence) else ():
        if not isinstance(rule, Mapping):
            return False
        name, value = scalar_value(rule.get("Name")), scalar_value(rule.get("Value"))
        if not isinstance(value, str):
            return False
        if str(name).lower() == "prefix" and not key.startswith(value):
            return False
        if str(name).lower() == "suffix" and not key.endswith(value):
            return False
    return True
