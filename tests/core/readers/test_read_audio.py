"""Reading audiobooks: M4B, MP3, FLAC, Ogg and Opus tags, chapters, covers, books in parts."""

from __future__ import annotations

import base64
import shutil
from pathlib import Path

import pytest
from book_files import JPEG, PNG, unit_for
from mutagen.flac import FLAC, Picture
from mutagen.id3 import APIC, CHAP, COMM, ID3, TALB, TCOM, TIT2, TPE1, TPE2, TXXX
from mutagen.mp4 import MP4, MP4Cover, MP4FreeForm
from mutagen.oggopus import OggOpus

from bookdesk.core.importer.metadata import Chapter
from bookdesk.core.importer.readers.audio import read_audio
from bookdesk.data.catalog_rows import Contributor, SeriesRef
from bookdesk.errors import ImportFailedError
from bookdesk.vocabulary.titles import names_a_track


def copy(fixtures: Path, name: str, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(fixtures / "audio" / name, target))


def test_an_m4b_gives_album_author_narrator_series_asin_chapters_cover_and_duration(fixtures):
    book = read_audio(unit_for(fixtures / "audio" / "lantern.m4b"))

    assert book.title == "The Lantern Archive"
    assert book.contributors == [Contributor("Mira Castellanos"), Contributor("Rosa Quintero", "narrator")]
    assert book.series == [SeriesRef("Harbor Lights", "2")]
    assert book.identifiers == {"asin": "B0TESTBK01"}
    assert (book.published, book.language) == ("2004", "en")
    assert book.description == "A keeper of lanterns finds a lost archive."
    assert book.chapters == [Chapter("Opening Credits", 0.0), Chapter("Chapter One", 1.0)]
    assert book.duration_seconds == pytest.approx(2.0, abs=0.3)
    assert book.cover_ext == "jpg" and book.cover.startswith(b"\xff\xd8")
    assert book.subjects == []  # "Audiobook" only says what it is


def test_an_mp3_with_txxx_tags_gives_album_over_a_track_title_narrator_series_and_chap_chapters(fixtures):
    book = read_audio(unit_for(fixtures / "audio" / "salt-road.mp3"))

    assert book.title == "The Salt Road"  # the title tag says "Track 01"
    assert book.authors == [Contributor("Greta Hollander")]
    assert book.narrators == [Contributor("Jonas Petrov", "narrator")]  # TXXX:NARRATOR wins over the composer
    assert book.series == [SeriesRef("Tide and Ember", "1.5")]
    assert book.identifiers == {"asin": "B0TESTBK02"}
    assert (book.published, book.language) == ("2011", "en")  # TLAN "eng"
    assert book.chapters == [Chapter("Prologue", 0.0), Chapter("The Road", 1.0)]
    assert book.cover_ext == "jpg"


@pytest.mark.parametrize("name", ["winter-orchard.flac", "winter-orchard.ogg", "winter-orchard.opus"])
def test_vorbis_comments_give_the_same_book_in_flac_ogg_and_opus(fixtures, name):
    book = read_audio(unit_for(fixtures / "audio" / name))

    assert book.title == "Winter Orchard"  # the title tag says "Part 1"
    assert book.contributors == [Contributor("Elena Dupont"), Contributor("Hiro Nakamura", "narrator")]
    assert book.series == [SeriesRef("Orchard Cycle", "3")]
    assert book.identifiers == {"asin": "B0TESTBK03"}
    assert (book.published, book.language, book.publisher) == ("2019-03-14", "fr", "Quill House")
    assert book.description == "Frost comes early to the orchard."
    assert book.duration_seconds > 0.5
    if name != "winter-orchard.opus":
        assert book.cover_ext == "jpg"  # FLAC picture block; Ogg METADATA_BLOCK_PICTURE
    else:
        assert book.chapters == [Chapter("Un", 0.0), Chapter("Deux", 1.0)]  # CHAPTER000 / CHAPTER000NAME


def test_a_folder_of_numbered_parts_is_one_book_with_a_chapter_per_part(fixtures):
    folder = fixtures / "audio" / "glass-signal"
    parts = [folder / "Part 1.mp3", folder / "Part 2.mp3", folder / "Part 10.mp3"]

    book = read_audio(unit_for(parts[0], parts=parts))

    assert book.title == "The Glass Signal"
    assert book.authors == [Contributor("Ines Moreau")]
    assert [c.title for c in book.chapters] == ["Part 1", "Part 2", "Part 10"]
    starts = [c.start_seconds for c in book.chapters]
    assert starts[0] == 0 and starts[0] < starts[1] < starts[2]
    assert book.duration_seconds == pytest.approx(starts[2] + (starts[2] - starts[1]), rel=0.05)


def test_parts_without_title_tags_are_chapters_named_after_their_files(fixtures, tmp_path):
    parts = [copy(fixtures, "glass-signal/Part 1.mp3", tmp_path / "book" / f"{n:02} - Chapter {w}.mp3")
             for n, w in ((1, "One"), (2, "Two"))]
    for part in parts:
        tags = ID3(part)
        tags.delall("TIT2")
        tags.save(part)

    book = read_audio(unit_for(parts[0], parts=parts))

    assert [c.title for c in book.chapters] == ["01 - Chapter One", "02 - Chapter Two"]


def test_m4b_written_by_audiobook_tools_with_freeform_atoms(fixtures, tmp_path):
    path = copy(fixtures, "lantern.m4b", tmp_path / "tool.m4b")
    audio = MP4(path)
    for key in ("©mvn", "©mvi", "©wrt", "covr", "----:com.apple.iTunes:ASIN"):
        audio.tags.pop(key, None)
    audio.tags["©nam"] = ["Chapter 1"]
    audio.tags["----:com.pilabor.tone:NARRATOR"] = [MP4FreeForm(b"Tomoko Takahashi")]
    audio.tags["----:com.apple.iTunes:SERIES"] = [MP4FreeForm(b"Lantern Saga")]
    audio.tags["----:com.apple.iTunes:SERIES-PART"] = [MP4FreeForm(b"4")]
    audio.tags["----:com.apple.iTunes:AUDIBLE_ASIN"] = [MP4FreeForm(b"B0ABCDEF12")]
    audio.tags["covr"] = [MP4Cover(PNG, imageformat=MP4Cover.FORMAT_PNG)]
    audio.save()

    book = read_audio(unit_for(path))

    assert book.title == "The Lantern Archive"
    assert book.narrators == [Contributor("Tomoko Takahashi", "narrator")]
    assert book.series == [SeriesRef("Lantern Saga", "4")]
    assert book.identifiers["asin"] == "B0ABCDEF12"
    assert (book.cover, book.cover_ext) == (PNG, "png")


def test_id3_frames_written_by_other_taggers(fixtures, tmp_path):
    path = copy(fixtures, "salt-road.mp3", tmp_path / "other.mp3")
    tags = ID3(path)
    tags.delete(path)
    tags = ID3()
    tags.add(TIT2(encoding=3, text=["The Salt Road: A Novel"]))
    tags.add(TALB(encoding=3, text=["The Salt Road"]))
    tags.add(TPE1(encoding=3, text=["Greta Hollander", "Pavel Petrov"]))
    tags.add(TPE2(encoding=3, text=["Various Artists"]))
    tags.add(TCOM(encoding=3, text=["Quinn Rasmussen"]))
    tags.add(TXXX(encoding=3, desc="series", text=["Tide and Ember #2"]))
    tags.add(TXXX(encoding=3, desc="AUDIBLE_ASIN", text=["B0ABCDEF34"]))
    tags.add(COMM(encoding=3, lang="eng", desc="iTunNORM", text=["00000 0000"]))
    tags.add(COMM(encoding=3, lang="eng", desc="", text=["<p>A long road.</p>"]))
    tags.add(APIC(encoding=3, mime="image/png", type=0, desc="back", data=PNG))
    tags.add(APIC(encoding=3, mime="image/jpeg", type=3, desc="front", data=JPEG))
    tags.add(CHAP(element_id="c1", start_time=1500, end_time=2000, sub_frames=[TIT2(encoding=3, text=["Later"])]))
    tags.add(CHAP(element_id="c0", start_time=0, end_time=1500, sub_frames=[]))
    tags.save(path)

    book = read_audio(unit_for(path))

    assert book.title == "The Salt Road: A Novel"  # not track-like: the title tag wins
    assert book.authors == [Contributor("Greta Hollander"), Contributor("Pavel Petrov")]
    assert book.narrators == [Contributor("Quinn Rasmussen", "narrator")]  # the composer, with no narrator tag
    assert book.series == [SeriesRef("Tide and Ember", "2")]
    assert book.identifiers == {"asin": "B0ABCDEF34"}
    assert book.description == "A long road."
    assert book.cover == JPEG  # the front cover, not the first picture
    assert book.chapters == [Chapter("Chapter 1", 0.0), Chapter("Later", 1.5)]


def test_flac_with_several_pictures_and_an_oversized_one(fixtures, tmp_path, monkeypatch):
    from bookdesk.core.importer.readers import audio_tags

    monkeypatch.setattr(audio_tags, "MAX_COVER_BYTES", 1000)
    path = copy(fixtures, "winter-orchard.flac", tmp_path / "pics.flac")
    audio = FLAC(path)
    audio.clear_pictures()
    for kind, data in ((3, JPEG + b"\x00" * 5000), (0, PNG)):
        picture = Picture()
        picture.type, picture.mime, picture.data = kind, "image/jpeg", data
        audio.add_picture(picture)
    audio.save()

    assert read_audio(unit_for(path)).cover == PNG  # the front cover is over the cap


def test_a_broken_base64_picture_in_ogg_is_no_cover_rather_than_a_failure(fixtures, tmp_path):
    path = copy(fixtures, "winter-orchard.opus", tmp_path / "bad.opus")
    audio = OggOpus(path)
    audio["METADATA_BLOCK_PICTURE"] = ["!!!not base64!!!", base64.b64encode(b"short").decode()]
    audio.save()

    book = read_audio(unit_for(path))

    assert book.title == "Winter Orchard" and book.cover is None


@pytest.mark.parametrize("data", [b"", b"ID3\x04\x00\x00\x00\x00\x00\x10" + b"\x00" * 10, b"\x00" * 5000,
                                  b"<html><body>Error</body></html>"])
def test_garbage_with_an_audio_extension_fails_naming_the_file(tmp_path, data):
    path = tmp_path / "noise.m4b"
    path.write_bytes(data)

    with pytest.raises(ImportFailedError, match="noise.m4b"):
        read_audio(unit_for(path))


@pytest.mark.parametrize("name", ["lantern.m4b", "winter-orchard.flac", "winter-orchard.ogg"])
def test_a_truncated_audio_file_fails_cleanly_or_reads(fixtures, tmp_path, name):
    data = (fixtures / "audio" / name).read_bytes()
    path = tmp_path / f"cut{Path(name).suffix}"
    path.write_bytes(data[: len(data) // 3])

    try:
        book = read_audio(unit_for(path))
    except ImportFailedError as exc:
        assert "cut" in exc.message
    else:
        assert book.title in ("", "The Lantern Archive", "Winter Orchard")


def test_a_damaged_part_fails_the_book_naming_the_part(fixtures, tmp_path):
    good = copy(fixtures, "glass-signal/Part 1.mp3", tmp_path / "b" / "Part 1.mp3")
    bad = tmp_path / "b" / "Part 2.mp3"
    bad.write_bytes(b"\x00" * 3000)

    with pytest.raises(ImportFailedError, match="Part 2.mp3"):
        read_audio(unit_for(good, parts=[good, bad]))


@pytest.mark.parametrize(("title", "track"), [("Chapter 1", True), ("Track 03", True), ("Part 1", True), ("01", True),
                                              ("01 - Opening", True), ("1984", False), ("The Hobbit", False),
                                              ("Part of the Sea", False)])
def test_which_titles_name_a_track_rather_than_a_book(title, track):
    assert names_a_track(title) is track


def test_an_author_string_with_several_people_is_split(fixtures, tmp_path):
    path = copy(fixtures, "lantern.m4b", tmp_path / "two.m4b")
    audio = MP4(path)
    audio.tags["aART"] = ["Terry Pratchett & Neil Gaiman"]
    audio.tags["©wrt"] = ["Martin Jarvis; Stephen Briggs"]
    audio.save()

    book = read_audio(unit_for(path))

    assert [c.name for c in book.authors] == ["Terry Pratchett", "Neil Gaiman"]
    assert [c.name for c in book.narrators] == ["Martin Jarvis", "Stephen Briggs"]


def test_an_id3_tag_too_large_to_be_real_is_skipped_and_the_length_still_read(fixtures, tmp_path, monkeypatch):
    from bookdesk.core.importer.readers import audio_limits

    monkeypatch.setattr(audio_limits, "MAX_ID3_BYTES", 500)  # the fixture's tag, with its cover, is larger
    path = copy(fixtures, "salt-road.mp3", tmp_path / "Greta Hollander - The Salt Road.mp3")

    book = read_audio(unit_for(path))

    assert (book.title, book.contributors, book.cover) == ("", [], None)
    assert book.duration_seconds == pytest.approx(2.0, abs=0.3)


def test_an_mp4_metadata_block_too_large_to_be_real_is_refused(fixtures, tmp_path, monkeypatch):
    from bookdesk.core.importer.readers import audio_limits

    monkeypatch.setattr(audio_limits, "MAX_MOOV_BYTES", 1_000)
    path = copy(fixtures, "lantern.m4b", tmp_path / "huge.m4b")

    with pytest.raises(ImportFailedError, match="huge.m4b: its metadata block claims"):
        read_audio(unit_for(path))


def test_a_hostile_id3_header_claiming_the_maximum_size_fails_cleanly(tmp_path):
    path = tmp_path / "liar.mp3"
    path.write_bytes(b"ID3\x04\x00\x00\x7f\x7f\x7f\x7f" + b"\x00" * 2000)

    with pytest.raises(ImportFailedError, match="liar.mp3"):
        read_audio(unit_for(path))
