#!/usr/bin/env bash
# kill -9 during a run (local transport, harmless commands), then --resume:
# the run finishes and no step's command runs twice.
# usage: resume_after_kill.sh ACDSIM DATA_DIR
set -euo pipefail
acdsim=$1 data=$2
. "$(dirname "$0")/fake_hosts.sh"
fake_hosts_scratch acdsim-resume

# "Hosts": a state file per host that the probes read, a log of every command.
cat > "$dir/act.sh" <<SH
#!/bin/sh
echo "\$1 \$2" >> "$dir/log"
# acd-dbs takes its time: it stays "activating" until the test says otherwise.
if [ "\$2" = acd-dbs ]; then echo activating > "$dir/state-\$2"; else echo active > "$dir/state-\$2"; fi
SH
write_fake_hosts "$dir" 10s
journal=$dir/run.jsonl
"$acdsim" run "$data/db-startup.json" --inventory "$dir/inventory.json" --execute --journal "$journal" > "$dir/out1" 2>&1 &
pid=$!
# Wait until the second step's command has finished and the run waits for acd-dbs.
for _ in $(seq 1 600); do
  grep -q '"step":"start-dbs".*"type":"command"\|"type":"command".*"step":"start-dbs"' "$journal" 2>/dev/null && grep -q '"exit"' "$journal" && break
  sleep 0.05
done
grep -q '"exit":0.*"step":"start-dbs"\|"step":"start-dbs".*"exit":0' "$journal" || { echo "run never reached start-dbs"; cat "$dir/out1"; exit 1; }
sleep 0.3
kill -9 "$pid"
wait "$pid" 2>/dev/null || true
pid=
if grep -q '"type":"finish"' "$journal"; then echo "the run finished before the kill"; exit 1; fi

echo active > "$dir/state-acd-dbs"   # the slow start completes while acdsim is dead
if ! "$acdsim" run --resume "$journal" > "$dir/out2" 2>&1; then echo "resume failed:"; cat "$dir/out1" "$dir/out2"; exit 1; fi
cat "$dir/out2"
grep -q '"type":"finish"' "$journal" || { echo "no finish record"; exit 1; }
[ "$(grep -c 'start acd-dbm' "$dir/log")" -eq 1 ] || { echo "start acd-dbm ran more than once:"; cat "$dir/log"; exit 1; }
[ "$(grep -c 'start acd-dbs' "$dir/log")" -eq 1 ] || { echo "start acd-dbs ran more than once:"; cat "$dir/log"; exit 1; }
grep -q "RESUME db startup: 1 of 3 steps completed" "$dir/out2" || { echo "resume did not start after step 1"; exit 1; }
grep -q "not run again" "$dir/out2" || { echo "resume did not recognise the finished command"; exit 1; }
echo "ok: killed during step start-dbs, resumed, each command ran once"
