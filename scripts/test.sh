#!/usr/bin/env bash
# Install everything the tests need (Python packages, chromium, PostgreSQL) and run the whole suite.
# Extra arguments go to pytest (for example: -k board, or tests/unit).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/venv.sh requirements-dev.txt
scripts/test-system-deps.sh
# axe-core for the accessibility checks, from the npm registry, pinned by the lock file.
if [ ! -f tests/e2e/axe/node_modules/axe-core/axe.min.js ]; then
  if command -v npm >/dev/null; then
    npm ci --prefix tests/e2e/axe --no-audit --no-fund --loglevel=error
  else
    echo "npm is missing: the accessibility checks need Node.js (apt-get install nodejs npm)." >&2
  fi
fi
exec .venv/bin/python -m pytest "$@"
