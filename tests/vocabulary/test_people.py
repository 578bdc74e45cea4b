"""People as files and providers write them: who a field names, how each sorts, and who is who."""

from __future__ import annotations

import pytest

from bookdesk.vocabulary.people import (
    Person,
    author_sort,
    name_parts,
    person,
    split_people,
)


def test_honorifics_and_suffixes_stay_with_the_person_and_out_of_the_surname() -> None:
    parts = name_parts("Dr. Martin Luther King Jr.")
    assert (parts.honorific, parts.given, parts.surname, parts.suffix) == ("Dr.", ("Martin", "Luther"), "King", "Jr.")
    assert name_parts("Ludwig van der Rohe").surname == "van der Rohe"
    assert name_parts("村上 春樹").whole and name_parts("National Geographic Society").whole


def test_a_person_written_last_name_first_is_shown_as_signed_and_sorted_as_written() -> None:
    assert person("Le Guin, Ursula K.") == Person("Ursula K. Le Guin", "Le Guin, Ursula K.")
    assert person("Ursula K. Le Guin") == Person("Ursula K. Le Guin", "Le Guin, Ursula K.")


@pytest.mark.parametrize("junk", [None, "", "  ", ",", "&", "et al.", "\x00\x01", "a" * 50_000, 42])
def test_anything_a_file_holds_is_read_without_failing(junk) -> None:
    assert isinstance(split_people(junk), list)
    assert isinstance(author_sort(junk if isinstance(junk, str) else ""), str)
