"""The OPDS catalog of the library: OPDS 1.2 (Atom) at ``/opds`` and OPDS 2.0 (JSON) at ``/opds/v2``."""
