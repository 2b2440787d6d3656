#!/usr/bin/env bash
# Installs, builds and runs the whole test suite, the UI tests under Xvfb and
# the keyring tests against a real gnome-keyring in a private D-Bus session.
# Exits non-zero on any failure. This is the README's second line and CI.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

bash tests/install-deps.sh

build=${CIVIC_BUILD_DIR:-_build}
if [ -f "$build/build.ninja" ]; then
  meson setup --reconfigure "$build"
else
  meson setup "$build"
fi
meson compile -C "$build"

bash tests/session.sh meson test -C "$build" --print-errorlogs "$@"

# Hardening (issue 9): the unit and integration suites again under
# ASan/UBSan, then every fuzz target for a bounded time. Only for a full
# run (no arguments); CIVIC_QUICK=1 skips them.
if [ $# -eq 0 ] && [ -z "${CIVIC_QUICK:-}" ]; then
  bash tests/run-sanitizers.sh
  CIVIC_FUZZ_SECONDS=${CIVIC_FUZZ_SECONDS:-20} bash tests/fuzz/run-fuzzers.sh
fi
