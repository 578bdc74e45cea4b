"""What build.spec leaves out of the bundle, tried on a made-up PyInstaller analysis."""

from __future__ import annotations

import sys

import pytest

QT = "PySide6/Qt"
VENV = "/venv/site-packages"


@pytest.fixture()
def trim_module(packaging_script, monkeypatch):  # noqa: ANN001, ANN201
    module = packaging_script("bundle_trim")
    # What ldd would say each root loads, so the test needs neither PyInstaller nor real libraries.
    needs = {
        f"{VENV}/PySide6/QtWidgets.abi3.so": {"libQt6Widgets.so.6", "libQt6Gui.so.6", "libglib-2.0.so.0"},
        f"{VENV}/{QT}/plugins/platforms/libqxcb.so": {"libQt6XcbQpa.so.6", "libxcb-cursor.so.0"},
        "/usr/lib/libpython3.11.so.1.0": {"libz.so.1"},
    }
    monkeypatch.setattr(module, "_needed_names", lambda source: needs.get(source, set()))
    monkeypatch.setattr(sys, "platform", "linux")
    return module


def analysis() -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    binaries = [
        ("PySide6/QtWidgets.abi3.so", f"{VENV}/PySide6/QtWidgets.abi3.so", "EXTENSION"),
        (f"{QT}/plugins/platforms/libqxcb.so", f"{VENV}/{QT}/plugins/platforms/libqxcb.so", "BINARY"),
        (f"{QT}/plugins/platformthemes/libqgtk3.so", f"{VENV}/{QT}/plugins/platformthemes/libqgtk3.so", "BINARY"),
        (f"{QT}/plugins/platforms/libqvnc.so", f"{VENV}/{QT}/plugins/platforms/libqvnc.so", "BINARY"),
        ("libpython3.11.so.1.0", "/usr/lib/libpython3.11.so.1.0", "BINARY"),
        (f"{QT}/lib/libQt6Gui.so.6", f"{VENV}/{QT}/lib/libQt6Gui.so.6", "BINARY"),
        (f"{QT}/lib/libQt6Network.so.6", f"{VENV}/{QT}/lib/libQt6Network.so.6", "BINARY"),  # only VNC needs it
        ("libglib-2.0.so.0", "/usr/lib/libglib-2.0.so.0", "BINARY"),
        ("libgtk-3.so.0", "/usr/lib/libgtk-3.so.0", "BINARY"),  # only the GTK theme needs it
        ("libxcb-cursor.so.0", "/usr/lib/libxcb-cursor.so.0", "BINARY"),
        ("libz.so.1", "/usr/lib/libz.so.1", "BINARY"),
        ("libstdc++.so.6", "/usr/lib/libstdc++.so.6", "BINARY"),
    ]
    datas = [
        ("resources/icons/bookdesk.svg", "/repo/resources/icons/bookdesk.svg", "DATA"),
        (f"{QT}/translations/qtbase_de.qm", f"{VENV}/{QT}/translations/qtbase_de.qm", "DATA"),
        ("libQt6Gui.so.6", f"{QT}/lib/libQt6Gui.so.6", "SYMLINK"),
        ("libQt6Network.so.6", f"{QT}/lib/libQt6Network.so.6", "SYMLINK"),
    ]
    return binaries, datas


def test_plugins_for_other_screens_and_the_gtk_theme_are_left_out(trim_module) -> None:  # noqa: ANN001
    binaries, datas = analysis()
    kept, _, _ = trim_module.trim(binaries, datas)
    kept_names = {entry[0] for entry in kept}
    assert f"{QT}/plugins/platforms/libqxcb.so" in kept_names
    assert f"{QT}/plugins/platformthemes/libqgtk3.so" not in kept_names
    assert f"{QT}/plugins/platforms/libqvnc.so" not in kept_names


def test_libraries_only_left_out_plugins_needed_go_with_them(trim_module) -> None:  # noqa: ANN001
    binaries, datas = analysis()
    kept, kept_datas, dropped = trim_module.trim(binaries, datas)
    kept_names = {entry[0] for entry in kept}
    assert {f"{QT}/lib/libQt6Gui.so.6", "libglib-2.0.so.0", "libxcb-cursor.so.0", "libz.so.1",
            "libpython3.11.so.1.0", "PySide6/QtWidgets.abi3.so"} <= kept_names
    assert "libgtk-3.so.0" not in kept_names and f"{QT}/lib/libQt6Network.so.6" not in kept_names
    # A link to a library that went would dangle; one to a library that stayed is kept.
    links = {entry[0] for entry in kept_datas if entry[2] == "SYMLINK"}
    assert links == {"libQt6Gui.so.6"}
    assert "libgtk-3.so.0" in dropped


def test_plugins_are_recognised_under_every_platforms_file_names(trim_module) -> None:  # noqa: ANN001
    for name in ("libqtiff.so", "libqtiff.dylib", "qtiff.dll"):
        assert trim_module.is_unused_plugin(f"{QT}/plugins/imageformats/{name}")
    assert trim_module.is_unused_plugin("PySide6\\plugins\\imageformats\\qtiff.dll")  # the Windows wheel's layout
    for name in ("libqjpeg.so", "qjpeg.dll", "libqsvg.dylib"):
        assert not trim_module.is_unused_plugin(f"{QT}/plugins/imageformats/{name}")


def test_the_build_machines_cxx_runtime_is_left_to_the_system(trim_module) -> None:  # noqa: ANN001
    kept, _, _ = trim_module.trim(*analysis())
    assert "libstdc++.so.6" not in {entry[0] for entry in kept}


def test_qt_translations_are_left_out_and_the_app_resources_kept(trim_module) -> None:  # noqa: ANN001
    _, kept_datas, _ = trim_module.trim(*analysis())
    destinations = {entry[0] for entry in kept_datas}
    assert "resources/icons/bookdesk.svg" in destinations
    assert not any("/translations/" in name for name in destinations)
