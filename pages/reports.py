"""Reports: one session's summary, figures across sessions, and exports for funders."""

import streamlit as st

from hopecircle.domain import WorkshopError
from hopecircle.i18n import t
from hopecircle.reporting import document, files, summaries
from hopecircle.ui import reports as view
from hopecircle.ui.auth import require_account
from hopecircle.ui.widgets import show_error, use_styles
from hopecircle.ui.wiring import context

CSV, HTML, PDF = "text/csv", "text/html", "application/pdf"

use_styles("console")
account = require_account()
ctx = context()
st.title(t("reports.title"))
one, many = st.tabs([t("reports.tab_session"), t("reports.tab_across")])

with one:
    choices = summaries.report_sessions(ctx, account)
    if not choices:
        st.info(t("reports.no_sessions"))
    else:
        # Streamlit keeps a selectbox's choice by its label: every label names its session's number.
        labels = {s.id: view.session_label(s) for s in choices}
        picked = st.selectbox(t("reports.pick_session"), list(labels), format_func=labels.get, key="report-session")
        try:
            summary = summaries.session_summary(ctx, account, picked)
        except WorkshopError as error:
            show_error(error)
        else:
            view.session_summary(summary)
            name = f"hopecircle-session-{summary.session.day.isoformat()}-{summary.session.id}"
            view.downloads(
                name,
                {
                    t("reports.download_csv"): (lambda: files.summary_csv(summary), "csv", CSV),
                    t("reports.download_cards"): (lambda: files.cards_csv(summary.cards), "cards.csv", CSV),
                    t("reports.download_html"): (
                        lambda: files.to_html(document.session_report(summary)),
                        "html",
                        HTML,
                    ),
                    t("reports.download_pdf"): (lambda: files.to_pdf(document.session_report(summary)), "pdf", PDF),
                },
            )

with many:
    try:
        filters = view.dashboard_filters(summaries.filter_choices(ctx, account), account.is_admin)
        board = summaries.dashboard(ctx, account, filters)
    except WorkshopError as error:
        show_error(error)
    else:
        view.dashboard(board)
        if board.sessions:
            start, end = (d.isoformat() if d else "…" for d in (filters.start, filters.end))
            heading = t("reports.report_range_title", start=start, end=end)
            span = f"{start}-{end}".replace("…", "all")
            view.downloads(
                f"hopecircle-report-{span}",
                {
                    t("reports.download_csv"): (lambda: files.dashboard_csv(board), "csv", CSV),
                    t("reports.download_cards"): (
                        lambda: files.cards_csv(summaries.dashboard_cards(ctx, account, filters)),
                        "cards.csv",
                        CSV,
                    ),
                    t("reports.download_html"): (
                        lambda: files.to_html(document.dashboard_report(board, heading)),
                        "html",
                        HTML,
                    ),
                    t("reports.download_pdf"): (
                        lambda: files.to_pdf(document.dashboard_report(board, heading)),
                        "pdf",
                        PDF,
                    ),
                },
            )
