"""The books the bundle's smoke test imports, one of each reader the bundle must carry.

More EPUBs than the importer reads in threads, so the frozen reader processes start too
(lxml in them); the audiobook fixtures of the tests (mutagen); and a small PDF with an
info dictionary (pypdf). Runs with the build's Python, before the bundle runs without one.

Usage: make_smoke_books.py OUT [EPUBS]   prints how many books it wrote
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from corpus import build_corpus  # noqa: E402 - the tests' own EPUB maker, so a fresh clone has it

AUDIO_FIXTURES = ("lantern.m4b", "salt-road.mp3", "winter-orchard.flac")
# The importer reads batches of this many books or more in worker processes (core/importer/reading.py).
DEFAULT_EPUBS = 60


def minimal_pdf(title: str, author: str) -> bytes:
    """A one-page PDF whose info dictionary names its title and author."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        f"<< /Title ({title}) /Author ({author}) >>".encode("latin-1"),
    ]
    body, offsets = b"%PDF-1.4\n", []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += f"{number} 0 obj\n".encode() + content + b"\nendobj\n"
    xref = len(body)
    body += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    body += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    body += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 4 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return body


def main(argv: list[str]) -> int:
    out = Path(argv[1])
    epubs = int(argv[2]) if len(argv) > 2 else DEFAULT_EPUBS
    build_corpus(out / "ebooks", epubs)
    (out / "ebooks" / "manifest.json").unlink()  # the truth, not a book
    for name in AUDIO_FIXTURES:  # each in its own folder: one audiobook apiece
        folder = out / "audiobooks" / Path(name).stem
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / "tests" / "fixtures" / "audio" / name, folder / name)
    (out / "documents").mkdir(parents=True, exist_ok=True)
    (out / "documents" / "harbor-cipher.pdf").write_bytes(minimal_pdf("The Harbor Cipher", "Olga Petrov"))
    print(epubs + len(AUDIO_FIXTURES) + 1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
