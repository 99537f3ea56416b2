"""The router's menu: built once per language and role, handed out as fresh pages every run."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.app.conftest import TIMEOUT, new_app, page


def _menu_script() -> None:
    import streamlit as st

    from hopecircle.domain import Account, Role
    from hopecircle.ui.navigation import menu
    from hopecircle.ui.wiring import use_language

    admin = Account(id=1, username="ada", display_name="Ada", role=Role.ADMIN)
    first, second = menu(None), menu(None)
    room, staff = first.values()
    st.text(f"fresh: {all(a is not b for a, b in zip(room, second['In the room'], strict=True))}")
    st.text(f"same: {[p.title for p in room] == [p.title for p in second['In the room']]}")
    st.text(f"admin for others: {staff[-1].visibility}")
    st.text(f"admin for admins: {menu(admin)['Facilitators'][-1].visibility}")
    use_language("es")
    spanish = menu(None)
    st.text("sections: " + ", ".join(spanish))
    st.text("titles: " + ", ".join(p.title for p in next(iter(spanish.values()))))


def test_every_run_gets_its_own_pages_in_the_tabs_language(app_ctx):
    at = AppTest.from_function(_menu_script, default_timeout=TIMEOUT).run()
    assert not at.exception
    shown = [element.value for element in at.text]
    assert shown == [
        "fresh: True",
        "same: True",
        "admin for others: hidden",
        "admin for admins: visible",
        "sections: En la sala, Equipo facilitador",
        "titles: Unirse a una sesión, Proyector, Privacidad",
    ]


def test_page_runs_go_through_the_gate_and_a_phones_own_redraw_waits_behind_peoples_actions(app_ctx):
    from hopecircle.process import GATE
    from hopecircle.ui.admission import BACKGROUND_KEY

    # (AppTest runs the router only on a tab's first run: each case is a new tab.)
    before = dict(GATE.admitted)
    page("join")
    assert GATE.admitted == {True: before[True] + 1, False: before[False]}
    redraw = new_app()
    redraw.session_state[BACKGROUND_KEY] = True  # a page run marked as not for something the person did
    redraw.run()
    assert GATE.admitted == {True: before[True] + 1, False: before[False] + 1}
    assert BACKGROUND_KEY not in redraw.session_state  # the mark is for one run only
    assert not redraw.exception and redraw.text_input(key="code") is not None
    assert GATE.waiting() == (0, 0)
