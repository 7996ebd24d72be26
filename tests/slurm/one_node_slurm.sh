#!/usr/bin/env bash
# one_node_slurm.sh ACDSIM SOURCE_DIR: starts a private one-node Slurm (munged,
# slurmctld, slurmd on this host, config and state in a temporary directory, ports
# 16817/16818), submits the recipe of docs/campaigns.md (docs/campaigns/slurm-submit.sh:
# a job array of shards and a merge job with --dependency=afterok) for a whatif and a
# fuzz campaign, and passes when the merged outputs equal the unsplit runs byte for
# byte. Exit 77 (CTest: skipped) without root, without slurm-wlm and munge, or without a
# mounted cgroup filesystem (a bare chroot).
# Stops every daemon it started and removes its files on any exit.
set -u
acdsim=$(realpath "$1") src=$(realpath "$2")
skip() { echo "SKIPPED: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root (it starts munged, slurmctld and slurmd)"
for c in munged slurmctld slurmd sbatch sinfo scontrol; do
  command -v "$c" >/dev/null || skip "$c not found (Debian: apt-get install slurm-wlm munge)"
done
# slurmd (22.05) will not start without a cgroup filesystem, whatever the proctrack and task
# plugins; a bare chroot or container (the fresh-machine check's Debian root) has none mounted.
[ -e /sys/fs/cgroup/cgroup.controllers ] || [ -d /sys/fs/cgroup/cpu ] || [ -d /sys/fs/cgroup/memory ] ||
  skip "no cgroup filesystem at /sys/fs/cgroup (slurmd needs one: \"Unable to initialize cgroup plugin\")"
start=$(date +%s)
work=$(mktemp -d /tmp/acdsim-slurm.XXXXXX) || exit 1
chmod 755 "$work"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*"
  for log in "$work"/*.log "$work"/run/*/*.log; do [ -f "$log" ] && { echo "--- $log"; tail -n 15 "$log"; }; done
  exit 1
}

head -c 1024 /dev/urandom >"$work/munge.key" && chmod 400 "$work/munge.key"
munged -F --force --key-file="$work/munge.key" --socket="$work/munge.socket" --pid-file="$work/munged.pid" \
  --log-file="$work/munged.log" --seed-file="$work/munged.seed" >"$work/munged.out" 2>&1 &
pids+=($!)
node=$(hostname -s)
mkdir -p "$work/state" "$work/spool" "$work/run"
cat >"$work/slurm.conf" <<CONF
ClusterName=acdsim-test
SlurmctldHost=$node(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=16817
SlurmdPort=16818
AuthType=auth/munge
AuthInfo=socket=$work/munge.socket
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/pgid
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MpiDefault=none
NodeName=$node NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=test Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$work/slurm.conf
for i in $(seq 50); do [ -S "$work/munge.socket" ] && break; sleep 0.1; done
slurmctld -D -f "$SLURM_CONF" >"$work/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -f "$SLURM_CONF" >"$work/slurmd.out" 2>&1 &
pids+=($!)
for i in $(seq 100); do
  state=$(sinfo -h -o %T 2>/dev/null) && [[ $state == idle* ]] && break
  sleep 0.3
done
[[ ${state:-} == idle* ]] || fail "the node did not become idle (sinfo: ${state:-nothing})"
echo "one-node Slurm up in $(( $(date +%s) - start )) s"

rollout=$src/scenarios/rollouts/jtel-large/group-low.json
procs=$src/scenarios/procedures
whatif=(whatif -q --seeds 3 --sweep strategy=group,atomic --sweep load=0.3,1.0,1.3 --fault-rate 2 "$rollout")
fuzz=(fuzz --runs 30 --window 600 --faults crashes:20 "$procs/jtel-small/shutdown.json" "$procs/jtel-medium/shutdown.json")
export ACDSIM=$acdsim
# The single runs, then the recipe (5 shards each) with the same output names in another directory.
mkdir "$work/single" "$work/run/whatif" "$work/run/fuzz"
(cd "$work/single" && "$acdsim" "${whatif[@]}" --csv w.csv --json w.json --svg w.svg -o w.txt) || fail "single whatif"
(cd "$work/single" && "$acdsim" "${fuzz[@]}" -f junit -o f.xml --out cases; [ $? = 1 ]) || fail "single fuzz: expected exit 1"
(cd "$work/run/whatif" && SBATCH_WAIT=1 "$src/docs/campaigns/slurm-submit.sh" 5 "${whatif[@]}" -- --csv ../../single-w.csv \
  --json ../../single-w.json --svg ../../single-w.svg -o ../../single-w.txt) >/dev/null || fail "whatif recipe: the merge job failed"
(cd "$work/run/fuzz" && SBATCH_WAIT=1 "$src/docs/campaigns/slurm-submit.sh" 5 "${fuzz[@]}" -- -f junit -o f.xml --out cases) >/dev/null
rc=$?
[ "$rc" = 1 ] || fail "fuzz recipe: the merge job exited $rc, expected 1 (a run failed, as in the single run)"
[ "$(ls "$work/run/whatif/shards" | wc -l)" = 5 ] || fail "expected 5 whatif shard files"
mkdir "$work/merged"
for f in w.csv w.json w.svg w.txt; do mv "$work/single-$f" "$work/merged/$f" || fail "merge wrote no $f"; done
mv "$work/run/fuzz/f.xml" "$work/run/fuzz/cases" "$work/merged/" || fail "the fuzz merge wrote no report"
diff -r "$work/single" "$work/merged" || fail "the Slurm recipe's outputs differ from the single runs"
echo "ok: Slurm job arrays of 5 shards + afterok merge = single runs (whatif and fuzz), $(( $(date +%s) - start )) s in all"
