"""Acquisition: from a wanted book to a downloaded and imported one.

Three kinds of source feed one flow: direct HTTP downloads (``queue``), OPDS catalogs
(``opds``), and indexers with download clients (``torznab``, ``clients``). What arrives is
checked and imported through the import pipeline (``arrival``), linked to the wanted work.
"""
