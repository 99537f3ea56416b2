"""A whole session in AppTest: a facilitator and two phones, through every phase to the close."""

from __future__ import annotations

from hopecircle.domain import Phase
from hopecircle.services import accounts, board, sessions
from tests.app.conftest import page, phone_cards, projected, signed_in, tap_me_too, texts
from tests.conftest import PASSWORD


def test_first_start_asks_for_the_setup_code_and_creates_the_first_account(app_ctx):
    at = page("console")
    assert "Welcome to HopeCircle" in texts(at)
    form = {w.label: w for w in at.text_input}
    form["Setup code"].input("WRONG-CODE")
    form["Username"].input("ada")
    form["Your name (shown only to staff)"].input("Ada")
    form["Password (at least 10 characters)"].input(PASSWORD)
    form["Password again"].input(PASSWORD)
    at.button[0].click().run()
    assert "setup code isn't right" in texts(at)
    {w.label: w for w in at.text_input}["Setup code"].input(accounts.setup_code(app_ctx))
    at.button[0].click().run()
    assert at.session_state["account"].username == "ada"
    assert "Start a session" in texts(at)


def test_a_whole_session_with_two_phones(app_ctx, admin_account):
    # The facilitator starts a session from the console.
    console = signed_in("console", admin_account)
    console.selectbox[0].set_value("steady-hands")
    console.text_input[0].input("Tuesday circle")
    console.button[0].click().run()
    assert not console.exception
    raw = console.query_params["session"]
    session_id = int(raw if isinstance(raw, str) else raw[0])
    session = sessions.get_session(app_ctx, admin_account, session_id)
    assert "Join code" in texts(console) and session.code in texts(console)

    # Two phones open the join URL, read the consent screen and join.
    phones = []
    for _ in range(2):
        phone = page("join", code=session.code)
        assert "Before you join" in texts(phone) and "not a crisis service" in texts(phone)
        next(b for b in phone.button if b.label == "I understand, join").click().run()
        assert phone.query_params["p"]
        assert "Welcome" in texts(phone)
        phones.append(phone)

    # Check-in: a word and the hope pulse on each phone.
    sessions.set_phase(app_ctx, admin_account, session_id, Phase.CHECKIN)
    for n, phone in enumerate(phones):
        phone.run()
        assert "How are you arriving today?" in texts(phone)
        phone.text_input(key="word-checkin-text").input(["hopeful", "tired"][n])
        next(b for b in phone.button if b.label == "Send").click().run()
        phone.pills(key="pulse-pre-value").set_value(4 + n)
        next(b for b in phone.button if b.label == "Save").click().run()
        assert not phone.exception

    # Reflect: each phone shares a reflection; one of them tries HTML.
    sessions.set_phase(app_ctx, admin_account, session_id, Phase.REFLECT)
    words = ["The dog walks stayed with me", "<b>asking</b> for help **is** strength"]
    for phone, text in zip(phones, words, strict=True):
        phone.run()
        phone.text_area(key="reflection-text").input(text)
        next(b for b in phone.button if b.label == "Share").click().run()
        assert "The facilitator will add it to the board" in texts(phone)
        assert phone.text_area(key="reflection-text").value == ""

    # Next step: one goal.
    sessions.set_phase(app_ctx, admin_account, session_id, Phase.NEXT_STEP)
    phones[0].run()
    phones[0].text_input(key="goal-what").input("call my brother")
    phones[0].text_input(key="goal-when").input("Friday")
    next(b for b in phones[0].button if b.label == "Save my next step").click().run()

    # The facilitator approves everything in the queue.
    console.run()
    approve_all = next(b for b in console.button if b.label.startswith("Approve all"))
    approve_all.click().run()
    view = board.board_view(app_ctx, session)
    assert view.approved_count == 3

    # The projector shows the cards, literally, on the hope-board phase.
    sessions.set_phase(app_ctx, admin_account, session_id, Phase.BOARD)
    projector = page("board", key=session.board_key)
    shown = texts(projector)
    assert "The dog walks stayed with me" in shown
    # As data, exactly as typed: the projector's browser sets it as text, no HTML block carries it.
    assert "<b>asking</b> for help **is** strength" in [item["text"] for item in projected(projector, "cards")]
    assert not any("<b>asking" in el.proto.body for el in projector.get("html"))
    assert "I will call my brother by Friday" in shown

    # A phone adds a "me too" to a card.
    phones[1].run()
    card = next(card for card in phone_cards(phones[1]) if card["text"] == "The dog walks stayed with me")
    assert (card["label"], card["added"]) == ("Me too (0)", False)
    tap_me_too(phones[1], card["id"])
    card = next(c for c in phone_cards(phones[1]) if c["id"] == card["id"])
    assert (card["label"], card["added"]) == ("Me too ✓ (1)", True)
    phones[0].run()  # everyone's board counts it
    assert [c["label"] for c in phone_cards(phones[0]) if c["id"] == card["id"]] == ["Me too (1)"]

    # Close: both phones see the close screen with resources; the session is read-only.
    sessions.close_session(app_ctx, admin_account, session_id)
    for phone in phones:
        phone.run()
        assert "Thank you for being here" in texts(phone)
        assert "988" in texts(phone)
    assert "I will call my brother" in texts(phones[0])
    projector.run()
    assert "Thank you" in texts(projector)
