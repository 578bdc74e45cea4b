"""The local API under ``/api/v1``: what a script may read of the library and the jobs it may start."""
