"""Many works' fields written at once (a calibre re-run after a bulk edit there): each change lands, is
recorded as a FieldChange History shows, is found by search and sorts by its new sort title, and undoes one by
one as any change does. On a real catalog file."""

from __future__ import annotations

from bookdesk.data.bulk_fields import Change, write_changes
from bookdesk.data.catalog_rows import Contributor, NewWork
from bookdesk.data.work_listing import work_ids
from bookdesk.data.work_repository import WorkRepository


def test_changes_written_together_are_each_recorded_searchable_and_undone(catalog):
    with catalog.write() as session:
        repo = WorkRepository(session)
        ids = repo.add_many([NewWork(title=f"Book {n}", contributors=[Contributor("Ann Author")], tags=["Old"])
                             for n in range(5)])
    with catalog.write() as session:
        repo = WorkRepository(session)
        details = {d.id: d for d in repo.details(ids)}
        changes = [Change(w, "rating", None, 8) for w in ids] + \
                  [Change(w, "tags", ["Old"], ["Changed", "Fiction"]) for w in ids[:3]] + \
                  [Change(ids[4], "sort_title", details[ids[4]].sort_title, "Aaa first")] + \
                  [Change(ids[1], "publisher", None, "Changed Press")]
        write_changes(session, changes, source="calibre", correlation_id="REF-1")
    with catalog.read() as session:
        repo = WorkRepository(session)
        after = {d.id: d for d in repo.details(ids)}
        assert [after[w].rating for w in ids] == [8] * 5
        assert [sorted(after[w].tags) for w in ids] == [["Changed", "Fiction"]] * 3 + [["Old"]] * 2
        assert after[ids[1]].publisher == "Changed Press" and after[ids[4]].sort_title == "Aaa first"
        connection = session.connection().connection.driver_connection
        assert work_ids(connection, sort="title")[0] == ids[4]
        assert sorted(work_ids(connection, search="changed")) == sorted(ids[:3])
        history = repo.history(ids[0])
        assert {(c.field, c.source, c.correlation_id) for c in history} >= {("rating", "calibre", "REF-1"),
                                                                            ("tags", "calibre", "REF-1")}
    with catalog.write() as session:
        repo = WorkRepository(session)
        for change in repo.changes_of("REF-1"):
            repo.undo(change.id, correlation_id="REF-UNDO")
    with catalog.read() as session:
        back = {d.id: d for d in WorkRepository(session).details(ids)}
        assert [back[w].rating for w in ids] == [None] * 5
        assert [back[w].tags for w in ids] == [details[w].tags for w in ids]
        assert back[ids[4]].sort_title == details[ids[4]].sort_title and back[ids[1]].publisher is None
