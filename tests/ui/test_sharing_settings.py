"""Settings → Sharing, as a person uses it: turn sharing on, the window serves the library at the address
the page and the tray show; make an API key there, a script uses it, revoke it, the script is refused;
turn sharing off and the port is free again."""

from __future__ import annotations

import httpx

from bookdesk.serve.server import listening_socket
from tests.ui.settings_dialog_harness import save


def _free_port() -> int:
    sock = listening_socket("127.0.0.1", 0)
    try:
        return sock.getsockname()[1]
    finally:
        sock.close()


def test_sharing_from_the_window_with_a_key_made_and_revoked_in_settings(qtbot, make_window, filled_service):
    window = make_window(filled_service)
    assert window.tray_flow.tray.sharing_action.text() == "Sharing is off"
    port = _free_port()
    base = f"http://127.0.0.1:{port}"

    dialog = window.edit_settings("sharing")
    qtbot.addWidget(dialog)
    page = dialog.sharing_page
    assert not page.enabled.isChecked()  # off by default
    page.enabled.setChecked(True)
    page.port.setValue(port)
    assert page.where.text() == f"On this computer: http://127.0.0.1:{port}/opds"
    save(dialog)
    qtbot.waitUntil(lambda: window.sharing.state.on, timeout=10_000)
    assert window.tray_flow.tray.sharing_action.text() == f"Sharing at {base}"
    assert f"Sharing at {base}" in window.tray_flow.tray.icon.toolTip()
    try:
        assert httpx.get(f"{base}/opds").status_code == 200  # an e-reader on this machine

        dialog = window.edit_settings("sharing")
        qtbot.addWidget(dialog)
        page = dialog.sharing_page
        assert page.state.text() == f"Sharing at {base}"
        page.key_name.setText("backup script")
        page.make_button.click()
        qtbot.waitUntil(lambda: page.new_key.text().startswith("bdk_"), timeout=10_000)
        key = page.new_key.text()
        qtbot.waitUntil(lambda: page.key_list.count() == 1, timeout=10_000)
        assert "backup script — read only" in page.key_list.item(0).text()
        answer = httpx.get(f"{base}/api/v1/books", headers={"Authorization": f"Bearer {key}"})
        assert answer.status_code == 200 and answer.json()["total"] > 0

        page.key_list.setCurrentRow(0)
        page.new_key.clear()
        page.show_button.click()  # shown again from the keyring
        qtbot.waitUntil(lambda: page.new_key.text() == key, timeout=10_000)
        page.revoke_button.click()
        qtbot.waitUntil(lambda: "revoked" in page.key_list.item(0).text() if page.key_list.count() else False,
                        timeout=10_000)
        assert httpx.get(f"{base}/api/v1/books", headers={"Authorization": f"Bearer {key}"}).status_code == 401

        page.enabled.setChecked(False)
        save(dialog)
        qtbot.waitUntil(lambda: window.tray_flow.tray.sharing_action.text() == "Sharing is off", timeout=10_000)
        listening_socket("127.0.0.1", port).close()  # the port is free again
    finally:
        window.sharing.stop()


def test_a_script_starts_a_sync_of_the_window_and_follows_it(qtbot, make_window, filled_service):
    window = make_window(filled_service)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    dialog = window.edit_settings("sharing")
    qtbot.addWidget(dialog)
    page = dialog.sharing_page
    page.enabled.setChecked(True)
    page.port.setValue(port)
    page.key_name.setText("nightly")
    page.key_writes.setChecked(True)
    page.make_button.click()
    qtbot.waitUntil(lambda: page.new_key.text().startswith("bdk_"), timeout=10_000)
    headers = {"Authorization": f"Bearer {page.new_key.text()}"}
    save(dialog)
    qtbot.waitUntil(lambda: window.sharing.state.on, timeout=10_000)
    try:
        started = httpx.post(f"{base}/api/v1/jobs", headers=headers, json={"kind": "sync"})
        assert started.status_code == 202, started.text
        ref = started.json()["ref"]
        qtbot.waitUntil(lambda: httpx.get(f"{base}/api/v1/jobs/{ref}", headers=headers).status_code == 200,
                        timeout=10_000)
        job = httpx.get(f"{base}/api/v1/jobs/{ref}", headers=headers).json()
        assert job["kind"] == "sync" and job["title"] == "Sync Now"
    finally:
        window.sharing.stop()
