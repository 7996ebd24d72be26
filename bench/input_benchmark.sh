#!/usr/bin/env bash
# input_benchmark.sh [ACDSIM] [SCENARIOS]: time and peak memory of `acdsim validate` on
# generated hostile JSON (issue 15: 4 MB of any JSON answered in < 2 s under 1 GiB) and
# on every shipped topology and procedure. Prints one line per case:
#   case  size  seconds  peak-RSS  exit-code
# Needs /usr/bin/time (GNU time). Example: bench/input_benchmark.sh build/cli/acdsim scenarios
set -u
acdsim=${1:-build/cli/acdsim}
scenarios=${2:-$(dirname "$0")/../scenarios}
[ -x /usr/bin/time ] || { echo "needs GNU time at /usr/bin/time" >&2; exit 2; }
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
repeat() { head -c "$2" /dev/zero | tr '\0' "$1"; }

measure() {  # measure NAME FILE [ARGS...]
  local name=$1 file=$2; shift 2
  local size secs kb rc
  size=$(stat -c %s "$file")
  /usr/bin/time -o "$dir/time" -f "%e %M %x" "$acdsim" validate "$@" "$file" >/dev/null 2>&1
  read -r secs kb rc < <(tail -n 1 "$dir/time")
  printf '%-52s %10s B %6s s %8s KB  exit %s\n' "$name" "$size" "$secs" "$kb" "$rc"
}

t='{"format": "acdsim-topology/1", "x": '
{ printf '%s' "$t"; repeat '[' 30000; repeat ']' 30000; printf '}'; } >"$dir/deep-30k.json"
{ printf '%s' "$t"; repeat '[' 100000; repeat ']' 100000; printf '}'; } >"$dir/deep-100k.json"
{ printf '%s' "$t"; repeat '[' 2200000; repeat ']' 2200000; printf '}'; } >"$dir/deep-4.4MB.json"
{ printf '%s' "$t"; repeat '[' 250; repeat '1' 4000000 | sed 's/1/1,/g'; printf '1'; repeat ']' 250; printf '}'; } >"$dir/deep-250-wide.json"
{ printf '%s[' "$t"; repeat '1' 2000000 | sed 's/1/1,/g'; printf '1]}'; } >"$dir/wide-array-4MB.json"
{ printf '%s[' "$t"; repeat '1' 500000 | sed 's/1/{"a":1},/g'; printf '1]}'; } >"$dir/wide-objects-4MB.json"
{ printf '%s"' "$t"; repeat 'a' 4000000; printf '"}'; } >"$dir/long-string-4MB.json"
{ printf '{"format": "acdsim-topology/1"'; seq 1 400000 | sed 's/.*/,"k&": 1/'; printf '}'; } >"$dir/keys-400k.json"
{ printf '{"format": "acdsim-topology/1"'; seq 1 400000 | sed 's/.*/,"_c&": 1/'; printf '}'; } >"$dir/comment-keys-400k.json"
{ printf '%s[' "$t"; repeat '1' 25000000 | sed 's/1/1,/g'; printf '1]}'; } >"$dir/wide-array-50MB.json"

echo "# hostile inputs (acdsim validate; exit 2 expected)"
for f in deep-30k deep-100k deep-4.4MB deep-250-wide wide-array-4MB wide-objects-4MB long-string-4MB keys-400k \
         comment-keys-400k wide-array-50MB; do
  measure "$f" "$dir/$f.json"
done
echo "# shipped scenarios (exit 0 expected)"
for f in "$scenarios"/topologies/*.json "$scenarios"/procedures/*/*.json "$scenarios"/rollouts/*/*.json; do
  measure "${f#"$scenarios"/}" "$f"
done
