"""The desktop face of BookDesk: PySide6 only, over the core services."""
