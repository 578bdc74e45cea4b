"""The Settings dialog and its pages: Library & Import, Metadata Providers, Sources & Clients,
Scheduler and Appearance. Each page reads the settings it is given and folds its choices back into
a copy (``values``); secrets and schedules are committed apart, never into the settings file."""
