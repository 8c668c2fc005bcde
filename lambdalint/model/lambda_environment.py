"""The environment variables Lambda itself puts in a function's execution environment.

Two lists, because rules ask two questions: which names the template may not set (the Lambda API
refuses them and the deployment fails: LL217), and which names code can read without the template
setting them (LL216) — the reserved ones plus those Lambda sets but lets you override, and those
of particular setups (X-Ray, advanced logging controls, SnapStart and Managed Instances
credentials), which a rule that must never cry wolf treats as always there.

Source: https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
(reserved and unreserved runtime variables), checked 2025; the X-Ray, logging and credential
variables from the X-Ray, advanced logging and SnapStart pages of the same guide.
"""

from __future__ import annotations

#: names the function's configuration cannot set
RESERVED = frozenset(
    {
        "_HANDLER",
        "_X_AMZN_TRACE_ID",
        "AWS_DEFAULT_REGION",
        "AWS_REGION",
        "AWS_EXECUTION_ENV",
        "AWS_LAMBDA_FUNCTION_NAME",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
        "AWS_LAMBDA_FUNCTION_VERSION",
        "AWS_LAMBDA_INITIALIZATION_TYPE",
        "AWS_LAMBDA_LOG_GROUP_NAME",
        "AWS_LAMBDA_LOG_STREAM_NAME",
        "AWS_ACCESS_KEY",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_LAMBDA_RUNTIME_API",
        "LAMBDA_TASK_ROOT",
        "LAMBDA_RUNTIME_DIR",
    }
)

#: names present at run time whatever the template says
RUNTIME_SET = RESERVED | frozenset(
    {
        # unreserved: Lambda sets them, the function may override them
        "TZ",
        "LANG",
        "PATH",
        "LD_LIBRARY_PATH",
        "PYTHONPATH",
        "PWD",
        # X-Ray (set whether or not active tracing is on)
        "AWS_XRAY_CONTEXT_MISSING",
        "AWS_XRAY_DAEMON_ADDRESS",
        "_AWS_XRAY_DAEMON_ADDRESS",
        "_AWS_XRAY_DAEMON_PORT",
        # advanced logging controls
        "AWS_LAMBDA_LOG_FORMAT",
        "AWS_LAMBDA_LOG_LEVEL",
        # credentials served by the container credentials provider (SnapStart, Managed Instances)
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN",
        # Lambda Managed Instances: concurrent requests per execution environment
        "AWS_LAMBDA_MAX_CONCURRENCY",
    }
)
