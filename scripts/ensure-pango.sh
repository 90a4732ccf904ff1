#!/bin/sh
# The PDF engine (WeasyPrint, keycities/core/pdf.py) lays text out with Pango and subsets the embedded fonts with
# HarfBuzz (without libharfbuzz-subset it falls back to fontTools, which made a 7-page pack's PDF take 2.3x as
# long, and which WeasyPrint says it will stop supporting). Install Debian's libpango-1.0-0, libpangoft2-1.0-0
# and libharfbuzz-subset0 when they are missing and this machine can (root, or password-less sudo, with
# apt-get); otherwise stop at once with one line saying what to install.
set -u
have() { ldconfig -p 2>/dev/null | grep -q "$1" || ls /usr/lib/*/"$1"* /usr/lib/"$1"* >/dev/null 2>&1; }
have libpango-1.0.so.0 && have libpangoft2-1.0.so.0 && have libharfbuzz-subset.so.0 && exit 0
say_what() {
  echo "The Hub's PDFs need Pango and HarfBuzz's subsetter: install Debian's 'libpango-1.0-0', 'libpangoft2-1.0-0' and 'libharfbuzz-subset0' packages (sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0), or your system's Pango 1.44 or newer and HarfBuzz 4.1 or newer." >&2
  exit 1
}
command -v apt-get >/dev/null 2>&1 || say_what
if [ "$(id -u)" = 0 ]; then as_root=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then as_root="sudo -n"
else say_what
fi
echo "Installing Debian's Pango and HarfBuzz subsetter for the PDFs (apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)..."
install() { $as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 >/dev/null 2>&1; }
# The package lists only when needed: bounded, so that a machine without the network stops within half a minute.
install || { $as_root timeout 25 apt-get update -qq >/dev/null 2>&1 && install; } || say_what
have libpango-1.0.so.0 && have libpangoft2-1.0.so.0 && have libharfbuzz-subset.so.0 || say_what
