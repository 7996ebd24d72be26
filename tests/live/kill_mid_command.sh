#!/usr/bin/env bash
# kill -9 of acdsim while a command runs (local transport, real processes), then
# --resume (issue 15). The command appends to a log and sleeps:
#  1. the command dies with acdsim (its sleep is gone at once; before, its
#     process group kept running and the resume ran it beside it);
#  2. it had taken effect (the service answers "active"): the resume stops and
#     says what to check, twice (nothing runs); two resumes at once: the second
#     is refused while the first holds the journal; --accept-unfinished finishes
#     the run and each command ran once;
#  3. it had no effect (killed before its effect): the resume runs it again,
#     after the first run is dead (never two at once).
# usage: kill_mid_command.sh ACDSIM DATA_DIR
set -euo pipefail
acdsim=$1 data=$2
. "$(dirname "$0")/fake_hosts.sh"
fake_hosts_scratch acdsim-killcmd
fail() { echo "FAIL: $*"; for f in "$dir"/out* "$dir/log" "$dir"/*.jsonl; do [ -f "$f" ] && { echo "== $f"; cat "$f"; }; done; exit 1; }

# "Hosts": a state file per host read by the probes; every command logs its
# begin (with its pid) and end. "$dir/slow-<host>" makes the command sleep 30 s
# before its effect ("before") or after it ("after"); "$dir/hold-<host>" holds
# it until the test removes the file.
cat > "$dir/act.sh" <<SH
#!/bin/sh
echo "begin \$2 \$\$" >> "$dir/log"
effect() { echo active > "$dir/state-\$2"; }
while [ -e "$dir/hold-\$2" ]; do sleep 0.05; done  # held by the test
[ "\$(cat "$dir/slow-\$2" 2>/dev/null)" = before ] && sleep 30
effect "\$@"
[ "\$(cat "$dir/slow-\$2" 2>/dev/null)" = after ] && sleep 30
echo "end \$2 \$\$" >> "$dir/log"
SH
write_fake_hosts "$dir" 60s

# Starts a run, waits until acd-dbm's command sleeps, kills acdsim with -9;
# sets $sleeper to the pid of the command's sleep.
kill_during_command() {
  local journal=$1 out=$2
  "$acdsim" run "$data/db-startup.json" --inventory "$dir/inventory.json" --execute --journal "$journal" > "$out" 2>&1 &
  pid=$!
  sleeper=
  for _ in $(seq 1 1200); do
    local sh_pid
    sh_pid=$( (sed -n "s/^begin acd-dbm \([0-9]*\)$/\1/p" "$dir/log" 2>/dev/null || true) | tail -1)
    [ -n "$sh_pid" ] && sleeper=$(pgrep -P "$sh_pid" -x sleep || true)
    [ -n "$sleeper" ] && break
    sleep 0.05
  done
  [ -n "$sleeper" ] || fail "the command never started sleeping"
  grep -q '"type":"command_pid"' "$journal" || fail "no command_pid record (the command's process group) in the journal"
  kill -9 "$pid"
  wait "$pid" 2>/dev/null || true
  pid=
  # 1. The command dies with acdsim (a killed process not yet reaped is a zombie: dead too).
  for _ in $(seq 1 60); do
    state=$(awk '{print $3}' "/proc/$sleeper/stat" 2>/dev/null || echo gone)
    [ "$state" = gone ] || [ "$state" = Z ] && return 0
    sleep 0.05
  done
  fail "the command (sleep, pid $sleeper) outlived acdsim's kill -9"
}
resume() { "$acdsim" run --resume "$@"; }

# --- 2. killed after the command's effect ---
echo after > "$dir/slow-acd-dbm"
j=$dir/effect.jsonl
kill_during_command "$j" "$dir/out-run1"
rm "$dir/slow-acd-dbm"
for n in 1 2; do  # stops, and stops again: never runs it behind the operator's back
  set +e; resume "$j" > "$dir/out-stop$n" 2>&1; rc=$?; set -e
  [ $rc -eq 1 ] || fail "resume $n exited $rc, expected 1 (stopped: the command may have taken effect)"
  grep -q "STOPPED before step start-dbm: .*act.sh start acd-dbm on acd-dbm/mysql may have taken effect; it is not run twice" "$dir/out-stop$n" \
    || fail "resume $n did not say what stopped it"
  grep -q "acd-dbm/mysql: Running .*before the command Stopped" "$dir/out-stop$n" || fail "resume $n did not say what the probes show"
  grep -q "\-\-accept-unfinished" "$dir/out-stop$n" || fail "resume $n did not name --accept-unfinished"
done
[ "$(grep -c '^begin acd-dbm' "$dir/log")" -eq 1 ] || fail "the command ran again"
# Two resumes at once: the second is refused while the first holds the journal (and runs acd-dbs's command, held).
touch "$dir/hold-acd-dbs"
resume "$j" --accept-unfinished > "$dir/out-accept" 2>&1 &
pid=$!
for _ in $(seq 1 1200); do grep -q '^begin acd-dbs' "$dir/log" && break; sleep 0.05; done
grep -q '^begin acd-dbs' "$dir/log" || fail "the first resume never reached start-dbs"
set +e; resume "$j" --accept-unfinished > "$dir/out-second" 2>&1; rc=$?; set -e
[ $rc -eq 2 ] && grep -q "is in use by another acdsim run" "$dir/out-second" || fail "a second resume at once exited $rc"
rm "$dir/hold-acd-dbs"
wait "$pid" || fail "resume --accept-unfinished failed"
pid=
grep -q "taken as done (--accept-unfinished): not run again, only awaited" "$dir/out-accept" || fail "accept not said"
grep -q '"type":"finish"' "$j" || fail "no finish record"
[ "$(grep -c '^begin acd-dbm' "$dir/log")" -eq 1 ] || fail "start acd-dbm ran more than once"
[ "$(grep -c '^begin acd-dbs' "$dir/log")" -eq 1 ] || fail "start acd-dbs ran more than once"

# --- 3. killed before the command's effect ---
rm -f "$dir"/state-* "$dir/log"
echo before > "$dir/slow-acd-dbm"
j=$dir/no-effect.jsonl
kill_during_command "$j" "$dir/out-run2"
rm "$dir/slow-acd-dbm"
resume "$j" > "$dir/out-rerun" 2>&1 || fail "resume after a command without effect failed"
grep -q "the probes show it had no effect: running it again" "$dir/out-rerun" || fail "the rerun was not explained"
grep -q '"type":"finish"' "$j" || fail "no finish record"
# Run twice, one after the other: the first (killed) never ended, the second began after it died.
[ "$(grep -c '^begin acd-dbm' "$dir/log")" -eq 2 ] && [ "$(grep -c '^end acd-dbm' "$dir/log")" -eq 1 ] \
  || fail "expected the killed command and one rerun"
echo "ok: the command died with acdsim; taken effect: stopped, then accepted; no effect: run again; a second resume refused"
