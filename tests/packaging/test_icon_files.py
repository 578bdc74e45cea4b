"""The icons render_icons.py draws for the Linux theme, the Windows .exe and the macOS .app."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage, QImageReader


@pytest.fixture(scope="module")
def icons(qapp, packaging_script, tmp_path_factory: pytest.TempPathFactory) -> Path:  # noqa: ANN001
    out = tmp_path_factory.mktemp("icons")
    assert packaging_script("render_icons").main(["render_icons.py", str(out)]) == 0
    return out


def sizes_in(path: Path) -> list[int]:
    reader = QImageReader(str(path))
    found = []
    for index in range(reader.imageCount()):
        reader.jumpToImage(index)
        image = reader.read()
        assert not image.isNull(), f"{path.name} image {index}: {reader.errorString()}"
        assert image.width() == image.height()
        found.append(image.width())
    return found


def test_the_icon_theme_has_every_size_and_the_svg(icons: Path) -> None:
    for size in (16, 22, 24, 32, 48, 64, 128, 256, 512):
        image = QImage(str(icons / "hicolor" / f"{size}x{size}" / "apps" / "bookdesk.png"))
        assert (image.width(), image.height()) == (size, size)
        assert image.hasAlphaChannel()  # rounded corners stay see-through
    assert (icons / "hicolor" / "scalable" / "apps" / "bookdesk.svg").is_file()


def test_the_windows_icon_holds_sizes_up_to_256(icons: Path) -> None:
    assert sizes_in(icons / "bookdesk.ico") == [16, 24, 32, 48, 64, 128, 256]


def test_the_macos_icon_holds_sizes_up_to_1024(icons: Path) -> None:
    data = (icons / "bookdesk.icns").read_bytes()
    assert data[:4] == b"icns" and int.from_bytes(data[4:8], "big") == len(data)
    if "icns" in [bytes(fmt).decode() for fmt in QImageReader.supportedImageFormats()]:
        assert max(sizes_in(icons / "bookdesk.icns")) == 1024
