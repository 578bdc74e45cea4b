"""Keeping keys and tokens out of logs and off the disk: the network layer's names for the rules in
``bookdesk.redaction`` (their one home, below every layer, so the catalog and the errors use them
too)."""

from __future__ import annotations

from bookdesk.redaction import redact_url, safe_headers, strip_secrets

__all__ = ["redact_url", "safe_headers", "strip_secrets"]
