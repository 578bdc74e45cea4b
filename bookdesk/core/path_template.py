"""Where an imported book goes inside the library, from a template such as
``{author_sort}/{series}/{series_position} - {title}/{title} - {author}.{ext}``.

Each field is made safe on its own, so no metadata can add a folder level or leave the
library; a part whose fields are all empty (a book in no series) is dropped, as are the
separators left dangling around an empty field.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

from bookdesk.core.file_names import safe_component
from bookdesk.errors import UsageError

DEFAULT_TEMPLATE = "{author_sort}/{series}/{series_position} - {title}/{title} - {author}.{ext}"
FIELDS = ("author", "author_sort", "title", "series", "series_position", "year", "language", "ext", "media")
_DANGLING = re.compile(r"^[\s\-–—_.,]+|[\s\-–—_,]+$")


@dataclass(frozen=True, slots=True)
class PathFields:
    author: str
    author_sort: str
    title: str
    ext: str
    series: str = ""
    series_position: str = ""
    year: str = ""
    language: str = ""
    media: str = "ebook"


def validate(template: str) -> None:
    for _, name, _, _ in string.Formatter().parse(template):
        if name is not None and name not in FIELDS:
            raise UsageError(f"The path template names an unknown field {{{name}}}; fields: "
                             + ", ".join(f"{{{f}}}" for f in FIELDS))


def render(template: str, fields: PathFields) -> str:
    """A relative, '/'-separated path with every part safe for any OS."""
    validate(template)
    values = {name: _field_text(name, getattr(fields, name)) for name in FIELDS}
    parts: list[str] = []
    raw_parts = template.split("/")
    for index, raw in enumerate(raw_parts):
        names = [n for _, n, _, _ in string.Formatter().parse(raw) if n]
        if names and not any(values[n] for n in names):
            continue  # e.g. the series folder of a book in no series
        text = raw.format(**values)
        is_file = index == len(raw_parts) - 1
        if is_file and values["ext"]:
            # Split the extension off first, so a title of ".." cannot eat the dot before it.
            stem = text[: -len(values["ext"]) - 1] if text.endswith("." + values["ext"]) else text
            stem = _DANGLING.sub("", stem)
            # The fallback is metadata too ("???" as a title), so it is made safe as well.
            fallback = safe_component(values["title"], fallback="book")
            parts.append(safe_component(stem, fallback=fallback) + "." + values["ext"])
        else:
            parts.append(safe_component(_DANGLING.sub("", text)))
    return "/".join(parts)


def _field_text(name: str, value: str) -> str:
    value = value or ""
    if name == "ext":
        return re.sub(r"[^a-z0-9]", "", value.lower())[:8]
    # Separators inside a value must not create folders.
    return " ".join(value.replace("/", "_").replace("\\", "_").split())
