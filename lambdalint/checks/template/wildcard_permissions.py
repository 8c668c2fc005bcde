"""LL214 wildcard-permissions: the execution role allows every action, or a whole service on every resource."""

from __future__ import annotations

from collections.abc import Iterator

from lambdalint.checks.base import CheckContext, Report, TemplatePlace, function_check
from lambdalint.loaders.tree import Mapping, Node, Scalar, Sequence, scalar_value
from lambdalint.model.graph import ResourceRef
from lambdalint.model.policies import policy_template_grants
from lambdalint.model.project import SERVERLESS_FUNCTION, Function

#: AWS managed policies that grant everything, or a whole service on every resource
BROAD_MANAGED_POLICIES = ("AdministratorAccess", "PowerUserAccess")


@function_check("LL214")
def wildcard_permissions(function: Function, context: CheckContext) -> Iterator[Report]:
    for node, what in _broad_grants(function):
        yield Report(
            f"the execution role of {function.logical_id} {what}: any bug or injection in the function "
            "can use all of it. Grant the actions the code calls on the resources it uses (SAM policy "
            "templates such as DynamoDBCrudPolicy or S3ReadPolicy do this in one line)",
            TemplatePlace(function.template, node),
            function=function,
        )


def _broad_grants(function: Function) -> Iterator[tuple[Node, str]]:
    """Each place that grants the function's role too much, and what it grants."""
    if function.type == SERVERLESS_FUNCTION and function.get("Role") is None:
        yield from _policies(function.get("Policies"))
        for grant in policy_template_grants(function):
            if grant.wildcard and grant.value is not None:
                yield grant.value, f'has {grant.template} with {grant.parameter} "*", which grants it on every one'
        return
    role = function.template.graph.evaluate(function.get("Role"))
    if not isinstance(role, ResourceRef) or function.template.graph.type_of(role.logical_id) != "AWS::IAM::Role":
        return  # a role from outside the template: not ours to see
    graph = function.template.graph
    properties = graph.properties(role.logical_id)
    yield from _managed(properties.get("ManagedPolicyArns"))
    for policy in _items(properties.get("Policies")):
        if isinstance(policy, Mapping):
            yield from _statements(policy.get("PolicyDocument"))
    for attached_id in graph.of_type("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
        attached = graph.properties(attached_id)
        if role.logical_id in graph.references(attached.get("Roles")):
            yield from _statements(attached.get("PolicyDocument"))


def _policies(node: Node | None) -> Iterator[tuple[Node, str]]:
    """SAM ``Policies``: managed policy names or ARNs, policy templates, or policy documents."""
    for item in _items(node):
        if isinstance(item, Scalar):
            yield from _managed(item)
        elif isinstance(item, Mapping) and "Statement" in item:
            yield from _statements(item)


def _managed(node: Node | None) -> Iterator[tuple[Node, str]]:
    for item in _items(node):
        name = scalar_value(item)
        if not isinstance(name, str):
            continue
        short = name.rsplit("/", 1)[-1]
        if short in BROAD_MANAGED_POLICIES:
            yield item, f"has the managed policy {short}, which allows every action"
        elif short.endswith("FullAccess"):
            yield item, f"has the managed policy {short}, which allows a whole service on every resource"


def _statements(document: Node | None) -> Iterator[tuple[Node, str]]:
    statements = document.get("Statement") if isinstance(document, Mapping) else None
    for statement in _items(statements):
        if not isinstance(statement, Mapping) or scalar_value(statement.get("Effect")) != "Allow":
            continue
        actions = [item for item in _items(statement.get("Action")) if isinstance(scalar_value(item), str)]
        resources = {scalar_value(item) for item in _items(statement.get("Resource"))}
        for action in actions:
            text = str(scalar_value(action))
            if text == "*":
                yield action, 'allows every action (Action: "*")'
            elif text.endswith(":*") and "*" in resources:
                yield action, f'allows every {text.split(":")[0]} action on every resource ({text} on "*")'


def _items(node: Node | None) -> list[Node]:
    if isinstance(node, Sequence):
        return list(node.items)
    return [node] if node is not None else []
