#!/usr/bin/env bash
# shard_merge.sh ACDSIM fuzz|whatif N ARGS...: runs the campaign once unsplit and
# as N shards merged with acdsim merge, and passes when every output (reports in
# each format, case files, CSV, JSON, SVG, HTML) and the exit code are byte for
# byte the same. Each side runs in its own directory with the same relative
# output names, so the names printed in reports match too.
set -u
acdsim=$(realpath "$1") command=$2 n=$3; shift 3
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT
mkdir "$work/single" "$work/merged" "$work/shards"
fail() { echo "FAIL: $*"; exit 1; }

# One side's outputs: $1 the directory, the rest the command and its arguments (without outputs).
outputs() {
  local dir=$1; shift
  if [ "$command" = fuzz ]; then
    (cd "$dir" && "$@" -o report.txt --out cases; echo $? >rc.text
     "$@" -f junit -o junit.xml; echo $? >rc.junit) >"$dir/stdout" 2>"$dir/stderr"
  else
    (cd "$dir" && "$@" --csv t.csv --json t.json --svg t.svg -o table.txt; echo $? >rc.text
     "$@" -f html -o page.html; echo $? >rc.html
     "$@" -f csv -o stdout.csv; echo $? >rc.csv) >"$dir/stdout" 2>"$dir/stderr"
  fi
}

outputs "$work/single" "$acdsim" "$command" "$@"
for ((i = 0; i < n; i++)); do
  "$acdsim" "$command" "$@" --shard "$i/$n" -o "$work/shards/$i.jsonl" || fail "shard $i/$n exited $?"
done
# shards given in a shuffled order: merge sorts them by index
outputs "$work/merged" "$acdsim" merge $(ls "$work"/shards/*.jsonl | sort -r)
case $(cat "$work/single/rc.text") in 0|1) ;; *) cat "$work/single/stderr"; fail "the single run exited $(cat "$work/single/rc.text")";; esac
diff -r "$work/single" "$work/merged" || fail "the merge of $n shards differs from the single run"
echo "ok: $command, $n shards merged = single run ($(ls -R "$work/single" | grep -c .) entries compared, exit $(cat "$work/single/rc.text"))"
