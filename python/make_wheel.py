#!/usr/bin/env python3
"""Wraps a built ``robot`` binary and the ``maintenance_robot`` package in a wheel (standard library only).

The binary goes in as a script (``maintenance_robot-VERSION.data/scripts/robot``), so that pip installs it into the
environment's ``bin`` directory, on ``PATH``. The platform tag is read off the binary: its architecture, and the
newest glibc (and libstdc++) symbol version it needs (``manylinux_2_X_ARCH``). Called by build-wheel.sh:

    python3 python/make_wheel.py --robot .build-static/release/robot --version 0.1.0 --out python/dist
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Iterable, List, Tuple

NAME = "maintenance-robot"
PACKAGE = "maintenance_robot"
HERE = Path(__file__).resolve().parent
SUMMARY = "Brings a PostgreSQL database to the shape its service expects, idempotently, at every boot."
# Shared libraries a manylinux wheel may assume on the system (PEP 600: those of the manylinux policies).
SYSTEM_LIBRARIES = {
    "libc.so.6", "libm.so.6", "libdl.so.2", "librt.so.1", "libpthread.so.0", "libutil.so.1", "libresolv.so.2",
    "libgcc_s.so.1", "libstdc++.so.6", "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1",
}
MACHINES = {62: "x86_64", 183: "aarch64"}  # ELF e_machine values
# The oldest glibc of the manylinux policies whose libstdc++ has GLIBCXX_3.4.N, for N up to the key: a binary that
# needs a newer libstdc++ than its glibc version implies gets the later tag.
LIBSTDCXX_GLIBC = {19: (2, 17), 25: (2, 28), 28: (2, 31), 29: (2, 34), 30: (2, 35), 33: (2, 39)}
# 1980-01-01, zip's earliest date: the same inputs give the same wheel, byte for byte.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def main(arguments: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--robot", type=Path, required=True, help="the release build of the robot")
    parser.add_argument("--version", required=True, help="the robot's version (Robot.version)")
    parser.add_argument("--out", type=Path, required=True, help="the directory to write the wheel into")
    options = parser.parse_args(arguments)
    if not re.fullmatch(r"\d+(\.\d+)*", options.version):
        parser.error(f"--version: '{options.version}' is not a release number such as 0.1.0")
    try:
        wheel = build(options.robot, options.version, options.out)
    except WheelError as error:
        print(f"make_wheel: {error}", file=sys.stderr)
        return 1
    print(wheel)
    return 0


class WheelError(Exception):
    """The binary cannot go into a wheel, with what to do."""


def build(robot: Path, version: str, out: Path) -> Path:
    """Writes the wheel into ``out`` and returns its path."""
    if not robot.is_file():
        raise WheelError(f"{robot} does not exist; build it first (python/build-wheel.sh does)")
    tag = f"py3-none-{platform_tag(robot)}"
    distribution = f"{PACKAGE}-{version}"
    with tempfile.TemporaryDirectory() as scratch:
        binary = Path(scratch) / "robot"
        shutil.copyfile(robot, binary)
        strip(binary)
        files: List[Tuple[str, bytes, int]] = [
            (f"{PACKAGE}/{path.name}", path.read_bytes(), 0o644) for path in package_files()
        ]
        files.append((f"{distribution}.data/scripts/robot", binary.read_bytes(), 0o755))
    files.append((f"{distribution}.dist-info/METADATA", metadata(version).encode(), 0o644))
    files.append((f"{distribution}.dist-info/WHEEL", wheel_file(tag).encode(), 0o644))
    record = f"{distribution}.dist-info/RECORD"
    files.append((record, record_file(files, record).encode(), 0o644))
    out.mkdir(parents=True, exist_ok=True)
    wheel = out / f"{distribution}-{tag}.whl"
    with zipfile.ZipFile(wheel, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data, mode in files:
            entry = zipfile.ZipInfo(name, ZIP_DATE)
            entry.external_attr = (0o100000 | mode) << 16  # a regular file with its permissions, which pip keeps
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, data)
    return wheel


def package_files() -> List[Path]:
    source = HERE / "src" / PACKAGE
    files = sorted(path for path in source.iterdir() if path.suffix == ".py" or path.name == "py.typed")
    if not any(path.name == "py.typed" for path in files):
        raise WheelError(f"{source}/py.typed is missing: the package's type hints would not be used")
    return files


def platform_tag(robot: Path) -> str:
    """``manylinux_2_X_ARCH``: the binary's architecture, and the newest glibc symbol version it needs (later when
    its libstdc++ symbols need a newer policy)."""
    with open(robot, "rb") as binary:
        header = binary.read(20)
    if header[:4] != b"\x7fELF" or header[4] != 2 or header[5] != 1:
        raise WheelError(f"{robot} is not a 64-bit little-endian ELF executable")
    machine = MACHINES.get(int.from_bytes(header[18:20], "little"))
    if machine is None:
        raise WheelError(f"{robot} is for an architecture this wheel does not describe (only {sorted(MACHINES.values())})")
    dynamic = readelf(robot, "--dynamic")
    needed = set(re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", dynamic))
    foreign = sorted(needed - SYSTEM_LIBRARIES)
    if foreign:
        raise WheelError(
            f"{robot} needs {', '.join(foreign)}, which a manylinux wheel may not assume; "
            "build it with --static-swift-stdlib (python/build-wheel.sh does)"
        )
    versions = readelf(robot, "--version-info")
    glibc = [(int(major), int(minor)) for major, minor in re.findall(r"GLIBC_(\d+)\.(\d+)", versions)]
    libstdcxx = max((int(minor) for minor in re.findall(r"GLIBCXX_3\.4\.(\d+)", versions)), default=0)
    floors = [glibc for newest, glibc in sorted(LIBSTDCXX_GLIBC.items()) if newest >= libstdcxx]
    if not floors:
        raise WheelError(f"{robot} needs GLIBCXX_3.4.{libstdcxx}, newer than any manylinux policy's libstdc++")
    major, minor = max(glibc + floors[:1])
    return f"manylinux_{major}_{minor}_{machine}"


def readelf(path: Path, option: str) -> str:
    try:
        return subprocess.run(["readelf", option, "--wide", str(path)], check=True, capture_output=True, text=True).stdout
    except FileNotFoundError:
        raise WheelError("readelf was not found: install binutils") from None
    except subprocess.CalledProcessError as error:
        raise WheelError(f"readelf {option} {path} failed: {error.stderr.strip()}") from None


def strip(binary: Path) -> None:
    """Removes the symbol tables: a fraction of the size, and the robot needs none of them."""
    try:
        subprocess.run(["strip", str(binary)], check=True, capture_output=True, text=True)
    except FileNotFoundError:
        raise WheelError("strip was not found: install binutils") from None
    except subprocess.CalledProcessError as error:
        raise WheelError(f"strip {binary} failed: {error.stderr.strip()}") from None


def metadata(version: str) -> str:
    readme = (HERE / "README.md").read_text(encoding="utf-8")
    headers = [
        "Metadata-Version: 2.1",
        f"Name: {NAME}",
        f"Version: {version}",
        f"Summary: {SUMMARY}",
        "Requires-Python: >=3.10",
        "Keywords: postgresql,schema,migrations,idempotent,fastapi",
        "Classifier: Programming Language :: Python :: 3",
        "Classifier: Operating System :: POSIX :: Linux",
        "Classifier: Topic :: Database",
        "Classifier: Typing :: Typed",
        "Description-Content-Type: text/markdown",
    ]
    return "\n".join(headers) + "\n\n" + readme


def wheel_file(tag: str) -> str:
    return f"Wheel-Version: 1.0\nGenerator: maintenance-robot make_wheel.py\nRoot-Is-Purelib: false\nTag: {tag}\n"


def record_file(files: Iterable[Tuple[str, bytes, int]], record: str) -> str:
    lines = []
    for name, data, _ in files:
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        lines.append(f"{name},sha256={digest},{len(data)}")
    lines.append(f"{record},,")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
