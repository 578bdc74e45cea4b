"""Where BookDesk keeps things on this computer, per OS, with overrides for tests and power users."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from bookdesk import APP_NAME


def default_library(chosen: Path | None = None) -> Path:
    """``$BOOKDESK_LIBRARY``, else the folder the person chose (``chosen``, from the settings), else
    ``BookDesk/Library`` in the user data folder."""
    override = os.environ.get("BOOKDESK_LIBRARY")
    if override:
        return Path(override).expanduser()
    if chosen is not None:
        return chosen
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "Library"


def log_dir() -> Path:
    override = os.environ.get("BOOKDESK_LOG_DIR")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    override = os.environ.get("BOOKDESK_CONFIG_DIR")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    """Where HTTP answers are cached (safe to delete)."""
    override = os.environ.get("BOOKDESK_CACHE_DIR")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))
