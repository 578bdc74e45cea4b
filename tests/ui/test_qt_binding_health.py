"""The Qt binding keeps Python's reference counts: a session emits signals by the thousand (every job's
progress, every answer the worker sends back through qasync), so a binding that loses a reference per
emit aborts the app after a while. PySide6 6.12.0 on Python 3.11 did exactly that, to ``True``."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    import json
    import sys
    from PySide6.QtCore import QCoreApplication, QObject, Signal

    app = QCoreApplication([])

    class Emitter(QObject):
        plain = Signal()
        carrying = Signal(object, tuple)  # the shape of qasync's call_soon_threadsafe signal

    emitter = Emitter()
    heard = []
    emitter.plain.connect(lambda: heard.append(1))
    emitter.carrying.connect(lambda value, args: heard.append(value))
    before = sys.getrefcount(True), sys.getrefcount(False), sys.getrefcount(None)
    for i in range(2_000):
        emitter.plain.emit()
        emitter.carrying.emit(i, ())
    after = sys.getrefcount(True), sys.getrefcount(False), sys.getrefcount(None)
    print(json.dumps({"heard": len(heard), "lost": [b - a for a, b in zip(after, before)]}))
""")


def test_emitting_signals_keeps_the_reference_counts_of_true_false_and_none() -> None:
    # In a child process: a binding that does lose references aborts the interpreter, which must fail this
    # test rather than the whole test run.
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    figures = json.loads(done.stdout)
    assert figures == {"heard": 4000, "lost": [0, 0, 0]}  # references lost to True, False and None
