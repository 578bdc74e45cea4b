"""Services, the worker, jobs and importers. No Qt here: the GUI and the CLI both sit on top."""
