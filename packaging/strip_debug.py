"""Remove debugging sections from the bundle's ELF files that carry them.

A Python built from source (pyenv, /usr/local) keeps its debug info: 19 of libpython's 23 MB.
Only .debug_* sections go (``strip --strip-debug``); symbols, Qt's plugin metadata and
everything the loader reads stay as they are. Without binutils nothing is changed.

Usage: strip_debug.py FOLDER   (build.spec calls ``strip_folder`` after collecting on Linux)
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ELF_MAGIC = b"\x7fELF"


def has_debug_info(path: Path) -> bool:
    with path.open("rb") as fh:
        if fh.read(4) != ELF_MAGIC:
            return False
    sections = subprocess.run(["readelf", "-S", "-W", str(path)], capture_output=True, text=True, check=False)
    return ".debug_info" in sections.stdout


def strip_folder(folder: Path) -> list[Path]:
    """Strip every ELF file under ``folder`` that has debug info; the files stripped."""
    if not (shutil.which("strip") and shutil.which("readelf")):
        return []
    stripped = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink() and has_debug_info(path):
            subprocess.run(["strip", "--strip-debug", str(path)], check=True)
            stripped.append(path)
    return stripped


if __name__ == "__main__":
    for done in strip_folder(Path(sys.argv[1])):
        print(f"stripped debug info: {done}")
