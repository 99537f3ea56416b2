"""The console's review of what phones send: the queue, each item's actions, the safe one first.

A risk alert not yet reviewed is not in the queue: it is in the alert band at the top
(`console_live.alert_band`), with the same actions. On anything that may signal risk, keeping it
hidden is the prominent action and showing it on the board asks a second time.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from hopecircle.domain import Account, Status
from hopecircle.i18n import t
from hopecircle.services import moderation, support
from hopecircle.services.moderation import ReviewItem
from hopecircle.ui import console_names
from hopecircle.ui.console import act
from hopecircle.ui.widgets import escaped
from hopecircle.ui.wiring import context


def review_queue(account: Account, session_id: int, items: tuple[ReviewItem, ...]) -> None:
    """Pending and held contributions (open risk alerts are in the band), oldest first."""
    pending = sum(1 for item in items if item.contribution.status is Status.PENDING)
    header = st.container(horizontal=True, vertical_alignment="center")
    header.html(f'<h2 class="hc-queue-title">{escaped(t("console.queue_title", count=len(items)))}</h2>')
    if pending:
        header.button(
            t("console.approve_all", count=pending),
            on_click=act,
            args=(moderation.approve_all_pending, account, session_id),
        )
    if not items:
        st.caption(t("console.queue_empty"))
    # Who else acted (a co-facilitator) is said in this console only, never to the room.
    names = console_names.staff_names(account, session_id)
    for item in items:
        with st.container(border=True, key=f"hc-item-{item.contribution.id}"):
            if moderation.REVIEWED_FLAG in item.contribution.flags:
                console_names.by_line(account, names, item.contribution.moderated_by, "team.reviewed_by")
            item_text(item)
            item_actions(account, item)
    for noted in (request for request in support.requests_for(context(), account, session_id) if request.acknowledged):
        console_names.by_line(account, names, noted.acknowledged_by, "team.noted_by", note=noted.note or "—")


def item_text(item: ReviewItem) -> None:
    """The words as typed (personal details marked), why they were held, and what the screener matched."""
    c = item.contribution
    parts = [f'<div class="hc-text">{_highlighted(c.body, item.details["body"])}</div>']
    extra = []
    if c.goal_when:
        extra.append(escaped(t("goal.by", when="")) + _highlighted(c.goal_when, item.details["goal_when"]))
    if c.goal_support:
        extra.append(_highlighted(c.goal_support, item.details["goal_support"]))
    if extra:
        parts.append(f'<div class="hc-meta">{" · ".join(extra)}</div>')
    reasons = [t(f"flag.{flag.split(':')[-1]}") for flag in c.flags if flag != moderation.REVIEWED_FLAG]
    why = [t("kind." + c.kind.value)]
    if reasons:
        why.append(t("console.flagged_for", reasons=", ".join(reasons)))
    if item.risk:
        # The matched words are the participant's: shown escaped, never as Markdown.
        why.append(t("console.matched", phrases="; ".join(hit.phrase for hit in item.risk)))
    if item.caution:
        why.append(t("console.caution", phrases="; ".join(hit.phrase for hit in item.caution)))
    parts.append(f'<div class="hc-meta">{escaped(" · ".join(why))}</div>')
    st.html(f'<div class="hc-item">{"".join(parts)}</div>')


def item_actions(account: Account, item: ReviewItem) -> None:
    """The buttons for one item: on risk the safe action first, "approve anyway" only after a second click."""
    c = item.contribution
    key = f"act-{c.id}"
    confirm = f"{key}-confirm"

    def do(action: Callable[..., object], *args: object, **kwargs: object) -> Callable[[], None]:
        def run() -> None:
            st.session_state.pop(confirm, None)
            act(action, *args, **kwargs)

        return run

    with st.container(horizontal=True, vertical_alignment="center", width="content", key=f"hc-actions-{c.id}"):
        if item.is_risk_alert and st.session_state.get(confirm):
            st.html(f'<p class="hc-confirm">{escaped(t("console.approve_anyway_confirm"))}</p>')
            st.button(
                t("console.keep_hidden_instead"),
                key=f"{key}-hide",
                type="primary",
                on_click=do(moderation.hide, account, c.id),
            )
            st.button(t("console.approve_anyway_yes"), key=f"{key}-yes", on_click=do(moderation.approve, account, c.id))
            if item.redactable:
                st.button(
                    t("console.approve_anyway_redacted"),
                    key=f"{key}-yes-redact",
                    on_click=do(moderation.approve, account, c.id, redacted=True),
                )
            st.button(t("console.cancel"), key=f"{key}-cancel", on_click=lambda: st.session_state.pop(confirm, None))
            return
        if item.is_risk_alert:
            st.button(t("console.hide"), key=f"{key}-hide", type="primary", on_click=do(moderation.hide, account, c.id))
            if item.alert_open:
                st.button(
                    t("console.mark_reviewed"),
                    key=f"{key}-seen",
                    type="primary",
                    on_click=do(moderation.mark_reviewed, account, c.id),
                )
            st.button(
                t("console.approve_anyway"),
                key=f"{key}-anyway",
                on_click=lambda: st.session_state.update({confirm: True}),
            )
        elif item.redactable:
            st.button(
                t("console.approve_redacted"),
                key=f"{key}-redact",
                type="primary",
                on_click=do(moderation.approve, account, c.id, redacted=True),
            )
            st.button(t("console.approve_as_written"), key=f"{key}-ok", on_click=do(moderation.approve, account, c.id))
            st.button(t("console.hide"), key=f"{key}-hide", on_click=do(moderation.hide, account, c.id))
        else:
            st.button(
                t("console.approve"), key=f"{key}-ok", type="primary", on_click=do(moderation.approve, account, c.id)
            )
            st.button(t("console.hide"), key=f"{key}-hide", on_click=do(moderation.hide, account, c.id))
        st.button(
            t("console.delete"),
            key=f"{key}-delete",
            icon=":material/delete:",
            on_click=do(moderation.remove, account, c.id),
        )


def _highlighted(text: str, details: tuple) -> str:  # type: ignore[type-arg]
    """The text, escaped, with each personal detail marked so the facilitator sees what would be redacted."""
    out, cursor = [], 0
    for detail in details:
        out.append(escaped(text[cursor : detail.start]))
        out.append(f'<mark class="hc-mark">{escaped(text[detail.start : detail.end])}</mark>')
        cursor = detail.end
    out.append(escaped(text[cursor:]))
    return "".join(out)
