"""OPDS 1.2 catalogs (calibre's content server, Kavita, Komga, Standard Ebooks, Project Gutenberg):
browse, search and page through them, and find each book's acquisition links by format.

``OpdsClient`` fetches; ``parse_feed`` reads a feed already in hand; its ``entries`` are plain frozen
dataclasses with absolute addresses.
"""

from bookdesk.core.acquisition.opds.auth import ChallengeAuth
from bookdesk.core.acquisition.opds.client import OpdsClient, run_sync
from bookdesk.core.acquisition.opds.entries import OpdsAcquisition, OpdsEntry, OpdsFeed
from bookdesk.core.acquisition.opds.errors import OpdsAuthError, OpdsError, OpdsFeedError, OpdsServerError
from bookdesk.core.acquisition.opds.feed import parse_feed
from bookdesk.core.acquisition.opds.formats import format_for
from bookdesk.core.acquisition.opds.opensearch import fill_template, parse_description

__all__ = ["ChallengeAuth", "OpdsAcquisition", "OpdsAuthError", "OpdsClient", "OpdsEntry", "OpdsError", "OpdsFeed",
           "OpdsFeedError", "OpdsServerError", "fill_template", "format_for", "parse_description",
           "parse_feed", "run_sync"]
