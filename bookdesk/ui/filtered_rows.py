"""A view's summaries with the text its filter looks in, filtered on the worker.

Going over every author or series of a 100,000-book library to filter it, on the GUI thread, took tens
of milliseconds each time the rows were read again (bench/ui_stalls.py, identify); the worker hands the
rows shown ready, and the GUI thread only swaps them in. A person changing the filter sees it applied at
once, on the GUI thread, as before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from bookdesk.ui.models.record_table_model import RecordTableModel
from bookdesk.ui.worker_rows import WorkerRows

T = TypeVar("T")
Filter = tuple  # (the folded words the text must hold, then whatever else a view filters by)


@dataclass(frozen=True)
class FilteredRows(Generic[T]):
    all: list[T]
    folded: list[str]  # each row's text for the filter, folded once
    shown: list[T]  # those of ``all`` the filter keeps, in order
    by: Filter  # the filter that chose ``shown``


def filtered(rows: list[T], folded: list[str], by: Filter,
             keep: Callable[[T, Filter], bool] = lambda _row, _by: True) -> FilteredRows[T]:
    """``rows`` whose folded text holds every one of the words ``by`` starts with, and that ``keep`` keeps."""
    words = by[0]
    shown = [row for row, text in zip(rows, folded, strict=True) if keep(row, by) and all(w in text for w in words)]
    return FilteredRows(rows, folded, shown, by)


def swap_in(model: RecordTableModel, rows: WorkerRows, before: FilteredRows[T], after: FilteredRows[T]) -> None:
    """Show ``after.shown`` as it came; what only ``before`` held is freed on the worker."""
    shown_before = model.set_records(after.shown)
    rows.let_go(shown_before, *(() if after.all is before.all else (before.all, before.folded)))
