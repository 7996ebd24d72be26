# Sourced by the kill-and-resume tests (resume_after_kill.sh, kill_mid_command.sh): two local
# "hosts", acd-dbm and acd-dbs, each a state file DIR/state-HOST holding the word the service
# probe prints (inactive when missing). write_fake_hosts DIR COMMAND_TIMEOUT writes the probes
# (the replica is healthy once acd-dbs is active) and DIR/inventory.json, whose systemctl_start
# runs "sh DIR/act.sh start ALIAS": each test writes its own act.sh. fake_hosts_scratch NAME
# makes $dir and removes it on exit, killing the acdsim the test started in the background ($pid).
fake_hosts_scratch() {
  dir=$(mktemp -d "/tmp/$1.XXXXXX")
  pid=
  trap 'if [ -n "$pid" ]; then kill -9 "$pid" 2>/dev/null; fi; rm -rf "$dir"' EXIT
  trap 'exit 1' INT TERM HUP
}

write_fake_hosts() {
  local dir=$1 command_timeout=$2
  cat > "$dir/probe.sh" <<SH
#!/bin/sh
cat "$dir/state-\$1" 2>/dev/null || echo inactive
SH
  cat > "$dir/repl.sh" <<SH
#!/bin/sh
if [ "\$(cat $dir/state-acd-dbs 2>/dev/null)" != active ]; then
  echo "ERROR 2002 (HY000): Can't connect to local server through socket '/run/mysqld/mysqld.sock' (2)"; exit 1
fi
printf 'Slave_IO_State: Waiting for master to send event\nSlave_IO_Running: Yes\nSlave_SQL_Running: Yes\n'
SH
  cat > "$dir/inventory.json" <<JSON
{
  "format": "acdsim-inventory/1",
  "timeouts": {"command": "$command_timeout", "probe": "5s", "poll": "0.1s"},
  "actions": {"systemctl_start": "sh $dir/act.sh start {alias}"},
  "probes": {"reachable": "true", "service_state": "sh $dir/probe.sh {alias}", "replication_status": "sh $dir/repl.sh"},
  "hosts": {"acd-dbm": {"transport": "local"}, "acd-dbs": {"transport": "local"}}
}
JSON
}
