#!/usr/bin/env bash
# Installs what Civic Desk needs to build, run and test on Debian 12
# (as root). Skips apt entirely when everything is already there.
set -euo pipefail

# The translation test and the Spanish and French screenshots run under
# these locales; Debian compiles none by default. Runs once: locale-gen
# is skipped when both are there.
generate_locales() {
  if locale -a 2>/dev/null | grep -qix 'es_ES.utf8' && locale -a 2>/dev/null | grep -qix 'fr_FR.utf8'; then
    return 0
  fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing the es_ES.UTF-8 and fr_FR.UTF-8 locales: run this script as root." >&2
    return 0
  fi
  sed -i -E 's/^# *((es_ES|fr_FR)\.UTF-8 UTF-8)$/\1/' /etc/locale.gen
  locale-gen
}

packages=(
  # build
  meson ninja-build pkg-config gcc gettext locales
  libglib2.0-dev libglib2.0-dev-bin libgtk-4-dev libadwaita-1-dev
  libsoup-3.0-dev libjson-glib-dev libsqlite3-dev libshumate-dev libsecret-1-dev
  # run
  adwaita-icon-theme fonts-cantarell fonts-dejavu-core
  # data validation
  desktop-file-utils appstream
  # tests: a display, a session bus with a real keyring, an outside client
  xvfb xauth dbus dbus-x11 gnome-keyring libsecret-tools imagemagick toot curl
  # benchmarks: supercluster runs on Node
  nodejs npm
  # hardening: libFuzzer and its sanitizer runtimes come with clang's
  # compiler-rt; valgrind for `meson test --setup valgrind`
  clang libclang-rt-14-dev valgrind
)

missing=()
for p in "${packages[@]}"; do
  # NodeSource's nodejs bundles npm and conflicts with Debian's npm package.
  if [ "$p" = npm ] && command -v npm >/dev/null; then
    continue
  fi
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  generate_locales
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "Missing packages: ${missing[*]}" >&2
  echo "Run this script as root (or install them with sudo apt-get install)." >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"

generate_locales
