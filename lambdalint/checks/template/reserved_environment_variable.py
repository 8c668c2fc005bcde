"""LL217 reserved-environment-variable: the template sets a name the Lambda runtime reserves."""

from __future__ import annotations

from collections.abc import Iterator

from lambdalint.checks.base import CheckContext, Report, TemplatePlace, function_check
from lambdalint.model.lambda_environment import RESERVED
from lambdalint.model.project import Function


@function_check("LL217")
def reserved_environment_variable(function: Function, context: CheckContext) -> Iterator[Report]:
    variables = function.environment_variables()
    if variables is None:
        return
    for name, value in variables.items():
        if name in RESERVED:
            yield Report(
                f"{name} is reserved by the Lambda runtime and cannot be set (the deployment fails); "
                "read the runtime's value instead or use another name",
                TemplatePlace(function.template, value),
                function=function,
            )
