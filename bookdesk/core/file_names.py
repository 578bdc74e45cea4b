"""File and folder names that are safe on Windows, macOS and Linux alike.

Metadata comes from strangers: a title may hold slashes, control characters, bidi
overrides, a Windows device name or a thousand characters. Every name BookDesk writes
goes through ``safe_component``.
"""

from __future__ import annotations

import re
import unicodedata

_ILLEGAL = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
# Bidi embeddings, overrides and isolates, and zero-width marks that make names lie about themselves.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
# Bytes per path component: most file systems allow 255; leave room for " (2)" and an extension.
MAX_COMPONENT_BYTES = 150


def safe_component(text: str, fallback: str = "Unknown", max_bytes: int = MAX_COMPONENT_BYTES) -> str:
    """One path component (no separators), NFC, within ``max_bytes`` of UTF-8."""
    name = unicodedata.normalize("NFC", text or "")
    name = _INVISIBLE.sub("", name)
    name = _ILLEGAL.sub("_", name)
    name = " ".join(name.split())
    name = name.strip(" .")  # Windows drops trailing dots and spaces; a leading dot hides the file
    if not name or set(name) <= {"_"}:
        name = fallback
    if name.split(".")[0].lower() in _RESERVED:
        name = "_" + name
    return _truncate(name, max_bytes).rstrip(" .") or fallback


def _truncate(text: str, max_bytes: int) -> str:
    encoded = text.encode("utf-8")
    if len(encoded) <= max_bytes:
        return text
    return encoded[:max_bytes].decode("utf-8", errors="ignore")
