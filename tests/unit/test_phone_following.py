"""How a phone follows the room: redraw for changes, but never throw away words being written."""

from __future__ import annotations

from hopecircle.domain import Contribution, Kind, LiveState, ParticipantView, Phase
from hopecircle.ui.following import next_move, phone_signature, writing


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


def test_nothing_changed_means_stay():
    now = state(Phase.REFLECT)
    assert next_move(now, phone_signature(now), writing=True) == "stay"
    assert next_move(None, phone_signature(now), writing=False) == "stay"


def test_a_new_phase_redraws_a_phone_that_is_not_writing():
    seen = phone_signature(state(Phase.WELCOME))
    assert next_move(state(Phase.CHECKIN), seen, writing=False) == "redraw"


def test_a_new_phase_asks_first_while_a_form_is_being_written():
    seen = phone_signature(state(Phase.REFLECT))
    assert next_move(state(Phase.NEXT_STEP), seen, writing=True) == "ask"


def test_other_changes_and_closing_still_redraw_a_writing_phone():
    seen = phone_signature(state(Phase.REFLECT))
    assert next_move(state(Phase.REFLECT, push=1), seen, writing=True) == "redraw"  # support lines shared
    assert next_move(state(Phase.CLOSE, status="closed"), seen, writing=True) == "redraw"  # nothing can be sent


def test_writing_means_a_sentence_form_with_nothing_sent_yet():
    assert writing(view_with(), Phase.REFLECT)
    assert not writing(view_with(Kind.REFLECTION), Phase.REFLECT)
    assert writing(view_with(Kind.REFLECTION), Phase.NEXT_STEP)
    assert not writing(view_with(Kind.GOAL), Phase.NEXT_STEP)
    assert not writing(view_with(), Phase.CHECKIN) and not writing(view_with(), Phase.BOARD)
