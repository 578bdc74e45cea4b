"""Metadata providers: Open Library, Google Books, Hardcover, Audnexus, each behind one protocol."""
