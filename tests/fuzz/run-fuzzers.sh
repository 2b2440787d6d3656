#!/usr/bin/env bash
# Builds the fuzz targets with clang's libFuzzer, AddressSanitizer and
# UndefinedBehaviorSanitizer (in _build-fuzz) and runs each for a bounded
# time from its seed corpus. Exits non-zero if any target crashed, leaked,
# hit undefined behaviour or timed out; the input that did it is printed
# and kept in $CIVIC_FUZZ_ARTIFACTS. To turn it into a regression test,
# fix the bug, then copy the input to tests/fuzz/regressions/TARGET/ (the
# replay tests of every build run it from then on).
#   bash tests/fuzz/run-fuzzers.sh [TARGET...]
# CIVIC_FUZZ_SECONDS: time per target (default 30).
# CIVIC_FUZZ_SEED: libFuzzer's seed (default 1, so that CI repeats the
# same search; 0 lets libFuzzer pick one, to explore further).
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"

seconds=${CIVIC_FUZZ_SECONDS:-30}
seed=${CIVIC_FUZZ_SEED:-1}
build=${CIVIC_FUZZ_BUILD_DIR:-_build-fuzz}
artifacts=${CIVIC_FUZZ_ARTIFACTS:-$build/fuzz-artifacts}
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(entity-json stream-frame status-html geotag link-header mbtiles)
fi

if [ ! -f "$build/build.ninja" ]; then
  CC=clang meson setup "$build" \
    -Db_sanitize=address,undefined -Db_lundef=false \
    -Dc_args=-fsanitize=fuzzer-no-link
fi
ninja -C "$build" "${targets[@]/#/tests/fuzz/fuzz-}"

mkdir -p "$artifacts"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:symbolize=1
export UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1
export G_DEBUG=gc-friendly
export LC_ALL=C.UTF-8

failed=()
for t in "${targets[@]}"; do
  work=$(mktemp -d "/tmp/civic-fuzz-$t.XXXXXX")
  corpora=("tests/fuzz/corpus/$t")
  if [ -d "tests/fuzz/regressions/$t" ]; then
    corpora+=("tests/fuzz/regressions/$t")
  fi
  log="$artifacts/$t.log"
  rm -f "$artifacts/$t-"*
  # New inputs go to the first directory (a scratch one), never the tree.
  if "$build/tests/fuzz/fuzz-$t" -max_total_time="$seconds" -seed="$seed" -timeout=10 \
       -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts/$t-" \
       "$work" "${corpora[@]}" > "$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    echo "fuzz: $t ${runs:-?} runs in ${seconds} s, no crash"
  else
    echo "fuzz: $t FAILED (log: $log)"
    grep -E "ERROR|runtime error|SUMMARY|Test unit written" "$log" | head -20 || true
    for f in "$artifacts/$t-"*; do
      [ -f "$f" ] && { echo "input $f:"; head -c 2048 "$f" | od -c | head -40; }
    done
    failed+=("$t")
  fi
  rm -rf "$work"
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: crashes in ${failed[*]}" >&2
  exit 1
fi
