"""``bookdesk smoke [--library DIR] [--view NAME] [--screenshot PNG] [--tray]``: open the main window
offscreen and exit (bookdesk/ui/smoke.py does the opening)."""

from __future__ import annotations

import argparse
from pathlib import Path

from bookdesk.ui.smoke import run_smoke
from bookdesk.ui.views import VIEW_NAMES


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--view", choices=VIEW_NAMES, default="library")
    parser.add_argument("--screenshot", type=Path, help="save a PNG of the window")
    parser.add_argument("--tray", action="store_true",
                        help="show the tray icon too, and say whether the desktop has a tray and the icon shows")


def main(args: argparse.Namespace, library: Path) -> int:
    return run_smoke(library, view=args.view, screenshot=args.screenshot, tray=args.tray)
