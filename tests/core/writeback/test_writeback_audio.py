"""Writing metadata into audiobook tags: M4B, MP3, FLAC, Ogg and Opus each read back with BookDesk's own
reader; sound, chapters and covers are untouched; a book in parts keeps each part's title and number."""

from __future__ import annotations

from pathlib import Path

import pytest
from mutagen.flac import FLAC
from mutagen.id3 import ID3, TCON, TXXX
from mutagen.mp4 import MP4
from writeback_files import folder_bytes

from bookdesk.core.importer.discovery import discover
from bookdesk.core.importer.readers.audio import read_audio
from bookdesk.core.importer.readers.audio_tags import read_track
from bookdesk.core.writeback import WritableMetadata, WritebackError, write_audio_tags
from bookdesk.data.catalog_rows import Contributor, SeriesRef

META = WritableMetadata.of(
    title="The Lantern Keeper's Archive", authors=[Contributor("Ursula K. Le Guin"), Contributor("Sven Eklund")],
    narrators=["Rosa Quintero", "Hiro Nakamura"], series=[SeriesRef("Harbour Lights", "3")], asin="B0WRITEB01",
    language="de", publisher="Harbour House", date="2009-10-12",
    description="A keeper of lanterns finds a lost archive.")


def book_of(path: Path):
    [unit], _ = discover([path])
    return read_audio(unit)


@pytest.mark.parametrize("fixture", ["lantern.m4b", "salt-road.mp3", "winter-orchard.flac", "winter-orchard.ogg",
                                     "winter-orchard.opus"])
def test_every_field_written_into_an_audio_file_reads_back_as_written(put, fixture):
    path = put(f"audio/{fixture}")
    before = book_of(path)

    assert write_audio_tags(path, META) == [path]

    book = book_of(path)
    assert book.title == "The Lantern Keeper's Archive"
    assert [c.name for c in book.authors] == ["Ursula K. Le Guin", "Sven Eklund"]
    assert [c.name for c in book.narrators] == ["Rosa Quintero", "Hiro Nakamura"]
    assert book.series == [SeriesRef("Harbour Lights", "3")]
    assert book.identifiers["asin"] == "B0WRITEB01"
    assert (book.language, book.publisher, book.published) == ("de", "Harbour House", "2009-10-12")
    assert book.description == "A keeper of lanterns finds a lost archive."
    # The sound, the chapters and the cover are the book's own, not metadata: they stay.
    assert book.chapters == before.chapters and book.cover == before.cover
    assert book.duration_seconds == pytest.approx(before.duration_seconds, abs=0.01)
    assert book.subjects == before.subjects
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".")] == []  # no temporary file left


@pytest.mark.parametrize("fixture", ["lantern.m4b", "salt-road.mp3", "winter-orchard.flac"])
def test_writing_what_the_file_already_says_leaves_it_untouched(put, fixture):
    path = put(f"audio/{fixture}")
    write_audio_tags(path, META)
    written = path.read_bytes()

    assert write_audio_tags(path, META) == []
    assert path.read_bytes() == written


def test_a_book_in_parts_gets_the_books_tags_in_every_part_and_keeps_each_parts_title_and_number(put):
    folder = put("audio/glass-signal", "Moreau/The Glass Signal")
    parts = [folder / "Part 1.mp3", folder / "Part 2.mp3", folder / "Part 10.mp3"]
    before = [read_track(p) for p in parts]

    written = write_audio_tags(folder, META)

    assert written == parts  # in listening order
    for part, old in zip(parts, before, strict=True):
        tags = read_track(part)
        assert tags.album == "The Lantern Keeper's Archive"
        assert tags.album_artists == tags.artists == ["Ursula K. Le Guin", "Sven Eklund"]
        assert (tags.series, tags.series_part, tags.asin) == ("Harbour Lights", "3", "B0WRITEB01")
        assert (tags.title, tags.track) == (old.title, old.track)  # "Part 2", 2/3
    book = book_of(folder)
    assert book.title == "The Lantern Keeper's Archive"
    assert [c.title for c in book.chapters] == ["Part 1", "Part 2", "Part 10"]


def test_keys_other_tools_use_for_the_same_field_are_updated_rather_than_left_stale(put):
    flac = put("audio/winter-orchard.flac")  # ffmpeg wrote the series as MVNM / MVIN
    m4b = put("audio/lantern.m4b")

    write_audio_tags(flac, META)
    write_audio_tags(m4b, WritableMetadata.of(series=[SeriesRef("Harbour Lights", "1.5")]))

    comments = FLAC(flac).tags
    assert comments["MVNM"] == ["Harbour Lights"] and comments["MVIN"] == ["3"]
    assert comments["SERIES"] == ["Harbour Lights"] and comments["SERIES-PART"] == ["3"]
    atoms = MP4(m4b).tags
    assert atoms["©mvn"] == ["Harbour Lights"] and "©mvi" not in atoms  # 1.5 is no whole number
    assert bytes(atoms["----:com.apple.iTunes:SERIES-PART"][0]) == b"1.5"
    assert read_track(m4b).series_part == "1.5"


def test_an_id3v23_file_stays_v23_and_its_people_split_again(put):
    path = put("audio/salt-road.mp3")
    tags = ID3(path)
    tags.add(TXXX(encoding=3, desc="narrator", text=["Old Narrator"]))  # another spelling of NARRATOR
    tags.add(TCON(encoding=3, text=["Fantasy"]))
    tags.save(path, v2_version=3)

    write_audio_tags(path, META)

    assert ID3(path).version[:2] == (2, 3)
    book = book_of(path)
    assert [c.name for c in book.authors] == ["Ursula K. Le Guin", "Sven Eklund"]
    assert [c.name for c in book.narrators] == ["Rosa Quintero", "Hiro Nakamura"]  # no stale "Old Narrator"
    assert book.subjects == ["Fantasy"]


def test_a_damaged_audio_file_fails_alone_and_is_left_as_it_was(tmp_path):
    path = tmp_path / "broken.m4b"
    path.write_bytes(b"\x00\x00\x00\x18ftypM4B " + b"\x00" * 64)
    before = folder_bytes(tmp_path)

    with pytest.raises(WritebackError) as caught:
        write_audio_tags(path, META)

    assert caught.value.message.startswith("broken.m4b")
    assert folder_bytes(tmp_path) == before


def test_when_one_part_cannot_be_written_no_part_is_replaced(put):
    folder = put("audio/glass-signal", "Moreau/The Glass Signal")
    (folder / "Part 10.mp3").chmod(0o444)
    before = folder_bytes(folder)

    with pytest.raises(WritebackError, match="Part 10.mp3 is read-only"):
        write_audio_tags(folder, META)

    assert folder_bytes(folder) == before
