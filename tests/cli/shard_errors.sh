#!/usr/bin/env bash
# shard_errors.sh ACDSIM ROLLOUT PROCEDURE CASE: writes small whatif and fuzz
# campaigns as shards, damages them as CASE says, and passes when acdsim merge
# exits 2 with the located message CASE expects (file, line, JSON path).
set -u
acdsim=$1 rollout=$2 procedure=$3 case=$4; shift 4
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
whatif() { "$acdsim" whatif -q --seeds 2 --sweep load=0.3,1.0 "$@" "$rollout"; }
fuzz() { "$acdsim" fuzz --runs 6 "$@" "$procedure"; }
for i in 0 1 2; do whatif --shard "$i/3" -o "w$i.jsonl" && fuzz --shard "$i/3" -o "f$i.jsonl" || exit 1; done
files="w0.jsonl w1.jsonl w2.jsonl"
case $case in
  missing) files="w0.jsonl w2.jsonl"; expect='w0.jsonl:1: at /shard/count: the campaign has 3 shards, 2 given; missing: 1/3' ;;
  duplicate) files="w0.jsonl w1.jsonl w1.jsonl w2.jsonl"; expect='w1.jsonl:1: at /shard/index: shard 1/3 is given twice' ;;
  other_campaign) whatif --seed 9 --shard 1/3 -o w1.jsonl
    expect='w1.jsonl:1: at /campaign/options/seed: another campaign than w0.jsonl' ;;
  other_count) whatif --shard 1/4 -o w1.jsonl; expect='w1.jsonl:1: at /shard/count: this shard is one of 4, w0.jsonl one of 3' ;;
  changed_procedure) sed 's/"sha256:[0-9a-f]\{8\}/"sha256:00000000/' w2.jsonl >x && mv x w2.jsonl
    expect='w2.jsonl:1: at /campaign/procedures/0/sha256: another campaign' ;;
  torn) head -c -20 w1.jsonl >x && mv x w1.jsonl; expect='w1.jsonl:[0-9]+: the last line has no newline: the file was cut off' ;;
  no_end) head -n -1 w1.jsonl >x && mv x w1.jsonl; expect='w1.jsonl:[0-9]+: expected the end record' ;;
  wrong_end) sed '$s/"records":[0-9]*/"records":1/' w1.jsonl >x && mv x w1.jsonl; expect='w1.jsonl:[0-9]+: at /end/records: expected [0-9]+' ;;
  bad_number) sed '4s/"window_s":[0-9.e+-]*/"window_s":"soon"/' w0.jsonl >x && mv x w0.jsonl
    expect='w0.jsonl:4: at /window_s: expected a number, got "soon"' ;;
  bad_json) sed '4s/}$/,/' w0.jsonl >x && mv x w0.jsonl; expect='w0.jsonl:4: expected one JSON object per line' ;;
  deep) awk 'NR==4{printf "{\"a\":"; for(i=0;i<40;i++) printf "["; for(i=0;i<40;i++) printf "]"; print "}"; next} {print}' w0.jsonl >x && mv x w0.jsonl
    expect='w0.jsonl:4: expected a JSON object nested at most 32 deep' ;;
  run_order) awk 'NR==4{a=$0; next} NR==5{print; print a; next} {print}' w0.jsonl >x && mv x w0.jsonl
    expect='w0.jsonl:4: at /run: expected run 0' ;;
  not_a_shard) cp "$rollout" w1.jsonl; expect='w1.jsonl:1: expected one JSON object per line \(acdsim-shard/1 JSON lines\)' ;;
  mixed) files="w0.jsonl f1.jsonl w2.jsonl"; expect='f1.jsonl:1: at /command: a fuzz shard cannot merge with the whatif shard w0.jsonl' ;;
  fuzz_runs) sed 's/"runs":[0-9]*,/"runs":5,/' f2.jsonl >x && mv x f2.jsonl; files="f0.jsonl f1.jsonl f2.jsonl"
    expect='f2.jsonl:2: at /runs: expected 2 \(shard 2/3 of 6 runs\)' ;;
  fuzz_svg) files="f0.jsonl f1.jsonl f2.jsonl"; set -- --svg x.svg; expect='--csv, --json and --svg are whatif outputs' ;;
  bad_option) for f in w0 w1 w2; do sed -i '1s/"seeds":"2"/"seeds":"0"/' $f.jsonl; done
    expect='w0.jsonl:1: at /campaign/options: --seeds: expected a number of runs per grid point from 1 to 10000, got "0"' ;;
  report_option) for f in w0 w1 w2; do sed -i '1s/"options":{/"options":{"svg":"x.svg",/' $f.jsonl; done
    expect='w0.jsonl:1: at /campaign/options/svg: --svg is not an option a shard header holds' ;;
  *) echo "unknown case $case"; exit 1 ;;
esac
out=$("$acdsim" merge "$@" $files 2>&1); rc=$?
[ "$rc" -eq 2 ] || { echo "exit $rc, expected 2:"; echo "$out"; exit 1; }
grep -Eq -- "$expect" <<<"$out" || { echo "output does not match /$expect/:"; echo "$out"; exit 1; }
echo "ok: $out"
