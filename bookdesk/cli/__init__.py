"""The command line: the same core services as the GUI, for scripts and people."""
