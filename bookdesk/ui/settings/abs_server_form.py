"""What the Audiobookshelf tab of Sources & Clients has beyond the fields every source has: the question
asked when Test meets a certificate this computer does not trust ("Trust this certificate?", with its SHA-256
fingerprint)."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def trust_certificate(parent: QWidget, name: str, url: str, fingerprint: str) -> bool:
    """Whether the person accepts the certificate of ``fingerprint`` for the server: they compare it with
    the one the server shows (its web page's certificate, or the NAS's settings)."""
    answer = QMessageBox.question(
        parent, "Trust this certificate?",
        f"The Audiobookshelf server {name} at {url} has a certificate this computer does not trust (self-signed, "
        f"as on many NAS boxes). Its SHA-256 fingerprint is:\n\n{fingerprint}\n\nTrust it only if it is the "
        "fingerprint your server shows. BookDesk will then accept this certificate for this server, and refuse "
        "any other.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes
