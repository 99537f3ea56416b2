"""How a phone follows the room: redraw for changes, but never throw away words being written."""

from __future__ import annotations

from hopecircle.domain import Contribution, Kind, LiveState, ParticipantView, Phase
from hopecircle.ui.following import holds_for_writing, signature, writing


def state(phase: Phase, status: str = "open", approved: int = 0, push: int = 0) -> LiveState:
    return LiveState(1, phase, status, 0, 1, approved, push)


def view_with(*kinds: Kind) -> ParticipantView:
    view = ParticipantView(participant_id=1, session=None, language="en")  # type: ignore[arg-type]
    view.contributions = [_contribution(n, kind) for n, kind in enumerate(kinds)]
    return view


def _contribution(n: int, kind: Kind) -> Contribution:
    fields = {name: None for name in Contribution.__dataclass_fields__}
    fields.update(id=n, kind=kind, body="words")
    return Contribution(**fields)


def test_a_new_phase_is_drawn_at_once_on_a_phone_that_is_not_writing():
    assert not holds_for_writing(state(Phase.CHECKIN), Phase.WELCOME, view_with())
    assert not holds_for_writing(state(Phase.NEXT_STEP), Phase.REFLECT, view_with(Kind.REFLECTION))


def test_a_new_phase_waits_for_a_tap_while_a_form_is_being_written():
    assert holds_for_writing(state(Phase.NEXT_STEP), Phase.REFLECT, view_with())
    assert holds_for_writing(state(Phase.BOARD), Phase.NEXT_STEP, view_with(Kind.REFLECTION))


def test_the_same_phase_and_a_closed_session_never_hold_the_screen():
    assert not holds_for_writing(state(Phase.REFLECT, push=1), Phase.REFLECT, view_with())  # support lines shared
    assert not holds_for_writing(state(Phase.CLOSE, status="closed"), Phase.REFLECT, view_with())  # nothing to send


def test_a_phone_redraws_for_what_it_shows_and_nothing_else():
    assert signature(state(Phase.REFLECT)) == signature(state(Phase.REFLECT, approved=40))
    assert signature(state(Phase.BOARD, approved=3)) != signature(state(Phase.BOARD, approved=4))
    assert signature(state(Phase.BOARD, approved=40)) == signature(state(Phase.BOARD, approved=41))  # shows 12
    assert signature(state(Phase.REFLECT)) != signature(state(Phase.REFLECT, push=1))


def test_writing_means_a_sentence_form_with_nothing_sent_yet():
    assert writing(view_with(), Phase.REFLECT)
    assert not writing(view_with(Kind.REFLECTION), Phase.REFLECT)
    assert writing(view_with(Kind.REFLECTION), Phase.NEXT_STEP)
    assert not writing(view_with(Kind.GOAL), Phase.NEXT_STEP)
    assert not writing(view_with(), Phase.CHECKIN) and not writing(view_with(), Phase.BOARD)


def test_ticks_for_replaced_fragments_do_not_fill_the_log():
    """After a redraw, a tick or a watcher's wake may name a fragment the new page replaced."""
    import logging

    from hopecircle.ui.wiring import quiet_streamlit_noise

    quiet_streamlit_noise()
    quiet_streamlit_noise()  # once per process is enough; a second call adds nothing
    streamlit_log = logging.getLogger("streamlit.runtime.app_session")
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.DEBUG)
    handler.emit = records.append  # type: ignore[method-assign]
    streamlit_log.addHandler(handler)
    level = streamlit_log.level
    streamlit_log.setLevel(logging.DEBUG)
    runner_log = logging.getLogger("streamlit.runtime.scriptrunner.script_runner")
    runner_log.addHandler(handler)
    try:
        streamlit_log.info("The fragment with id %s does not exist anymore - it might have been removed.", "abc")
        runner_log.warning("Couldn't find fragment with id %s. This can happen if ...", "abc")
        streamlit_log.warning("Something else went wrong")
    finally:
        streamlit_log.removeHandler(handler)
        runner_log.removeHandler(handler)
        streamlit_log.setLevel(level)
    assert [record.getMessage() for record in records] == ["Something else went wrong"]
    assert len(streamlit_log.filters) == 1 and len(runner_log.filters) == 1
