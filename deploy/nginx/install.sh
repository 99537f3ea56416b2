#!/bin/sh
# Install HopeCircle's nginx pieces into Debian's stock nginx (README.md, "Scaling out", step 3):
#
#   sudo sh deploy/nginx/install.sh                 # into /etc/nginx
#   sh deploy/nginx/install.sh /path/to/etc/nginx   # into another nginx folder (the tests use a copy)
#
# It does three things, and nothing else:
#   1. hopecircle-main.conf -> modules-enabled/90-hopecircle.conf  (main context: worker_rlimit_nofile)
#   2. hopecircle.conf      -> conf.d/hopecircle.conf              (inside http { }: the app processes,
#      sticky sessions, WebSockets). An existing conf.d/hopecircle.conf is kept: it holds your ports
#      and server_name; compare it with the new one by hand after an upgrade.
#   3. nginx.conf's `worker_connections` raised to 8192 where it is lower (stock Debian: 768). nginx
#      allows one `events { }` block, in nginx.conf itself, so this is the one line edited there;
#      the file as it was is kept beside it as nginx.conf.before-hopecircle.
# Then check and load:  sudo nginx -t && sudo systemctl reload nginx
set -eu

WORKER_CONNECTIONS=8192
RLIMIT_NOFILE=16384
here=$(cd "$(dirname "$0")" && pwd)
target=${1:-/etc/nginx}
conf="$target/nginx.conf"

if [ ! -f "$conf" ]; then
    echo "No nginx.conf in $target: install nginx first (apt-get install nginx)." >&2
    exit 1
fi

# 1. The main-context limits, unless nginx.conf already sets the same directive (nginx refuses twice).
existing=$(sed -n 's/^[[:space:]]*worker_rlimit_nofile[[:space:]]\{1,\}\([0-9]\{1,\}\)[[:space:]]*;.*/\1/p' "$conf" | head -n 1)
if [ -n "$existing" ]; then
    if [ "$existing" -lt "$RLIMIT_NOFILE" ]; then
        echo "$conf sets worker_rlimit_nofile $existing: raise it there to $RLIMIT_NOFILE and run this again." >&2
        exit 1
    fi
    echo "kept: worker_rlimit_nofile $existing in $conf"
else
    mkdir -p "$target/modules-enabled"
    cp "$here/hopecircle-main.conf" "$target/modules-enabled/90-hopecircle.conf"
    echo "installed: $target/modules-enabled/90-hopecircle.conf (worker_rlimit_nofile $RLIMIT_NOFILE)"
fi

# 2. The site, unless one is there already.
mkdir -p "$target/conf.d"
if [ -f "$target/conf.d/hopecircle.conf" ]; then
    echo "kept: $target/conf.d/hopecircle.conf (yours; the shipped one is $here/hopecircle.conf)"
else
    cp "$here/hopecircle.conf" "$target/conf.d/hopecircle.conf"
    echo "installed: $target/conf.d/hopecircle.conf (set its server lines and server_name)"
fi

# 3. worker_connections in the events block.
current=$(sed -n 's/^[[:space:]]*worker_connections[[:space:]]\{1,\}\([0-9]\{1,\}\)[[:space:]]*;.*/\1/p' "$conf" | head -n 1)
if [ -z "$current" ]; then
    if ! grep -q '^[[:space:]]*events[[:space:]]*{' "$conf"; then
        echo "$conf has no 'events {' line to add worker_connections to: add 'worker_connections $WORKER_CONNECTIONS;' inside its events block." >&2
        exit 1
    fi
    cp "$conf" "$conf.before-hopecircle"
    sed -i "s/^\([[:space:]]*events[[:space:]]*{\)/\1\n\tworker_connections $WORKER_CONNECTIONS;/" "$conf"
    echo "added: worker_connections $WORKER_CONNECTIONS to the events block of $conf"
elif [ "$current" -lt "$WORKER_CONNECTIONS" ]; then
    cp "$conf" "$conf.before-hopecircle"
    sed -i "s/^\([[:space:]]*worker_connections[[:space:]]\{1,\}\)[0-9]\{1,\}\([[:space:]]*;\)/\1$WORKER_CONNECTIONS\2/" "$conf"
    echo "raised: worker_connections $current -> $WORKER_CONNECTIONS in $conf (the file before: $conf.before-hopecircle)"
else
    echo "kept: worker_connections $current in $conf"
fi

if [ -e "$target/sites-enabled/default" ]; then
    echo "note: $target/sites-enabled/default answers addresses that match no server_name (such as the"
    echo "      machine's IP address). Phones that use one get its page, not HopeCircle: set server_name"
    echo "      in conf.d/hopecircle.conf to the address in HOPECIRCLE_PUBLIC_URL, or remove that default."
fi
