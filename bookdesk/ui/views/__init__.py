"""The main window's views. Their names are here, free of Qt, for the command line to offer."""

VIEW_NAMES = ("library", "series", "authors", "wanted", "downloads", "activity")
