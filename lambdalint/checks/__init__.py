"""Rule logic written in Python, by kind. Importing this package registers every check."""

from lambdalint.checks.code import client_in_handler
from lambdalint.checks.cross import handler_not_found
from lambdalint.checks.template import (
    environment_too_large,
    quota_out_of_range,
    reserved_environment_variable,
    too_many_layers,
)

__all__ = [
    "client_in_handler",
    "environment_too_large",
    "handler_not_found",
    "quota_out_of_range",
    "reserved_environment_variable",
    "too_many_layers",
]
