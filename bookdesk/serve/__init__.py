"""The HTTP face: the local API (``/api/v1``), the OPDS feeds (``/opds``) and the health checks, served
by ``bookdesk serve`` or by the window when sharing is on. Below the window and the CLI, so both start it."""
