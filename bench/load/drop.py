"""A Wi-Fi drop across the whole room (`--drop SECONDS`): when it comes, and what it cost.

Every phone's network is cut at once (`bench/load/network.py`): its connections are reset and
new ones fail until the network returns; the boards and the facilitator stay connected, and the
facilitator moves the room on during the drop. Phones go on writing: their sends wait in their
outbox (`bench/load/outbox.py`) and go by themselves with the same key. The figures, from the
moment the network returns:

- **back**: each phone's first answer to its room question that shows the room's current phase;
- **queued sends acknowledged**: each send (words) that waited, answered (the server has it);
- **stored, lost, duplicated**: every send that waited, looked up in the database after the run
  (by its marker; a one-word check-in or check-out by the key the server stores it under);
- the tries it took; the pulses and "me too"s that waited in the outbox too, and how many were
  answered; the taps posted at once (an edit, a delete, the request to talk, the hope card) that
  people put off until their phone was back; the questions and posts that failed while the
  network was cut; the pages' streams reopened; and the errors (anything that failed for
  another reason) from the cut to the end of the run.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from bench.load import screens
from bench.load.report import summary
from hopecircle.domain import Kind
from hopecircle.services.send_keys import phone_key as stored_key

# Default: in Reflect, 12 s after it opens: the first phones have sent their reflection (a
# person reads and types for 10-20 s), most send theirs during the drop, and with a 30 s drop the
# facilitator opens Next step (at 30 s) while every phone is offline.
DEFAULT_AT = "reflect+12"
TAPS = frozenset({"pulse", "metoo"})  # kept in the outbox too, with no key: the server's answer is the check
EVENTS = frozenset({"send", "queued", "answered", "back", "stream_back", "drop_failure", "deferred", "cut", "restored"})


def parse_at(text: str) -> tuple[str, float]:
    """`PHASE[+SECONDS]` (or `SECONDS`: into Reflect): the phase the drop comes in and how long after it opens."""
    phase, _, offset = text.partition("+")
    if not offset and phase.replace(".", "", 1).isdigit():
        phase, offset = "reflect", phase
    phase = phase.strip().replace("-", "_")
    if phase not in screens.PHASES[1:]:
        raise ValueError(f"--drop-at: a phase of {', '.join(screens.PHASES[1:])}, with +SECONDS if wanted: {text!r}")
    seconds = float(offset or 0)
    if seconds < 0:
        raise ValueError(f"--drop-at: seconds after the phase opens, not {seconds}")
    return phase, seconds


@dataclass
class SendRecord:
    """One send as its phone reported it."""

    phone: int
    kind: str
    mark: str
    written: float
    queued: float | None = None
    answered: float | None = None
    status: int = 0  # the answer's HTTP status
    said: str = ""  # ... and what it said of a send: approved, pending, or held for the facilitator's read
    tries: int = 0


class DropTally:
    """What the workers reported of sends, returns and the cut itself."""

    def __init__(self) -> None:
        self.sends: dict[str, SendRecord] = {}
        self.back: dict[int, float] = {}  # phone -> first answer showing the current phase, after the return
        self.streams: dict[int, float] = {}  # phone -> its page's stream open again
        self.failures = 0  # questions and posts that failed while the network was cut
        self.deferred = 0  # taps a person put off until the phone was back
        self.cut: dict[int, tuple[float, int]] = {}  # worker -> when it cut, connections reset
        self.restored: dict[int, float] = {}  # worker -> when its network returned

    def fold(self, event: tuple[Any, ...]) -> None:
        kind = event[0]
        if kind == "send":
            _, key, phone, form, mark, moment = event
            self.sends[key] = SendRecord(phone, form, mark, moment)
        elif kind == "queued" and event[1] in self.sends:
            self.sends[event[1]].queued = event[2]
        elif kind == "answered" and event[1] in self.sends:
            record = self.sends[event[1]]
            record.answered, record.status, record.said, record.tries = event[2:6]
        elif kind == "back":
            self.back.setdefault(event[1], event[2])
        elif kind == "stream_back":
            self.streams.setdefault(event[1], event[2])
        elif kind == "drop_failure":
            self.failures += 1
        elif kind == "deferred":
            self.deferred += 1
        elif kind == "cut":
            self.cut[event[1]] = (event[2], event[3])
        elif kind == "restored":
            self.restored[event[1]] = event[2]


def figures(
    tally: DropTally,
    *,
    seconds: float,
    at: str,
    planned: tuple[float, float],
    start: float,
    workers: int,
    phones: set[int],
    phase_times: dict[str, float],
    error_times: list[float],
    database: dict[str, Any] | None,
    doomed: set[str],
) -> dict[str, Any]:
    """The drop's figures: times from each worker's return, counts checked against the database."""
    cut_at, back_at = planned
    returned = {worker: tally.restored.get(worker, back_at) for worker in range(workers)}

    def since_return(phone: int, moment: float) -> float:
        return max(0.0, moment - returned[phone % workers])

    back = [since_return(phone, tally.back[phone]) for phone in phones if phone in tally.back]
    not_back = sum(1 for phone in phones if phone not in tally.back)
    queued = [record for record in tally.sends.values() if record.queued is not None and record.kind not in TAPS]
    taps = [record for record in tally.sends.values() if record.queued is not None and record.kind in TAPS]
    answered = [since_return(r.phone, r.answered) for r in queued if r.answered is not None and r.status == 200]
    unanswered = sum(1 for record in queued if record.answered is None)
    refused = sum(1 for record in queued if record.answered is not None and record.status != 200)
    rows = _rows(database)
    stored = lost = duplicated = 0
    for key, record in tally.sends.items():
        if record.queued is None or record.kind in TAPS:
            continue
        if record.mark in doomed:  # sent to be deleted: stored if answered, twice if still there after the delete
            copies = int(record.status == 200) + int(record.mark in rows["marks"])
        elif record.mark:
            copies = rows["marks"].get(record.mark, 0)
        else:
            copies = rows["keys"].get(stored_key(Kind(record.kind), key), 0)
        stored += copies >= 1
        lost += copies == 0
        duplicated += copies > 1
    streams = [since_return(phone, moment) for phone, moment in tally.streams.items()]
    return {
        "seconds": seconds,
        "at": at,
        "cut_at_s": round(cut_at - start, 1),
        "connections_reset": sum(count for _moment, count in tally.cut.values()),
        "phase_changes_during": [phase for phase, moment in phase_times.items() if cut_at <= moment <= back_at],
        "phones": len(phones),
        "back": {**summary(back), "all_ms": _all(back, not_back), "not_back": not_back},
        "sends_queued": len(queued),
        "queued_acknowledged": {**summary(answered), "all_ms": _all(answered, len(queued) - len(answered))},
        "queued_stored": stored,
        "queued_lost": lost,
        "queued_duplicated": duplicated,
        "queued_refused": refused,
        "queued_held_for_review": sum(1 for record in queued if record.said == "held"),
        "queued_never_answered": unanswered,
        "tries": sum(record.tries for record in queued),
        "taps_queued": len(taps),
        "taps_queued_answered": sum(1 for record in taps if record.status == 200),
        "taps_put_off": tally.deferred,
        "failed_while_cut": tally.failures,
        "streams_reopened": {**summary(streams), "not_reopened": sum(1 for p in phones if p not in tally.streams)},
        "errors": sum(1 for moment in error_times if moment >= cut_at),
    }


def _all(times: list[float], missing: int) -> float | None:
    """How long until every one: the slowest, when none is missing."""
    return round(max(times) * 1000, 1) if times and not missing else None


def _rows(database: dict[str, Any] | None) -> dict[str, Counter[str]]:
    """The session's rows: how many carry each marker, and each stored key."""
    marks: Counter[str] = Counter()
    keys: Counter[str] = Counter()
    for body, _status in (database or {}).get("bodies", []):
        marks.update(screens.MARKER.findall(body))
    keys.update((database or {}).get("client_keys", []))
    return {"marks": marks, "keys": keys}
