"""Fill an empty database with realistic synthetic sessions for the reports benchmark.

Usage:
    .venv/bin/python bench/generate_data.py                      # SQLite at data/bench/reports.db
    .venv/bin/python bench/generate_data.py sqlite:////tmp/r.db  # another SQLite file
    .venv/bin/python bench/generate_data.py postgresql://user@host/db --sessions 5000

Defaults: 5,000 closed sessions over two years, about 500,000 contributions (about 20 phones per
session), 12 programs/sites, 25 facilitators, every story in stories/, English and Spanish.
Rows go in through SQLAlchemy Core in batches; then every session gets its session_stats row
through the real `snapshots.snapshot_session`, as closing a session would.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select  # noqa: E402

from hopecircle.config import ROOT as APP_ROOT  # noqa: E402
from hopecircle.content import load_guides, load_stories  # noqa: E402
from hopecircle.services.context import Context  # noqa: E402
from hopecircle.services.snapshots import snapshot_session  # noqa: E402
from hopecircle.store import open_store  # noqa: E402
from hopecircle.store.schema import accounts, contributions, participants, pulses, sessions  # noqa: E402

DEFAULT_URL = f"sqlite:///{ROOT / 'data' / 'bench' / 'reports.db'}"
BENCH_ADMIN = "bench-admin"
SITES = [
    "Eastside Recovery Center",
    "Westside Clinic",
    "Harbor Shelter",
    "Northgate Church Hall",
    "Riverside Peer Hub",
    "Young Adults Program",
    "Veterans Circle",
    "Family Support Group",
    "Reentry Program",
    "Women's Circle",
    "Centro Comunitario Latino",
    "",
]
WORDS = {
    "en": ["hopeful", "tired", "calm", "nervous", "grateful", "ok", "anxious", "ready", "peaceful", "heavy", "curious"],
    "es": ["esperanza", "cansado", "tranquila", "nervioso", "agradecida", "bien", "lista", "en paz", "curioso"],
}
REFLECTIONS = {
    "en": [
        "I felt less alone hearing that",
        "The part about asking for help stayed with me",
        "My family is why I keep going",
        "I have hope for tomorrow",
        "Starting over after a setback is hard but possible",
        "Walking every morning helps me breathe",
        "I am grateful for this group",
        "Finding a place to live changed everything for me too",
        "Faith got me through the worst nights",
        "It takes courage to change",
        "I was scared to come today",
        "Going back to school gave me purpose",
    ],
    "es": [
        "Me sentí menos sola al escuchar eso",
        "Pedir ayuda fue lo más difícil",
        "Mi familia es la razón por la que sigo",
        "Tengo esperanza para mañana",
        "Volver a empezar es posible",
        "Caminar cada mañana me ayuda",
        "Gracias a este grupo",
        "Tener una casa lo cambió todo",
        "Tuve miedo de venir hoy",
    ],
}
GOALS = [
    ("Call my sister", "community"),
    ("Walk twenty minutes after dinner", "health"),
    ("Go to a meeting on Thursday", "community"),
    ("Fill out the housing application", "home"),
    ("Ask about the volunteer shift", "purpose"),
    ("Sleep before midnight", "health"),
    ("Write down three good things", None),
    ("Look at the GED class schedule", "purpose"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url", nargs="?", default=DEFAULT_URL, help="database URL (default: %(default)s)")
    parser.add_argument("--sessions", type=int, default=5000)
    parser.add_argument("--contributions", type=int, default=500_000)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    store = open_store(args.url)
    stories = load_stories(APP_ROOT / "stories")
    ctx = Context(store=store, stories=stories, guides=load_guides(APP_ROOT / "facilitator_guides"))
    with store.read() as tx:
        if tx.connection.execute(select(func.count()).select_from(sessions)).scalar_one():
            sys.exit(f"{args.url} already has sessions; point the generator at an empty database.")
    started = time.perf_counter()
    facilitators = _accounts(store)
    story_ids = sorted(stories.stories)
    per_session = args.contributions / args.sessions
    first_day = datetime(2025, 1, 6, 18, 0)
    ids = {"participant": 0, "contribution": 0, "pulse": 0}
    batch: dict[str, list[dict]] = {"sessions": [], "participants": [], "contributions": [], "pulses": []}
    made = 0
    for number in range(1, args.sessions + 1):
        story_id = rng.choice(story_ids)
        language = stories.get(story_id).language  # type: ignore[union-attr]
        start = first_day + timedelta(days=rng.randrange(730), minutes=rng.randrange(-240, 120))
        batch["sessions"].append(
            {
                "id": number,
                "code": f"B{number:07d}",
                "board_key": f"bench-{number}",
                "title": stories.get(story_id).title,  # type: ignore[union-attr]
                "program": rng.choice(SITES),
                "story_id": story_id,
                "language": language,
                "facilitator_id": rng.choice(facilitators),
                "status": "closed",
                "phase": "close",
                "phase_started_at": start + timedelta(minutes=80),
                "created_at": start,
                "closed_at": start + timedelta(minutes=85),
                "notes": "",
            }
        )
        made += _people(rng, number, language, start, per_session, ids, batch)
        if number % 250 == 0 or number == args.sessions:
            _flush(store, batch)
            _progress("rows", number, args.sessions, started, f"{made:,} contributions")
    if store.dialect == "postgresql":
        _reset_sequences(store)
    snap_start = time.perf_counter()
    for number in range(1, args.sessions + 1):
        snapshot_session(ctx, number)
        if number % 250 == 0 or number == args.sessions:
            _progress("snapshots", number, args.sessions, snap_start, "session_stats")
    print(f"\nDone: {args.sessions:,} sessions, {made:,} contributions in {time.perf_counter() - started:.0f} s.")
    store.dispose()


def _accounts(store) -> list[int]:  # type: ignore[no-untyped-def]
    rows = [
        {"username": BENCH_ADMIN, "display_name": "Bench Admin", "role": "admin"},
        *(
            {"username": f"facilitator{n:02d}", "display_name": f"Facilitator {n}", "role": "facilitator"}
            for n in range(1, 26)
        ),
    ]
    with store.write() as tx:
        # "!" is no argon2 hash: nobody can sign in to these accounts.
        tx.connection.execute(
            insert(accounts),
            [{**r, "password_hash": "!", "active": True, "created_on": date(2025, 1, 1)} for r in rows],
        )
        found = tx.connection.execute(select(accounts.c.id).where(accounts.c.role == "facilitator")).scalars().all()
    return list(found)


def _people(rng, session_id, language, start, per_session, ids, batch) -> int:  # type: ignore[no-untyped-def]
    # About 4.8 contributions per person: two words, two reflections on average, most set a goal.
    people = max(3, round(rng.gauss(per_session / 4.8, per_session / 15)))
    made = 0
    for _person in range(people):
        ids["participant"] += 1
        pid = ids["participant"]
        joined = start.replace(second=0) + timedelta(minutes=rng.randrange(15))
        lang = language if rng.random() < 0.85 else ("es" if language == "en" else "en")
        batch["participants"].append(
            {
                "id": pid,
                "session_id": session_id,
                "token_hash": hashlib.sha256(f"{session_id}-{pid}".encode()).hexdigest(),
                "language": lang,
                "joined_minute": joined,
            }
        )
        pre = min(10, max(0, round(rng.gauss(5, 2))))
        for moment, value, chance in (
            ("pre", pre, 0.92),
            ("post", min(10, max(0, pre + round(rng.gauss(1.2, 1.5)))), 0.8),
        ):
            if rng.random() < chance:
                ids["pulse"] += 1
                batch["pulses"].append(
                    {
                        "id": ids["pulse"],
                        "session_id": session_id,
                        "participant_id": pid,
                        "moment": moment,
                        "value": value,
                    }
                )
        kinds = [("checkin", rng.choice(WORDS[lang])), ("checkout", rng.choice(WORDS[lang]))]
        kinds += [("reflection", rng.choice(REFLECTIONS[lang])) for _ in range(rng.choice((1, 2, 2, 3)))]
        if rng.random() < 0.8:
            kinds.append(("goal", None))
        for index, (kind, text) in enumerate(kinds):
            goal = rng.choice(GOALS) if kind == "goal" else (None, None)
            status = rng.choices(["approved", "pending", "hidden", "held"], [80, 12, 5, 3])[0]
            ids["contribution"] += 1
            batch["contributions"].append(
                {
                    "id": ids["contribution"],
                    "session_id": session_id,
                    "participant_id": pid,
                    "kind": kind,
                    "body": text or goal[0],
                    "goal_when": "this week" if kind == "goal" else None,
                    "goal_support": None,
                    "dimension": goal[1],
                    "status": status,
                    "flags": "",
                    "shareable": kind in ("reflection", "goal") and status == "approved" and rng.random() < 0.1,
                    "phase": "reflect",
                    "created_minute": joined + timedelta(minutes=5 + 5 * index),
                    "client_key": f"k{index}",
                    "shuffle_key": rng.randrange(2**31),
                    "me_too": rng.randrange(4),
                }
            )
            made += 1
    return made


def _flush(store, batch) -> None:  # type: ignore[no-untyped-def]
    with store.write() as tx:
        for name, table in (
            ("sessions", sessions),
            ("participants", participants),
            ("contributions", contributions),
            ("pulses", pulses),
        ):
            if batch[name]:
                tx.connection.execute(insert(table), batch[name])
                batch[name].clear()


def _reset_sequences(store) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    with store.write() as tx:
        for table in ("sessions", "participants", "contributions", "pulses"):
            tx.connection.execute(
                text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
            )


def _progress(what: str, done: int, total: int, since: float, extra: str) -> None:
    elapsed = time.perf_counter() - since
    eta = elapsed / done * (total - done)
    print(
        f"\r{what}: {done:,}/{total:,} sessions ({done / total:.0%}), {extra}, {elapsed:.0f} s, ~{eta:.0f} s left   ",
        end="",
        flush=True,
    )
    if done == total:
        print()


if __name__ == "__main__":
    main()
