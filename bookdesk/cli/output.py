"""What commands print: JSON on stdout with ``--json`` and nothing else there; people's text otherwise."""

from __future__ import annotations

import json
import sys
from typing import Any


def emit_json(document: Any) -> None:
    json.dump(document, sys.stdout, ensure_ascii=False, indent=None, default=str)
    sys.stdout.write("\n")
    sys.stdout.flush()


def say(text: str) -> None:
    print(text)


def progress(text: str) -> None:
    """Progress goes to stderr, so stdout stays clean for --json."""
    print(text, file=sys.stderr, flush=True)
