"""The page-run gate: a few runs at a time, in order of arrival, people's own actions first."""

from __future__ import annotations

import threading
import time

import pytest
from streamlit.runtime.scriptrunner_utils.script_requests import ScriptRequests, ScriptRequestType

from hopecircle.live.gate import LeftTheLine, PriorityGate


class Runs:
    """Threads that each take a slot, note their name, and hold it until told to finish."""

    def __init__(self, gate: PriorityGate) -> None:
        self.gate = gate
        self.order: list[str] = []
        self.finish: dict[str, threading.Event] = {}
        self.threads: dict[str, threading.Thread] = {}
        self.cancel: dict[str, threading.Event] = {}
        self.left: list[str] = []

    def start(self, name: str, *, urgent: bool) -> None:
        self.finish[name] = threading.Event()
        self.cancel[name] = threading.Event()

        def run() -> None:
            try:
                with self.gate.slot(urgent, self.cancel[name].is_set):
                    self.order.append(name)
                    self.finish[name].wait(5)
            except LeftTheLine:
                self.left.append(name)

        self.threads[name] = threading.Thread(target=run, daemon=True)
        self.threads[name].start()
        time.sleep(0.05)  # arrivals in a known order

    def end(self, name: str) -> None:
        self.finish[name].set()
        self.threads[name].join(5)
        time.sleep(0.05)


def test_three_runs_at_a_time_and_the_rest_in_order_of_arrival():
    runs = Runs(PriorityGate(slots=3))
    for name in ("a", "b", "c", "d", "e"):
        runs.start(name, urgent=True)
    assert runs.order == ["a", "b", "c"]
    runs.end("b")
    assert runs.order == ["a", "b", "c", "d"]
    runs.end("a")
    assert runs.order == ["a", "b", "c", "d", "e"]
    for name in ("c", "d", "e"):
        runs.end(name)
    assert runs.gate.admitted == {True: 5, False: 0} and runs.gate.running() == (0, 0)


def test_a_send_goes_before_redraws_that_were_waiting_longer():
    runs = Runs(PriorityGate(slots=2))
    runs.start("redraw-1", urgent=False)
    runs.start("redraw-2", urgent=False)  # background runs never take the last slot: waits
    runs.start("redraw-3", urgent=False)
    runs.start("send", urgent=True)  # the kept slot: straight in
    assert runs.order == ["redraw-1", "send"]
    runs.start("join", urgent=True)
    assert runs.gate.waiting() == (1, 2)
    runs.end("redraw-1")
    assert runs.order == ["redraw-1", "send", "join"]
    runs.end("send")
    runs.end("join")
    assert runs.order == ["redraw-1", "send", "join", "redraw-2"]
    runs.end("redraw-2")
    assert runs.order[-1] == "redraw-3"
    runs.end("redraw-3")
    assert runs.gate.admitted == {True: 2, False: 3} and runs.gate.running() == (0, 0)


def test_a_run_called_off_while_waiting_leaves_the_line_without_taking_a_slot():
    runs = Runs(PriorityGate(slots=2, check_seconds=0.02))
    runs.start("send-1", urgent=True)
    runs.start("send-2", urgent=True)
    runs.start("tapped-again", urgent=True)  # both slots taken: waits
    runs.start("redraw", urgent=False)
    runs.cancel["tapped-again"].set()  # Streamlit stopped this run and started a new one
    time.sleep(0.1)
    assert runs.left == ["tapped-again"] and runs.gate.waiting() == (0, 1)
    runs.end("send-1")
    assert runs.order == ["send-1", "send-2", "redraw"]
    runs.end("send-2")
    runs.end("redraw")
    assert runs.gate.admitted == {True: 2, False: 1} and runs.gate.running() == (0, 0)


def test_a_slot_is_given_back_when_the_run_fails():
    gate = PriorityGate(slots=2)
    with pytest.raises(RuntimeError), gate.slot(True):
        raise RuntimeError("the page failed")
    assert gate.running() == (0, 0)


def test_a_waiter_whose_check_fails_leaves_the_line_and_no_slot_is_lost():
    gate = PriorityGate(slots=2, check_seconds=0.01)
    runs = Runs(gate)
    runs.start("redraw", urgent=False)  # the one slot background runs may hold
    failures: list[BaseException] = []

    def broken() -> None:
        try:
            with gate.slot(False, cancelled=lambda: 1 / 0):
                pass
        except ZeroDivisionError as error:
            failures.append(error)

    waiter = threading.Thread(target=broken)
    waiter.start()
    waiter.join(5)
    assert len(failures) == 1 and gate.waiting() == (0, 0)
    runs.end("redraw")
    assert gate.running() == (0, 0) and gate.admitted == {True: 0, False: 1}


def test_a_gate_keeps_a_slot_for_urgent_runs():
    with pytest.raises(ValueError):
        PriorityGate(slots=1)


def test_streamlit_still_marks_a_stopped_run_where_the_gate_looks():
    """ui/admission.py reads the private `ScriptRequests._state` to see a run called off."""
    requests = ScriptRequests()
    assert requests._state is ScriptRequestType.CONTINUE
    requests.request_stop()
    assert requests._state is ScriptRequestType.STOP
