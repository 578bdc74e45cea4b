"""What build.spec leaves out of the bundle after PyInstaller's analysis: Qt plugins BookDesk
never loads, Qt's own translations, the libraries only those plugins needed, and the C++ runtime.

Loaded by path from build.spec: ``packaging`` is the name of a PyPI module PyInstaller itself
imports, so this folder cannot be imported as a package.
"""

from __future__ import annotations

import sys
from pathlib import PurePosixPath

# TOC entries are (destination, source, typecode) tuples.
Entry = tuple[str, str, str]

# Where PySide6 keeps Qt's plugins and translations: under Qt/ on Linux and macOS, not on Windows.
QT_PLUGINS = ("PySide6/Qt/plugins/", "PySide6/plugins/")
# Plugins for devices and desktops BookDesk does not run on, or for files it never opens, as
# FOLDER/NAME without the "lib" Linux and macOS put in front of the file name:
UNUSED_PLUGINS = (
    # The GTK theme loads the system's GTK into a process that already holds the bundle's own
    # GLib; on a distribution newer than the build machine that mix fails to start on GNOME.
    # BookDesk draws with Fusion and follows the colour scheme through the desktop portal.
    "platformthemes/qgtk3",
    # Embedded and remote screens (framebuffer, KMS, VNC) and their input devices.
    "platforms/qeglfs", "platforms/qlinuxfb", "platforms/qvnc", "platforms/qvkkhrdisplay",
    "platforms/qminimalegl", "egldeviceintegrations/", "generic/",
    # Image formats no cover or icon comes in.
    "imageformats/qtiff", "imageformats/qtga", "imageformats/qwbmp", "imageformats/qicns",
)
# The window speaks English only and installs no Qt translator, so Qt's .qm files are never read.
QT_TRANSLATIONS = ("PySide6/Qt/translations/", "PySide6/translations/")
# The C++ runtime of the build machine. Graphics drivers the system loads into the process (Mesa
# links LLVM) need the system's own, newer one; a bundled older copy shadows it and they fail to
# load. Every system this bundle's glibc runs on has a new enough one (the .deb depends on it).
HOST_CXX_RUNTIME = ("libstdc++.so.6", "libgcc_s.so.1")


def _inside(destination: str, folders: tuple[str, ...]) -> str | None:
    """``destination`` relative to the first of ``folders`` holding it, in / form; None if none does."""
    destination = destination.replace("\\", "/")  # Windows builds name files with backslashes
    return next((destination[len(folder):] for folder in folders if destination.startswith(folder)), None)


def is_unused_plugin(destination: str) -> bool:
    inside = _inside(destination, QT_PLUGINS)
    if inside is None:
        return False
    folder, _, name = inside.partition("/")
    plugin = f"{folder}/{name.removeprefix('lib')}"
    return any(plugin.startswith(prefix) for prefix in UNUSED_PLUGINS)


def _needed_names(source: str) -> set[str]:
    """Names of every shared library ``source`` loads, directly or through others (ldd's closure)."""
    from PyInstaller.depend.bindepend import get_imports

    return {PurePosixPath(name).name for name, _ in get_imports(source)}


def _prune_unreached(binaries: list[Entry]) -> list[Entry]:
    """Keep each plain library only while an extension module, a plugin or Python itself still needs it."""

    def is_root(entry: Entry) -> bool:
        destination, _, typecode = entry
        return (typecode == "EXTENSION" or _inside(destination, QT_PLUGINS) is not None
                or PurePosixPath(destination).name.startswith("libpython"))

    needed: set[str] = set()
    for entry in binaries:
        if is_root(entry):
            needed |= _needed_names(entry[1])
    return [entry for entry in binaries if is_root(entry) or PurePosixPath(entry[0]).name in needed]


def trim(binaries: list[Entry], datas: list[Entry]) -> tuple[list[Entry], list[Entry], list[str]]:
    """The binaries and data files to bundle, and the destinations left out (for the build log)."""
    kept_binaries = [entry for entry in binaries if not is_unused_plugin(entry[0])]
    if sys.platform.startswith("linux"):  # ldd names match file names only on Linux
        kept_binaries = [entry for entry in _prune_unreached(kept_binaries)
                         if PurePosixPath(entry[0]).name not in HOST_CXX_RUNTIME]
    kept_paths = {entry[0] for entry in kept_binaries} | {entry[0] for entry in datas}
    kept_datas = [
        entry for entry in datas
        if _inside(entry[0], QT_TRANSLATIONS) is None
        # A link to a library that was left out would dangle.
        and not (entry[2] == "SYMLINK" and entry[1] not in kept_paths and _is_binary_path(entry[1]))
    ]
    dropped = sorted({entry[0] for entry in binaries + datas} - {entry[0] for entry in kept_binaries + kept_datas})
    return kept_binaries, kept_datas, dropped


def _is_binary_path(path: str) -> bool:
    name = PurePosixPath(path).name
    return ".so" in name or name.endswith((".dll", ".dylib"))
