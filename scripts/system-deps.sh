#!/usr/bin/env bash
# Checks the system libraries the project needs; installs them when it can (root on Debian/Ubuntu),
# otherwise prints the exact command. Usage: scripts/system-deps.sh [runtime|test]
set -u
want=${1:-runtime}

packages=()
have_lib() { ldconfig -p 2>/dev/null | grep -q "$1"; }
have_lib "libpango-1.0.so" || packages+=(libpango-1.0-0 libpangoft2-1.0-0)
have_lib "libharfbuzz-subset.so" || packages+=(libharfbuzz-subset0)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK\|Noto Serif CJK" || packages+=(fonts-noto-cjk)
command -v pdftotext >/dev/null 2>&1 || packages+=(poppler-utils)
if [ "$want" = test ]; then
  [ -x /usr/bin/chromium ] || packages+=(chromium)
  command -v redis-server >/dev/null 2>&1 || packages+=(redis-server)  # the real-worker test's broker
  command -v pg_restore >/dev/null 2>&1 || packages+=(postgresql-client)  # the backup and restore-drill tests
fi

[ ${#packages[@]} -eq 0 ] && exit 0

cmd="apt-get install -y --no-install-recommends ${packages[*]}"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages: ${packages[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null \
    && exit 0
  echo "Installing failed; run as root: apt-get update && $cmd" >&2
  exit 1
fi
echo "Missing system packages: ${packages[*]}" >&2
echo "Install them as root: sudo apt-get update && sudo $cmd" >&2
# WeasyPrint (PDFs) and the browser tests need them; without them those parts fail, not the whole app.
[ "$want" = test ] && exit 1
exit 0
