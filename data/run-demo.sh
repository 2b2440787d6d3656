#!/usr/bin/env bash
# Installs what is needed, builds, and starts the desk in demo mode against
# the bundled simulated town (civic-sim). This is the README's first line.
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

export GSETTINGS_SCHEMA_DIR="$top/$build/data"
exec "$build/src/civic-desk" --demo "$@"
