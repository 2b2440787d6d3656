#!/usr/bin/env bash
# Runs a command inside what the tests need from a desktop: a private D-Bus
# session with an unlocked gnome-keyring (secrets only, a throwaway HOME so
# no real keyring is touched) and an Xvfb display.
#   bash tests/session.sh meson test -C _build
set -euo pipefail

if [ -z "${CIVIC_IN_SESSION:-}" ]; then
  export CIVIC_IN_SESSION=1
  CIVIC_TEST_HOME=$(mktemp -d /tmp/civic-test-home.XXXXXX)
  export CIVIC_TEST_HOME
  trap 'rm -rf "$CIVIC_TEST_HOME"' EXIT
  # Not exec: the trap must run after the session ends.
  HOME="$CIVIC_TEST_HOME" XDG_DATA_HOME="$CIVIC_TEST_HOME/.local/share" \
    XDG_CONFIG_HOME="$CIVIC_TEST_HOME/.config" XDG_CACHE_HOME="$CIVIC_TEST_HOME/.cache" \
    dbus-run-session -- bash "$0" "$@"
  exit $?
fi

mkdir -p "$HOME/.local/share/keyrings"
# A non-empty password: gnome-keyring refuses to create a login keyring
# with an empty one when unlocking from stdin.
eval "$(printf 'civic-test-keyring' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL SSH_AUTH_SOCK 2>/dev/null || true

exec xvfb-run -a -s "-screen 0 1400x900x24" "$@"
