"""Edits by hand: one service (``service.EditService``) for the Edit Metadata dialog, the bulk edit
dialog, the quick actions of the context menu and ``bookdesk edit``."""
