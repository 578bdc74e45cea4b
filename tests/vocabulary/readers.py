"""How each case table of this folder is read: a case's input in, its columns as text out."""

from __future__ import annotations

import re

from bookdesk.vocabulary.people import author_sort, display_name, person_key, split_people
from bookdesk.vocabulary.positions import format_number, read_position
from bookdesk.vocabulary.titles import (
    series_in_subtitle,
    series_in_title,
    split_subtitle,
    strip_noise,
    title_and_author,
    title_sort,
)

_LANGUAGE = re.compile(r"^\[([a-z]{2})\]\s+")


def people_row(text: str) -> dict[str, str]:
    return {"people": "; ".join(split_people(text))}


def author_sort_row(name: str) -> dict[str, str]:
    return {"sort": author_sort(name), "display": display_name(name)}


def same_person_row(names: str) -> dict[str, str]:
    first, _, second = names.partition(" = ")
    return {"same": "yes" if person_key(first) == person_key(second) else "no"}


def position_row(text: str) -> dict[str, str]:
    found = read_position(text)
    return {"label": found.label,
            "start": format_number(found.start) if found.start is not None else "",
            "end": format_number(found.end) if found.end is not None else "",
            "secondary": "yes" if found.secondary else ""}


def title_sort_row(title: str) -> dict[str, str]:
    language = _LANGUAGE.match(title)
    return {"sort": title_sort(title[language.end():] if language else title, language[1] if language else None)}


def subtitle_row(text: str) -> dict[str, str]:
    title, subtitle = split_subtitle(text)
    return {"title": title, "subtitle": subtitle or ""}


def noise_row(text: str) -> dict[str, str]:
    return {"title": strip_noise(text)}


def series_in_title_row(text: str) -> dict[str, str]:
    found = series_in_title(text)
    return {"title": found.title, "series": "; ".join(f"{name} #{label}" for name, label in found.series)}


def subtitle_series_row(subtitle: str) -> dict[str, str]:
    named = series_in_subtitle(subtitle)
    return {"series": (f"{named[0]} #{named[1]}" if named[1] else named[0]) if named else ""}


def by_author_row(text: str) -> dict[str, str]:
    title, author = title_and_author(text)
    return {"title": title, "author": author or ""}
