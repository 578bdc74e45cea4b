"""Taking books out of the library by hand, and putting them back: Remove from Library (files to the
system trash, ``trash.py``), Remove one format, Merge Books, Split a format out. Each keeps what undo
needs (``data/work_snapshot.py`` in the ``removals`` table) under the job's Ref; ``restore.py`` puts it
back for ``bookdesk undo REF``. ``service.py`` is what the faces call."""
