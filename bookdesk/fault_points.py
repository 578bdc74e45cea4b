"""Named points where a fault test can stop a real BookDesk process, as a kill or a crash would, or
make a write fail there, as a disk that refuses it would.

``reach("import.after_file")`` does nothing unless ``BOOKDESK_KILL_AT`` names that point, when the
process kills itself with SIGKILL (no handler, no ``finally``, no flush: what a power cut or the
OOM killer leaves behind). ``tests/faults`` sets the variable for one run of the ``bookdesk``
command and then checks that nothing was lost. ``BOOKDESK_FAIL_AT`` naming the point raises the
OSError a read-only disk gives instead: a write that fails, which root (as the tests run in CI)
cannot otherwise be made to see by taking away a folder's permissions. In normal use the variables
are unset and the check is two dictionary lookups. ``BOOKDESK_SLOW_AT=point:seconds`` makes the
point take that long, as a slow disk or a big migration would, so a test can see what goes on meanwhile.
"""

from __future__ import annotations

import errno
import os
import signal
import time

ENV = "BOOKDESK_KILL_AT"
FAIL_ENV = "BOOKDESK_FAIL_AT"
SLOW_ENV = "BOOKDESK_SLOW_AT"


def reach(point: str) -> None:
    """Die here, at once, if a fault test asked for this point; or fail as a refused write would; or
    take the time a test asked for."""
    wanted = os.environ.get(ENV)
    if wanted and wanted == point:
        os.kill(os.getpid(), signal.SIGKILL)
    failing = os.environ.get(FAIL_ENV)
    if failing and failing == point:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), point)
    slow = os.environ.get(SLOW_ENV)
    if slow and slow.rpartition(":")[0] == point:
        time.sleep(float(slow.rpartition(":")[2]))
