"""What another run brought while a preview was open: the scheduled follow job may run the same calibre
library between a person's preview and its carrying out. The import plans again (calibre may have changed
too), and says which of the books the preview offered were brought over meanwhile, and by which Ref, so
the person never reads a bare "nothing added"."""

from __future__ import annotations

from collections import Counter

from bookdesk.core.calibre.plan import UPDATE, CalibrePlan
from bookdesk.core.importer.plan import DUPLICATE, NEW


def offered(previewed: CalibrePlan) -> dict[str, str]:
    """The calibre uuids of the books the preview offered to add or bring up to date, with which."""
    return {item.book.uuid: item.status for item in previewed.items if item.status in (NEW, UPDATE) and item.book.uuid}


def brought_meanwhile(previewed: CalibrePlan, plan: CalibrePlan, runs: dict[str, str]) -> list[str]:
    """In words, the books ``previewed`` offered that ``plan`` (made now) finds brought over already, by the
    Ref of the run that brought each (``runs``: calibre uuid -> Ref of its link's last run)."""
    before = offered(previewed)
    counts: Counter[tuple[str, str]] = Counter()
    for item in plan.items:
        ref = runs.get(item.book.uuid)
        was = before.get(item.book.uuid)
        # A book offered to add that has a link now came meanwhile (its fields may still come, as with a read
        # column chosen in the preview); a change offered came if nothing of it is left to bring.
        came = (was == NEW and item.link is not None) or (was == UPDATE and item.status == DUPLICATE)
        if came and ref and ref != plan.correlation_id:
            counts[(was, ref)] += 1  # type: ignore[index]
    said = []
    for (was, ref), n in sorted(counts.items()):
        what = ("book" if was == NEW else "change") + ("s" if n != 1 else "")
        said.append(f"{n:,} {what} the preview offered {'was' if n == 1 else 'were'} brought over meanwhile (Ref {ref})")
    return said
