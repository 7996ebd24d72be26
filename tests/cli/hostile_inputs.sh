#!/usr/bin/env bash
# hostile_inputs.sh ACDSIM SCENARIOS: generated hostile JSON (deep nesting, 4 MB of a
# wide array, of one string, of keys) answers at once with exit 2 and a located
# message, within time and memory; numbers out of their documented range (docs/formats.md,
# "Limits") are refused with exit 2 naming the key, the value and the range.
set -u
acdsim=$1 scenarios=$(cd "$2" && pwd)
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
# 1 GiB of address space is the budget (not under a sanitizer, which reserves terabytes).
limit_memory=1
ldd "$acdsim" 2>/dev/null | grep -q 'libasan\|libtsan' && limit_memory=0
expect() {  # expect CODE REGEX COMMAND...
  local code=$1 regex=$2; shift 2
  local out rc
  out=$( (if [ "$limit_memory" = 1 ]; then ulimit -v 1048576; fi; timeout 20 "$@") 2>&1); rc=$?
  [ "$rc" -eq "$code" ] || fail "exit $rc, expected $code: $* -> ${out:0:300}"
  grep -Eq -- "$regex" <<<"$out" || fail "output of $* does not match /$regex/: ${out:0:300}"
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
echo "ok"
