"""A minimal LSP client for the tests: the server as a subprocess, JSON-RPC with Content-Length framing.

A reader thread parses the server's messages into a queue, so every read has a timeout: a broken
server fails the test instead of hanging it.
"""

from __future__ import annotations

import itertools
import json
import queue
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

#: the longest wait for one message (generous: a run imports the engine and lints a project)
TIMEOUT_SECONDS = 20

Message = dict[str, Any]


class LspClient:
    """Speaks to ``python -m lambdalint lsp`` as an editor would; use it as a context manager."""

    def __init__(self, cwd: Path, log: Path) -> None:
        self.log = log
        with log.open("wb") as stderr:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "lambdalint", "lsp"],
                cwd=cwd,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=stderr,
            )
        assert self.process.stdin is not None and self.process.stdout is not None
        self.stdin: BinaryIO = self.process.stdin
        self.ids = itertools.count(1)
        self.messages: queue.Queue[Message | None] = queue.Queue()
        threading.Thread(target=self._read, args=(self.process.stdout,), daemon=True).start()

    def __enter__(self) -> LspClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self.stdin.close()

    # -- sending -----------------------------------------------------------------------------------
    def send(self, message: Message) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        self.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.stdin.flush()

    def notify(self, method: str, params: Any = None) -> None:
        self.send({"method": method, **({} if params is None else {"params": params})})

    def request(self, method: str, params: Any = None) -> Any:
        """Send a request and return its result (skipping notifications that come first)."""
        number = next(self.ids)
        self.send({"id": number, "method": method, **({} if params is None else {"params": params})})
        response = self.read_until(lambda message: message.get("id") == number and "method" not in message)
        assert "error" not in response, response["error"]
        return response["result"]

    # -- receiving ---------------------------------------------------------------------------------
    def read_until(self, wanted: Callable[[Message], bool]) -> Message:
        """The next message ``wanted`` accepts; the ones before it are dropped."""
        while True:
            try:
                message = self.messages.get(timeout=TIMEOUT_SECONDS)
            except queue.Empty:
                raise AssertionError(f"no message in {TIMEOUT_SECONDS} s; server log:\n{self.server_log()}") from None
            if message is None:
                raise AssertionError(f"the server closed its output; server log:\n{self.server_log()}")
            if wanted(message):
                return message

    def notification(self, method: str, wanted: Callable[[Any], bool] = lambda params: True) -> Any:
        """The params of the next ``method`` notification that ``wanted`` accepts."""
        return self.read_until(lambda message: message.get("method") == method and wanted(message["params"]))["params"]

    def diagnostics(self, uri: str, version: int | None = None) -> list[Message]:
        """The diagnostics published next for ``uri`` (for that document ``version``, when given)."""
        params = self.notification(
            "textDocument/publishDiagnostics",
            lambda params: params["uri"] == uri and (version is None or params.get("version") == version),
        )
        return params["diagnostics"]

    def server_log(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def _read(self, stdout: BinaryIO) -> None:
        while True:
            length = None
            while (line := stdout.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            if not line or length is None:
                self.messages.put(None)
                return
            self.messages.put(json.loads(stdout.read(length)))

    # -- a session ---------------------------------------------------------------------------------
    def initialize(self, root: Path, capabilities: Message | None = None) -> Any:
        result = self.request(
            "initialize",
            {"processId": None, "rootUri": root.as_uri(), "capabilities": capabilities or {}},
        )
        self.notify("initialized", {})
        return result

    def open(self, path: Path, text: str | None = None, language: str = "python") -> str:
        """Open ``path`` (its text on disk unless given) as version 1; its URI."""
        uri = path.as_uri()
        content = path.read_text(encoding="utf-8") if text is None else text
        self.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": content}},
        )
        return uri

    def change(self, uri: str, version: int, text: str) -> None:
        """Replace the whole unsaved text of an open document."""
        self.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]},
        )

    def exit(self) -> int:
        """shutdown, then exit: the server's exit code."""
        assert self.request("shutdown") is None
        self.notify("exit")
        return self.process.wait(timeout=TIMEOUT_SECONDS)


def apply_edit(text: str, edit: Message) -> str:
    """``text`` with one LSP text edit applied, as an editor does (columns in UTF-16 code units)."""
    start, end = (_offset(text, edit["range"][side]) for side in ("start", "end"))
    return text[:start] + edit["newText"] + text[end:]


def _offset(text: str, position: Message) -> int:
    lines = text.split("\n")
    index, units, line = 0, position["character"], lines[position["line"]]
    while units > 0 and index < len(line):
        units -= 2 if ord(line[index]) > 0xFFFF else 1
        index += 1
    return sum(len(before) + 1 for before in lines[: position["line"]]) + index
