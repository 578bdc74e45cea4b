"""Text folded the way a reader compares it."""

from __future__ import annotations

from bookdesk.vocabulary.folding import fold


def test_fold_ignores_case_accents_and_extra_spaces() -> None:
    assert fold("  Brontë ") == fold("BRONTE") == "bronte"
    assert fold("Søren  Straße") == "soren strasse"  # ø, which Unicode does not decompose; ß to ss
    assert fold("Łódź Ægir") == "lodz aegir"
    assert fold("ﬁnal") == "final"


def test_plain_ascii_text_folds_as_accented_text_does() -> None:
    # Plain ASCII takes a shorter way (most titles and names); it must land where the long way does.
    assert fold(" The\tLEFT  Hand\nof Darkness ") == "the left hand of darkness"
    assert fold("Le Guin, Ursula K.") == fold("Le Guín, Ursula K.") == "le guin, ursula k."
    assert fold("") == "" and fold("   ") == ""


def test_a_remembered_fold_is_the_same_fold() -> None:
    from bookdesk.vocabulary.folding import fold_remembered

    assert fold_remembered("Søren  Straße") == fold("Søren  Straße") == "soren strasse"
