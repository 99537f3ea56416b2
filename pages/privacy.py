"""Privacy statement: what is stored, who sees it, for how long. Written to match what the code does."""

import streamlit as st

from hopecircle.i18n import available_languages, t
from hopecircle.services import organization
from hopecircle.ui import phone
from hopecircle.ui.widgets import crisis_panel, use_styles
from hopecircle.ui.wiring import context, current_language, use_language

use_styles("phone")
if st.query_params.get(phone.LANGUAGE_PARAM) in available_languages():
    use_language(st.query_params[phone.LANGUAGE_PARAM])
phone.language_picker()
settings = organization.get_settings(context())
st.title(t("privacy.title"))
st.markdown(t("privacy.body", days=settings.retention_days, threshold=settings.suppression_threshold))
crisis_panel(current_language())
