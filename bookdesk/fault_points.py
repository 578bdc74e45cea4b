"""Named points where a fault test can stop a real BookDesk process, as a kill or a crash would.

``reach("import.after_file")`` does nothing unless ``BOOKDESK_KILL_AT`` names that point, when the
process kills itself with SIGKILL (no handler, no ``finally``, no flush: what a power cut or the
OOM killer leaves behind). ``tests/faults`` sets the variable for one run of the ``bookdesk``
command and then checks that nothing was lost. In normal use the variable is unset and the check
is one dictionary lookup.
"""

from __future__ import annotations

import os
import signal

ENV = "BOOKDESK_KILL_AT"


def reach(point: str) -> None:
    """Die here, at once, if a fault test asked for this point."""
    wanted = os.environ.get(ENV)
    if wanted and wanted == point:
        os.kill(os.getpid(), signal.SIGKILL)
