"""Small pieces every screen uses: safe text, errors, crisis lines, page styles."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from pathlib import Path

import streamlit as st

from hopecircle.crisis import crisis_lines
from hopecircle.domain import WorkshopError
from hopecircle.i18n import t
from hopecircle.services import organization
from hopecircle.ui.wiring import context

STATIC = Path(__file__).parent / "static"


def use_styles(*names: str) -> None:
    """Apply the named stylesheets from ui/static/ to this page."""
    for name in names:
        st.html(STATIC / f"{name}.css")


def escaped(text: str | None) -> str:
    """Participant text made inert for HTML: shown literally, never interpreted."""
    return html.escape(text or "", quote=True).replace("\n", "<br>")


def participant_text(text: str, css_class: str = "hc-text") -> None:
    """Show words a participant typed exactly as typed: no Markdown, no HTML, no links."""
    st.html(f'<div class="{css_class}">{escaped(text)}</div>')


def guide_markdown(body: str, *, shift: int = 2) -> None:
    """A guide's Markdown with its headings made smaller, to sit inside a panel."""
    st.markdown(re.sub(r"^(#{1,6}) ", lambda m: "#" * min(6, len(m.group(1)) + shift) + " ", body, flags=re.MULTILINE))


def bullet_list(items: Iterable[str]) -> None:
    """One list (not one list per item), with each item shown literally."""
    rows = "".join(f"<li>{escaped(item)}</li>" for item in items)
    if rows:
        st.html(f'<ul class="hc-list">{rows}</ul>')


def show_error(error: WorkshopError) -> None:
    """A clear sentence for a broken rule, in the reader's language."""
    st.error(t(error.message_key, **error.params), icon=":material/info:")


def crisis_bar(language: str) -> None:
    """The one-tap line to 988, at the top of every participant screen."""
    lines = crisis_lines(language).lines
    lifeline = lines[0]
    with st.container(key="crisis-bar", horizontal=True, vertical_alignment="center", gap="small"):
        st.caption(t("crisis.bar", lang=language))
        if lifeline.short:
            st.html(f'<div class="hc-crisis-short">{escaped(lifeline.short)}</div>')
        if lifeline.call_url:
            st.link_button(
                t("crisis.call", lang=language, number=lifeline.call), lifeline.call_url, icon=":material/call:"
            )
        if lifeline.text_url:
            st.link_button(
                t("crisis.text", lang=language, number=lifeline.text), lifeline.text_url, icon=":material/sms:"
            )


def crisis_panel(language: str, *, expanded: bool = False) -> None:
    """Every support line, with how to reach it, and the plain statement of what this tool is not."""
    directory = crisis_lines(language, organization.cached_settings(context()).local_lines)
    with st.expander(t("crisis.panel_title", lang=language), expanded=expanded, icon=":material/support:"):
        st.write(t("crisis.not_monitored", lang=language))
        for line in directory.lines:
            # Local lines are typed by an admin: shown as text, never as Markdown.
            st.html(f"<div><strong>{escaped(line.name)}</strong><br>{escaped(line.detail)}</div>")
            buttons = [(t("crisis.call", lang=language, number=line.call), line.call_url)] if line.call_url else []
            if line.text_url:
                buttons.append((t("crisis.text", lang=language, number=line.text), line.text_url))
            if buttons:
                with st.container(horizontal=True):
                    for label, url in buttons:
                        st.link_button(label, url)
        st.caption(t("crisis.verified", lang=language, date=directory.last_verified.isoformat()))
