"""Ranking releases of a wanted book: named parts a person can read, the preferred formats first,
and the releases no one should grab (another book, a suspect size, no seeders, blocklisted) last."""

from __future__ import annotations

from datetime import datetime, timedelta

from bookdesk.core.acquisition.ranking import BlockedReleases, WantedWork, rank
from bookdesk.core.acquisition.torznab import Release

NOW = datetime(2025, 6, 1)
MB = 1024 ** 2
DUNE = WantedWork(1, "Dune", ("Frank Herbert",), "ebook")
DUNE_AUDIO = WantedWork(1, "Dune", ("Frank Herbert",), "audiobook")
THRESHOLD = 0.5


def release(title: str, *, size: int = 2 * MB, seeders: int | None = 25, category: int = 7020, guid: str = "",
            days: int = 90, indexer: str = "Prowlarr") -> Release:
    return Release(indexer, title, guid or title, f"http://idx/{abs(hash(title))}.torrent", size=size,
                   seeders=seeders, categories=(category,), published=NOW - timedelta(days=days))


def titles(ranking) -> list[str]:  # noqa: ANN001
    return [r.release.title for r in ranking.releases]


def test_ebook_formats_rank_epub_then_azw3_then_pdf() -> None:
    found = rank([release("Frank Herbert - Dune [PDF]"), release("Frank Herbert - Dune [AZW3]"),
                  release("Frank Herbert - Dune [EPUB]")], DUNE, now=NOW)
    assert titles(found) == ["Frank Herbert - Dune [EPUB]", "Frank Herbert - Dune [AZW3]",
                             "Frank Herbert - Dune [PDF]"]
    assert all(r.total >= THRESHOLD for r in found.releases)
    assert [r.format for r in found.releases] == ["epub", "azw3", "pdf"]


def test_audiobook_formats_rank_m4b_before_mp3_and_ebooks_are_not_audiobooks() -> None:
    found = rank([release("Frank Herbert - Dune (Unabridged) [MP3 64kbps]", size=600 * MB, category=3030),
                  release("Frank Herbert - Dune [EPUB]"),
                  release("Frank Herbert - Dune - Narrated by Scott Brick [M4B]", size=700 * MB, category=3030)],
                 DUNE_AUDIO, now=NOW)
    assert titles(found)[:2] == ["Frank Herbert - Dune - Narrated by Scott Brick [M4B]",
                                 "Frank Herbert - Dune (Unabridged) [MP3 64kbps]"]
    epub = found.releases[2]
    assert epub.media_kind == "ebook" and epub.total < THRESHOLD
    assert "an ebook, but an audiobook is wanted" in epub.explain()


def test_sizes_no_such_book_has_are_suspect() -> None:
    found = rank([release("Frank Herbert - Dune [EPUB]", size=2 * 1024 * MB),
                  release("Frank Herbert - Dune (Retail) [EPUB]", size=3 * 1024)], DUNE, now=NOW)
    assert all(r.total < THRESHOLD for r in found.releases)
    assert all("suspect size" in " ".join(r.explain()) for r in found.releases)
    tiny_audio = rank([release("Frank Herbert - Dune [M4B]", size=500 * 1024, category=3030)], DUNE_AUDIO, now=NOW)
    assert tiny_audio.releases[0].total < THRESHOLD


def test_a_torrent_nobody_seeds_is_nearly_worthless() -> None:
    found = rank([release("Frank Herbert - Dune [EPUB]", seeders=0),
                  release("Frank Herbert - Dune [AZW3]", seeders=3)], DUNE, now=NOW)
    assert titles(found) == ["Frank Herbert - Dune [AZW3]", "Frank Herbert - Dune [EPUB]"]
    assert found.releases[1].total < 0.25
    assert "nobody seeds it: it would never finish" in found.releases[1].explain()


def test_another_book_of_the_author_and_a_box_set_are_not_the_book() -> None:
    found = rank([release("Frank Herbert - Dune Messiah [EPUB]", seeders=200),
                  release("Frank Herbert - Dune Trilogy Box Set [EPUB]", seeders=200),
                  release("Dune.Frank.Herbert.1965.RETAIL.EPUB", seeders=4)], DUNE, now=NOW)
    assert titles(found)[0] == "Dune.Frank.Herbert.1965.RETAIL.EPUB"
    assert [r.total < THRESHOLD for r in found.releases] == [False, True, True]


def test_the_score_explains_itself_with_named_parts() -> None:
    [best] = rank([release("Frank Herbert - Dune (1965) [Retail EPUB]", days=30)], DUNE, now=NOW).releases
    parts = best.parts()
    assert set(parts) == {"title", "author", "format", "seeders", "size", "age"}
    assert parts["title"] == 1.0 and parts["author"] == 1.0 and parts["format"] == 1.0
    assert best.explain()[:2] == ["title matches", "names Frank Herbert"]
    assert 0.95 <= best.total <= 1.0


def test_a_name_without_the_author_counts_half_for_the_author() -> None:
    [plain] = rank([release("Dune [EPUB]")], DUNE, now=NOW).releases
    assert plain.parts()["author"] == 0.5 and plain.total >= THRESHOLD


def test_blocklisted_releases_are_never_ranked() -> None:
    failed = release("Frank Herbert - Dune (Retail) [EPUB]", guid="guid-1")
    same_name_elsewhere = release("Frank Herbert - Dune (Retail) [EPUB]", guid="guid-9", indexer="Jackett")
    fine = release("Frank Herbert - Dune [EPUB]", guid="guid-2")
    blocked = BlockedReleases(keys=[("Prowlarr", "guid-1")], titles=[failed.title])
    found = rank([failed, same_name_elsewhere, fine], DUNE, blocked=blocked, now=NOW)
    assert titles(found) == ["Frank Herbert - Dune [EPUB]"]
    assert [r.guid for r in found.blocked] == ["guid-1", "guid-9"]


def test_a_release_named_title_by_author_or_with_a_narrator_is_the_book() -> None:
    found = rank([release("Dune by Frank Herbert [EPUB] (Retail)"),
                  release("Dune.Frank.Herbert.2019.Unabridged.M4B", size=700 * MB, category=3030)], DUNE, now=NOW)
    for ranked in found.releases:
        assert ranked.parts()["title"] == 1.0, (ranked.release.title, ranked.explain())
        assert ranked.parts()["author"] == 1.0
