#!/usr/bin/env bash
# test-toot.sh
#
# An independent client against civic-sim: Debian's `toot` (Python, written
# by other people) logs in with login_cli (the password grant), reads the
# notifications, follows a thread and posts a reply; the sim's control API
# then checks what arrived. Prints TAP.
#
# Copyright 2026 The Civic Desk authors
# SPDX-License-Identifier: GPL-3.0-or-later

set -u

sim=${CIVIC_SIM:?CIVIC_SIM must name the civic-sim binary}

if ! command -v toot >/dev/null 2>&1; then
  echo "1..0 # SKIP toot is not installed (tests/install-deps.sh installs it)"
  exit 0
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/civic-toot-XXXXXX")
sim_pid=
cleanup () {
  if [ -n "$sim_pid" ] && kill -0 "$sim_pid" 2>/dev/null; then
    kill -TERM "$sim_pid" 2>/dev/null
    wait "$sim_pid" 2>/dev/null
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

# toot keeps its config under a private HOME.
mkdir -p "$tmp/home" "$tmp/config" "$tmp/data"
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/config"
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY

n=0
failed=0
ok () {
  n=$((n + 1))
  echo "ok $n - $1"
}
not_ok () {
  n=$((n + 1))
  failed=$((failed + 1))
  echo "not ok $n - $1"
  shift
  for line in "$@"; do echo "# $line"; done
}

echo "1..9"

# The sim writes its URL and tokens into a pipe; read them as they come.
mkfifo "$tmp/out"
"$sim" --port 0 --data "$tmp/data" --seed 1 --now 2026-11-26T10:00:00Z \
  --citizens 40 --mentions 150 > "$tmp/out" &
sim_pid=$!
exec 3< "$tmp/out"
if ! read -r -t 30 -u 3 url; then
  not_ok "civic-sim prints its URL"
  exit 1
fi
for _ in 1 2 3 4 5 6; do read -r -t 30 -u 3 _line || break; done
host=${url#http://}
ok "civic-sim started at $url"

json () {
  # json FILTER: reads JSON on stdin, prints python3 expression FILTER of d.
  python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"
}

# 2. login_cli: instance lookup (/api/v1/instance), app registration,
#    password grant with the e-mail, verify_credentials.
if out=$(echo jun | toot login_cli --disable-https -i "$host" -e policia@ayto-jun.example 2>&1) &&
   grep -q "access_token" "$XDG_CONFIG_HOME/toot/config.json"; then
  ok "toot login_cli logs in with the e-mail and the password"
else
  not_ok "toot login_cli logs in with the e-mail and the password" "$out"
fi

# 3. whoami reads the account back.
if out=$(toot whoami 2>&1) && echo "$out" | grep -q "@policia"; then
  ok "toot whoami shows @policia"
else
  not_ok "toot whoami shows @policia" "$out"
fi

# 4. notifications: toot parses the entities and prints the mentions.
out=$(toot notifications 2>&1)
status_id=$(echo "$out" | grep -m1 -oE "ID [0-9]{18}" | cut -d' ' -f2)
if echo "$out" | grep -q "mentioned you in" && [ -n "$status_id" ]; then
  ok "toot notifications lists mentions (first status $status_id)"
else
  not_ok "toot notifications lists mentions" "$out"
fi

# 5. the thread of that status (context).
if out=$(toot thread "$status_id" 2>&1) && echo "$out" | grep -q "$status_id"; then
  ok "toot thread reads the context"
else
  not_ok "toot thread reads the context" "$out"
fi

# 6. a reply, posted as JSON with toot's own Idempotency-Key.
reply="Gracias por avisar, una patrulla va de camino."
if out=$(toot post --reply-to "$status_id" "$reply" 2>&1) && echo "$out" | grep -q "Toot posted"; then
  ok "toot post --reply-to posts the reply"
else
  not_ok "toot post --reply-to posts the reply" "$out"
fi

# 7. the sim saw exactly that reply, threaded, with a key.
posted=$(curl -s "$url/_sim/statuses?account=policia")
check=$(echo "$posted" | json "len(d) == 1 and d[0]['in_reply_to_id'] == '$status_id' and d[0]['text'] == '''$reply''' and len(d[0]['idempotency_key'] or '') > 0" 2>&1)
if [ "$check" = "True" ]; then
  ok "the reply arrived once, in the thread, with an Idempotency-Key"
else
  not_ok "the reply arrived once, in the thread, with an Idempotency-Key" "$posted" "$check"
fi

# 8. the home timeline, paged by toot through the Link header.
if out=$(toot timeline --once 2>&1) && echo "$out" | grep -q "$reply"; then
  ok "toot timeline shows the reply in the home timeline"
else
  not_ok "toot timeline shows the reply in the home timeline" "$out"
fi

# 9. a wrong password is refused, a user name works as the login.
rm -rf "$XDG_CONFIG_HOME/toot"
bad=$(echo wrong | toot login_cli --disable-https -i "$host" -e limpieza 2>&1)
bad_status=$?
good=$(echo jun | toot login_cli --disable-https -i "$host" -e limpieza 2>&1)
good_status=$?
if [ $bad_status -ne 0 ] && [ $good_status -eq 0 ] && toot whoami 2>&1 | grep -q "@limpieza"; then
  ok "a wrong password fails; the user name logs in"
else
  not_ok "a wrong password fails; the user name logs in" "$bad" "$good"
fi

# The sim stops cleanly on SIGTERM.
kill -TERM "$sim_pid"
wait "$sim_pid"
code=$?
sim_pid=
if [ $code -ne 0 ]; then
  echo "# civic-sim exited with $code after SIGTERM"
  failed=$((failed + 1))
fi

[ $failed -eq 0 ]
