"""LL211 plaintext-secret-in-environment: a literal secret in a function's environment variables.

Two ways to tell a secret. By its *value*, whatever the variable is called: shapes specific enough
to be one (an AWS access key id, a PEM private key, Slack/GitHub/GitLab/Stripe/Google/SendGrid
tokens, a JWT, a URL with a password in it), also inside the literal text of a ``!Sub``. By its
*name*: a variable whose name ends with a secret word (``DB_PASSWORD``, ``STRIPE_API_KEY``,
``GITHUB_TOKEN``, ``CLIENT_SECRET``) holding a literal that is not a placeholder, a number, a
reference to where the secret lives (an ARN, a parameter path, a dynamic reference) or a URL.
Names that say where the secret lives (``SECRET_ARN``, ``TOKEN_PARAMETER``, ``TOKEN_TTL``) do not
end with a secret word and are not looked at by name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial

from lambdalint.checks.base import CheckContext, Report, TemplatePlace, function_check
from lambdalint.checks.code.hardcoded_credentials import KEY_ID, looks_like
from lambdalint.loaders.tree import Mapping, Node, Scalar, Sequence, intrinsic_name
from lambdalint.model.project import Function


@dataclass(frozen=True)
class Pattern:
    """A value shape that is a secret wherever it appears; ``group`` is the secret part."""

    kind: str
    regex: re.Pattern[str]
    group: int = 0
    #: a closer look at a match (AWS's documented example keys are not keys)
    plausible: Callable[[str], bool] = bool


VALUE_PATTERNS = (
    Pattern(
        "an AWS access key id", re.compile(r"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b"), plausible=partial(looks_like, KEY_ID)
    ),
    Pattern("a private key", re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]*")),
    Pattern("a Slack token", re.compile(r"\bxox[abposr]-[0-9A-Za-z-]{10,}")),
    Pattern(
        "a Slack webhook URL", re.compile(r"https://hooks\.slack\.com/services/T[0-9A-Z]+/B[0-9A-Z]+/[0-9A-Za-z]{16,}")
    ),
    Pattern("a GitHub token", re.compile(r"\b(?:gh[pousr]_[0-9A-Za-z]{36,}|github_pat_[0-9A-Za-z_]{40,})")),
    Pattern("a GitLab token", re.compile(r"\bglpat-[0-9A-Za-z_-]{20,}")),
    Pattern("a Stripe live key", re.compile(r"\b(?:sk|rk)_live_[0-9A-Za-z]{16,}")),
    Pattern("a Google API key", re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b")),
    Pattern("a SendGrid API key", re.compile(r"\bSG\.[0-9A-Za-z_-]{16,}\.[0-9A-Za-z_-]{16,}")),
    Pattern("a JSON Web Token", re.compile(r"\beyJ[0-9A-Za-z_-]{8,}\.eyJ[0-9A-Za-z_-]{8,}\.[0-9A-Za-z_-]{16,}")),
    # scheme://user:password@host — the password part; not for local databases
    Pattern(
        "a password inside a URL",
        re.compile(
            r"\b[a-z][a-z0-9+.-]*://[^:/@\s]*:([^@\s/]+)@(?!(?:localhost|127\.0\.0\.1|0\.0\.0\.0|host\.docker\.internal)\b)"
        ),
        1,
    ),
)

#: the last word(s) of a variable name that say it holds a secret, as lower-case word tuples
SECRET_WORDS = frozenset(
    {
        ("password",),
        ("passwd",),
        ("pwd",),
        ("pass",),
        ("passphrase",),
        ("secret",),
        ("token",),
        ("apikey",),
        ("credentials",),
        ("credential",),
        ("api", "key"),
        ("private", "key"),
        ("secret", "key"),
        ("access", "key"),
        ("signing", "key"),
        ("encryption", "key"),
        ("master", "key"),
        ("hmac", "key"),
        ("auth", "key"),
        ("license", "key"),
    }
)
#: words that may follow the secret word and still name the secret itself (``API_KEY_LIVE``)
SECRET_QUALIFIERS = frozenset(
    {
        "value",
        "string",
        "str",
        "b64",
        "base64",
        "raw",
        "plain",
        "plaintext",
        "live",
        "prod",
        "production",
        "dev",
        "staging",
    }
)

#: values that stand for a secret still to be filled in
PLACEHOLDER_WORDS = frozenset(
    {
        "changeme",
        "todo",
        "tbd",
        "dummy",
        "test",
        "testing",
        "none",
        "null",
        "nil",
        "n/a",
        "na",
        "placeholder",
        "example",
        "sample",
        "fake",
        "mock",
        "redacted",
        "unset",
        "undefined",
        "default",
        "secret",
        "password",
        "token",
        "apikey",
        "api_key",
    }
)
_PLACEHOLDER_SHAPES = re.compile(
    r"^(?:[x*.#_-]+|<.*>|\[.*\]|__.*__|\$\{.*\})$|change[-_ ]?me|replace[-_ ]?me|placeholder|your[-_ ]|example",
    re.IGNORECASE,
)
#: values that say where the secret lives, not what it is
_REFERENCE = re.compile(r"\{\{resolve:|\$\{|^arn:|^[a-z][a-z0-9+.-]*://|^/|^[\w.-]+(?:/[\w.-]+)+/?$", re.IGNORECASE)
_NOT_SECRET = re.compile(r"^(?:[+-]?\d+(?:\.\d+)?|true|false|yes|no|on|off|enabled|disabled)$", re.IGNORECASE)
_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
#: a name-based secret this short is a placeholder or a default, not a credential someone can use
MIN_LENGTH = 6


@function_check("LL211")
def plaintext_secret_in_environment(function: Function, context: CheckContext) -> Iterator[Report]:
    variables = function.environment_variables()
    if variables is None:
        return
    for name, value in variables.items():
        found = _secret(name, value)
        if found is None:
            continue
        kind, secret = found
        yield Report(
            f"{name} holds {kind} written in the template: anyone who can read the template, its repository "
            "or the function's configuration can use it. Keep it in Secrets Manager or SSM Parameter Store "
            "(SecureString) and read it at run time, or use a dynamic reference ('{{resolve:secretsmanager:…}}'); "
            "then rotate it",
            TemplatePlace(function.template, value),
            function=function,
            # the line quoted with the finding shows at most one line of a multi-line secret
            secret=max(secret.splitlines() or [secret], key=len),
        )


def _secret(name: str, value: Node) -> tuple[str, str] | None:
    """What kind of secret the variable holds and the secret text itself, or ``None``."""
    text = _literal_text(value)
    if text is None or "{{resolve:" in text:
        return None
    for pattern in VALUE_PATTERNS:
        match = pattern.regex.search(text)
        if match is None:
            continue
        secret = match.group(pattern.group)
        if _is_placeholder(secret) or _is_placeholder(text) or not pattern.plausible(secret):
            continue
        return pattern.kind, secret
    if isinstance(value, Scalar) and names_a_secret(name) and _could_be_secret(text):
        return "a literal secret", text
    return None


def _literal_text(value: Node) -> str | None:
    """A string value, or the literal text of a ``!Sub`` (its ``${...}`` parts kept as written)."""
    if isinstance(value, Scalar):
        return value.value if isinstance(value.value, str) else None
    if intrinsic_name(value) == "Fn::Sub" and isinstance(value, Mapping):
        argument = value.entries["Fn::Sub"]
        if isinstance(argument, Sequence) and argument.items:  # [template, {variables}]
            argument = argument.items[0]
        if isinstance(argument, Scalar) and isinstance(argument.value, str):
            return argument.value
    return None


def names_a_secret(name: str) -> bool:
    """``DB_PASSWORD``, ``stripeApiKey``, ``GITHUB_TOKEN_LIVE``; not ``SECRET_ARN`` or ``TOKEN_TTL``."""
    words = [word.lower() for word in _WORDS.findall(name) if not word.isdigit()]
    while words and words[-1] in SECRET_QUALIFIERS:
        words.pop()
    return any(tuple(words[-size:]) in SECRET_WORDS for size in (1, 2) if len(words) >= size)


def _could_be_secret(text: str) -> bool:
    value = text.strip()
    return not (
        len(value) < MIN_LENGTH or _NOT_SECRET.match(value) or _REFERENCE.search(value) or _is_placeholder(value)
    )


def _is_placeholder(value: str) -> bool:
    return value.strip().lower() in PLACEHOLDER_WORDS or _PLACEHOLDER_SHAPES.search(value.strip()) is not None
