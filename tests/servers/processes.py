"""Stopping a server process a test started: asked to stop first, killed if it will not."""

from __future__ import annotations

import subprocess


def stop_process(process: subprocess.Popen, grace: float = 15.0) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=grace)
