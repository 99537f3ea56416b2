"""The story-authoring screen in AppTest: write, check, preview, save, pick for a session, export."""

from __future__ import annotations

from hopecircle.content import SECTION_ROLES
from hopecircle.services import library
from tests.app.conftest import signed_in, texts
from tests.integration.test_library import PARAGRAPH


def fill(at, **values):
    for key, value in values.items():
        widget = (
            at.text_input(key=f"draft-{key}")
            if key in ("title", "storyteller", "next_step_prompt")
            else at.text_area(key=f"draft-{key}")
        )
        widget.input(value)


def test_writing_a_story_end_to_end(app_ctx, admin_account):
    at = signed_in("authoring", admin_account)
    assert "Keep private" in texts(at)
    fill(
        at,
        title="Open Doors",
        storyteller="Lee",
        next_step_prompt="What door could you open this week?",
        topic_notes="Mentions depression",
        prompts="What stayed with you?\nWho knocks on your door?\nWhat helps on a hard morning?",
        **{role: PARAGRAPH * 2 for role in SECTION_ROLES},
    )
    at.multiselect(key="draft-themes").set_value(["depression"])
    at.multiselect(key="draft-dimensions").set_value(["community"])
    next(b for b in at.button if b.label == "Check and preview").click().run()
    assert [e.value for e in at.error] == []
    assert "Preview, as the projector shows it" in texts(at)
    assert "Before we begin, this story:" in texts(at)
    next(b for b in at.button if b.label == "Save").click().run()
    assert "ready to pick when you start a session" in texts(at)
    (saved,) = library.my_drafts(app_ctx, admin_account)
    assert saved.valid and saved.title == "Open Doors"
    assert any(b.label == "Download as a story file" for b in at.get("download_button"))

    console = signed_in("console", admin_account)
    assert "Open Doors — Lee (English, 5 min)" in console.selectbox[0].options


def test_the_language_check_advises_and_an_incomplete_draft_names_its_fields(app_ctx, admin_account):
    at = signed_in("authoring", admin_account)
    fill(at, title="Draft", where_i_was="I was an addict and my first clean test was a relief.")
    next(b for b in at.button if b.label == "Save").click().run()
    shown = texts(at)
    assert "&quot;addict&quot;: consider person in recovery" in shown
    assert "clean test" in shown
    errors = " ".join(e.value for e in at.error)
    assert "Storyteller: is missing or empty" in errors and "The turning point: is missing or empty" in errors
    assert "Saved as a draft" in shown


def test_a_ready_story_offers_its_version_in_the_other_language_and_the_console_lists_both(app_ctx, admin_account):
    from tests.integration.test_library import PARRAFO, valid_draft

    original, _result = library.save_draft(app_ctx, admin_account, valid_draft())
    at = signed_in("authoring", admin_account)
    at.selectbox(key="draft-picker").select(original).run()
    assert "Told in: English" in texts(at)
    write = next(b for b in at.button if b.label == "Write its version in Español")
    write.click().run()
    assert not at.exception
    # A blank Spanish version of this story, with the English one beside it to work from.
    notes = " ".join(i.value for i in at.info)
    assert "A version in Español of “Open Doors”" in notes
    assert at.text_input(key="draft-storyteller").value == "Lee"
    assert at.text_input(key="draft-title").value == ""
    assert any(e.label == "“Open Doors” as you wrote it, to work from" for e in at.expander)
    fill(
        at,
        title="Puertas abiertas",
        next_step_prompt="¿Qué puerta podrías abrir esta semana?",
        topic_notes="Se habla de depresión",
        prompts="¿Qué se te quedó?\n¿Quién toca a tu puerta?\n¿Qué te ayuda en una mañana difícil?",
        **{role: PARRAFO * 2 for role in SECTION_ROLES},
    )
    next(b for b in at.button if b.label == "Save").click().run()
    assert [e.value for e in at.error] == []
    assert "ready to pick when you start a session" in texts(at)
    assert "Told in: English · Español" in texts(at)
    assert not [b for b in at.button if b.label.startswith("Write its version")]
    assert library.story_in(app_ctx, original, "es").title == "Puertas abiertas"

    console = signed_in("console", admin_account)
    assert "Open Doors — Lee (English · Español, 5 min)" in console.selectbox[0].options
