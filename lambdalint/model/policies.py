"""SAM policy templates, resolved to the resources they grant (``S3CrudPolicy: {BucketName: !Ref Uploads}``).

Each template scopes its actions to the resource its parameter names; the table keeps, for the
templates in common use, which parameter that is. A parameter that is ``"*"`` grants the template's
actions on every such resource of the account.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from lambdalint.loaders.tree import Mapping, Node, Sequence, scalar_value
from lambdalint.model.project import Function

#: policy template → the parameter naming the resource it grants access to
RESOURCE_PARAMETERS: dict[str, str] = {
    **dict.fromkeys(("S3ReadPolicy", "S3WritePolicy", "S3CrudPolicy", "S3FullAccessPolicy"), "BucketName"),
    **dict.fromkeys(("SQSPollerPolicy", "SQSSendMessagePolicy"), "QueueName"),
    **dict.fromkeys(("SNSPublishMessagePolicy", "SNSCrudPolicy"), "TopicName"),
    **dict.fromkeys(
        (
            "DynamoDBCrudPolicy",
            "DynamoDBReadPolicy",
            "DynamoDBWritePolicy",
            "DynamoDBStreamReadPolicy",
            "DynamoDBReconfigurePolicy",
            "DynamoDBBackupFullAccessAndRestorePolicy",
            "DynamoDBRestoreFromBackupPolicy",
        ),
        "TableName",
    ),
    **dict.fromkeys(("KinesisStreamReadPolicy", "KinesisCrudPolicy"), "StreamName"),
    "LambdaInvokePolicy": "FunctionName",
    "StepFunctionsExecutionPolicy": "StateMachineName",
    **dict.fromkeys(("SSMParameterReadPolicy", "SSMParameterWithSlashPrefixReadPolicy"), "ParameterName"),
    "AWSSecretsManagerGetSecretValuePolicy": "SecretArn",
    "EventBridgePutEventsPolicy": "EventBusName",
    **dict.fromkeys(("KMSDecryptPolicy", "KMSEncryptPolicy"), "KeyId"),
    **dict.fromkeys(("ElasticsearchHttpPostPolicy", "OpenSearchHttpPostPolicy"), "DomainName"),
    "AthenaQueryPolicy": "WorkGroupName",
}


@dataclass(frozen=True)
class PolicyTemplateGrant:
    """One SAM policy template of a function and the resource it grants."""

    template: str
    parameter: str
    #: the parameter's value node (``None`` when the template is used without it)
    value: Node | None
    #: the template's resources the value refers to
    resources: frozenset[str]
    #: ``"*"``: every resource of that kind in the account
    wildcard: bool


def policy_template_grants(function: Function) -> Iterator[PolicyTemplateGrant]:
    """The SAM policy templates in the function's ``Policies`` that scope access to a resource."""
    policies = function.get("Policies")
    graph = function.template.graph
    for item in policies.items if isinstance(policies, Sequence) else ():
        if not isinstance(item, Mapping) or len(item) != 1:
            continue
        ((name, arguments),) = item.items()
        parameter = RESOURCE_PARAMETERS.get(name)
        if parameter is None:
            continue
        value = arguments.get(parameter) if isinstance(arguments, Mapping) else None
        yield PolicyTemplateGrant(
            name,
            parameter,
            value,
            frozenset(graph.references(value)),
            wildcard=scalar_value(value) == "*",
        )
