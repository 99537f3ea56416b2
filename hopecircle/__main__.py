"""Command line: `python -m hopecircle retention` deletes expired raw contributions now.

The same retention run also happens each time the app starts.
"""

from __future__ import annotations

import argparse
import logging
import sys

from hopecircle.config import load_settings
from hopecircle.i18n import t
from hopecircle.services.context import build_context
from hopecircle.services.retention import run_retention


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hopecircle", description="HopeCircle maintenance commands.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser(
        "retention", help="close forgotten sessions and delete raw contributions past the retention period"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    ctx = build_context(load_settings())
    try:
        if args.command == "retention":
            report = run_retention(ctx)
            print(
                t(
                    "cli.retention_done",
                    lang="en",
                    closed=report.sessions_closed,
                    purged=report.sessions_purged,
                    deleted=report.contributions_deleted,
                )
            )
    finally:
        ctx.store.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
