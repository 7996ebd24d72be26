#!/usr/bin/env bash
# input_files.sh ACDSIM TOPOLOGY: inputs that are not regular files, nest too deep,
# or are written over, answer at once with exit 2 and a located message; written
# files get the umask's mode and keep an existing file's mode.
set -u
acdsim=$1 topology=$2
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
expect() {  # expect CODE REGEX COMMAND...
  local code=$1 regex=$2; shift 2
  local out rc
  out=$(timeout 10 "$@" 2>&1); rc=$?
  [ "$rc" -eq "$code" ] || fail "exit $rc, expected $code: $* -> $out"
  grep -Eq -- "$regex" <<<"$out" || fail "output of $* does not match /$regex/: $out"
}

mkfifo "$dir/fifo.json"
expect 2 "fifo.json: cannot read the file: it is a FIFO" "$acdsim" validate "$dir/fifo.json"
expect 2 "a directory" "$acdsim" validate "$dir"
expect 2 "/dev/zero: cannot read the file: it is a character device" "$acdsim" validate /dev/zero
# 100,000 blanks before the colon once overflowed the stack of a regular expression.
{ printf '{"format"'; head -c 100000 /dev/zero | tr '\0' ' '; printf ': "acdsim-topology/1"}'; } >"$dir/blanks.json"
expect 2 "blanks.json:1: missing key \"name\"" "$acdsim" validate "$dir/blanks.json"
# Deep nesting before the format key: refused by the streaming read, not a crash.
{ printf '{"x":'; head -c 100000 /dev/zero | tr '\0' '['; } >"$dir/deep.json"
expect 2 "deep.json: nested deeper than 256 levels" "$acdsim" validate "$dir/deep.json"
printf '{"format": "acdsim-frobnicator/1"}' >"$dir/other.json"
expect 2 "other.json: at /format: \"acdsim-frobnicator/1\" is not a format acdsim reads" "$acdsim" validate "$dir/other.json"
printf '{"format": 7}' >"$dir/number.json"
expect 2 "number.json: at /format: expected a string" "$acdsim" validate "$dir/number.json"
printf '{\n  "name": [1,\n  2,, 3]\n}' >"$dir/broken.json"
expect 2 "broken.json:3: .*syntax error" "$acdsim" validate "$dir/broken.json"

# Written files: 0666 less the umask, an existing file's mode kept, special files refused.
(umask 022 && "$acdsim" graph -o "$dir/new.dot" "$topology" >/dev/null) || fail "graph -o failed"
[ "$(stat -c %a "$dir/new.dot")" = 644 ] || fail "new file has mode $(stat -c %a "$dir/new.dot"), expected 644"
chmod 640 "$dir/new.dot"
(umask 077 && "$acdsim" graph -o "$dir/new.dot" "$topology" >/dev/null) || fail "graph -o over a file failed"
[ "$(stat -c %a "$dir/new.dot")" = 640 ] || fail "rewritten file has mode $(stat -c %a "$dir/new.dot"), expected 640 kept"
expect 2 "fifo.json: it exists and is not a regular file" "$acdsim" graph -o "$dir/fifo.json" "$topology"
[ -p "$dir/fifo.json" ] || fail "the FIFO was replaced"
ls "$dir" | grep -q '\.tmp\.' && fail "a temporary file was left behind"
echo "ok"
