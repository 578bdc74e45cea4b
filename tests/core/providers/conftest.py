"""Fixtures for the provider tests: a local HTTP server, a fake clock, an HttpClient factory."""

from tests.core.net.fixtures import cache_dir, clock, limiter, net, server  # noqa: F401
