#!/usr/bin/env bash
# The catalogues against the sources (TAP).
#
#   test-translations.sh SOURCE_ROOT BUILD_ROOT CIVICCTL
#
# Fails when a .po file does not pass msgfmt --check, when a string marked
# in the sources (extracted afresh, as the civic-desk-pot target does) is
# missing, untranslated or fuzzy in a catalogue, or when civicctl run from
# the build tree under a Spanish or French locale does not speak it.
set -uo pipefail

src=$1
build=$2
civicctl=$3

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=1; echo "not ok $n - $1"; sed 's/^/# /' "$tmp/out" 2>/dev/null; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }

mapfile -t langs < <(grep -v '^\s*#' "$src/po/LINGUAS" | tr ' ' '\n' | grep -v '^$')

# (a) Each catalogue is well formed: header, plural forms, and the same
# format directives in every msgstr as in its msgid.
for l in "${langs[@]}"; do
  if msgfmt --check --check-format -o /dev/null "$src/po/$l.po" >"$tmp/out" 2>&1; then
    ok "msgfmt --check $l.po"
  else
    not_ok "msgfmt --check $l.po"
  fi
done

# (b) A fresh template from the sources, with the options of meson's
# i18n module (preset 'glib'): .ui, .desktop.in, metainfo and gschema
# files go through xgettext's ITS rules as they do for the pot target.
if (cd "$src" && xgettext --from-code=UTF-8 --add-comments \
      --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
      --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
      --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
      --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
      --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
      --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
      --flag=g_markup_printf_escaped:1:c-format --flag=g_log:3:c-format \
      --flag=g_print:1:c-format --flag=g_printerr:1:c-format \
      --flag=g_printf:1:c-format --flag=g_fprintf:2:c-format \
      --flag=g_sprintf:2:c-format --flag=g_snprintf:3:c-format \
      --package-name=civic-desk -f po/POTFILES.in -o "$tmp/fresh.pot") >"$tmp/out" 2>&1 &&
   [ -s "$tmp/fresh.pot" ]; then
  ok "xgettext extracts $(grep -c '^msgid ' "$tmp/fresh.pot") msgids from POTFILES.in"
else
  not_ok "xgettext extracts the sources"
fi

# Every file with marked strings is listed (a file left out would
# silently stay in English).
unlisted=()
while IFS= read -r f; do
  grep -qxF "$f" "$src/po/POTFILES.in" || unlisted+=("$f")
done < <(cd "$src" && grep -lE '\b(N?C?_|g_dngettext|g_dpgettext2) ?\("' src/*.c src/*/*.c 2>/dev/null
         cd "$src" && grep -lE 'translatable="yes"' src/ui/*.ui src/ui/*/*.ui 2>/dev/null)
if [ ${#unlisted[@]} -eq 0 ]; then
  ok "every source file with marked strings is in POTFILES.in"
else
  printf '%s\n' "${unlisted[@]}" >"$tmp/out"
  not_ok "files with marked strings missing from POTFILES.in"
fi

# msgcmp treats untranslated and fuzzy entries of the catalogue as
# missing: any string of the fresh template without a real translation
# fails.
for l in "${langs[@]}"; do
  if msgcmp -N "$src/po/$l.po" "$tmp/fresh.pot" >"$tmp/out" 2>&1; then
    ok "$l.po translates every string of the sources"
  else
    not_ok "$l.po translates every string of the sources"
  fi
  msgattrib --untranslated --no-obsolete "$src/po/$l.po" >"$tmp/untranslated" 2>"$tmp/out"
  msgattrib --only-fuzzy --no-obsolete "$src/po/$l.po" >"$tmp/fuzzy" 2>>"$tmp/out"
  if [ ! -s "$tmp/untranslated" ] && [ ! -s "$tmp/fuzzy" ]; then
    ok "$l.po has no fuzzy or untranslated entry"
  else
    cat "$tmp/untranslated" "$tmp/fuzzy" >>"$tmp/out"
    not_ok "$l.po has no fuzzy or untranslated entry"
  fi
done

# (c) The compiled catalogues are found from the build tree, and the
# command line follows the locale.
have_locale() { locale -a 2>/dev/null | grep -qix "$1"; }
check_help() {
  local loc=$1 expect=$2
  if ! have_locale "${loc%.UTF-8}.utf8"; then
    skip "civicctl --help under $loc" "locale not generated (run tests/install-deps.sh as root)"
    return
  fi
  env -u LANGUAGE -u CIVIC_LOCALEDIR LC_ALL="$loc" LANG="$loc" "$civicctl" --help >"$tmp/out" 2>&1
  if grep -qF "$expect" "$tmp/out"; then
    ok "civicctl --help under $loc says “$expect”"
  else
    not_ok "civicctl --help under $loc says “$expect”"
  fi
}
check_help es_ES.UTF-8 "Uso: civicctl ORDEN [OPCIÓN…]"
# (U+00A0 before the colon, as the French team writes it)
check_help fr_FR.UTF-8 "Utilisation : civicctl COMMANDE [OPTION…]"

# The same catalogue through $CIVIC_LOCALEDIR, as for a build run from
# somewhere else.
if have_locale es_ES.utf8; then
  env -u LANGUAGE LC_ALL=es_ES.UTF-8 CIVIC_LOCALEDIR="$build/po" "$civicctl" nonsense >"$tmp/out" 2>&1
  if grep -qF "civicctl: orden desconocida «nonsense»" "$tmp/out"; then
    ok "CIVIC_LOCALEDIR points civicctl at the catalogues"
  else
    not_ok "CIVIC_LOCALEDIR points civicctl at the catalogues"
  fi
else
  skip "CIVIC_LOCALEDIR points civicctl at the catalogues" "no es_ES.UTF-8 locale"
fi

echo "1..$n"
exit $failed
