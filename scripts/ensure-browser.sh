#!/bin/sh
# The browser journeys (e2e/) drive Debian's Chromium. Install it when it is missing and this machine can
# (root, or password-less sudo, with apt-get); otherwise stop at once with one line saying what to install.
set -u
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
[ -x "$CHROMIUM" ] && exit 0
say_what() {
  echo "make test needs Chromium for the browser journeys: install Debian's 'chromium' package (sudo apt-get install chromium), or set CHROMIUM=/path/to/chromium." >&2
  exit 1
}
command -v apt-get >/dev/null 2>&1 || say_what
if [ "$(id -u)" = 0 ]; then as_root=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then as_root="sudo -n"
else say_what
fi
echo "Installing Debian's chromium for the browser journeys (apt-get)..."
# The package lists: bounded, so that a machine without the network stops within half a minute.
$as_root timeout 25 apt-get update -qq >/dev/null 2>&1 || say_what
$as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1 || say_what
[ -x "$CHROMIUM" ] || say_what
