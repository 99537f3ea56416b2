"""The data folder: private to the app's user, and the setup code gone once the first account exists."""

from __future__ import annotations

import os
import stat

from hopecircle import process
from hopecircle.config import load_settings
from hopecircle.services import accounts
from tests.app.conftest import new_app
from tests.conftest import PASSWORD


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_the_data_folder_and_its_files_are_the_apps_alone(app_ctx):
    data = load_settings().data_dir
    assert mode(data) == 0o700
    files = [entry.path for entry in os.scandir(data) if entry.is_file()]
    assert any(path.endswith("hopecircle.db") for path in files) and (data / process.SETUP_CODE_FILE).exists()
    assert {path: mode(path) for path in files} == dict.fromkeys(files, 0o600)


def test_the_saved_setup_code_is_deleted_once_the_first_account_is_made(app_ctx):
    saved = load_settings().data_dir / process.SETUP_CODE_FILE
    at = new_app()
    at.run()
    at.switch_page("pages/console.py").run()
    at.text_input[0].set_value(saved.read_text().strip())
    at.text_input[1].set_value("Ada")
    at.text_input[2].set_value("ada")
    at.text_input[3].set_value(PASSWORD)
    at.text_input[4].set_value(PASSWORD)
    at.button[0].click().run()
    assert not at.exception and not saved.exists()
    assert not accounts.needs_setup(app_ctx)
    process.reset()
    process.context()  # a restart with an account in place writes no code again
    assert not saved.exists()
