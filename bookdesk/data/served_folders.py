"""Which folders the HTTP face may hand files out of: the library's own (the catalog's relative paths) and
each calibre library that books were brought over from in place (``calibre_links.library``: their files
keep calibre's absolute paths, which BookDesk never writes). Read from the catalog, so a folder no link
names is never served, and a calibre library whose books all left the catalog stops being served.

``serve/files.py`` confines every file it opens to these folders (resolving symlinks); the SQL here lets
the OPDS listings leave out a book with no file in any of them, so a heading's count is what its pages list.
"""

from __future__ import annotations

from bookdesk.data.work_listing import Connection

# Paths starting with "/" sort between "/" and "0": the unique index on files.path finds the absolute ones
# (kept in place) without reading the relative ones, so a library with none pays one empty index probe.
_ABSOLUTE = "{f}.path >= '/' AND {f}.path < '0'"
# A file whose absolute path is not inside a calibre library its own book was brought over from in place,
# or that climbs out of it with "..". (Symlinks are for serve/files.py, which resolves the real path.)
_STRANDED_FILE = (_ABSOLUTE + " AND ({f}.path LIKE '%/../%' OR NOT EXISTS (SELECT 1 FROM calibre_links l"
                  " WHERE l.work_id = {f}.work_id AND substr({f}.path, 1, length(l.library) + 1) = l.library || '/'))")
# The books none of whose files can be handed out: each has a stranded file and no other kind.
STRANDED_WORKS = (f"SELECT f.work_id FROM files f WHERE {_STRANDED_FILE.format(f='f')} AND NOT EXISTS"
                  f" (SELECT 1 FROM files g WHERE g.work_id = f.work_id AND NOT ({_STRANDED_FILE.format(f='g')}))")


def calibre_folders(connection: Connection) -> list[str]:
    """Every calibre library folder the catalog links a book to (absolute, as stored)."""
    # Each distinct folder by one probe of uq_calibre_links_library_book (library, book_id), where DISTINCT
    # would read one index entry per book brought over (100,000 for a big calibre library).
    rows = connection.execute("""WITH RECURSIVE folder(name) AS (SELECT min(library) FROM calibre_links
        UNION ALL SELECT (SELECT min(library) FROM calibre_links WHERE library > folder.name) FROM folder
        WHERE folder.name IS NOT NULL) SELECT name FROM folder WHERE name IS NOT NULL""").fetchall()  # type: ignore[attr-defined]
    return [row[0] for row in rows]
