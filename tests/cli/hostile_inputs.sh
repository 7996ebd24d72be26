#!/usr/bin/env bash
# hostile_inputs.sh ACDSIM SCENARIOS: generated hostile JSON (deep nesting, 4 MB of a
# wide array, of one string, of keys) answers at once with exit 2 and a located
# message, within time and memory; numbers out of their documented range (docs/formats.md,
# "Limits"), in files and on the command line, are refused with exit 2 naming the key or
# option, the value and the range; outputs never replace a symlink or an input; threads
# that cannot be created and memory that runs out end cleanly. Each answer: one line,
# under 2 s (not under a sanitizer) and 1 GiB.
set -u
acdsim=$1 scenarios=$(cd "$2" && pwd)
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
# 1 GiB of address space is the budget (not under a sanitizer, which reserves terabytes).
limit_memory=1
ldd "$acdsim" 2>/dev/null | grep -q 'libasan\|libtsan' && limit_memory=0
out=""
run() {  # run COMMAND...: sets out and rc, within 1 GiB; fails after 2 s (20 s under a sanitizer)
  local start end
  start=$(date +%s%N)
  out=$( (if [ "$limit_memory" = 1 ]; then ulimit -v 1048576; fi; timeout 20 "$@") 2>&1); rc=$?
  end=$(date +%s%N)
  if [ "$limit_memory" = 1 ] && [ $(( (end - start) / 1000000 )) -gt 2000 ]; then
    fail "took $(( (end - start) / 1000000 )) ms (over 2 s): $*"
  fi
}
expect() {  # expect CODE REGEX COMMAND...
  local code=$1 regex=$2; shift 2
  run "$@"
  [ "$rc" -eq "$code" ] || fail "exit $rc, expected $code: $* -> ${out:0:300}"
  grep -Eq -- "$regex" <<<"$out" || fail "output of $* does not match /$regex/: ${out:0:300}"
}
one_line() {  # one_line CODE REGEX COMMAND...: as expect, and the answer is a single line
  expect "$@"
  [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] || fail "more than one line: ${*:3} -> ${out:0:300}"
}
repeat() { head -c "$2" /dev/zero | tr '\0' "$1"; }  # repeat CHAR COUNT

# Nesting after the format key reaches the model's parser: 100,000 levels crashed every
# command, 30,000 (60 KB) took 1.7 GB.
{ printf '{"format": "acdsim-topology/1",\n\n"x": '; repeat '[' 100000; } >"$dir/deep.json"
expect 2 "deep.json:3: nested deeper than 256 levels at line 3" "$acdsim" validate "$dir/deep.json"
{ printf '{"format": "acdsim-procedure/1", "x": '; repeat '[' 30000; repeat ']' 30000; printf '}'; } >"$dir/deep30k.json"
expect 2 "deep30k.json:1: nested deeper than 256 levels" "$acdsim" validate "$dir/deep30k.json"
{ printf '{"format": "acdsim-topology/1", "x": '; repeat '[' 30000; repeat ']' 30000; printf '}'; } >"$dir/deep-graph.json"
expect 2 "nested deeper than 256 levels" "$acdsim" graph "$dir/deep-graph.json"
# 4 MB of a wide array, of one string, of keys: answered, located, within the limits.
{ printf '{"format": "acdsim-topology/1",\n"x": ['; repeat '1' 2000000 | sed 's/1/1,/g'; printf '1]}'; } >"$dir/wide.json"
expect 2 "wide.json:2: at /x: unknown key \"x\"" "$acdsim" validate "$dir/wide.json"
{ printf '{"format": "acdsim-topology/1", "name": "'; repeat 'a' 4000000; printf '"}'; } >"$dir/string.json"
expect 2 "string.json:1: missing key \"hosts\"" "$acdsim" validate "$dir/string.json"
{ printf '{"format": "acdsim-topology/1"'; seq 1 400000 | sed 's/.*/,"k&": 1/'; printf '}'; } >"$dir/keys.json"
expect 2 "keys.json:1: at /k1: unknown key \"k1\"" "$acdsim" validate "$dir/keys.json"
{ printf '{"format": "acdsim-topology/1"'; seq 1 400000 | sed 's/.*/,"_c": &/'; printf ',\n"_c": 0, "name": 5}'; } >"$dir/comments.json"
expect 2 "comments.json:400002: at /name: expected a string" "$acdsim" validate "$dir/comments.json"

# Numbers beyond their documented maximum.
topology=$scenarios/topologies/jtel-small.json
sed 's/"jb": 200/"jb": 1e19/' "$topology" >"$dir/capacity.json"
expect 2 'capacity.json:31: at /parameters/capacities/jb: "jb": expected a capacity greater than 0 and at most 1000000, got 1e\+19' \
  "$acdsim" validate "$dir/capacity.json"
sed 's/{"fixed": "300s"}/{"fixed": "10000000000000s"}/' "$topology" >"$dir/duration.json"
expect 2 'duration.json:28: at /parameters/durations/hazelcast.merge/fixed: .*from 0 s to 1 year \(31536000 s\), got "10000000000000s"' \
  "$acdsim" validate "$dir/duration.json"
rollout=$scenarios/rollouts/jtel-large-redundant/group-low.json
topology_large=$scenarios/topologies/jtel-large-redundant.json
sed "s|\"topology\": \"[^\"]*\"|\"topology\": \"$topology_large\"|; s/\"drain\": \"30s\"/\"drain\": 1e13/" "$rollout" >"$dir/drain.json"
expect 2 'drain.json:[0-9]+: at /rollout/drain: "drain": expected a duration from 0 s to 1 year' "$acdsim" validate "$dir/drain.json"
expect 2 'drain.json:[0-9]+: at /rollout/drain:' "$acdsim" simulate "$dir/drain.json"
sed "s|\"topology\": \"[^\"]*\"|\"topology\": \"$topology_large\"|; s/\"load\": \"low\"/\"load\": 4294967296/" "$rollout" >"$dir/load.json"
expect 2 'load.json:8: at /load: "load": expected a load \(fraction of the peak\) from 0 to 100, got 4294967296' \
  "$acdsim" validate "$dir/load.json"
inventory=$scenarios/inventories/jtel-small.json
sed 's/"connect_timeout": "10s"/"connect_timeout": "100000000h"/' "$inventory" >"$dir/ssh.json"
expect 2 'ssh.json:8: at /ssh/connect_timeout: "connect_timeout": expected a duration from 1 s to 1 hour' \
  "$acdsim" validate --topology "$topology" "$dir/ssh.json"
sed 's/"port": 22/"port": 4294967318/' "$inventory" >"$dir/port.json"
expect 2 'port.json:7: at /ssh/port: "port": expected a whole number from 1 to 65535, got 4294967318' \
  "$acdsim" validate --topology "$topology" "$dir/port.json"

# Command-line numbers: finite, in range, exit 2 naming the option and the range (one line).
rollout_small=$scenarios/rollouts/jtel-large/group-low.json
procedure=$scenarios/procedures/jtel-small/startup.json
one_line 2 '^acdsim simulate: --warmup: expected seconds from 0 to 86400, got "1e18"$' "$acdsim" simulate --warmup 1e18 "$rollout_small"
one_line 2 '^acdsim simulate: --warmup: expected seconds from 0 to 86400, got "nan"$' "$acdsim" simulate --warmup nan "$rollout_small"
one_line 2 '^acdsim simulate: --horizon: expected seconds from 0 to 86400, got "inf"$' "$acdsim" simulate --horizon inf "$rollout_small"
one_line 2 '^acdsim simulate: --load: expected low, peak, over-peak or a fraction of the peak from 0 to 100, got "1e9"$' \
  "$acdsim" simulate --load 1e9 "$rollout_small"
one_line 2 '^acdsim simulate: --fault-rate: expected faults per hour from 0 to 3600, got "1e12"$' \
  "$acdsim" simulate --fault-rate 1e12 "$rollout_small"
one_line 2 '^acdsim simulate: --fault: expected SECONDS \(of SECONDS:WHAT\) from 0 to 31536000, got "1e300"$' \
  "$acdsim" simulate --fault "1e300:acd-jb1: VM crashes" "$rollout_small"
one_line 2 '^acdsim simulate: --runs: expected a number of runs from 1 to 10000, got "-1"$' "$acdsim" simulate --runs -1 "$rollout_small"
one_line 2 '^acdsim simulate: --seed: expected a seed from 0 to 18446744073709551615, got "-1"$' "$acdsim" simulate --seed -1 "$rollout_small"
one_line 2 '^acdsim simulate: --slow-boot: expected a factor from 1 to 100, got "1e400"$' "$acdsim" simulate --slow-boot 1e400 "$rollout_small"
one_line 2 '^acdsim check: --faults: expected a number of faults from 0 to 100, got "-1"$' "$acdsim" check --faults -1 "$procedure"
one_line 2 '^acdsim check: --max-memory: expected MiB from 16 to 16777216, got "-1"$' "$acdsim" check --max-memory -1 "$procedure"
one_line 2 '^acdsim check: --max-states: expected a number of states from 1 to 1000000000000, got "1e6"$' "$acdsim" check --max-states 1e6 "$procedure"
one_line 2 '^acdsim run: --wait-timeout: expected seconds greater than 0 and at most 31536000, got "0"$' \
  "$acdsim" run --wait-timeout 0 --inventory "$inventory" "$procedure"
one_line 2 '^acdsim run: --max-states: expected a number of states from 1 to 1000000000000, got "-1"$' \
  "$acdsim" run --max-states -1 --inventory "$inventory" "$procedure"
one_line 2 '^acdsim fuzz: --faults: expected a rate from 0 to 3600 faults per hour after "any:", got 1000000000000(\.0)?$' \
  "$acdsim" fuzz --faults any:1e12 "$procedure"
one_line 2 '^acdsim fuzz: --window: expected seconds from 0 to 31536000, got "-5"$' "$acdsim" fuzz --window -5 "$procedure"
one_line 2 '^acdsim plan: --seeds: expected a number of runs per candidate from 1 to 10000, got "4294967296"$' \
  "$acdsim" plan --kind rollout --seeds 4294967296 "$topology_large"
one_line 2 '^acdsim plan: --load: expected low, peak, over-peak or a fraction of the peak from 0 to 100, got "-1"$' \
  "$acdsim" plan --kind rollout --load -1 "$topology_large"
one_line 2 '^acdsim whatif: --threads: expected a number of threads from 0 to 4096, got "1e9"$' "$acdsim" whatif -j 1e9 "$rollout_small"
# whatif values: group sizes were read with stoi (99999999999: exit 3 "stoi"; 1e10 and 2.9 ran 1 and 2)
for size in 99999999999 1e10 2.9 0 -3; do
  one_line 2 "^acdsim whatif: --sweep group-size: expected a whole number from 1 to 1000000, got \"$size\"\$" \
    "$acdsim" whatif --sweep "group-size=$size" "$rollout_small"
done
one_line 2 '^acdsim whatif: --sweep group-size: expected A..B within 0..1000000, got "2147483640..2147483647"$' \
  "$acdsim" whatif --sweep group-size=2147483640..2147483647 "$rollout_small"
one_line 2 '^acdsim whatif: --sweep drain: expected a duration such as 10s, 1m30s or 250ms, at most one year, got "1e13s"$' \
  "$acdsim" whatif --sweep drain=1e13s "$rollout_small"
drains=$(seq -s, 1 1000 | sed 's/[0-9][0-9]*/&s/g')
one_line 2 '^acdsim whatif: the sweep has 1000000 grid points \(1000 x 1000\), at most 10000: sweep fewer values$' \
  "$acdsim" whatif --sweep group-size=1..1000 --sweep "drain=$drains" "$rollout_small"
one_line 2 '^acdsim whatif: the sweep asks for 100 grid points x 10000 seeds = 1000000 runs, at most 100000' \
  "$acdsim" whatif --seeds 10000 --sweep group-size=1..100 "$rollout_small"

# Threads: 1000 workers do not fit in 1 GiB; half of the ones that could be created, at most one
# per core, do the work (said on stderr). Before, std::system_error ended in std::terminate
# (SIGABRT, exit 134).
if [ "$limit_memory" = 1 ]; then
  expect 0 "could create only [0-9]+ of 1000 worker threads.*running on [0-9]+" \
    env MALLOC_ARENA_MAX=2 "$acdsim" whatif -q -j 2000 --seeds 1000 --warmup 0 --horizon 0 "$rollout_small"
  # Without the arena limit glibc's per-thread malloc arenas (64 MiB each, up to 8 per core)
  # may still exhaust the 1 GiB on a machine with many cores: then the workers' std::bad_alloc
  # reaches main (exit 3, what to change), never an abort.
  run "$acdsim" whatif -q -j 2000 --seeds 1000 --warmup 0 --horizon 0 "$rollout_small"
  [ "$rc" -eq 0 ] || { [ "$rc" -eq 3 ] && grep -Eq "^acdsim whatif: out of memory: sweep fewer grid points" <<<"$out"; } ||
    fail "whatif -j 2000 in 1 GiB: exit $rc: ${out:0:300}"
  # Memory running out anywhere: exit 3 and one line saying what to change (the 4 MB array
  # needs about 150 MB; in 80 MB its tree's destructor used to allocate and abort).
  out=$( (ulimit -v 80000; "$acdsim" validate "$dir/wide.json") 2>&1); rc=$?
  [ "$rc" -eq 3 ] && grep -Eq '^acdsim validate: out of memory: ' <<<"$out" || fail "validate in 80 MB: exit $rc: ${out:0:300}"
fi

# Outputs: a symlink at the path is refused (and kept) unless --follow-symlinks; an input of
# the run is never written over (compared by device and inode); "-" is standard output.
cp "$procedure" "$dir/p.json"
sed -i "s|\"topology\": \"[^\"]*\"|\"topology\": \"$scenarios/topologies/jtel-small.json\"|" "$dir/p.json"
cp "$dir/p.json" "$dir/p-copy.json"
one_line 2 "^acdsim: cannot write $dir/p.json: it is an input of this run; refusing to write over it" \
  "$acdsim" check -q -o "$dir/p.json" "$dir/p.json"
ln -s p.json "$dir/p-link.json"
one_line 2 "cannot write $dir/p-link.json: it is an input of this run" "$acdsim" check -q --follow-symlinks -o "$dir/p-link.json" "$dir/p.json"
cmp -s "$dir/p.json" "$dir/p-copy.json" || fail "check overwrote its input"
ln -s "$dir/target.txt" "$dir/out-link.txt"
one_line 2 "cannot write $dir/out-link.txt: it is a symlink; refusing to write through it \(--follow-symlinks" \
  "$acdsim" check -q -o "$dir/out-link.txt" "$dir/p.json"
[ -L "$dir/out-link.txt" ] && [ ! -e "$dir/target.txt" ] || fail "the symlink was replaced or followed"
expect 0 "" "$acdsim" check -q --follow-symlinks -o "$dir/out-link.txt" "$dir/p.json"
[ -L "$dir/out-link.txt" ] && grep -q SAFE "$dir/target.txt" || fail "--follow-symlinks did not write the link's target"
(cd "$dir" && "$acdsim" check -q -o - p.json | grep -q "SAFE") || fail "-o - did not write to standard output"
[ -e "$dir/-" ] && fail "-o - created a file named -"
(cd "$dir" && "$acdsim" graph -o - p.json | grep -q "digraph") || fail "graph -o - did not write to standard output"

# plan --kind rollout: its scratch procedure lives in a private directory of $TMPDIR (a planted
# symlink at the old predictable name was followed), removed at the end and on SIGTERM.
mkdir "$dir/tmp"
TMPDIR=$dir/tmp "$acdsim" plan -q --kind rollout --seeds 2 --out "$dir/rollout.json" "$scenarios/topologies/jtel-large.json" >/dev/null ||
  fail "plan --kind rollout failed"
[ -z "$(ls -A "$dir/tmp")" ] || fail "plan --kind rollout left $(ls -A "$dir/tmp") in TMPDIR"
TMPDIR=$dir/tmp "$acdsim" plan -q --kind rollout --seeds 200 "$scenarios/topologies/jtel-large.json" >/dev/null 2>&1 &
plan=$!
for _ in $(seq 100); do [ -n "$(ls -A "$dir/tmp")" ] && break; sleep 0.05; done
scratch=$(ls -A "$dir/tmp")
[ -n "$scratch" ] || fail "no scratch directory seen"
[ "$(stat -c %a "$dir/tmp/$scratch")" = 700 ] || fail "scratch directory mode $(stat -c %a "$dir/tmp/$scratch"), expected 700"
kill -TERM "$plan"
wait "$plan"; rc=$?
[ "$rc" -eq 143 ] || fail "plan after SIGTERM: exit $rc, expected 143"
[ -z "$(ls -A "$dir/tmp")" ] || fail "SIGTERM left $(ls -A "$dir/tmp") in TMPDIR"

# fuzz --out: two procedures with the same file name get two case files.
mkdir -p "$dir/a" "$dir/b"
known_bad=$scenarios/procedures/jtel-medium/known-bad/slave-before-master.json
for d in a b; do
  sed "s|\"topology\": \"[^\"]*\"|\"topology\": \"$scenarios/topologies/jtel-medium.json\"|" "$known_bad" >"$dir/$d/same.json"
done
"$acdsim" fuzz --runs 3 --out "$dir/cases" "$dir/a/same.json" "$dir/b/same.json" >/dev/null
[ "$(ls "$dir/cases" | wc -l)" -eq 2 ] || fail "fuzz --out: expected 2 case files, got: $(ls "$dir/cases")"
ls "$dir/cases" | grep -q '^same\.2\.seed-' || fail "fuzz --out: the second same.json has no .2 case: $(ls "$dir/cases")"

# Messages: one located line each.
sed 's/{"alias": "acd-app1", "roles": \["jb", "tel"\]}/{"alias": "acd-app1", "roles": ["jb", "tel"], "vm": "app1;reboot"}/' \
  "$topology" >"$dir/vm-semicolon.json"
one_line 2 '^error: .*vm-semicolon.json:7: at /hosts/1/vm: VM name "app1;reboot": only letters, digits and \. _ - : @' \
  "$acdsim" validate "$dir/vm-semicolon.json"
sed 's/{"alias": "acd-app1", "roles": \["jb", "tel"\]}/{"alias": "acd-app1", "roles": ["jb", "tel"], "vm": "$(reboot)"}/' \
  "$topology" >"$dir/vm-subshell.json"
one_line 2 'vm-subshell.json:7: at /hosts/1/vm: VM name "\$\(reboot\)"' "$acdsim" validate "$dir/vm-subshell.json"
{ cat "$topology"; printf '\0{"hosts": 5}'; } >"$dir/nul.json"
line=$(( $(wc -l <"$topology") + 1 ))
one_line 2 "^error: .*nul.json:$line: a NUL byte at line $line, column 1" "$acdsim" validate "$dir/nul.json"
one_line 2 "nul.json:$line: a NUL byte" "$acdsim" graph "$dir/nul.json"
{ printf '{"_comment": {"format": "acdsim-topology/1"},\n'; tail -c +2 "$procedure"; } >"$dir/comment.json"
sed -i "s|\"topology\": \"[^\"]*\"|\"topology\": \"$scenarios/topologies/jtel-small.json\"|" "$dir/comment.json"
one_line 0 '^ok: .*comment.json \(procedure "' "$acdsim" validate "$dir/comment.json"
mkdir "$dir/directory.json"
one_line 2 "^error: $dir/directory.json: cannot read the file: it is a directory, expected a regular file$" \
  "$acdsim" validate "$dir/directory.json"
: >"$dir/empty.json"
one_line 2 "^error: $dir/empty.json:1: .*unexpected end of input" "$acdsim" validate "$dir/empty.json"
one_line 2 "^error: $dir/empty.json:1: " "$acdsim" check "$dir/empty.json"
printf '{"format": "acdsim-inventory/1", "topology": ["x"]}' >"$dir/inventory-array.json"
one_line 2 "inventory-array.json: at /topology: names no topology file" "$acdsim" validate "$dir/inventory-array.json"
grep -q 'json.exception' <<<"$out" && fail "a raw nlohmann exception: $out"
echo "ok"
