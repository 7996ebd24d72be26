#!/bin/sh
# SPIN agrees with acdsim (issue 16): usage agree.sh ACDSIM PROCEDURE [check/export options...]
# Exports the procedure as Promela, runs Debian's spin + gcc + pan with its
# partial-order reduction off, and asserts the verdict and the number of states
# equal acdsim check's with its reductions off (every violation searched, none
# stopping the count). A violation's SPIN trail is imported as a counterexample
# and must replay in acdsim simulate --replay. Exit 77: skipped (no spin; CI fails instead).
set -u
acdsim=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
procedure=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
shift 2
if ! command -v spin >/dev/null 2>&1 || ! command -v gcc >/dev/null 2>&1; then
  if [ "${CI:-}" = true ]; then echo "FAIL: spin (Debian package spin) or gcc is missing in CI"; exit 1; fi
  echo "SKIP: spin or gcc not installed"; exit 77
fi
dir=$(mktemp -d "${TMPDIR:-/tmp}/acdsim-spin.XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $procedure: $*"; exit 1; }

"$acdsim" check -q -f json --no-symmetry --no-por --after-violation 1000000000 "$@" "$procedure" >"$dir/check.json"
code=$?
[ $code -le 1 ] || fail "acdsim check exited $code"
a_states=$(sed -n 's/^ *"states": \([0-9]*\),*$/\1/p' "$dir/check.json" | head -n 1)
a_verdict=$(sed -n 's/^  "verdict": "\([a-z]*\)",*$/\1/p' "$dir/check.json" | head -n 1)
invariants=$(sed -n 's/^ *"invariant": "\([^"]*\)",*$/\1/p' "$dir/check.json" | sort -u)

"$acdsim" export promela "$@" "$procedure" -o "$dir/model.pml" || fail "export failed"
cd "$dir" || exit 1
spin -a model.pml >spin.log 2>&1 || { cat spin.log; fail "spin -a failed"; }
gcc ${ACDSIM_PAN_CFLAGS:--O0} -w -DSAFETY -DNOREDUCE -DBFS -DMEMLIM=2048 -o pan pan.c || fail "gcc pan.c failed"
./pan -c0 >pan.out 2>&1
s_states=$(sed -n 's/^ *\([0-9]*\) states, stored.*/\1/p' pan.out | head -n 1)
s_errors=$(sed -n 's/.*errors: \([0-9]*\).*/\1/p' pan.out | head -n 1)
grep -q "out of memory\|max search depth too small\|Search not completed" pan.out && { cat pan.out; fail "pan did not finish"; }
s_verdict=safe
[ "${s_errors:-x}" = 0 ] || s_verdict=violated
echo "$procedure $*: acdsim $a_verdict, $a_states states; SPIN $s_verdict, $s_states states, errors: $s_errors"
[ "$a_verdict" = "$s_verdict" ] || fail "verdicts differ"
[ -n "$a_states" ] && [ "$a_states" = "$s_states" ] || fail "state counts differ"
[ "$a_verdict" = violated ] || exit 0

# The first violation's trail (BFS: a shortest one), back in acdsim's words.
./pan >pan1.out 2>&1
[ -f model.pml.trail ] || { cat pan1.out; fail "pan wrote no trail"; }
spin -t model.pml >replay.txt 2>&1 || fail "spin -t failed"
"$acdsim" import spin-trail model.pml replay.txt -o trace.json || { cat replay.txt; fail "import spin-trail failed"; }
found=$(sed -n 's/^    "invariant": "\([^"]*\)",*$/\1/p' trace.json | head -n 1)
echo "SPIN's trail: $found ($(grep -c '@acdsim' replay.txt) markers)"
echo "$invariants" | grep -qx "$found" || fail "SPIN's violation $found is not among acdsim's: $invariants"
"$acdsim" simulate --replay trace.json >replay.out 2>&1
code=$?  # 1: the simulator met a finding too
[ $code -le 1 ] || { cat replay.out; fail "simulate --replay exited $code"; }
moves=$(grep -c '"what":' trace.json)
replayed=$(grep -c '^  +[0-9]' replay.out)
head -n 1 replay.out
if [ "$found" = procedure.step-refused ]; then  # the last line is the refused step: the replay stops there, as for check --trace-out
  moves=$((moves - 1))
  grep -q "replay.diverged step" replay.out || { cat replay.out; fail "the refused step was not refused in the replay"; }
fi
[ "$moves" = "$replayed" ] || { cat replay.out; fail "$moves moves in the counterexample, $replayed replayed"; }
echo "replayed all $moves moves"
