#!/usr/bin/env bash
# Install what the app needs and start it on this machine's embedded SQLite database.
# Phones on the same Wi-Fi join at the address the facilitator console shows.
# Extra arguments go to `streamlit run` (for example: --server.port 8600).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/venv.sh requirements.txt
# Every phone's connection is an open file (about 2.5 a phone, besides about 100 of the app's own).
# Where this shell allows fewer than 16384, raise its soft limit as far as the hard limit lets it
# (`python -m hopecircle check` says how many phones the result holds). A system that refuses
# both keeps its limit: the app still starts.
[ "$(ulimit -Sn)" = unlimited ] || [ "$(ulimit -Sn)" -ge 16384 ] || ulimit -Sn 16384 2>/dev/null || ulimit -Sn "$(ulimit -Hn)" 2>/dev/null || true
exec .venv/bin/streamlit run serve.py "$@"
