"""Organization (admins only): facilitator accounts and the organization's settings."""

import streamlit as st

from hopecircle.domain import Role, WorkshopError
from hopecircle.i18n import t
from hopecircle.safety import ProfanityPolicy
from hopecircle.services import accounts, organization
from hopecircle.ui.auth import require_account
from hopecircle.ui.widgets import show_error, use_styles
from hopecircle.ui.wiring import context

use_styles("console")
admin = require_account(admin=True)
ctx = context()
st.title(t("admin.title"))


def attempt(action, *args, success: str | None = None) -> None:  # type: ignore[no-untyped-def]
    """Run a service call; show its refusal as a sentence, or a short confirmation."""
    try:
        action(ctx, admin, *args)
    except WorkshopError as error:
        show_error(error)
        return
    if success:
        st.success(success)


people, settings_tab = st.tabs([t("admin.tab_accounts"), t("admin.tab_settings")])

with people:
    for status in accounts.account_statuses(ctx, admin):
        person = status.account
        with st.container(border=True):
            name, role, state, actions = st.columns([3, 2, 2, 3], vertical_alignment="center")
            name.markdown(f"**{person.display_name}**")
            name.caption(person.username)
            role.write(t(f"admin.role_{person.role.value}"))
            state.write(t("admin.active") if status.active else t("admin.inactive"))
            if status.wrong_passwords:
                state.caption(t("admin.wrong_passwords", count=status.wrong_passwords))
                if state.button(t("admin.allow_sign_in"), key=f"allow-{person.id}"):
                    attempt(
                        accounts.allow_sign_in_now,
                        person.id,
                        success=t("admin.sign_in_allowed", name=person.display_name),
                    )
            if person.id != admin.id:
                toggle = t("admin.deactivate") if status.active else t("admin.reactivate")
                if actions.button(toggle, key=f"active-{person.id}"):
                    attempt(accounts.set_account_active, person.id, not status.active)
                    st.rerun()
            with actions.popover(t("admin.reset_password")), st.form(f"reset-{person.id}"):
                new = st.text_input(t("auth.new_password"), type="password", autocomplete="new-password")
                if st.form_submit_button(t("admin.reset_password")):
                    attempt(accounts.reset_password, person.id, new, success=t("admin.password_reset"))
    st.subheader(t("admin.new_account"))
    with st.form("new-account", clear_on_submit=True):
        display_name = st.text_input(t("admin.display_name"))
        username = st.text_input(t("auth.username"))
        password = st.text_input(t("auth.new_password"), type="password", autocomplete="new-password")
        role = st.radio(
            t("admin.role"), [Role.FACILITATOR, Role.ADMIN], format_func=lambda r: t(f"admin.role_{r.value}")
        )
        if st.form_submit_button(t("admin.create"), type="primary"):
            attempt(accounts.create_account, username, display_name, password, role, success=t("admin.created"))

with settings_tab:
    current = organization.get_settings(ctx)
    with st.form("org-settings"):
        name = st.text_input(t("admin.organization_name"), value=current.organization_name, max_chars=120)
        retention = st.number_input(
            t("admin.retention_days"), 1, 3650, current.retention_days, help=t("admin.retention_help")
        )
        threshold = st.number_input(
            t("admin.suppression_threshold"), 3, 50, current.suppression_threshold, help=t("admin.suppression_help")
        )
        reveal = st.number_input(
            t("admin.reveal_threshold"), 0, 50, current.reveal_threshold, help=t("admin.reveal_help")
        )
        policies = list(ProfanityPolicy)
        profanity = st.selectbox(
            t("admin.profanity_policy"),
            policies,
            index=policies.index(current.profanity_policy),
            format_func=lambda p: t(f"admin.profanity_{p.value}"),
        )
        programs = st.text_area(t("admin.program_labels"), value=current.program_labels, help=t("admin.programs_help"))
        lines = st.text_area(
            t("admin.local_crisis_lines"), value=current.local_crisis_lines, help=t("admin.local_lines_help")
        )
        if st.form_submit_button(t("admin.save_settings"), type="primary"):
            attempt(
                lambda c, by: organization.update_settings(
                    c,
                    by,
                    organization_name=name.strip(),
                    retention_days=int(retention),
                    suppression_threshold=int(threshold),
                    reveal_threshold=int(reveal),
                    profanity_policy=profanity,
                    program_labels=programs.strip(),
                    local_crisis_lines=lines.strip(),
                ),
                success=t("admin.settings_saved"),
            )
