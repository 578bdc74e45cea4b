"""Helpers for the indexer and download-client tests (the fixtures are in conftest.py)."""

from __future__ import annotations

import asyncio
import random
from pathlib import Path

from bookdesk.core.acquisition.config import ClientConfig
from tests.conftest import simple_metadata, write_epub
from tests.servers.torrent_daemons import Daemon

# 40 KB that do not compress, inside the EPUB: a real book is never a few hundred bytes.
FILLER = random.Random(6).randbytes(40_000)


def book_epub(path: Path, title: str, author: str) -> Path:
    """A real EPUB of a realistic size (so the size check takes it for a book)."""
    return write_epub(path, simple_metadata(title, author), members={"OEBPS/images/filler.bin": FILLER})


def client_config(daemon: Daemon, *, name: str | None = None, save_path: Path | None = None, **extra) -> ClientConfig:
    return ClientConfig(name=name or f"test-{daemon.kind}", kind=daemon.kind, url=daemon.url,
                        username=daemon.username, save_path=str(save_path or ""), **extra)


def run(coro):
    return asyncio.run(coro)
