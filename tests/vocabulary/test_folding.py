"""Text folded the way a reader compares it."""

from __future__ import annotations

from bookdesk.vocabulary.folding import fold


def test_fold_ignores_case_accents_and_extra_spaces() -> None:
    assert fold("  Brontë ") == fold("BRONTE") == "bronte"
    assert fold("Søren  Straße") == "soren strasse"  # ø, which Unicode does not decompose; ß to ss
    assert fold("Łódź Ægir") == "lodz aegir"
    assert fold("ﬁnal") == "final"
