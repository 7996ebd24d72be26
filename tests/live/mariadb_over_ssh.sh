#!/usr/bin/env bash
# Real components, loopback only: an sshd on a high port with a key made here,
# a MariaDB primary and replica with real replication. acdsim runs the database
# part of the jtel startup and shutdown through ssh, then the replica-first
# startup (probes see "Connecting"; the model's warning heals once the master
# is up). Everything started here is stopped on exit, also on failure.
# usage: mariadb_over_ssh.sh ACDSIM DATA_DIR        (exit 77: binaries absent)
set -euo pipefail
acdsim=$1 data=$2
for b in /usr/sbin/sshd ssh ssh-keygen mariadbd mariadb-install-db mariadb mariadb-admin; do
  if ! command -v "$b" >/dev/null; then
    echo "SKIP: $b not installed (Debian packages openssh-server openssh-client mariadb-server mariadb-client; .ci/install-deps installs them)"
    exit 77
  fi
done
start=$(date +%s)
dir=$(mktemp -d /tmp/acdsim-live.XXXXXX)
chmod 755 "$dir"
ssh_port=$((20000 + RANDOM % 20000)); m1_port=$((ssh_port + 1)); m2_port=$((ssh_port + 2))
user=$(id -un)

cleanup() {
  for m in m1 m2; do
    if [ -f "$dir/$m.pid" ]; then kill -9 "$(cat "$dir/$m.pid")" 2>/dev/null || true; fi
  done
  if [ -f "$dir/sshd.pid" ]; then kill "$(cat "$dir/sshd.pid")" 2>/dev/null || true; fi
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP   # a ctest timeout still runs cleanup
fail() { echo "FAIL: $*"; for f in "$dir"/*.err "$dir"/sshd.log "$dir"/*.out; do [ -f "$f" ] && { echo "== $f"; tail -40 "$f"; }; done; exit 1; }

# --- sshd on 127.0.0.1, host and user keys made now -------------------------
ssh-keygen -q -t ed25519 -N '' -f "$dir/host_key"
ssh-keygen -q -t ed25519 -N '' -f "$dir/id"
cp "$dir/id.pub" "$dir/authorized_keys"
echo "[127.0.0.1]:$ssh_port $(cut -d' ' -f1,2 "$dir/host_key.pub")" > "$dir/known_hosts"
mkdir -p /run/sshd 2>/dev/null || true
cat > "$dir/sshd_config" <<CFG
Port $ssh_port
ListenAddress 127.0.0.1
HostKey $dir/host_key
PidFile $dir/sshd.pid
AuthorizedKeysFile $dir/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
AllowUsers $user
CFG
/usr/sbin/sshd -f "$dir/sshd_config" -E "$dir/sshd.log"   # daemonises, writes the pid file
for _ in $(seq 1 100); do [ -f "$dir/sshd.pid" ] && break; sleep 0.05; done
ssh_opts=(-o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile="$dir/known_hosts" -i "$dir/id" -p "$ssh_port" -l "$user")
for _ in $(seq 1 50); do ssh "${ssh_opts[@]}" 127.0.0.1 true 2>/dev/null && break; sleep 0.1; done
ssh "${ssh_opts[@]}" 127.0.0.1 true || fail "cannot ssh to the test sshd"

# --- MariaDB primary (m1) and replica (m2) ----------------------------------
# db.sh start|stop|status m1|m2: what systemctl start/stop/is-active mariadb do on a
# real host (start returns once the server answers, as for mariadb's Type=notify unit).
cat > "$dir/db.sh" <<SH
#!/bin/sh
m=\$2
case \$m in m1) port=$m1_port; id=1;; m2) port=$m2_port; id=2;; *) exit 2;; esac
ping() { mariadb-admin --no-defaults --socket=$dir/\$m.sock ping >/dev/null 2>&1; }
alive() { [ -f $dir/\$m.pid ] && kill -0 "\$(cat $dir/\$m.pid 2>/dev/null)" 2>/dev/null; }
case \$1 in
  start)
    rm -f $dir/\$m.stopping
    setsid mariadbd --no-defaults --datadir=$dir/\$m --socket=$dir/\$m.sock --port=\$port --bind-address=127.0.0.1 \\
      --server-id=\$id --log-bin=mysql-bin --pid-file=$dir/\$m.pid --user=$user --skip-name-resolve \\
      --innodb-buffer-pool-size=16M --log-error=$dir/\$m.err </dev/null >/dev/null 2>&1 &
    for i in \$(seq 1 300); do ping && exit 0; sleep 0.05; done
    echo "mariadbd \$m did not start"; exit 1 ;;
  stop)
    touch $dir/\$m.stopping
    mariadb-admin --no-defaults --socket=$dir/\$m.sock shutdown ;;
  status)
    if ! alive; then echo inactive; exit 3; fi
    if [ -f $dir/\$m.stopping ]; then echo deactivating; exit 3; fi
    if ping; then echo active; else echo activating; exit 3; fi ;;
esac
SH
chmod 755 "$dir/db.sh"
for m in m1 m2; do
  # --skip-name-resolve: a fresh minimal root has no /etc/hosts, and the
  # install script refuses to run when it cannot resolve the host name
  # (--force skips that check; accounts here are by IP or socket anyway).
  mariadb-install-db --no-defaults --datadir="$dir/$m" --user="$user" --auth-root-authentication-method=socket \
    --skip-name-resolve --force --skip-test-db > "$dir/$m.install.out" 2>&1 || fail "mariadb-install-db $m"
done
sql() { mariadb --no-defaults --socket="$dir/$1.sock" -e "$2"; }
wait_ping() {
  for _ in $(seq 1 200); do mariadb-admin --no-defaults --socket="$dir/$1.sock" ping >/dev/null 2>&1 && return 0; sleep 0.05; done
  fail "$1 does not answer"
}
"$dir/db.sh" start m1; "$dir/db.sh" start m2; wait_ping m1; wait_ping m2
sql m1 "CREATE USER 'repl'@'127.0.0.1' IDENTIFIED BY 'test-only'; GRANT REPLICATION SLAVE ON *.* TO 'repl'@'127.0.0.1';"
# The replica's probe logs in with a password given as an inventory secret: it must never show.
sql m2 "CREATE USER 'monitor'@'localhost' IDENTIFIED BY 'Mon-Secret-4711'; GRANT ALL PRIVILEGES ON *.* TO 'monitor'@'localhost';"
echo 'Mon-Secret-4711' > "$dir/monitor.secret"
sql m2 "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=$m1_port, MASTER_USER='repl', MASTER_PASSWORD='test-only', MASTER_CONNECT_RETRY=1, MASTER_USE_GTID=slave_pos; START SLAVE;"
for _ in $(seq 1 100); do
  sql m2 'SHOW SLAVE STATUS\G' | grep -q 'Slave_SQL_Running: Yes' && sql m2 'SHOW SLAVE STATUS\G' | grep -q 'Slave_IO_Running: Yes' && break
  sleep 0.1
done
sql m2 'SHOW SLAVE STATUS\G' | grep -q 'Slave_IO_Running: Yes' || fail "replication set-up"
# Clean stop, replica first: both start their replication by themselves later.
sql m2 "STOP SLAVE"; "$dir/db.sh" stop m2; "$dir/db.sh" stop m1
rm -f "$dir/m1.pid" "$dir/m2.pid"

# --- the inventory: both hosts reached through the real sshd ----------------
cat > "$dir/inventory.json" <<JSON
{
  "format": "acdsim-inventory/1",
  "ssh": {"user": "$user", "port": $ssh_port, "connect_timeout": "5s", "multiplex": true, "identity_file": "$dir/id", "known_hosts_file": "$dir/known_hosts"},
  "timeouts": {"command": "30s", "probe": "10s", "poll": "0.2s"},
  "probes": {"reachable": "true"},
  "secrets": {"monitor": "$dir/monitor.secret"},
  "hosts": {
    "acd-dbm": {"address": "127.0.0.1",
      "actions": {"systemctl_start": "$dir/db.sh start m1", "systemctl_stop": "$dir/db.sh stop m1"},
      "probes": {"service_state": "$dir/db.sh status m1"}},
    "acd-dbs": {"address": "127.0.0.1",
      "actions": {"systemctl_start": "$dir/db.sh start m2", "systemctl_stop": "$dir/db.sh stop m2"},
      "probes": {"service_state": "$dir/db.sh status m2",
                 "replication_status": "mariadb --no-defaults --socket=$dir/m2.sock --user=monitor --password={secret:monitor} -e 'SHOW SLAVE STATUS\\\\G'"}}
  }
}
JSON

run() {  # run NAME PROCEDURE: executes, output in $dir/NAME.out
  "$acdsim" run "$data/$2" --inventory "$dir/inventory.json" --execute --journal "$dir/$1.jsonl" > "$dir/$1.out" 2>&1 \
    || fail "acdsim run $2 (exit $?)"
  cat "$dir/$1.out"
}

echo "== startup: master, then replica, replication Yes/Yes"
run startup db-startup.json
grep -q "DONE db startup" "$dir/startup.out" || fail "startup not done"
grep -q "acd-dbs/replication:acd-dbm: Streaming (IO Yes, SQL Yes" "$dir/startup.out" || fail "no Yes/Yes observed"
sql m2 'SHOW SLAVE STATUS\G' | grep -q 'Slave_IO_Running: Yes' || fail "replica not replicating after the startup"
grep -q '"output_digest":"sha256:' "$dir/startup.jsonl" || fail "journal has no output digests"
if grep -q "test-only\|Mon-Secret-4711" "$dir/startup.jsonl" "$dir/startup.out"; then fail "a secret leaked into the journal or output"; fi
"$acdsim" run "$data/db-startup.json" --inventory "$dir/inventory.json" > "$dir/dry.out" 2>&1 || fail "dry run"
grep -q -- "--password=\*\*\*" "$dir/dry.out" || fail "the dry run does not show the masked secret"
if grep -q "Mon-Secret-4711" "$dir/dry.out"; then fail "the secret leaked into the dry run"; fi

echo "== acdsim observe: the running pair as the model sees it; its snapshot feeds check and run"
"$acdsim" observe --inventory "$dir/inventory.json" --topology "$data/db-topology.json" --out "$dir/observed.json" \
  > "$dir/observe.out" 2>&1 || { cat "$dir/observe.out"; fail "acdsim observe (exit $?)"; }
cat "$dir/observe.out"
grep -q "^  mysql: Running  <- service_state: active" "$dir/observe.out" || fail "observe: mysql not Running"
grep -q "^  replication:acd-dbm: Streaming  <- replication_status: IO Yes, SQL Yes" "$dir/observe.out" || fail "observe: no Yes/Yes"
if grep -q "Mon-Secret-4711" "$dir/observe.out" "$dir/observed.json"; then fail "the secret leaked into observe"; fi
grep -q '"acd-dbs/replication:acd-dbm": "Streaming"' "$dir/observed.json" || fail "snapshot lacks the replication state"
# From the observed state the shutdown is safe, and starting again is refused (the servers already run).
"$acdsim" check -q "$data/db-shutdown.json" --initial "$dir/observed.json" > "$dir/check-observed.out" 2>&1 \
  || { cat "$dir/check-observed.out"; fail "check --initial the observed snapshot"; }
grep -q "SAFE" "$dir/check-observed.out" || fail "check from the observed snapshot is not SAFE"
rc=0; "$acdsim" run "$data/db-startup.json" --inventory "$dir/inventory.json" --observed "$dir/observed.json" > "$dir/dry-observed.out" 2>&1 || rc=$?
[ "$rc" -eq 1 ] && grep -q "broken: procedure.step-refused" "$dir/dry-observed.out" || { cat "$dir/dry-observed.out"; fail "dry run from the observed snapshot (exit $rc)"; }

echo "== shutdown in reverse: replica, then master"
run shutdown db-shutdown.json
grep -q "DONE db shutdown" "$dir/shutdown.out" || fail "shutdown not done"
if mariadb-admin --no-defaults --socket="$dir/m1.sock" ping >/dev/null 2>&1; then fail "master still up"; fi
if mariadb-admin --no-defaults --socket="$dir/m2.sock" ping >/dev/null 2>&1; then fail "replica still up"; fi

echo "== replica first: Connecting, the model's warning, healed once the master is up"
run replica-first db-startup-replica-first.json
grep -q "warning (model): replication.slave-before-master" "$dir/replica-first.out" || fail "no warning from the model"
grep -q "acd-dbs/replication:acd-dbm: Connecting (IO Connecting" "$dir/replica-first.out" || fail "Connecting not observed"
grep -q "DONE db startup, replica first" "$dir/replica-first.out" || fail "did not heal"
sql m2 'SHOW SLAVE STATUS\G' | grep -q 'Slave_IO_Running: Yes' || fail "replica not replicating at the end"

"$dir/db.sh" stop m2; "$dir/db.sh" stop m1
echo "ok: live MariaDB over ssh in $(( $(date +%s) - start )) s"
