"""BookDesk: a desktop library for ebooks and audiobooks."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("bookdesk")
except PackageNotFoundError:  # running from a source tree or a frozen bundle without metadata
    __version__ = "0.1.0"

APP_NAME = "BookDesk"
PROJECT_URL = "https://github.com/bookdesk/bookdesk"
