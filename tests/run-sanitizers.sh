#!/usr/bin/env bash
# Builds a second configuration with AddressSanitizer and
# UndefinedBehaviorSanitizer (_build-asan) and runs the unit and
# integration suites in it, inside the test session (tests/session.sh).
# Any memory error, undefined behaviour or leak at exit fails the run;
# tests/lsan.supp lists the third-party leaks that are not ours, each
# with its reason.
#   bash tests/run-sanitizers.sh [meson test arguments]
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

build=${CIVIC_ASAN_BUILD_DIR:-_build-asan}
if [ -f "$build/build.ninja" ]; then
  meson setup --reconfigure "$build" >/dev/null
else
  # b_lundef=false: the sanitizer runtimes are linked into executables only.
  meson setup "$build" -Db_sanitize=address,undefined -Db_lundef=false
fi
meson compile -C "$build"

export ASAN_OPTIONS=detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1
export LSAN_OPTIONS="suppressions=$top/tests/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

if [ $# -eq 0 ]; then
  set -- --suite unit --suite integration
fi
exec bash tests/session.sh meson test -C "$build" --print-errorlogs --timeout-multiplier 2 "$@"
