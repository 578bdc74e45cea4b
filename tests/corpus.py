"""The one generator of EPUB corpora, for the tests and the benches: N real EPUBs with known
metadata and a manifest.json of the truth beside them, the same for a given seed on any machine.

Each book gets a unique title, an author from a pool with accents, particles and apostrophes, and
(for about 60%) a series with a position (some fractional). Every other book says its series the
calibre way in an EPUB 2 package, the others the EPUB 3 way (``belongs-to-collection``), so both
conventions are read. With ``degrade`` the files carry the poor metadata downloads often do: a
lower-cased or shortened title, a missing, surname-only or misspelt author, no ISBN, no series,
and half of them are named "Surname - title.epub"; the manifest still holds the truth, and what
the file says as ``file_title`` and ``file_author``.

    python -m tests.corpus OUT_DIR COUNT [--seed N] [--layout flat|nested] [--degrade]
"""

from __future__ import annotations

import argparse
import json
import random
import struct
import uuid
import zipfile
import zlib
from pathlib import Path
from xml.sax.saxutils import escape

FIRST = ["Ada", "Ben", "Clara", "Dmitri", "Elena", "Farid", "Greta", "Hiro", "Ines", "Jonas",
         "Kalinda", "Lars", "Mira", "Nuno", "Olga", "Pavel", "Quinn", "Rosa", "Sven", "Tomoko"]
LAST = ["Abernathy", "Brontë", "Castellanos", "Dupont", "Eklund", "Fujimoto", "García Márquez",
        "Hollander", "Ivanova", "Jørgensen", "Kowalski", "Le Guin", "Moreau", "Nakamura", "O'Brien",
        "Petrov", "Quintero", "Rasmussen", "Søndergaard", "Takahashi"]
WORDS = ["Shadow", "River", "Empire", "Glass", "Winter", "Crown", "Ember", "Tide", "Iron", "Lantern",
         "Orchard", "Signal", "Harbor", "Cipher", "Meadow", "Thunder", "Archive", "Compass", "Falcon", "Quill"]
DEFAULT_SEED = 414
CHAPTERS = 3

CONTAINER = ('<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
             '<rootfiles><rootfile full-path="content.opf" media-type="application/oebps-package+xml"/></rootfiles>'
             '</container>')


# ----- pieces --------------------------------------------------------------------------------


def png(rgb: tuple[int, int, int] | None = None, width: int = 60, height: int = 90, *,
        noise: random.Random | None = None) -> bytes:
    """A real PNG: one colour, or (with ``noise``) random pixels, a few kilobytes like a real cover."""
    def row() -> bytes:
        if noise is not None:
            return bytes(noise.randrange(256) for _ in range(width * 3))
        return bytes(rgb or (90, 120, 160)) * width

    raw = b"".join(b"\x00" + row() for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def isbn13(rng: random.Random, prefix: str = "978") -> str:
    """A valid ISBN-13 (its check digit right) starting with ``prefix``."""
    digits = [int(d) for d in prefix] + [rng.randrange(10) for _ in range(12 - len(prefix))]
    total = sum(d * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits))
    return "".join(map(str, digits + [(10 - total % 10) % 10]))


# ----- the truth -----------------------------------------------------------------------------


def plan_corpus(count: int, seed: int = DEFAULT_SEED, *, degrade: bool = False, nested: bool = False) -> list[dict]:
    """The manifest of a corpus without writing it: ``file`` (relative), ``title``, ``author``,
    ``series``, ``index``, ``isbn``, and what the file itself says, ``file_title`` and ``file_author``."""
    rng = random.Random(seed)
    authors = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(max(5, count // 8))]
    series_of: dict[str, str] = {}
    truth = []
    for k in range(count):
        author = rng.choice(authors)
        title = f"The {rng.choice(WORDS)} of {rng.choice(WORDS)} {k}"
        series = index = None
        if rng.random() < 0.6:
            series = series_of.setdefault(author, _series_name(rng, set(series_of.values())))
            index = rng.choice([1, 2, 3, 4, 5, 6, 7, 1.5, 2.5])
        isbn = isbn13(rng)
        folder = f"{author}/{series or ''}/".replace("//", "/") if nested else ""
        name = f"book-{k:05d}.epub"
        file_title, file_author = title, author
        if degrade:
            file_title, file_author = _degraded(rng, title, author)
            if rng.random() < 0.5:
                name = f"{author.split(' ', 1)[1]} - {file_title}.epub"
        truth.append({"file": folder + name, "title": title, "author": author, "series": series, "index": index,
                      "isbn": isbn, "file_title": file_title, "file_author": file_author})
    return truth


def _series_name(rng: random.Random, taken: set[str]) -> str:
    name = f"{rng.choice(WORDS)} {rng.choice(['Saga', 'Cycle', 'Chronicles', 'Trilogy'])}"
    while name in taken:
        name = f"{rng.choice(WORDS)} {rng.choice(WORDS)} {rng.choice(['Saga', 'Cycle', 'Chronicles'])}"
    return name


def _degraded(rng: random.Random, title: str, author: str) -> tuple[str, str]:
    """A title and author as a careless download has them."""
    roll = rng.random()
    if roll < 0.4:
        title = title.lower()
    elif roll < 0.7:
        title = title.replace("The ", "", 1)
    roll = rng.random()
    if roll < 0.4:
        author = ""
    elif roll < 0.6:
        author = author.split(" ", 1)[1]  # surname only
    elif roll < 0.75:
        at = rng.randrange(1, len(author) - 1)  # one letter dropped
        author = author[:at] + author[at + 1:]
    return title, author


# ----- the files -----------------------------------------------------------------------------


def build_corpus(out: Path, count: int, seed: int = DEFAULT_SEED, *, degrade: bool = False,
                 nested: bool = False) -> list[dict]:
    """``count`` EPUBs under ``out`` and their truth in ``out/manifest.json``; returns the truth."""
    truth = plan_corpus(count, seed, degrade=degrade, nested=nested)
    content = random.Random(seed + 1)  # covers and words: apart, so the truth depends on the seed only
    for k, entry in enumerate(truth):
        path = out / entry["file"]
        path.parent.mkdir(parents=True, exist_ok=True)
        if degrade:
            write_book(path, entry["file_title"], entry["file_author"], None, None, None, content)
        else:
            write_book(path, entry["title"], entry["author"], entry["series"], entry["index"], entry["isbn"], content,
                       epub3=k % 2 == 1)
    out.mkdir(parents=True, exist_ok=True)
    (out / "manifest.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    return truth


def write_book(path: Path, title: str, author: str, series: str | None, index: float | None, isbn: str | None,
               rng: random.Random, *, epub3: bool = False) -> None:
    """One EPUB with this metadata (an empty ``author`` or no ``isbn`` leaves them out), a cover
    and CHAPTERS chapters of words; ``epub3`` writes an EPUB 3 package with its series and ISBN
    the EPUB 3 way, else an EPUB 2 package the calibre way."""
    uid = str(uuid.UUID(int=rng.getrandbits(128)))
    opf = _package(title, author, series, index, isbn, uid, epub3=epub3)
    chapters = range(CHAPTERS)
    ncx = ('<?xml version="1.0" encoding="utf-8"?><ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1">'
           f'<head><meta name="dtb:uid" content="urn:uuid:{uid}"/></head><docTitle><text>{escape(title)}</text>'
           '</docTitle><navMap>' + "".join(
               f'<navPoint id="n{i}" playOrder="{i + 1}"><navLabel><text>Chapter {i + 1}</text></navLabel>'
               f'<content src="c{i}.xhtml"/></navPoint>' for i in chapters) + '</navMap></ncx>')
    deflated = zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/container.xml", CONTAINER, compress_type=deflated)
        z.writestr("content.opf", opf, compress_type=deflated)
        z.writestr("toc.ncx", ncx, compress_type=deflated)
        z.writestr("cover.png", png((rng.randrange(256), rng.randrange(256), rng.randrange(256))))
        for i in chapters:
            body = " ".join(rng.choice(WORDS).lower() for _ in range(400))
            z.writestr(f"c{i}.xhtml", '<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml">'
                       f'<head><title>Chapter {i + 1}</title></head><body><h1>Chapter {i + 1}</h1><p>{body}</p></body>'
                       '</html>', compress_type=deflated)


def _package(title: str, author: str, series: str | None, index: float | None, isbn: str | None, uid: str, *,
             epub3: bool) -> str:
    # No publisher and no date: those are what the providers add, and the identify tests and
    # bench watch them arrive.
    first, _, last = author.partition(" ")
    creator = (f'<dc:creator opf:role="aut" opf:file-as="{escape(last)}, {escape(first)}">{escape(author)}</dc:creator>'
               if author else "")
    series_meta = isbn_meta = ""
    if epub3:
        isbn_meta = f"<dc:identifier>urn:isbn:{isbn}</dc:identifier>" if isbn else ""
        if series:
            series_meta = (f'<meta property="belongs-to-collection" id="c1">{escape(series)}</meta>'
                           f'<meta refines="#c1" property="collection-type">series</meta>'
                           f'<meta refines="#c1" property="group-position">{index:g}</meta>')
    else:
        isbn_meta = f'<dc:identifier opf:scheme="ISBN">{isbn}</dc:identifier>' if isbn else ""
        if series:
            series_meta = (f'<meta name="calibre:series" content="{escape(series)}"/>'
                           f'<meta name="calibre:series_index" content="{index}"/>')
    items = "".join(f'<item id="c{i}" href="c{i}.xhtml" media-type="application/xhtml+xml"/>' for i in range(CHAPTERS))
    spine = "".join(f'<itemref idref="c{i}"/>' for i in range(CHAPTERS))
    return ('<?xml version="1.0" encoding="utf-8"?>'
            f'<package xmlns="http://www.idpf.org/2007/opf" unique-identifier="BookID" version="{"3.0" if epub3 else "2.0"}">'
            '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">'
            f'<dc:title>{escape(title)}</dc:title>{creator}<dc:language>en</dc:language>'
            f'<dc:identifier id="BookID">urn:uuid:{uid}</dc:identifier>{isbn_meta}'
            f'<meta name="cover" content="cover"/>{series_meta}</metadata>'
            '<manifest><item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>'
            f'<item id="cover" href="cover.png" media-type="image/png"/>{items}</manifest>'
            f'<spine toc="ncx">{spine}</spine></package>')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--layout", choices=["flat", "nested"], default="flat")
    parser.add_argument("--degrade", action="store_true")
    args = parser.parse_args(argv)
    build_corpus(args.out, args.count, args.seed, degrade=args.degrade, nested=args.layout == "nested")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
