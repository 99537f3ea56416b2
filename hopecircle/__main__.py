"""Command line: `python -m hopecircle retention` and `python -m hopecircle check`.

`retention` deletes expired raw contributions now (the same run happens each time the app
starts). `check` is the preflight a venue runs before the session: what this machine and
install can hold, ending with "ready for about N phones" or the first thing to fix; its exit
status is 1 when something would break a session (`hopecircle/preflight.py`).
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from hopecircle import preflight
from hopecircle.config import load_settings
from hopecircle.i18n import DEFAULT_LANGUAGE, available_languages, t
from hopecircle.services.context import build_context
from hopecircle.services.retention import run_retention as apply_retention


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hopecircle", description="HopeCircle maintenance commands.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser(
        "retention", help="close forgotten sessions and delete raw contributions past the retention period"
    )
    check = commands.add_parser(
        "check", help="before the session: how many phones this install holds, or what to fix first"
    )
    check.add_argument(
        "--phones", type=_positive, default=preflight.DEFAULT_PHONES, help="the group size to check for (default 30)"
    )
    check.add_argument(
        "--processes", type=_positive, help="app processes that will run (default: the nginx site's, else 1)"
    )
    check.add_argument(
        "--nginx-conf", type=Path, help="nginx's main configuration file (default /etc/nginx/nginx.conf, if present)"
    )
    check.add_argument(
        "--port", type=_positive, default=preflight.DEFAULT_PORT, help="the app's port when no proxy is in front"
    )
    check.add_argument("--lang", choices=available_languages(), default=DEFAULT_LANGUAGE, help="language of the report")
    args = parser.parse_args(argv)
    if args.command == "check":
        return run_check(args)
    return run_retention()


def run_check(args: argparse.Namespace) -> int:
    """Print every finding and the verdict's one line; 1 when the install is not ready."""
    facts = preflight.gather(
        load_settings(),
        expected=args.phones,
        processes=args.processes,
        nginx_conf=args.nginx_conf,
        port=args.port,
    )
    verdict = preflight.judge(facts)
    lang = args.lang
    print(t("check.title", lang))
    print(t("check.expected", lang, expected=args.phones))
    for finding in verdict.findings:
        mark = t(f"check.status_{finding.status.value}", lang)
        print(f"  [{mark}] {finding.says.text(lang)}")
        if finding.status is not preflight.Status.OK and finding.fix is not None:
            print(f"         -> {finding.fix.text(lang)}")
    print(verdict.line(lang))
    return 0 if verdict.ready else 1


def run_retention() -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    ctx = build_context(load_settings())
    try:
        report = apply_retention(ctx)
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


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value} must be at least 1")
    return number


if __name__ == "__main__":
    sys.exit(main())
