"""A port another program holds, in the window: after Save and at start the window itself says sharing
did not start (the status bar, with the Ref, and the tray's tooltip), in the window's words: the Port
field of Settings → Sharing, not the command line's --port, and no 0.0.0.0."""

from __future__ import annotations

import re

from bookdesk.core.settings import Settings, save_settings
from bookdesk.serve.server import listening_socket
from tests.ui.settings_dialog_harness import save


def _worded_for_the_window(text: str, port: int) -> None:
    assert f"Port {port} is in use by another program; choose another port in Settings → Sharing" in text
    assert "--port" not in text and "0.0.0.0" not in text


def test_a_port_in_use_after_save_is_told_in_the_status_bar_with_its_ref_and_in_the_tray(qtbot, make_window,
                                                                                          filled_service):
    window = make_window(filled_service)
    taken = listening_socket("0.0.0.0", 0)  # noqa: S104 - another program holding the port everywhere
    port = taken.getsockname()[1]
    try:
        dialog = window.edit_settings("sharing")
        qtbot.addWidget(dialog)
        page = dialog.sharing_page
        page.enabled.setChecked(True)
        page.lan.setChecked(True)
        page.port.setValue(port)
        save(dialog)
        qtbot.waitUntil(lambda: "in use" in window.status_label.text(), timeout=10_000)
    finally:
        taken.close()
        window.sharing.stop()
    said = window.status_label.text()
    _worded_for_the_window(said, port)
    assert re.search(r"\(Ref BD-[0-9A-Z]{5}\)", said)
    _worded_for_the_window(window.tray_flow.tray.icon.toolTip(), port)
    _worded_for_the_window(window.tray_flow.tray.sharing_action.text(), port)


def test_a_saved_port_taken_at_start_is_told_when_the_window_opens(qtbot, make_window, filled_service):
    taken = listening_socket("127.0.0.1", 0)
    port = taken.getsockname()[1]
    save_settings(Settings(sharing_enabled=True, sharing_port=port))
    try:
        window = make_window(filled_service)
        qtbot.waitUntil(lambda: "in use" in window.status_label.text(), timeout=10_000)
    finally:
        taken.close()
    _worded_for_the_window(window.status_label.text(), port)
    assert "Ref BD-" in window.status_label.text()
    _worded_for_the_window(window.tray_flow.tray.icon.toolTip(), port)
