"""``bookdesk smoke [--library DIR] [--view NAME] [--screenshot PNG] [--tray] [--theme light|dark] [--check]``: open the main window
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
    parser.add_argument("--theme", choices=("light", "dark"),
                        help="switch to this theme once the window shows, as the Appearance settings do "
                             "(without it, the saved choice)")
    parser.add_argument("--check", action="store_true",
                        help="print each text too faint to read and each column header cut short; exit 1 if any")
    parser.add_argument("--stamps", action="store_true",
                        help="print the monotonic clock when the window first paints and when the view shows its "
                             "rows (bench/startup.py times a start from them)")


def main(args: argparse.Namespace, library: Path) -> int:
    return run_smoke(library, view=args.view, screenshot=args.screenshot, tray=args.tray, theme=args.theme,
                     check=args.check, stamps=args.stamps)
