"""The catalog's tables for Audiobookshelf servers (issue 17, migration 0010): which server item each
work is, and what a push sent to a server so that it can be undone there. Beside ``models.py`` (same
``Base``), which is long enough already."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bookdesk.data.models import Base


class AbsLink(Base):
    """One Audiobookshelf library item as a BookDesk work. ``metadata_json`` is the item's metadata as
    last pulled: what a push compares with to see whether the server changed a field since."""

    __tablename__ = "abs_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    server: Mapped[str] = mapped_column(Text)  # the server's name in the settings
    library_id: Mapped[str] = mapped_column(Text)
    item_id: Mapped[str] = mapped_column(Text)
    work_id: Mapped[int] = mapped_column(ForeignKey("works.id", ondelete="CASCADE"))
    matched_by: Mapped[str] = mapped_column(String(16))  # path, asin, isbn, title, new
    has_audio: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    has_ebook: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    item_path: Mapped[str] = mapped_column(Text, default="", server_default="")  # as the server sees it
    item_updated_at: Mapped[int | None] = mapped_column(Integer)  # the server's updatedAt, ms
    metadata_json: Mapped[str] = mapped_column(Text, default="{}", server_default="{}")
    finished: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")  # the user's progress
    progress: Mapped[float | None] = mapped_column(Float)
    duration_seconds: Mapped[float | None] = mapped_column(Float)
    linked_at: Mapped[datetime] = mapped_column(DateTime)
    pulled_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (
        UniqueConstraint("server", "item_id", name="uq_abs_links_server_item"),
        Index("ix_abs_links_work", "work_id", "has_audio", "has_ebook"),
    )


class AbsPush(Base):
    """One field of one item as a push changed it on a server, kept so that undoing the push's Ref puts
    the server's old value back."""

    __tablename__ = "abs_pushes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    correlation_id: Mapped[str] = mapped_column(String(16), index=True)
    server: Mapped[str] = mapped_column(Text)
    item_id: Mapped[str] = mapped_column(Text)
    work_id: Mapped[int | None] = mapped_column(ForeignKey("works.id", ondelete="SET NULL"))
    field: Mapped[str] = mapped_column(String(32))
    old_value: Mapped[str | None] = mapped_column(Text)  # JSON
    new_value: Mapped[str | None] = mapped_column(Text)  # JSON
    pushed_at: Mapped[datetime] = mapped_column(DateTime)
    undone_at: Mapped[datetime | None] = mapped_column(DateTime)
