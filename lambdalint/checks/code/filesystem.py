"""LL140 write-outside-tmp and LL142 tmp-not-cleaned: where Lambda code writes files.

Both rules read the same thing: the calls that write to a path (``open(p, "w")``,
``Path(p).write_text``, ``os.makedirs``, ``shutil.copy``, ``s3.download_file`` …) and what that
path is as far as literals tell (``"/var/task/out.csv"``, ``f"/tmp/{key}"``,
``os.path.join(os.environ["LAMBDA_TASK_ROOT"], name)``), through names bound once in the function
or at module scope. A path the code only knows at run time is unknown, and both rules stay silent.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import libcst as cst

from lambdalint.analysis.calls import argument, literal_string
from lambdalint.analysis.program import Invocation
from lambdalint.checks.base import CodePlace, Report, code_check
from lambdalint.checks.code.global_state import (
    CLASS_BODY,
    RequestTracking,
    RequestValues,
    Scope,
    keyword_of,
    target_names,
)
from lambdalint.loaders.cst_walk import walk
from lambdalint.loaders.tree import Mapping, Sequence, scalar_value

#: the working directory and the code's home (``LAMBDA_TASK_ROOT``); read-only, like layers in /opt
TASK_ROOT = "/var/task"
#: where writes succeed without a template's help: /tmp, and device or process files
WRITABLE = ("/tmp", "/dev", "/proc")
#: where Lambda mounts EFS file systems; writable when the template mounts one there
MOUNTS = "/mnt"
#: environment variables that name the code's directory
TASK_ROOT_VARIABLES = frozenset({"LAMBDA_TASK_ROOT"})
#: variables a test reads to tell Lambda from a developer's machine (``if "AWS_LAMBDA_FUNCTION_NAME" in os.environ``)
ENVIRONMENT_PROBES = frozenset(
    {
        "AWS_LAMBDA_FUNCTION_NAME",
        "AWS_EXECUTION_ENV",
        "LAMBDA_TASK_ROOT",
        "AWS_SAM_LOCAL",
        "AWS_LAMBDA_RUNTIME_API",
        "IS_LOCAL",
    }
)

#: what a test compares with when it picks the code for a developer's machine
OFF_LAMBDA = frozenset({"__main__", "local"})
#: paths that are not on the local file system: URLs (``s3://``, which pandas writes to), Windows drives
NOT_LOCAL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://|[A-Za-z]:[\\/]")
#: calls that open a file with a mode: where the path and the mode are, by qualified name
OPENERS = frozenset(
    {
        "open",
        "io.open",
        "builtins.open",
        "codecs.open",
        "gzip.open",
        "gzip.GzipFile",
        "bz2.open",
        "bz2.BZ2File",
        "lzma.open",
        "lzma.LZMAFile",
        "tarfile.open",
        "tarfile.TarFile",
        "zipfile.ZipFile",
    }
)
#: functions that write one path argument: (position, keyword, what they make)
FUNCTIONS: dict[str, tuple[int | None, str, str]] = {
    "os.makedirs": (0, "name", "directory"),
    "os.mkdir": (0, "path", "directory"),
    "os.mkfifo": (0, "path", "file"),
    "os.rename": (1, "dst", "existing"),
    "os.renames": (1, "new", "existing"),
    "os.replace": (1, "dst", "existing"),
    "os.symlink": (1, "dst", "existing"),
    "os.link": (1, "dst", "existing"),
    "shutil.copy": (1, "dst", "file"),
    "shutil.copy2": (1, "dst", "file"),
    "shutil.copyfile": (1, "dst", "file"),
    "shutil.copytree": (1, "dst", "file"),
    "shutil.move": (1, "dst", "existing"),
    "shutil.make_archive": (0, "base_name", "file"),
    "shutil.unpack_archive": (1, "extract_dir", "file"),
    "urllib.request.urlretrieve": (1, "filename", "file"),
    "numpy.save": (0, "file", "file"),
    "numpy.savez": (0, "file", "file"),
    "numpy.savez_compressed": (0, "file", "file"),
    "numpy.savetxt": (0, "fname", "file"),
    "logging.FileHandler": (0, "filename", "file"),
    "logging.handlers.RotatingFileHandler": (0, "filename", "file"),
    "logging.handlers.TimedRotatingFileHandler": (0, "filename", "file"),
    "logging.handlers.WatchedFileHandler": (0, "filename", "file"),
    "logging.basicConfig": (None, "filename", "file"),
    "tempfile.mkstemp": (2, "dir", "tempfile"),
    "tempfile.mkdtemp": (2, "dir", "tempfile"),
    "tempfile.TemporaryDirectory": (2, "dir", "tempfile"),
    "tempfile.NamedTemporaryFile": (6, "dir", "tempfile"),
    "tempfile.TemporaryFile": (6, "dir", "tempfile"),
    "tempfile.SpooledTemporaryFile": (7, "dir", "tempfile"),
}
#: methods of any object that write their first argument (pandas, matplotlib, PIL, archives)
METHODS: dict[str, tuple[frozenset[str], str]] = {
    **dict.fromkeys(
        ("to_csv", "to_json", "to_parquet", "to_excel", "to_pickle", "to_feather", "to_hdf", "to_orc"),
        (frozenset({"path_or_buf", "path", "excel_writer"}), "file"),
    ),
    "savefig": (frozenset({"fname"}), "file"),
    "save": (frozenset({"fp", "filename", "path"}), "file"),
    "extractall": (frozenset({"path"}), "file"),
}
#: ``pathlib.Path`` methods that write the path itself
PATH_METHODS = {
    "write_text": "file",
    "write_bytes": "file",
    "touch": "file",
    "mkdir": "directory",
    "symlink_to": "existing",
    "hardlink_to": "existing",
}
PATH_CONSTRUCTORS = frozenset({"pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath", "pathlib.PurePosixPath"})
#: calls that return their path argument, made absolute or normalised
PATH_IDENTITIES = frozenset({"os.path.abspath", "os.path.realpath", "os.path.normpath"})
#: calls that remove files or directories (the cleanup LL142 looks for)
REMOVERS = frozenset({"os.remove", "os.unlink", "os.rmdir", "os.removedirs", "shutil.rmtree"})
REMOVER_METHODS = frozenset({"unlink", "rmdir"})
#: words in a helper's name that say it removes files (``cleanup_tmp()``, ``purge_workdir()``)
CLEANUP_WORDS = ("clean", "purge", "wipe", "rmtree")
#: how :class:`TmpNotCleaned` marks a call whose result the function returns
RETURNED = "<returned>"
SHELLS = frozenset(
    {
        "os.system",
        "subprocess.run",
        "subprocess.call",
        "subprocess.check_call",
        "subprocess.check_output",
        "subprocess.Popen",
    }
)


@dataclass(frozen=True)
class PathValue:
    """What literals tell of a path: all of it (``complete``), or the text before the first part
    known only at run time (``f"/tmp/{key}.json"`` → ``/tmp/``)."""

    text: str
    complete: bool
    #: the path as a message quotes it, unknown parts as ``{…}``
    shown: str
    #: the parts known only at run time, with the scope they are evaluated in
    dynamic: tuple[tuple[cst.CSTNode, Scope], ...] = ()
    #: a ``pathlib`` object rather than a string (only those have ``write_text`` and friends)
    is_path: bool = False

    @property
    def relative(self) -> bool:
        return not self.text.startswith("/")

    def join(self, other: PathValue | None, part: cst.CSTNode, scope: Scope, separator: str = "/") -> PathValue:
        """This path followed by ``other`` (``None``: unknown, given by ``part``): ``os.path.join``
        and ``/`` with the separator, string concatenation without."""
        if other is not None and self.complete and separator and not other.relative:
            return replace(other, is_path=self.is_path)  # joining an absolute path starts over
        end = self.text if self.complete else self.shown
        glue = separator if end and not end.endswith("/") else ""
        shown = self.shown + glue + (other.shown if other is not None else "{…}")
        dynamic = self.dynamic + (other.dynamic if other is not None else ((part, scope),))
        if self.complete and other is not None:
            return PathValue(self.text + glue + other.text, other.complete, shown, dynamic, self.is_path)
        return PathValue(self.text + glue if self.complete else self.text, False, shown, dynamic, self.is_path)

    def absolute(self, working_directory: str | None) -> str | None:
        """The known text as an absolute path; ``None`` when relative to an unknown directory."""
        if not self.relative:
            return posixpath.normpath(self.text) if self.complete else self.text
        if working_directory is None or not self.text or self.text.startswith("~"):
            return None
        joined = f"{working_directory}/{self.text}"
        return posixpath.normpath(joined) if self.complete else joined


@dataclass(frozen=True)
class Write:
    """A call that writes to a path."""

    call: cst.Call
    #: how a message names the call: ``open(..., 'w')``, ``os.makedirs()``, ``.write_text()``
    label: str
    #: the expression that gives the path (``None``: the call's default, e.g. ``mkstemp()`` in /tmp)
    target: cst.BaseExpression | None
    #: ``file``, ``directory``, ``existing`` (renames, links, ``r+``: no new data), ``tempfile``
    kind: str
    scope: Scope
    #: under ``if __name__ == "__main__":`` or a test for whether the code runs on Lambda
    off_lambda: bool
    #: the receiver must be a ``pathlib`` object (``p.write_text``)
    receiver: cst.BaseExpression | None = None
    #: a generic method (``.save``): only a path that looks like a file name counts
    loose: bool = False


class FileWrites(RequestTracking):
    """Collects the module's writes and what names are bound to; rules decide in ``finish``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.writes: list[Write] = []
        self._off_lambda: list[cst.If] = []
        self._memo: dict[tuple[int, Scope], PathValue | None] = {}
        self._resolving: set[tuple[str, Scope]] = set()
        #: set by ``os.chdir`` anywhere in the module: relative paths no longer resolve
        self.changes_directory = False

    def visit_If(self, node: cst.If) -> None:
        if _tests_where_it_runs(node.test):
            self._off_lambda.append(node)

    def leave_If(self, original_node: cst.If) -> None:
        if self._off_lambda and self._off_lambda[-1] is original_node:
            self._off_lambda.pop()

    def visit_Call(self, node: cst.Call) -> None:
        super().visit_Call(node)
        name = self.facts.qualified_name(node.func) or ""
        if name == "os.chdir":
            self.changes_directory = True
        write = self._write(node, name)
        if write is not None:
            self.writes.append(write)

    def _write(self, node: cst.Call, name: str) -> Write | None:
        def made(label: str, target: cst.BaseExpression | None, kind: str, **extra: Any) -> Write:
            return Write(node, label, target, kind, self.scope, bool(self._off_lambda), **extra)

        if name in OPENERS:
            mode = literal_string(argument(node, 1, "mode"))
            if mode is not None and any(flag in mode.split(":")[0] for flag in "wax+"):
                kind = "file" if any(flag in mode for flag in "wax") else "existing"
                return made(f"{name}(..., {mode!r})", argument(node, 0, "file", "filename", "name"), kind)
            return None
        if name == "os.open":
            flags = argument(node, 1, "flags")
            if flags is not None and _mentions_attribute(flags, ("O_WRONLY", "O_RDWR", "O_CREAT", "O_APPEND")):
                return made("os.open()", argument(node, 0, "path"), "file")
            return None
        if name in FUNCTIONS:
            position, keyword, kind = FUNCTIONS[name]
            return made(f"{name}()", argument(node, position, keyword), kind)
        if not isinstance(node.func, cst.Attribute):
            return None
        method, receiver = node.func.attr.value, node.func.value
        if method in PATH_METHODS:
            return made(f".{method}()", receiver, PATH_METHODS[method], receiver=receiver)
        if method == "open":
            mode = literal_string(argument(node, 0, "mode"))
            if mode is not None and any(flag in mode for flag in "wax+"):
                return made(f".open({mode!r})", receiver, "file", receiver=receiver)
        elif method in ("rename", "replace"):
            return made(f".{method}()", argument(node, 0, "target"), "existing", receiver=receiver)
        elif method == "download_file":
            positional = [argument for argument in node.args if argument.keyword is None]
            target = argument(node, None, "Filename") or (positional[-1].value if positional else None)
            return made(".download_file()", target, "file")
        elif method in METHODS:
            keywords, kind = METHODS[method]
            return made(f".{method}()", argument(node, 0, *keywords), kind, loose=True)
        return None

    # -- paths -----------------------------------------------------------------------------------
    def path(self, expression: cst.BaseExpression | None, scope: Scope) -> PathValue | None:
        """What literals tell of the path ``expression`` gives, seen from ``scope``."""
        if expression is None:
            return None
        key = (id(expression), scope)
        if key not in self._memo:
            self._memo[key] = self._evaluate(expression, scope)
        return self._memo[key]

    def _evaluate(self, node: cst.BaseExpression, scope: Scope) -> PathValue | None:
        if isinstance(node, cst.SimpleString | cst.ConcatenatedString):
            value = node.evaluated_value
            return PathValue(value, True, value) if isinstance(value, str) else None
        if isinstance(node, cst.FormattedString):
            return self._formatted(node, scope)
        if isinstance(node, cst.Name):
            return self._name(node.value, scope)
        if isinstance(node, cst.BinaryOperation):
            return self._operation(node, scope)
        if isinstance(node, cst.Subscript):
            return _task_root() if self._reads_task_root(node) else None
        if isinstance(node, cst.Attribute):
            if node.attr.value == "parent":
                base = self.path(node.value, scope)
                return _parent(base) if base is not None and base.is_path else None
            return (
                PathValue("/dev/null", True, "os.devnull") if self.facts.qualified_name(node) == "os.devnull" else None
            )
        if isinstance(node, cst.Call):
            return self._call(node, scope)
        return None

    def _formatted(self, node: cst.FormattedString, scope: Scope) -> PathValue | None:
        if "b" in node.prefix.lower():
            return None
        value = PathValue("", True, "")
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                value = value.join(PathValue(part.value, True, part.value), part, scope, separator="")
            elif isinstance(part, cst.FormattedStringExpression):
                plain = part.conversion is None and part.format_spec is None
                known = self.path(part.expression, scope) if plain else None
                value = value.join(known, part.expression, scope, separator="")
        return value

    def _operation(self, node: cst.BinaryOperation, scope: Scope) -> PathValue | None:
        left = self.path(node.left, scope)
        if left is None:
            return None
        if isinstance(node.operator, cst.Add) and not left.is_path:
            return left.join(self.path(node.right, scope), node.right, scope, separator="")
        if isinstance(node.operator, cst.Divide) and left.is_path:
            return left.join(self.path(node.right, scope), node.right, scope)
        if (
            isinstance(node.operator, cst.Modulo)
            and left.complete
            and isinstance(node.left, cst.SimpleString | cst.ConcatenatedString)
        ):
            return _up_to(left, "%", node.right, scope)
        return None

    def _call(self, node: cst.Call, scope: Scope) -> PathValue | None:
        name = self.facts.qualified_name(node.func) or ""
        arguments = [argument.value for argument in node.args if argument.keyword is None and not argument.star]
        if name in ("os.path.join", "posixpath.join") or name in PATH_CONSTRUCTORS:
            return self._joined(arguments, scope, name in PATH_CONSTRUCTORS)
        if name == "os.path.dirname" and arguments:
            base = self.path(arguments[0], scope)
            return _parent(base) if base is not None else None
        if name in PATH_IDENTITIES and arguments:
            return self.path(arguments[0], scope)
        if name in ("os.getcwd", "pathlib.Path.cwd"):
            return (
                None if self.changes_directory else PathValue(TASK_ROOT, True, TASK_ROOT, is_path=name != "os.getcwd")
            )
        if name == "tempfile.gettempdir":
            return PathValue("/tmp", True, "/tmp")
        if name in ("os.getenv", "os.environ.get") and self._reads_task_root(node):
            return _task_root()
        if not isinstance(node.func, cst.Attribute):
            return None
        method, receiver = node.func.attr.value, node.func.value
        if method in ("resolve", "absolute", "expanduser"):
            return self.path(receiver, scope)
        if method == "joinpath":
            base = self.path(receiver, scope)
            return None if base is None else self._joined(arguments, scope, True, base)
        if method == "format" and isinstance(receiver, cst.SimpleString | cst.ConcatenatedString):
            base = self.path(receiver, scope)
            return None if base is None else _up_to(base, "{", node, scope)
        return None

    def _joined(
        self, parts: list[cst.BaseExpression], scope: Scope, is_path: bool, base: PathValue | None = None
    ) -> PathValue | None:
        value = base
        for part in parts:
            known = self.path(part, scope)
            if value is None:
                if known is None:
                    return None
                value = PathValue(known.text, known.complete, known.shown, known.dynamic, is_path)
            else:
                value = value.join(known, part, scope)
        return value if value is not None else (PathValue(".", True, ".", is_path=True) if is_path else None)

    def _name(self, name: str, scope: Scope) -> PathValue | None:
        if name == "__file__":
            file = f"{self.facts.module_name.replace('.', '/')}.py"
            return PathValue(f"{TASK_ROOT}/{file}", True, f"$LAMBDA_TASK_ROOT/{file}")
        bound = self.lookup(scope, name)
        if bound is None or bound[0] is None or (name, bound[1]) in self._resolving:
            return None
        self._resolving.add((name, bound[1]))
        try:
            return self.path(bound[0], bound[1])
        finally:
            self._resolving.discard((name, bound[1]))

    def _reads_task_root(self, node: cst.Subscript | cst.Call) -> bool:
        """``os.environ["LAMBDA_TASK_ROOT"]``, ``os.getenv("LAMBDA_TASK_ROOT")`` and the like."""
        if isinstance(node, cst.Subscript):
            key = node.slice[0].slice if len(node.slice) == 1 else None
            owner = self.facts.qualified_name(node.value)
            return (
                owner == "os.environ"
                and isinstance(key, cst.Index)
                and literal_string(key.value) in TASK_ROOT_VARIABLES
            )
        return bool(node.args) and literal_string(node.args[0].value) in TASK_ROOT_VARIABLES

    def writable_roots(self, invocation: Invocation) -> tuple[str, ...]:
        """/tmp and friends, plus the EFS mounts of the template's functions (all of /mnt when
        there is no template or a mount path is not a literal)."""
        functions = invocation.lambda_functions()
        if not functions:
            return (*WRITABLE, MOUNTS)
        mounts: list[str] = []
        for function in functions:
            configs = function.get("FileSystemConfigs")
            if configs is None:
                continue
            if not isinstance(configs, Sequence):
                return (*WRITABLE, MOUNTS)
            for config in configs:
                path = scalar_value(config.get("LocalMountPath")) if isinstance(config, Mapping) else None
                if not isinstance(path, str):
                    return (*WRITABLE, MOUNTS)
                mounts.append(posixpath.normpath(path))
        return (*WRITABLE, *mounts)

    def usable(self, write: Write) -> PathValue | None:
        """The write's path, when the write really writes there (a ``pathlib`` receiver for
        ``p.write_text``, a file-like name for ``.save``)."""
        if write.receiver is not None:
            receiver = self.path(write.receiver, write.scope)
            if receiver is None or not receiver.is_path:
                return None
        value = self.path(write.target, write.scope)
        if value is None or NOT_LOCAL.match(value.text) or (write.loose and not _looks_like_a_file(value)):
            return None
        return value


@code_check
class WriteOutsideTmp(FileWrites):
    rule_id = "LL140"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: functions of this module called at import time (outside ``__main__``)
        self.called_at_import: set[str] = set()

    def visit_Call(self, node: cst.Call) -> None:
        super().visit_Call(node)
        if self.facts.current_function is None and not self._off_lambda:
            target = (self.facts.qualified_name(node.func) or "").removesuffix("()")
            self.called_at_import.add(target)

    def finish(self, invocation: Invocation) -> Iterator[Report]:
        roots = self.writable_roots(invocation)
        working_directory = None if self.changes_directory else TASK_ROOT
        import_time = self._import_time()
        lambda_module = bool(invocation.handlers) or any(
            invocation.runs_per_invocation(name) for name in self.facts.functions
        )
        for write in self.writes:
            if write.scope is None or write.scope == CLASS_BODY:
                runs = lambda_module
            else:
                runs = write.scope in import_time or invocation.runs_per_invocation(write.scope)
            value = self.usable(write) if runs and not write.off_lambda else None
            where = None if value is None else value.absolute(working_directory)
            if value is None or where is None or _may_be_under(where, value.complete, roots):
                continue
            related = invocation.related(write.scope) if write.scope in self.facts.functions else ()
            yield Report(_outside_message(write, value), CodePlace(self.module, write.call), related)

    def _import_time(self) -> set[str]:
        """The module's functions that run when it is imported: called at module scope, or from
        one that is (``__init__`` for a class instantiated there)."""
        functions = self.facts.functions
        pending = [name for name in self.called_at_import if name in functions]
        pending += [f"{name}.__init__" for name in self.called_at_import if f"{name}.__init__" in functions]
        seen: set[str] = set()
        while pending:
            name = pending.pop()
            if name in seen:
                continue
            seen.add(name)
            for call in functions[name].calls:
                callee = call.removesuffix("()")
                pending += [target for target in (callee, f"{callee}.__init__") if target in functions]
        return seen


def _outside_message(write: Write, value: PathValue) -> str:
    where = (
        f"the relative path '{value.shown}', which resolves against the working directory {TASK_ROOT}"
        if value.relative
        else f"'{value.shown}', outside /tmp"
    )
    does = "creates its file in" if write.kind == "tempfile" else "writes to"
    return (
        f"{write.label} {does} {where}; only /tmp is writable on Lambda (the code under {TASK_ROOT} "
        "and layers under /opt are read-only), so it fails with '[Errno 30] Read-only file system'. "
        "Write under /tmp (tempfile.gettempdir()) instead, or to S3 or an EFS mount"
    )


@code_check
class TmpNotCleaned(FileWrites):
    rule_id = "LL142"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: functions that remove files (or call a helper named like it)
        self.cleaning: set[str] = set()
        #: per function, the names its results leave by (returned, yielded, stored elsewhere)
        self.escaping: dict[str, set[str]] = {}
        #: the names each call's result is bound to, by call (:data:`RETURNED` when returned as is)
        self.holders: dict[int, set[str]] = {}

    def visit_Call(self, node: cst.Call) -> None:
        super().visit_Call(node)
        current = self.facts.current_function
        if current is None:
            return
        if _removes(node, self.facts.qualified_name(node.func) or ""):
            self.cleaning.add(current.name)
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value in ("append", "add", "extend", "put"):
            for argument in node.args:
                self._escape(argument.value)  # collected for later, e.g. to remove them in a finally block

    def visit_Assign(self, node: cst.Assign) -> None:
        super().visit_Assign(node)
        names: set[str] = set()
        for target in node.targets:
            if isinstance(target.target, cst.Attribute | cst.Subscript):
                self._escape(node.value)
            names |= target_names(target.target)
        current = self.facts.current_function
        if current is not None and names & current.globals:
            self._escape(node.value)
        self._hold(node.value, names)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        super().visit_WithItem(node)
        if node.asname is not None:
            self._hold(node.item, target_names(node.asname.name))

    def visit_Return(self, node: cst.Return) -> None:
        if node.value is not None:
            self._escape(node.value)
            self._hold(node.value, {RETURNED})

    def visit_Yield(self, node: cst.Yield) -> None:
        if isinstance(node.value, cst.BaseExpression):
            self._escape(node.value)
            self._hold(node.value, {RETURNED})

    def _escape(self, value: cst.BaseExpression) -> None:
        """The names whose values ``value`` hands on as they are (``path``, ``(fd, path)``,
        ``{"file": path}``, ``handle.name``, ``str(path)``)."""
        current = self.facts.current_function
        if current is not None:
            self.escaping.setdefault(current.name, set()).update(_handed_on(value))

    def _hold(self, value: cst.BaseExpression, names: set[str]) -> None:
        while isinstance(value, cst.Subscript | cst.Attribute):  # mkstemp()[1], NamedTemporaryFile(...).name
            value = value.value
        if isinstance(value, cst.Call) and names:
            self.holders.setdefault(id(value), set()).update(names)

    def finish(self, invocation: Invocation) -> Iterator[Report]:
        if any(invocation.runs_per_invocation(name) for name in self.cleaning):
            return
        handlers = {handler.name for handler in invocation.handlers}
        for write in self.writes:
            function = write.scope
            if function not in self.facts.functions or not invocation.runs_per_invocation(function):
                continue
            piles_up = (
                self._temporary(write)
                if write.kind == "tempfile"
                else self._varying(write, self.request_values(invocation, function))
            )
            if piles_up is None:
                continue
            holders = self.holders.get(id(write.call), set())
            if isinstance(write.target, cst.Name) and write.kind != "tempfile":
                holders = holders | {write.target.value}
            handed_on = holders & (self.escaping.get(function, set()) | {RETURNED})
            if handed_on and function not in handlers:
                continue  # the caller gets the path: it may remove the file (a handler's caller does not)
            yield Report(
                f"{write.label} {piles_up} on every invocation, and nothing removes it; /tmp "
                "(512 MB by default) is kept across warm invocations, so these files pile up until "
                "writes fail with 'No space left on device'. Remove it when done (os.remove in a "
                "finally block), or use tempfile.TemporaryDirectory() / NamedTemporaryFile() as a "
                "context manager",
                CodePlace(self.module, write.call),
                invocation.related(function),
            )

    def _temporary(self, write: Write) -> str | None:
        """What a ``tempfile`` call leaves behind, or ``None`` when it removes it itself."""
        name = self.facts.qualified_name(write.call.func) or ""
        keeps = name in ("tempfile.mkstemp", "tempfile.mkdtemp") or any(
            keyword_of(argument) == "delete"
            and isinstance(argument.value, cst.Name)
            and argument.value.value == "False"
            for argument in write.call.args
        )
        if not keeps:
            return None
        directory = self.path(write.target, write.scope)
        where = None if directory is None else directory.absolute(TASK_ROOT)
        if directory is not None and (where is None or not _may_be_under(where, directory.complete, ("/tmp",))):
            return None  # not under /tmp (LL140's business when it is read-only)
        return f"creates a new {'directory' if name == 'tempfile.mkdtemp' else 'file'} under /tmp"

    def _varying(self, write: Write, values: RequestValues) -> str | None:
        """What a write leaves behind when its path is under /tmp and changes from one invocation
        to the next; ``None`` for a fixed name (overwritten, it does not pile up)."""
        if write.kind != "file":
            return None
        value = self.usable(write)
        if value is None or value.complete or not value.text.startswith("/tmp/"):
            return None
        if not any(scope == write.scope and values.varies(part) for part, scope in value.dynamic):
            return None
        return f"writes '{value.shown}', a new name under /tmp"


def _handed_on(value: cst.BaseExpression) -> Iterator[str]:
    if isinstance(value, cst.Name):
        yield value.value
    elif isinstance(value, cst.Tuple | cst.List | cst.Set):
        for element in value.elements:
            yield from _handed_on(element.value)
    elif isinstance(value, cst.Dict):
        for entry in value.elements:
            yield from _handed_on(entry.value)
    elif isinstance(value, cst.Attribute) and value.attr.value == "name":
        yield from _handed_on(value.value)
    elif isinstance(value, cst.Call) and isinstance(value.func, cst.Name) and value.func.value in ("str", "Path"):
        for argument in value.args:
            yield from _handed_on(argument.value)


def _may_be_under(path: str, complete: bool, roots: tuple[str, ...]) -> bool:
    """Whether ``path`` (or, when not ``complete``, some path starting with it) is under a root."""
    if not complete and ".." in path:
        return True
    for root in roots:
        if path == root or path.startswith(root + "/"):
            return True
        if not complete and (root + "/").startswith(path):
            return True
    return False


def _parent(value: PathValue) -> PathValue | None:
    if not value.complete:
        return None
    return PathValue(
        posixpath.dirname(value.text), True, posixpath.dirname(value.shown) or ".", value.dynamic, value.is_path
    )


def _up_to(value: PathValue, marker: str, rest: cst.BaseExpression, scope: Scope) -> PathValue:
    """A ``%``- or ``format``-template's text before its first placeholder."""
    if marker not in value.text:
        return value
    head = value.text.split(marker, 1)[0]
    return PathValue(head, False, head + "{…}", ((rest, scope),), value.is_path)


def _task_root() -> PathValue:
    return PathValue(TASK_ROOT, True, "$LAMBDA_TASK_ROOT")


def _looks_like_a_file(value: PathValue) -> bool:
    """A directory in it or an extension: ``img.save("out.png")``, not ``form.save("draft")``."""
    return "/" in value.text or "." in value.text.rpartition("/")[2]


def _tests_where_it_runs(test: cst.BaseExpression) -> bool:
    """``__name__ == "__main__"``, ``STAGE == "local"``, or a test that reads one of
    :data:`ENVIRONMENT_PROBES`."""
    strings = _Collect(cst.SimpleString)
    walk(test, [strings])
    values = [node.evaluated_value for node in strings.found if isinstance(node, cst.SimpleString)]
    return any(
        value in ENVIRONMENT_PROBES or (isinstance(value, str) and value.lower() in OFF_LAMBDA) for value in values
    )


class _Collect(cst.BatchableCSTVisitor):
    """The nodes of one kind (strings, attributes) in an expression."""

    def __init__(self, kind: type[cst.CSTNode]) -> None:
        super().__init__()
        self.kind = kind
        self.found: list[cst.CSTNode] = []

    def _take(self, node: cst.CSTNode) -> None:
        if isinstance(node, self.kind):
            self.found.append(node)

    visit_SimpleString = _take
    visit_Attribute = _take


def _removes(node: cst.Call, name: str) -> bool:
    """``os.remove(p)``, ``path.unlink()``, ``shutil.rmtree(d)``, ``cleanup_tmp()``, ``rm -rf``."""
    if name in REMOVERS:
        return True
    func = node.func
    callee = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else ""
    if isinstance(func, cst.Attribute) and callee in REMOVER_METHODS:
        return True
    if any(word in callee.lower() for word in CLEANUP_WORDS):
        return True
    if name in SHELLS and node.args:
        command = literal_string(node.args[0].value)
        if command is None and isinstance(node.args[0].value, cst.List) and node.args[0].value.elements:
            command = literal_string(node.args[0].value.elements[0].value)
        return command is not None and (command == "rm" or command.startswith("rm "))
    return False


def _mentions_attribute(node: cst.BaseExpression, names: tuple[str, ...]) -> bool:
    attributes = _Collect(cst.Attribute)
    walk(node, [attributes])
    return any(isinstance(found, cst.Attribute) and found.attr.value in names for found in attributes.found)
