"""Books as series listings print them: the printed position preferred, and what was changed said."""

from __future__ import annotations

import datetime

from bookdesk.core.providers.series_common import listed_book, release_date, same_person, same_series


def test_a_listed_book_prefers_the_printed_position_and_says_what_it_changed() -> None:
    remarks: list[str] = []
    omnibus = listed_book(title="Mistborn Trilogy", authors=["B"], position=1, details="1-3", remarks=remarks)
    prequel = listed_book(title="The Eleventh Metal", authors=[], position=0, details="Prequel", remarks=remarks)
    drama = listed_book(title="Words of Radiance", authors=[], details="Book 2, Dramatized Adaptation",
                        remarks=remarks, where="Audnexus, Stormlight")
    assert (omnibus.label, omnibus.sort_key, omnibus.is_compilation) == ("1-3", 1.0, True)
    assert (prequel.label, prequel.sort_key, prequel.is_compilation) == ("Prequel", 0.0, False)
    assert (drama.label, drama.sort_key) == ("2", 2.0)
    assert remarks == ["Audnexus, Stormlight: \u201cWords of Radiance\u201d is listed at \u201cBook 2, Dramatized "
                       "Adaptation\u201d; read as position 2 (Dramatized Adaptation)."]
    assert listed_book(title="  ", authors=[]) is None
    assert listed_book(title="The Complete Box Set", authors=[], position=1).is_compilation  # said by its title


def test_dates_and_names() -> None:
    assert release_date("2010-08-31T00:00:00.000Z") == datetime.date(2010, 8, 31)
    assert release_date("2016-12") == datetime.date(2016, 12, 1)
    assert release_date(2011) == release_date("2011") == datetime.date(2011, 1, 1)
    assert release_date("2010-02-31") is None and release_date("soon") is None and release_date(None) is None
    assert same_series("The Stormlight Archive", "Stormlight Archive")
    assert same_series("Mistborn Series", "mistborn") and same_series("Les Rougon-Macquart", "les rougon macquart")
    assert not same_series("Mistborn", "Mistborn Adventure Game") and not same_series("", "")
    assert same_person("Le Guin, Ursula K.", "Ursula K. Le Guin") and not same_person("Ursula", "")
