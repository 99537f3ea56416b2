#!/usr/bin/env bash
# Install the system packages the test suite drives: Debian's chromium (for the real-browser
# tests; Playwright cannot download its own browsers here), a PostgreSQL server and nginx.
# Does nothing for packages already present. Needs root (or sudo) only when something is missing.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null || missing+=(postgresql)
command -v pdftoppm >/dev/null || missing+=(poppler-utils)
fc-list 2>/dev/null | grep -qi dejavu || missing+=(fonts-dejavu-core)
command -v npm >/dev/null || missing+=(npm)
# The load-harness tests put nginx (sticky sessions) in front of two app processes.
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
# Emoji on the phone screenshots (phones have their own emoji fonts; a server's chromium does not).
fc-list 2>/dev/null | grep -qi "noto color emoji" || missing+=(fonts-noto-color-emoji)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then sudo="sudo"; else
    echo "Missing system packages: ${missing[*]} (run as root, or install them, to run every test)." >&2
    exit 0
  fi
fi
echo "Installing system packages: ${missing[*]} ..."
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
