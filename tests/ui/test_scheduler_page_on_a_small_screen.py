"""The Scheduler page as a laptop shows it: the Settings dialog at its default size on a 1280×800 screen
(the offscreen platform given that screen, in a process of its own), every job in its longest state.
Every job name shows whole; a state that does not fit is cut short with its whole text in the tooltip."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_every_job_name_shows_whole_at_the_default_size_on_a_1280_by_800_screen(tmp_path) -> None:
    screen = tmp_path / "screen.json"
    screen.write_text(json.dumps({"screens": [{"name": "Laptop", "x": 0, "y": 0, "width": 1280, "height": 800,
                                               "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={screen}", "HOME": str(tmp_path),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-m", "tests.ui.scheduler_page_measure"], capture_output=True, text=True,
                          cwd=REPO, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)

    assert seen["screen"] == [1280, 800]
    assert seen["dialog"][0] <= 1280 and seen["dialog"][1] <= 800
    assert not seen["scrolls_sideways"]
    states = [row["state"] for row in seen["rows"]]
    assert "Waiting for the network" in states and any(s.startswith("Running (Ref") for s in states), states
    assert seen["job_has"] >= seen["job_needs"]
    for row in seen["rows"]:
        assert row["name_width"] <= row["name_room"], row
        if row["state_width"] > row["state_room"]:  # cut short: the tooltip says it whole
            assert row["state"] in row["state_tip"], row
    waiting = [row for row in seen["rows"] if row["state"] == "Waiting for the network"]
    assert all(row["state_width"] <= row["state_room"] for row in waiting), waiting  # the offline state whole
