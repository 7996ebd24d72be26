#!/bin/sh
# acdsim import spin-trail without spin: a recorded `spin -t` output
# (data/lb-never-shut-down.replay.txt, SPIN 6.5.2 on the export of
# jtel-medium/known-bad/lb-never-shut-down) becomes a counterexample that
# replays, and what does not fit is refused with exit 2 and a located message.
set -u
acdsim=$1 procedures=$2 data=$3
dir=$(mktemp -d "${TMPDIR:-/tmp}/acdsim-spin-import.XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
procedure=$procedures/jtel-medium/known-bad/lb-never-shut-down.json
"$acdsim" export promela "$procedure" -o "$dir/model.pml" || fail "export"
replay=$data/lb-never-shut-down.replay.txt

"$acdsim" import spin-trail "$dir/model.pml" "$replay" -o "$dir/trace.json" || fail "import of a real trail"
grep -q '"format": "acdsim-counterexample/1"' "$dir/trace.json" || fail "not a counterexample file"
grep -q '"invariant": "goal.all-off"' "$dir/trace.json" || fail "not goal.all-off"
[ "$(grep -c '"what":' "$dir/trace.json")" = 19 ] || fail "expected the trail's 19 moves"
"$acdsim" simulate --replay "$dir/trace.json" >"$dir/replay.out" 2>&1 || { cat "$dir/replay.out"; fail "replay"; }
[ "$(grep -c '^  +[0-9]' "$dir/replay.out")" = 19 ] || fail "the simulator replayed other than 19 moves"

expect() {  # expect REGEX ARGS...: exit 2 and the message
  regex=$1; shift
  "$acdsim" import spin-trail "$@" >"$dir/out" 2>&1
  code=$?
  [ $code = 2 ] || { cat "$dir/out"; fail "exit $code, not 2, for $*"; }
  grep -Eq "$regex" "$dir/out" || { cat "$dir/out"; fail "no \"$regex\" for $*"; }
}
# The trail without its final marker: no violation.
grep -v 'goal 0' "$replay" >"$dir/no-end.txt"
expect "no-end.txt:[0-9]+: no violation marker" "$dir/model.pml" "$dir/no-end.txt"
# A move the state does not allow (the first environment move before any step).
{ echo "@acdsim env 17"; cat "$replay"; } >"$dir/early.txt"
expect "early.txt:1: \"@acdsim env 17\" is not possible" "$dir/model.pml" "$dir/early.txt"
# A violation acdsim does not see there.
sed 's/@acdsim goal 0/@acdsim stuck/' "$replay" >"$dir/stuck.txt"
expect "stuck.txt:20: \"@acdsim stuck\" is not what acdsim finds" "$dir/model.pml" "$dir/stuck.txt"
echo "@acdsim step 99" >"$dir/99.txt"
expect "99.txt:1: \"@acdsim step 99\" names no step" "$dir/model.pml" "$dir/99.txt"
# An edited model, and a file that is no export.
sed 's/^byte c0 = 2;/byte c0 = 1;/' "$dir/model.pml" >"$dir/edited.pml"
grep -q '^byte c0 = 1;' "$dir/edited.pml" || fail "the edit did not apply"
expect "edited.pml: the model differs from what acdsim export promela writes" "$dir/edited.pml" "$replay"
cp "$procedure" "$dir/trail.json"
expect "trail.json:1: expected a model written by acdsim export promela" "$dir/trail.json" "$replay"
echo "ok"
