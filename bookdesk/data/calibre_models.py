"""The catalog's tables for calibre libraries (issue 18, migration 0011): which calibre book each work came
from, with the fields as they came over at the last run (the base a later run compares both sides with),
and the values of calibre's custom columns. Beside ``models.py`` (same ``Base``), which is long enough."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bookdesk.data.models import Base


class CalibreLink(Base):
    __tablename__ = "calibre_links"
    __table_args__ = (UniqueConstraint("library", "book_id", name="uq_calibre_links_library_book"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    work_id: Mapped[int] = mapped_column(ForeignKey("works.id", ondelete="CASCADE"), index=True)
    library: Mapped[str] = mapped_column(Text)  # the calibre library's folder, absolute
    library_uuid: Mapped[str] = mapped_column(Text, default="", server_default="")
    book_id: Mapped[int] = mapped_column(Integer)  # calibre's id of the book in that library
    book_uuid: Mapped[str] = mapped_column(Text, default="", server_default="")
    last_modified: Mapped[str] = mapped_column(Text, default="", server_default="")  # calibre's, ISO, at the last run
    fields_json: Mapped[str] = mapped_column(Text, default="{}", server_default="{}")  # fields as they came over
    correlation_id: Mapped[str | None] = mapped_column(String(16))  # the run that last brought it over
    synced_at: Mapped[datetime] = mapped_column(DateTime)


class CustomField(Base):
    """One custom column's value on one work, as calibre had it (a list for a column of many values)."""

    __tablename__ = "custom_fields"
    __table_args__ = (UniqueConstraint("work_id", "name", name="uq_custom_fields_work_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    work_id: Mapped[int] = mapped_column(ForeignKey("works.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(Text)  # the column's label in calibre ("shelf", shown as #shelf there)
    label: Mapped[str] = mapped_column(Text)  # its name as a person sees it ("Shelf")
    kind: Mapped[str] = mapped_column(String(16))  # calibre's datatype: bool, int, text, datetime, ...
    value_json: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(64))  # "calibre"
