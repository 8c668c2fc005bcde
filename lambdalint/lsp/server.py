"""The language server: diagnostics for handlers and templates as you type, and quick fixes.

A document is linted with its project (:mod:`lambdalint.lsp.projects`), the unsaved text of every
open document standing in for the file on disk. Runs wait a moment after the last event (typing
does not start a run per keystroke) and go to one worker thread, so the server keeps answering;
a newer request for the same project cancels the older one before it publishes. Every open
document of the project gets its diagnostics, an empty list when it has none left.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path
from pygls.workspace import TextDocument

from lambdalint import __version__
from lambdalint.config import ConfigError
from lambdalint.lsp.actions import suppress_actions
from lambdalint.lsp.diagnostics import diagnostics
from lambdalint.lsp.projects import Scope, scope_of
from lambdalint.paths import rel_path
from lambdalint.result import RunResult
from lambdalint.rulepack import RulePackError

log = logging.getLogger("lambdalint.lsp")

#: how long a project must stay untouched before it is linted
DEBOUNCE_SECONDS = 0.3
#: files whose change on disk can change what an open document reports (code, templates, configuration)
WATCHED_FILES = "**/*.{py,yaml,yml,json,toml}"


class LambdalintServer(LanguageServer):
    """Keeps the pending lint run of each project and publishes what the runs find."""

    def __init__(self) -> None:
        super().__init__("lambdalint", __version__)
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lambdalint-lint")
        #: the project of each open document, by resolved path
        self.scopes: dict[Path, Scope] = {}
        #: the scheduled or running lint of each project, by its target
        self.pending: dict[Path, asyncio.Task[None]] = {}
        self.shut_down = False
        #: the error last shown, so that a broken configuration is not announced on every keystroke
        self.shown_error: str | None = None

    @property
    def encoding(self) -> str:
        """The position encoding agreed at initialize (UTF-16 unless the client offered another)."""
        return self.workspace.position_encoding or types.PositionEncodingKind.Utf16

    def open_documents(self) -> dict[Path, TextDocument]:
        """The open documents that are files, by resolved path."""
        documents = self.workspace.text_documents.values()
        return {path: document for document in documents if (path := _file_path(document.uri))}

    def lint_document(self, uri: str) -> None:
        if path := _file_path(uri):
            self.schedule(self.scope(path))

    def forget(self, uri: str) -> None:
        """A closed document has no diagnostics; the rest of its project now reads it from disk."""
        self.publish(uri, None, [])
        path = _file_path(uri)
        scope = self.scopes.pop(path, None) if path else None
        if scope is not None and any(scope.holds(other) for other in self.open_documents()):
            self.schedule(scope)

    def lint_everything(self) -> None:
        """Lint the project of every open document again: files changed on disk (templates may
        have come or gone, so each document's project is found again)."""
        self.scopes.clear()
        for scope in {self.scope(path) for path in self.open_documents()}:
            self.schedule(scope)

    def scope(self, path: Path) -> Scope:
        """The document's project, found once rather than on every keystroke."""
        if path not in self.scopes:
            self.scopes[path] = scope_of(path)
        return self.scopes[path]

    def schedule(self, scope: Scope) -> None:
        previous = self.pending.get(scope.target)
        if previous is not None:
            previous.cancel()
        self.pending[scope.target] = asyncio.ensure_future(self._lint(scope))

    async def _lint(self, scope: Scope) -> None:
        await asyncio.sleep(DEBOUNCE_SECONDS)
        try:
            documents = self.open_documents()
            versions = {path: (document.uri, document.version) for path, document in documents.items()}
            overlay = {path: document.source.encode("utf-8", "surrogatepass") for path, document in documents.items()}
            result = await asyncio.get_running_loop().run_in_executor(self.worker, scope.lint, overlay)
        except (ConfigError, RulePackError) as error:
            self.show_error(f"lambdalint: {error}")
            return
        except Exception as error:  # the server must outlive any bug of the engine
            log.exception("linting %s failed", scope.target)
            self.show_error(f"lambdalint could not lint {scope.target}: {type(error).__name__}: {error}")
            return
        finally:
            if self.pending.get(scope.target) is asyncio.current_task():
                del self.pending[scope.target]
        self.shown_error = None
        self._publish(scope, result, versions)

    def _publish(self, scope: Scope, result: RunResult, versions: dict[Path, tuple[str, int | None]]) -> None:
        """Diagnostics for every document of the project that is still open."""
        uris = {rel_path(path, result.root): uri for path, (uri, _) in versions.items()}

        def uri_of(rel: str) -> str:
            return uris.get(rel) or from_fs_path(str(result.root / rel))

        for path, (uri, version) in sorted(versions.items()):
            if scope.holds(path) and uri in self.workspace.text_documents:
                self.publish(uri, version, diagnostics(result, rel_path(path, result.root), self.encoding, uri_of))

    def publish(self, uri: str, version: int | None, found: list[types.Diagnostic]) -> None:
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri, found, version))

    def show_error(self, message: str) -> None:
        if message != self.shown_error:
            self.shown_error = message
            self.window_show_message(types.ShowMessageParams(types.MessageType.Error, message))


def _file_path(uri: str) -> Path | None:
    """The resolved path of a ``file:`` URI (other documents, such as unsaved new ones, are not linted)."""
    path = to_fs_path(uri) if uri.startswith("file:") else None
    return Path(path).resolve() if path else None


def create_server() -> LambdalintServer:
    server = LambdalintServer()

    @server.feature(types.INITIALIZED)
    async def initialized(params: types.InitializedParams) -> None:
        """Ask to hear of files changed on disk, when the client lets servers register for that."""
        workspace = server.client_capabilities.workspace
        watched = workspace.did_change_watched_files if workspace else None
        if watched and watched.dynamic_registration:
            options = types.DidChangeWatchedFilesRegistrationOptions([types.FileSystemWatcher(WATCHED_FILES)])
            registration = types.Registration("lambdalint-files", types.WORKSPACE_DID_CHANGE_WATCHED_FILES, options)
            await server.client_register_capability_async(types.RegistrationParams([registration]))

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(params: types.DidOpenTextDocumentParams) -> None:
        server.lint_document(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(params: types.DidChangeTextDocumentParams) -> None:
        server.lint_document(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
    def did_save(params: types.DidSaveTextDocumentParams) -> None:
        server.lint_everything()  # a saved file can change what other projects report

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(params: types.DidChangeWatchedFilesParams) -> None:
        server.lint_everything()

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(params: types.DidCloseTextDocumentParams) -> None:
        server.forget(params.text_document.uri)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix])
    )
    def code_action(params: types.CodeActionParams) -> list[types.CodeAction]:
        only = params.context.only
        if only is not None and types.CodeActionKind.QuickFix not in only:
            return []
        document = server.workspace.get_text_document(params.text_document.uri)
        path = Path(document.path)
        return suppress_actions(document.uri, path, document.source, params.context.diagnostics, server.encoding)

    @server.feature(types.SHUTDOWN)
    def shutdown(params: None) -> None:
        server.shut_down = True

    return server


def serve() -> int:
    """Serve over stdin/stdout until the client exits: 0 after a shutdown request, else 1 (as LSP asks)."""
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must not corrupt the protocol stream
    server = create_server()
    server.start_io(stdin, stdout)
    server.worker.shutdown(wait=False, cancel_futures=True)
    return 0 if server.shut_down else 1
