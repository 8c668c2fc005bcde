"""LL305 native-wheel-mismatch: native extensions built for another OS, CPU or CPython than the function's.

The evidence is read from names first: an extension's suffix (``.cpython-312-x86_64-linux-gnu.so``,
``.cpython-311-darwin.so``, ``.pyd``) says what it was built for. Only when a package folder's
extensions say nothing (``.abi3.so``, untagged ``.so``) is its distribution's ``*.dist-info/WHEEL``
read, and only when small, for its ``Tag:`` lines. One finding per package, naming each mismatching
distribution (top-level folder) once, so a wheel's hundred extensions count as one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from lambdalint.checks.base import CheckContext, Report, function_check
from lambdalint.checks.package._shipped import SHOWN, describe, more, package_report, shipped_packages
from lambdalint.loaders.tree import Sequence, scalar_value
from lambdalint.model.packages import Package, read_small_members, top_level
from lambdalint.model.project import Function

#: WHEEL metadata files are a few hundred bytes; anything larger is not read
WHEEL_LIMIT = 64 * 1024
RUNTIME = re.compile(r"^python3\.(\d+)$")
#: ``name.cpython-312-x86_64-linux-gnu.so``, ``name.cpython-311-darwin.so``, ``name.cpython-313t-….so``
EXTENSION = re.compile(r"\.cpython-3(\d+)(t?)(?:-([A-Za-z0-9_-]+))?\.so$")
#: glibc of the Amazon Linux each Python runtime runs on (AL2 up to 3.11, AL2023 from 3.12)
GLIBC = {7: 17, 8: 26, 9: 26, 10: 26, 11: 26}
AL2023_GLIBC = 34
ARCHITECTURES = {"x86_64": "x86_64", "arm64": "aarch64"}
#: the glibc the legacy manylinux names promise
LEGACY_MANYLINUX = {"manylinux1": 5, "manylinux2010": 12, "manylinux2014": 17}
#: distributions named in one finding (the engine keeps one finding per package line)
SHOWN_OS = {"macosx": "macOS", "win": "Windows", "musllinux": "musl Linux (Alpine)"}


@dataclass(frozen=True)
class Target:
    """What the function's runtime loads: CPython 3.<minor> on Amazon Linux for one CPU."""

    minor: int
    #: the CPU as Python names it: x86_64 or aarch64
    cpu: str
    architecture: str
    glibc: int

    def __str__(self) -> str:
        return f"CPython 3.{self.minor} on Linux {self.architecture} (glibc 2.{self.glibc})"


@dataclass(frozen=True)
class Mismatch:
    folder: str
    #: the member shown: the first mismatching extension, or the WHEEL file
    member: str
    built_for: str
    extensions: int


@function_check("LL305")
def native_wheel_mismatch(function: Function, context: CheckContext) -> Iterator[Report]:
    target = _target(function)
    if target is None:
        return  # not Python, or a runtime or architecture the template does not state plainly
    for item in shipped_packages(function, context.project):
        assert item.package is not None
        mismatches = list(_mismatches(item.package, target))
        if not mismatches:
            continue
        shown = ", ".join(
            f"{m.folder}{f' ({m.extensions} native files)' if m.extensions > 1 else ''} was built for {m.built_for}"
            for m in mismatches[:SHOWN]
        )
        yield package_report(
            function,
            item,
            context.project,
            f"{describe(item)}: {shown}{more(len(mismatches), 'distributions')}; {function.logical_id} needs {target}",
            [(m.member, f"{m.folder}: built for another platform") for m in mismatches],
        )


def _target(function: Function) -> Target | None:
    match = RUNTIME.match(function.runtime() or "")
    if match is None:
        return None
    node = function.get("Architectures")
    architecture: object = "x86_64"
    if node is not None:
        items = node.items if isinstance(node, Sequence) else []
        architecture = scalar_value(items[0]) if len(items) == 1 else None
    if architecture not in ARCHITECTURES:
        return None
    assert isinstance(architecture, str)
    minor = int(match.group(1))
    return Target(minor, ARCHITECTURES[architecture], architecture, GLIBC.get(minor, AL2023_GLIBC))


def _mismatches(package: Package, target: Target) -> Iterator[Mismatch]:
    natives: dict[str, list[str]] = {}
    wheels: dict[str, str] = {}
    for entry in package.entries:
        if entry.is_dir or entry.is_symlink:
            continue
        folder = top_level(entry.name)
        if entry.name.endswith((".so", ".pyd")):
            natives.setdefault(folder, []).append(entry.name)
        elif folder.endswith(".dist-info") and entry.name.endswith(f"{folder}/WHEEL"):
            wheels[_normalise(folder.split("-")[0])] = entry.name
    undecided: dict[str, str] = {}  # folder → its WHEEL file, when the file names say nothing
    for folder, names in natives.items():
        verdicts = [(name, _extension_built_for(name, target)) for name in names]
        wrong = [(name, built_for) for name, built_for in verdicts if built_for]
        if wrong:
            yield Mismatch(folder, wrong[0][0], wrong[0][1], len(wrong))
        elif all(built_for is None for _, built_for in verdicts) and _normalise(folder) in wheels:
            undecided[folder] = wheels[_normalise(folder)]
    contents = read_small_members(package, list(undecided.values()), WHEEL_LIMIT)  # one opening of the zip
    for folder, wheel in undecided.items():
        built_for = _wheel_built_for(contents.get(wheel), target)
        if built_for:
            yield Mismatch(folder, wheel, built_for, 1)


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _extension_built_for(name: str, target: Target) -> str | None:
    """What an extension's name says it was built for when that is wrong; "" when it fits, None when silent."""
    if name.endswith(".pyd"):
        return "Windows (a .pyd extension)"
    match = EXTENSION.search(name)
    if match is None:
        return None  # .abi3.so, a bundled libfoo.so: the name does not say
    minor, free_threaded, platform = int(match.group(1)), match.group(2), match.group(3) or ""
    python = f"CPython 3.{minor}{' free-threaded' if free_threaded else ''}"
    if platform == "darwin":
        return f"{python} on macOS"
    cpu, _, system = platform.partition("-")
    if system and system != "linux-gnu":
        return f"{python} on {'musl Linux (Alpine)' if system == 'linux-musl' else system} {cpu}"
    if minor != target.minor or free_threaded or (cpu and cpu != target.cpu):
        return f"{python} on Linux {cpu}".rstrip()
    return ""


def _wheel_built_for(text: bytes | None, target: Target) -> str | None:
    """The first ``Tag:`` line's platform when no tag of the WHEEL file fits the target."""
    tags = [
        line.partition(":")[2].strip()
        for line in (text or b"").decode("utf-8", errors="replace").splitlines()
        if line.startswith("Tag:")
    ]
    if not tags or any(_tag_fits(tag, target) for tag in tags):
        return None
    return f"{_describe_tag(tags[0])} (Tag: {tags[0]})"


def _tag_fits(tag: str, target: Target) -> bool:
    parts = tag.split("-")
    if len(parts) != 3:
        return True  # not a tag we understand: precision first
    pythons, abis, platforms = (part.split(".") for part in parts)
    return any(_python_fits(python, abi, target) for python in pythons for abi in abis) and any(
        _platform_fits(platform, target) for platform in platforms
    )


def _python_fits(python: str, abi: str, target: Target) -> bool:
    if python.startswith("py"):
        return python[2:3] == "3" and abi in ("none", "abi3")
    match = re.fullmatch(r"cp3(\d+)", python)
    if match is None:
        return False  # PyPy, GraalPy, Python 2
    minor = int(match.group(1))
    if abi in ("none", "abi3"):
        return minor <= target.minor
    return abi == python and minor == target.minor


def _platform_fits(platform: str, target: Target) -> bool:
    if platform == "any":
        return True
    if platform.startswith("linux_"):
        return platform == f"linux_{target.cpu}"
    legacy = re.fullmatch(r"(manylinux1|manylinux2010|manylinux2014)_(\w+)", platform)
    modern = re.fullmatch(r"manylinux_2_(\d+)_(\w+)", platform)
    if legacy:
        return legacy.group(2) == target.cpu and LEGACY_MANYLINUX[legacy.group(1)] <= target.glibc
    if modern:
        return modern.group(2) == target.cpu and int(modern.group(1)) <= target.glibc
    return False  # macOS, Windows, musllinux, iOS, Android


def _describe_tag(tag: str) -> str:
    python, platform = tag.split("-")[0].split(".")[0], tag.rsplit("-", 1)[-1].split(".")[0]
    interpreter = f"CPython 3.{python[3:]}" if re.fullmatch(r"cp3\d+", python) else python
    glibc = re.fullmatch(r"manylinux_2_(\d+)_(\w+)", platform)
    if glibc:
        return f"{interpreter} on Linux {glibc.group(2)} with glibc 2.{glibc.group(1)}"
    system = next((shown for prefix, shown in SHOWN_OS.items() if platform.startswith(prefix)), "")
    return f"{interpreter} on {system} ({platform})" if system else f"{interpreter} on {platform}"
