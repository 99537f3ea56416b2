#!/usr/bin/env bash
# Install everything the tests need (Python packages, chromium, PostgreSQL) and run the whole suite.
# Extra arguments go to pytest (for example: -k board, or tests/unit).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/venv.sh requirements-dev.txt
scripts/test-system-deps.sh
exec .venv/bin/python -m pytest "$@"
