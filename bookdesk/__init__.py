"""BookDesk: a desktop library for ebooks and audiobooks."""

from __future__ import annotations

import sys

APP_NAME = "BookDesk"
PROJECT_URL = "https://github.com/bookdesk/bookdesk"


class _NoHttpxCommandLine:
    """httpx's package imports its own command-line client (click, rich, pygments: 30-80 ms of every start
    that uses the network) whenever those are installed, as they are beside the dev tools and so in a bundle
    built there. BookDesk never runs that client: this finder says it is not installed, so httpx takes its
    own "not installed" branch. Nothing else is looked at, and nothing is imported until httpx is."""

    @staticmethod
    def find_spec(name: str, path: object = None, target: object = None) -> None:
        if name == "httpx._main":
            raise ModuleNotFoundError("httpx's command-line client is not used by BookDesk", name=name)


if _NoHttpxCommandLine not in sys.meta_path:
    sys.meta_path.insert(0, _NoHttpxCommandLine)  # type: ignore[arg-type]


def __getattr__(name: str) -> str:
    """``__version__``, read from the package's metadata when first asked for: importlib.metadata takes
    25 ms to import and read, a fifth of a command's start, and only ``--version``, About and the window's
    application name want it."""
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("bookdesk")
    except PackageNotFoundError:  # running from a source tree or a frozen bundle without metadata
        found = "0.1.0"
    globals()["__version__"] = found
    return found
