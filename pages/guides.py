"""Guide browser: every facilitator guide, readable in the console and printable."""

import streamlit as st

from hopecircle.i18n import t
from hopecircle.ui.auth import require_account
from hopecircle.ui.widgets import use_styles
from hopecircle.ui.wiring import context

use_styles("console")
require_account()
guides = context().guides.listing()
if not guides:
    st.error(t("guides.none"))
    st.stop()
chosen = st.selectbox(
    t("guides.pick"), [g.slug for g in guides], format_func=lambda s: context().guides.guides[s].title
)
guide = context().guides.guides[chosen]
st.title(guide.title)
st.caption(guide.summary)
st.markdown(guide.body)
