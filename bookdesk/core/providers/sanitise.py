"""Provider text made safe to store and show: no markup, no control characters, bounded length.

Providers are strangers: a description may be HTML, a megabyte long, or carry a script. Nothing
from them reaches the catalog or a widget before passing through here.
"""

from __future__ import annotations

import html
import re

MAX_DESCRIPTION = 10_000
MAX_FIELD = 500
_MAX_INPUT = 200_000  # work on no more than this much of any value: bounded time whatever arrives

_HIDDEN = re.compile(r"<\s*(script|style|head|template|noscript|iframe|object)\b.{0,200000}?(?:<\s*/\s*\1\s*>|\Z)",
                     re.IGNORECASE | re.DOTALL)
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_BREAK = re.compile(r"<\s*br\b[^>]{0,2000}>", re.IGNORECASE)
_BLOCK = re.compile(r"<\s*/?\s*(?:p|div|li|ul|ol|h[1-6]|tr|table|blockquote|section|article|pre|dd|dt)\b[^>]{0,2000}>",
                    re.IGNORECASE)
# A tag, attribute values quoted or not (a quoted value may hold ">"); a processing instruction such
# as Word's "<?xml:namespace ...>" (which once left "?span" behind); or a known tag written with a
# space after its bracket ("< span>"). "2 < 3" is not a tag: a letter, "/", "!" or "?" must follow.
_TAG = re.compile(r"""<(?:/?[A-Za-z!/]|\?|\s+/?\s*(?:span|p|div|br|i|b|u|em|strong|a|font|li|ul|ol|h[1-6])\b)"""
                  r"""(?:[^<>"']|"[^"<]{0,2000}"|'[^'<]{0,2000}'){0,2000}>""")
_LOOSE_TAG = re.compile(r"</?[A-Za-z!/][^>]{0,2000}>")  # a tag whose quotes do not pair
_CUT_TAG = re.compile(r"<\s*/?[A-Za-z][\w:-]{0,40}(?:\s[^<>]{0,2000})?\Z")  # a tag the end of the text cut off
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLANK_LINES = re.compile(r"\n\s*\n\s*(?:\n\s*)+")


def plain_text(value: object, limit: int = MAX_DESCRIPTION) -> str | None:
    """``value`` as plain text: markup removed, entities decoded, whitespace collapsed (paragraphs
    kept), cut at a word boundary to at most ``limit`` characters. None when nothing is left."""
    if not isinstance(value, str):
        return None
    text = value[:_MAX_INPUT]
    text = _COMMENT.sub(" ", text)
    text = _HIDDEN.sub(" ", text)
    text = _BREAK.sub("\n", text)
    text = _BLOCK.sub("\n\n", text)
    text = _strip_tags(text)
    text = html.unescape(text)
    text = _strip_tags(text)  # markup that arrived escaped (&lt;b&gt;) is still markup
    text = _CONTROL.sub("", text)
    text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    text = _BLANK_LINES.sub("\n\n", text).strip()
    if not text:
        return None
    return _cut(text, limit)


def _strip_tags(text: str) -> str:
    return _CUT_TAG.sub("", _LOOSE_TAG.sub("", _TAG.sub("", text)))


def clean_field(value: object, limit: int = MAX_FIELD) -> str | None:
    """A short field (title, name, publisher) on one line, without markup."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    text = plain_text(value, limit)
    if text is None:
        return None
    return " ".join(text.split())


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: max(1, limit - 1)]
    space = cut.rfind(" ")
    if space > limit * 0.8:
        cut = cut[:space]
    return cut.rstrip() + "\u2026"
