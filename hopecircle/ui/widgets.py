"""Small pieces every screen uses: safe text, errors, crisis lines, page styles."""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import streamlit as st

from hopecircle.crisis import CrisisLine, crisis_lines
from hopecircle.domain import WorkshopError
from hopecircle.i18n import t
from hopecircle.services import organization
from hopecircle.ui.wiring import context

STATIC = Path(__file__).parent / "static"


def static_component(name: str, stem: str, *, css: bool = True) -> Any:
    """A `st.components.v2` component whose code is `static/<stem>.js` (and its look `<stem>.css`).

    Define it once per process (callers keep it in a `functools.cache`): defining it registers it.
    """
    return st.components.v2.component(
        name,
        js=(STATIC / f"{stem}.js").read_text(encoding="utf-8"),
        css=(STATIC / f"{stem}.css").read_text(encoding="utf-8") if css else None,
    )


def use_styles(*names: str) -> None:
    """Apply the named stylesheets from ui/static/ to this page."""
    for name in names:
        st.html(_stylesheet(name))


@functools.cache
def _stylesheet(name: str) -> str:
    # Read once per process: every run of every phone sends its page's styles again. On one line
    # without comments: st.html dedents and scans its whole text on every call, line by line.
    css = (STATIC / f"{name}.css").read_text(encoding="utf-8")
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    return f"<style>{' '.join(css.split())}</style>"


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
    st.html(_crisis_bar_html(language))


@functools.cache
def _crisis_bar_html(language: str) -> str:
    # One block of plain links, built once per language: the bar is on every run of every phone,
    # and as a row of Streamlit elements (caption, text, two link buttons) it cost five.
    lifeline = crisis_lines(language).lines[0]
    short = f'<span class="hc-crisis-short">{escaped(lifeline.short)}</span>' if lifeline.short else ""
    return (
        f'<div class="hc-crisis-bar"><span class="hc-crisis-lead">{escaped(t("crisis.bar", lang=language))}</span>'
        f"{short}{_reach_links(lifeline, language)}</div>"
    )


def _reach_links(line: CrisisLine, language: str) -> str:
    """One-tap call and text links for a line (tel: and sms: open the phone's own apps)."""
    links = []
    if line.call_url:
        links.append((line.call_url, "📞", t("crisis.call", lang=language, number=line.call_shown)))
    if line.text_url:
        links.append((line.text_url, "💬", t("crisis.text", lang=language, number=line.text)))
    if not links:
        return ""
    anchors = "".join(
        f'<a class="hc-crisis-link" href="{html.escape(url, quote=True)}"><span aria-hidden="true">{icon}</span>{escaped(label)}</a>'
        for url, icon, label in links
    )
    return f'<span class="hc-crisis-links">{anchors}</span>'


def crisis_panel(language: str, *, expanded: bool = False) -> None:
    """Every support line, with how to reach it, and the plain statement of what this tool is not."""
    directory = crisis_lines(language, organization.cached_settings(context()).local_lines)
    with st.expander(t("crisis.panel_title", lang=language), expanded=expanded, icon=":material/support:"):
        st.write(t("crisis.not_monitored", lang=language))
        # One block for all the lines (local ones are typed by an admin: escaped, never Markdown);
        # as separate elements the five national lines alone were twenty on every run showing them.
        st.html(
            "".join(
                f'<div class="hc-crisis-line"><strong>{escaped(line.name)}</strong><br>{escaped(line.detail)}'
                f"{_reach_links(line, language)}</div>"
                for line in directory.lines
            )
        )
        st.caption(t("crisis.verified", lang=language, date=directory.last_verified.isoformat()))
