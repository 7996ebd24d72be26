#!/usr/bin/env bash
# The replica timing the simulator assumes (sim/src/replica_timing.hpp), against
# two real MariaDB servers on loopback with MASTER_CONNECT_RETRY = 3 s:
#  1. the replica starts before its master: it connects on its own retry phase,
#     start + k x retry, not as soon as the master is up;
#  2. the master stops under the streaming replica: noticed at once, then the
#     retries follow loss + k x retry.
# Times are polled every 50 ms; tolerance 0.5 s. Everything started here is
# stopped on exit. usage: replica_retry_test.sh   (exit 77: MariaDB absent,
# unless CI=true: then a failure)
set -euo pipefail
for b in mariadbd mariadb-install-db mariadb mariadb-admin; do
  if ! command -v "$b" >/dev/null; then
    msg="$b not installed (Debian packages mariadb-server mariadb-client; .ci/install-deps installs them)"
    if [ "${CI:-}" = true ]; then echo "FAIL: $msg"; exit 1; fi
    echo "SKIP: $msg"; exit 77
  fi
done
retry=3
dir=$(mktemp -d /tmp/acdsim-replica.XXXXXX)
m1_port=$((20000 + RANDOM % 20000)); m2_port=$((m1_port + 1))
user=$(id -un)
cleanup() {
  for m in m1 m2; do
    if [ -f "$dir/$m.pid" ]; then kill -9 "$(cat "$dir/$m.pid")" 2>/dev/null || true; fi
  done
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
fail() { echo "FAIL: $*"; for f in "$dir"/*.err; do [ -f "$f" ] && { echo "== $f"; tail -30 "$f"; }; done; exit 1; }
now() { date +%s.%N; }
sql() { mariadb --no-defaults --socket="$dir/$1.sock" -N -e "$2"; }
ping() { mariadb-admin --no-defaults --socket="$dir/$1.sock" ping >/dev/null 2>&1; }
start() {  # returns once the server answers
  local m=$1 port id
  if [ "$m" = m1 ]; then port=$m1_port id=1; else port=$m2_port id=2; fi
  setsid mariadbd --no-defaults --datadir="$dir/$m" --socket="$dir/$m.sock" --port="$port" --bind-address=127.0.0.1 \
    --server-id="$id" --log-bin=mysql-bin --pid-file="$dir/$m.pid" --user="$user" --skip-name-resolve \
    --innodb-buffer-pool-size=16M --log-error="$dir/$m.err" </dev/null >/dev/null 2>&1 &
  for _ in $(seq 1 300); do ping "$m" && return 0; sleep 0.02; done
  fail "mariadbd $m did not start"
}
stop() { mariadb-admin --no-defaults --socket="$dir/$1.sock" shutdown; rm -f "$dir/$1.pid"; }
io_yes() { mariadb --no-defaults --socket="$dir/m2.sock" -e 'SHOW SLAVE STATUS\G' 2>/dev/null | grep -q 'Slave_IO_Running: Yes'; }
wait_io_yes() {  # prints the time the IO thread was first seen connected
  for _ in $(seq 1 400); do io_yes && { now; return 0; }; sleep 0.05; done
  fail "the replica never connected"
}
sleep_until() { local d; d=$(awk -v t="$1" -v n="$(now)" 'BEGIN { d = t - n; printf "%.3f", (d > 0 ? d : 0) }'); sleep "$d"; }
# phase T0 T: how far T lies from the nearest T0 + k x retry, and k
phase() { awk -v a="$1" -v t="$2" -v r="$retry" 'BEGIN { k = int((t - a) / r + 0.5); d = t - a - k * r; printf "%d %.3f\n", k, (d < 0 ? -d : d) }'; }

for m in m1 m2; do
  mariadb-install-db --no-defaults --datadir="$dir/$m" --user="$user" --auth-root-authentication-method=socket \
    --skip-name-resolve --force --skip-test-db > "$dir/$m.install.out" 2>&1 || fail "mariadb-install-db $m"
done
start m1
sql m1 "CREATE USER 'repl'@'127.0.0.1' IDENTIFIED BY 'test-only'; GRANT REPLICATION SLAVE ON *.* TO 'repl'@'127.0.0.1';"
stop m1
# The replica is configured (no START SLAVE) while the master is down, then
# shut down cleanly: its threads start by themselves with the next server start.
start m2
sql m2 "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=$m1_port, MASTER_USER='repl', MASTER_PASSWORD='test-only', MASTER_CONNECT_RETRY=$retry, MASTER_USE_GTID=slave_pos;"
stop m2

echo "== 1. replica first: master up between two retries"
start m2
t0=$(now)   # the server answers: its IO thread has started and made its first try
sleep_until "$(awk -v a="$t0" 'BEGIN { printf "%.3f", a + 3.6 }')"   # up between the retries at 3 s and 6 s
start m1
t_master=$(now)
t_conn=$(wait_io_yes)
read -r k off < <(phase "$t0" "$t_conn")
printf 'replica started %.3f, master up +%.3f s, IO connected +%.3f s (retry %d: k=%d, %.3f s off the phase)\n' \
  "$t0" "$(awk -v a="$t0" -v b="$t_master" 'BEGIN{printf "%.3f", b-a}')" "$(awk -v a="$t0" -v b="$t_conn" 'BEGIN{printf "%.3f", b-a}')" "$retry" "$k" "$off"
awk -v o="$off" 'BEGIN { exit !(o <= 0.5) }' || fail "the connect is not on start + k x $retry s"
awk -v m="$t_master" -v c="$t_conn" 'BEGIN { exit !(c - m >= 0.8) }' || fail "connected as soon as the master was up: not phase-locked"
[ "$k" -ge 2 ] || fail "connected before the master was up?"

echo "== 2. master stopped under the streaming replica, back between two retries"
sql m1 "CREATE DATABASE phase_check"   # something to replicate, then wait for it
for _ in $(seq 1 100); do sql m2 "SHOW DATABASES LIKE 'phase_check'" | grep -q phase_check && break; sleep 0.05; done
t_loss=$(now)
stop m1
t_noticed=$(now)   # the shutdown has returned; the replica's IO thread must no longer be Yes
io_yes && fail "the replica did not notice the stopped master"
sleep_until "$(awk -v a="$t_loss" 'BEGIN { printf "%.3f", a + 3.6 }')"
start m1
t_master=$(now)
t_conn=$(wait_io_yes)
read -r k off < <(phase "$t_loss" "$t_conn")
printf 'master stopped %.3f, not connected at +%.3f s, master up +%.3f s, IO connected +%.3f s (k=%d, %.3f s off the phase)\n' \
  "$t_loss" "$(awk -v a="$t_loss" -v b="$t_noticed" 'BEGIN{printf "%.3f", b-a}')" "$(awk -v a="$t_loss" -v b="$t_master" 'BEGIN{printf "%.3f", b-a}')" \
  "$(awk -v a="$t_loss" -v b="$t_conn" 'BEGIN{printf "%.3f", b-a}')" "$k" "$off"
awk -v o="$off" 'BEGIN { exit !(o <= 0.5) }' || fail "the reconnect is not on loss + k x $retry s"
awk -v m="$t_master" -v c="$t_conn" 'BEGIN { exit !(c - m >= 0.8) }' || fail "reconnected as soon as the master was up: not phase-locked"
# healthy = caught up: Seconds_Behind_Master 0 (NULL while not connected)
caught=""
for _ in $(seq 1 100); do
  mariadb --no-defaults --socket="$dir/m2.sock" -e 'SHOW SLAVE STATUS\G' | grep -q "Seconds_Behind_Master: 0$" && { caught=$(now); break; }
  sleep 0.05
done
[ -n "$caught" ] || fail "not caught up (Seconds_Behind_Master 0) within 5 s of the reconnect"
printf 'caught up (Seconds_Behind_Master 0) +%.3f s after the reconnect was seen\n' "$(awk -v a="$t_conn" -v b="$caught" 'BEGIN{printf "%.3f", b-a}')"
stop m2; stop m1
echo "ok: replica retries phase-locked on start and on loss + k x $retry s"
