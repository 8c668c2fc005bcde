"""LL150 hardcoded-aws-credentials: literal AWS access keys and secret keys in the code.

An access key id (``AKIA``/``ASIA`` and 16 more) is specific enough to report wherever a string
is exactly one. A secret key is 40 base64 characters, which a hash or a token can be too: it is
reported only where the code says it is one (``aws_secret_access_key=``, a name such as
``AWS_SECRET_ACCESS_KEY``, a ``"SecretAccessKey"`` entry, ``os.environ[...] =``, or next to an
access key id in the same call). Anywhere in the code, not only per invocation; never in tests.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Any

import libcst as cst

from lambdalint.analysis.calls import literal_string
from lambdalint.analysis.program import Invocation
from lambdalint.checks.base import CodeCheck, CodePlace, Report, code_check

ACCESS_KEY_ID = re.compile(r"(?:AKIA|ASIA)[A-Z0-9]{16}")
SECRET_ACCESS_KEY = re.compile(r"[A-Za-z0-9/+]{40}")
SESSION_TOKEN = re.compile(r"[A-Za-z0-9/+=]{100,}")
#: what placeholders and AWS's documented example keys contain
PLACEHOLDERS = ("example", "xxx", "changeme", "change_me", "test", "fake", "dummy", "placeholder", "your", "sample")

KEY_ID = "access key id"
SECRET = "secret access key"
TOKEN = "session token"


def credential_kind(name: str) -> tuple[str, bool] | None:
    """What a name says its value is (and whether only AWS context makes it AWS's): ``SECRET`` for
    ``aws_secret_access_key`` or ``SecretAccessKey``; ``(SECRET, True)`` for a bare ``secret_key``."""
    plain = re.sub(r"[^a-z0-9]", "", name.lower())
    if "sessiontoken" in plain or "securitytoken" in plain:
        return TOKEN, False
    if "secretaccesskey" in plain or plain.endswith("secretkey") or "awssecret" in plain:
        return SECRET, not ("aws" in plain or "access" in plain)
    if plain.endswith(("accesskeyid", "accesskey")):
        return KEY_ID, False
    return None


def looks_like(kind: str, value: str) -> bool:
    """Whether ``value`` has the shape of that kind of credential, and is not a placeholder."""
    lowered = value.lower()
    if any(word in lowered for word in PLACEHOLDERS):
        return False
    if kind == KEY_ID:
        return ACCESS_KEY_ID.fullmatch(value) is not None and len(set(value[4:])) >= 6
    if kind == SECRET:
        mixed = any(c.islower() for c in value) and any(c.isupper() for c in value)
        return SECRET_ACCESS_KEY.fullmatch(value) is not None and mixed and len(set(value)) >= 12
    return SESSION_TOKEN.fullmatch(value) is not None and len(set(value)) >= 20


def is_test_file(rel: str) -> bool:
    path = PurePosixPath(rel)
    name = path.name
    return (
        "tests" in path.parts[:-1]
        or "test" in path.parts[:-1]
        or name.startswith("test_")
        or name.endswith("_test.py")
        or name == "conftest.py"
    )


@code_check
class HardcodedAwsCredentials(CodeCheck):
    rule_id = "LL150"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: string literals found, by node: (kind, whether an access key id elsewhere must vouch for it)
        self.found: dict[cst.SimpleString, tuple[str, bool]] = {}

    def _named(self, name: str | None, value: cst.BaseExpression | None) -> None:
        """A literal ``value`` under a name (variable, keyword, dictionary key, environment variable)."""
        kind = credential_kind(name) if name else None
        if kind is not None and isinstance(value, cst.SimpleString):
            text = value.evaluated_value
            if isinstance(text, str) and looks_like(kind[0], text):
                self.found.setdefault(value, kind)

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        text = node.evaluated_value
        if isinstance(text, str) and len(text) == 20 and looks_like(KEY_ID, text):
            self.found[node] = (KEY_ID, False)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._named(_target_name(target.target), node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._named(_target_name(node.target), node.value)

    def visit_Param(self, node: cst.Param) -> None:
        self._named(node.name.value, node.default)

    def visit_DictElement(self, node: cst.DictElement) -> None:
        self._named(literal_string(node.key), node.value)

    def visit_Call(self, node: cst.Call) -> None:
        positional: list[cst.BaseExpression] = []
        for argument in node.args:
            if argument.keyword is not None:
                self._named(argument.keyword.value, argument.value)
            elif not argument.star:
                positional.append(argument.value)
        # os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "..."), os.getenv("...", "fallback")
        if isinstance(node.func, cst.Attribute | cst.Name) and len(positional) >= 2:
            self._named(literal_string(positional[0]), positional[1])
        # Credentials("AKIA...", "<secret>"): a secret beside an access key id
        for first, second in zip(positional, positional[1:], strict=False):
            key = literal_string(first)
            if key is not None and looks_like(KEY_ID, key) and isinstance(second, cst.SimpleString):
                text = second.evaluated_value
                if isinstance(text, str) and looks_like(SECRET, text):
                    self.found.setdefault(second, (SECRET, False))

    def finish(self, invocation: Invocation) -> Iterator[Report]:
        if is_test_file(self.module.rel):
            return
        vouched = any(kind == KEY_ID for kind, _ in self.found.values())
        for node, (kind, needs_key_id) in self.found.items():
            if needs_key_id and not vouched:
                continue
            text = node.evaluated_value
            masked = f"{str(text)[:4]}…"
            yield Report(
                f"AWS {kind} written in the code ('{masked}'): anyone who can read the source, the "
                "repository history or the deployment package can use it. Remove it and rotate the "
                "key; let the function use its execution role (boto3 picks its credentials up by "
                "itself), or read secrets from Secrets Manager or Parameter Store",
                CodePlace(self.module, node),
                secret=str(text),
            )


def _target_name(target: cst.BaseExpression) -> str | None:
    """``X`` in ``X = …``, ``self.X = …``, ``os.environ["X"] = …``."""
    if isinstance(target, cst.Name):
        return target.value
    if isinstance(target, cst.Attribute):
        return target.attr.value
    if isinstance(target, cst.Subscript) and len(target.slice) == 1:
        element = target.slice[0].slice
        return literal_string(element.value) if isinstance(element, cst.Index) else None
    return None
