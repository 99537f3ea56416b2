#!/usr/bin/env bash
# Install what the app needs and start it on this machine's embedded SQLite database.
# Phones on the same Wi-Fi join at the address the facilitator console shows.
# Extra arguments go to `streamlit run` (for example: --server.port 8600).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/venv.sh requirements.txt
exec .venv/bin/streamlit run serve.py "$@"
