"""What one app process holds: its Context, whether it serves the HTTP endpoints, its waits, gate and pacing.

Streamlit pages (`hopecircle/ui/`) and the HTTP routes (`hopecircle/http/`) of one process share
these. Building the Context opens and upgrades the database, reads the content folders, applies
retention and starts its hourly schedule, and prints the one-time setup code while no account
exists: `serve.py` builds it as the server starts, so the code is in the terminal before anyone
opens a page.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import threading

from hopecircle import safety
from hopecircle.config import load_settings
from hopecircle.domain import LiveState
from hopecircle.live.gate import PriorityGate
from hopecircle.live.pacing import Pacing
from hopecircle.live.tries import Tries
from hopecircle.live.waits import MANY, RoomWaits
from hopecircle.services import accounts, room
from hopecircle.services.context import Context, build_context
from hopecircle.services.retention import RetentionSchedule, run_retention

log = logging.getLogger("hopecircle")

_lock = threading.Lock()
_context: list[Context] = []
_served = threading.Event()

# Three page runs at a time: one run's database wait overlaps another's Python, and one slot
# stays free for urgent runs. More would only split the one core (GIL) between more runs.
GATE = PriorityGate(slots=3)
PACING = Pacing()
# Wrong join codes typed on this process's phones (no room found yet), per tab and in all.
JOIN_TRIES = Tries()


def context() -> Context:
    """The process-wide Context, built by the first caller (the others wait for it)."""
    if _context:
        return _context[0]
    with _lock:
        if not _context:
            _context.append(_start())
        return _context[0]


def reset() -> None:
    """Forget the process's Context (tests that give every case a fresh data folder)."""
    with _lock:
        if _context:
            _context.pop().store.dispose()


def serve() -> None:
    """From now on this process answers the HTTP endpoints (`hopecircle.http.routes` says so)."""
    _served.set()


def served() -> bool:
    """Whether this process answers the phones' and projectors' HTTP endpoints (started through `serve.py`).

    When it does, phones wait on the room and post their words over HTTP; otherwise
    (`streamlit run workshop_app.py`) they look on an interval and send through Streamlit forms.
    """
    return _served.is_set()


@functools.cache
def room_waits() -> RoomWaits[room.PhoneRoom]:
    """This process's phones waiting on their room (one pump thread, started by the first question).

    A phone draws its room screen itself from the answer, so every phone whose room moved on is
    answered at once (no redraw to pace); only new cards alone are paced in a big room.
    """
    return RoomWaits(
        lambda code: room.phone_room(context(), code),
        room.room_signature,
        in_flight=MANY,
        minor=room.only_cards_differ,
        minor_gap=PACING.minor_gap_seconds,
    )


@functools.cache
def board_waits() -> RoomWaits[LiveState]:
    """This process's projectors waiting for their room's next version (a few per room: no pacing)."""
    return RoomWaits(
        lambda key: room.board_state(context(), key),
        lambda state, _shown: str(state.version),
        # Newer only: the page was drawn from a fresh read, while the shared live state may be a
        # moment behind it; an older version must not redraw the board again.
        changed=lambda seen, now: int(now) > int(seen),
        in_flight=MANY,
    )


SETUP_CODE_FILE = "setup-code.txt"


def setup_done() -> None:
    """The first account exists: the saved setup code is no use to anyone any more, delete it."""
    with contextlib.suppress(FileNotFoundError):
        os.remove(os.path.join(load_settings().data_dir, SETUP_CODE_FILE))


def keep_private(data_dir: os.PathLike[str]) -> None:
    """The data folder readable by this app's user alone (0700), and each file in it (0600).

    SQLite gives its journal and write-ahead files the database file's permissions.
    """
    os.makedirs(data_dir, mode=0o700, exist_ok=True)
    os.chmod(data_dir, 0o700)
    for entry in os.scandir(data_dir):
        if entry.is_file(follow_symlinks=False):
            os.chmod(entry.path, 0o600)


def _start() -> Context:
    settings = load_settings()
    if settings.database_url.startswith("sqlite"):
        keep_private(settings.data_dir)  # before the database file is made, so it is made private
    ctx = build_context(settings)
    for error in [*ctx.stories.errors, *ctx.guides.errors]:
        log.warning("Content refused: %s", error)
    # Retention runs on every start, every hour while the app runs, and from
    # `python -m hopecircle retention`.
    run_retention(ctx)
    RetentionSchedule(ctx).start()
    safety.warm_up()
    code = accounts.setup_code(ctx)
    if code:
        _announce_setup_code(code, settings.data_dir)
    else:
        setup_done()
    if settings.database_url.startswith("sqlite"):
        keep_private(settings.data_dir)
    return ctx


def _announce_setup_code(code: str, data_dir: os.PathLike[str]) -> None:
    """Tell whoever started the app how to create the first account (printed, and saved beside the data)."""
    message = (
        "\n  HopeCircle first start: open the facilitator console and create the first account.\n"
        f"  Setup code: {code}\n"
    )
    print(message, flush=True)
    try:
        path = os.path.join(data_dir, SETUP_CODE_FILE)
        os.makedirs(data_dir, mode=0o700, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(code + "\n")
        os.chmod(path, 0o600)
    except OSError:
        log.warning("Could not save the setup code beside the data; it is printed above.")
