#!/usr/bin/env bash
# render_test.sh KIND ACDSIM SOURCE_DIR WORK_DIR
# Renders one HTML report of acdsim in headless Chromium and asserts:
#  - no JavaScript error, console error or Content-Security-Policy violation
#    (a probe script injected into a copy of the page records them; Chromium's
#    own console log on stderr is checked too);
#  - the verdict word at the top is the expected one;
#  - counterexamples: per violation, one swimlane (col.lane) per host that the
#    text report's trace changes or whose component the broken invariant names, every state
#    change sits in its own host's lane, one row per move;
#  - the topology picture is there when Graphviz is installed, else the note
#    saying why it is not;
#  - two runs give the same bytes;
#  - a PNG screenshot is written (WORK_DIR/report-KIND.png, for review).
# KIND "harness" checks that the probe itself catches errors (a page with a
# network image and a throwing script must fail). Exit 77: no Chromium (skip; a failure when CI=true).
set -u
kind=$1 acdsim=$2 src=$3 work=$4
chromium=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)}
if [ -z "$chromium" ]; then
  # CI installs Chromium (.ci/install-deps): there a missing browser is a failure, not a skip.
  if [ "${CI:-}" = true ]; then echo "no chromium on PATH in CI (.ci/install-deps installs it)"; exit 1; fi
  echo "no chromium on PATH: skipped (apt-get install chromium)"; exit 77
fi
mkdir -p "$work"
html=$work/report-$kind.html probe_html=$work/probe-$kind.html
fail() { echo "FAIL ($kind): $*"; exit 1; }

scen=$src/scenarios
expect_verdict= text_report= stdout= code=0
# args: the acdsim command line, @OUT@ where the report goes (stdout=1: it goes to standard output).
case $kind in
  check-violated)
    f=$scen/procedures/jtel-medium/known-bad/lb-never-shut-down.json
    args=(check -q --format html -o @OUT@ "$f") code=1 text_report=$("$acdsim" check -q "$f") expect_verdict=VIOLATED ;;
  check-several)
    # Two mistakes, three distinct violations: one swimlane table each.
    f=$scen/procedures/jtel-medium/known-bad/storage-and-master-first.json
    args=(check -q --format html -o @OUT@ "$f") code=1 text_report=$("$acdsim" check -q "$f") expect_verdict=VIOLATED ;;
  check-safe)
    args=(check -q --format html -o @OUT@ "$scen/procedures/jtel-medium/shutdown.json") expect_verdict=SAFE ;;
  check-hostile)
    # A procedure whose name holds markup: shown as text, never run.
    f=$src/tests/html/data/hostile-name.json
    args=(check -q --format html -o @OUT@ "$f") code=1 text_report=$("$acdsim" check -q "$f") expect_verdict=VIOLATED ;;
  simulate)
    args=(simulate --format html --runs 2 "$scen/procedures/jtel-medium/shutdown.json") stdout=1 expect_verdict=PASSED ;;
  plan)
    args=(plan -q "$scen/topologies/jtel-medium.json" --kind startup --format html -o @OUT@) expect_verdict=SAFE ;;
  whatif)
    # Groups of 2 of the 3 web servers: fine at 0.3 x peak, far over the 1 % limit at 1.6 x peak.
    args=(whatif -q "$scen/rollouts/jtel-large/group-peak.json" --sweep load=0.3,1.6 --sweep group-size=2 --seeds 3 -j 2
          --format html) stdout=1 expect_verdict="1 OF 2 POINTS OVER THE LIMIT" ;;
  harness)
    args=(check -q --format html -o @OUT@ "$scen/procedures/jtel-medium/shutdown.json") expect_verdict=SAFE ;;
  *) fail "unknown kind" ;;
esac
render() {
  local a=() x rc
  for x in "${args[@]}"; do a+=("${x//@OUT@/$1}"); done
  if [ -n "$stdout" ]; then "$acdsim" "${a[@]}" > "$1"; else "$acdsim" "${a[@]}" > /dev/null; fi
  rc=$?
  [ "$rc" -eq "$code" ] || fail "acdsim ${a[*]}: exit $rc, expected $code"
}
render "$html"
# Deterministic: the same inputs give the same bytes.
render "$html.again"
cmp -s "$html" "$html.again" || fail "two runs gave different pages: $(diff "$html" "$html.again" | head -5)"
rm -f "$html.again"
if [ "$kind" = harness ]; then
  # A network request (blocked by the page's policy) and a script error: the probe must see both.
  sed -i 's|</main>|<img src="http://127.0.0.1:9/x.png"><script>undefinedFunction();</script></main>|' "$html"
fi
[ -s "$html" ] || fail "no HTML written"

# The probe: records errors from the first moment, then writes its findings into the DOM.
probe='<script>
window.__errors=[];
window.addEventListener("error",function(e){__errors.push("error: "+e.message);});
document.addEventListener("securitypolicyviolation",function(e){__errors.push("csp: "+e.violatedDirective+" "+e.blockedURI);});
console.error=function(){__errors.push("console: "+[].join.call(arguments," "));};
window.alert=function(m){__errors.push("alert: "+m);};
window.addEventListener("load",function(){setTimeout(function(){
  var lanes=[].map.call(document.querySelectorAll("table.swimlanes"),function(t){return t.querySelectorAll("col.lane").length;});
  var rows=[].map.call(document.querySelectorAll("table.swimlanes"),function(t){return t.querySelectorAll("tbody tr").length;});
  var mis=0,changes=document.querySelectorAll(".change");
  changes.forEach(function(c){var td=c.closest("td");if(!td||c.dataset.component.split("/")[0]!==td.dataset.host)mis++;});
  var w=document.querySelector("header.verdict .word");
  var p=document.createElement("pre");p.id="probe";
  p.textContent="PROBE errors="+__errors.length+" ["+__errors.join(" | ")+"]\nPROBE verdict="+(w?w.textContent:"(none)")+
    "\nPROBE lanes="+lanes.join(",")+"\nPROBE rows="+rows.join(",")+"\nPROBE changes="+changes.length+"\nPROBE misplaced="+mis+
    "\nPROBE topology-svg="+document.querySelectorAll("figure.topology svg").length+
    "\nPROBE topology-missing="+document.querySelectorAll(".topology-missing").length+
    "\nPROBE title="+document.title+"\nPROBE END";
  document.body.appendChild(p);},50);});
</script>'
printf '%s\n' "$probe" > "$work/probe-$kind.js"
sed "0,/<head>/{/<head>/r $work/probe-$kind.js
}" "$html" > "$probe_html"

flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --enable-logging=stderr --v=0 --virtual-time-budget=3000)
profile=$(mktemp -d); trap 'rm -rf "$profile"' EXIT
dom=$(timeout 120 "$chromium" "${flags[@]}" --user-data-dir="$profile" --dump-dom "file://$probe_html" 2>"$work/chromium-$kind.log")
# Only the probe's <pre> (the page's own text is not evidence), unescaped.
probe_out=$(awk '/<pre id="probe">/{on=1} on{print} /<\/pre>/{on=0}' <<<"$dom" | sed 's/<pre id="probe">//; s/<\/pre>.*//' |
            sed 's/&lt;/</g; s/&gt;/>/g; s/&quot;/"/g; s/&amp;/\&/g')
echo "$probe_out"
grep -q 'PROBE END' <<<"$probe_out" || fail "the probe did not report (page did not load?); chromium log: $(tail -5 "$work/chromium-$kind.log")"
value() { sed -n "s/^PROBE $1=//p" <<<"$probe_out"; }
console=$(grep -E ':CONSOLE|Uncaught' "$work/chromium-$kind.log" || true)

if [ "$kind" = harness ]; then
  errs=$(value errors | cut -d' ' -f1)
  grep -q 'csp: img-src' <<<"$probe_out" || fail "the probe missed a blocked network request"
  grep -q 'undefinedFunction' <<<"$probe_out$console" || fail "the probe missed a script error"
  [ "${errs:-0}" -ge 2 ] || fail "expected at least 2 errors, got $errs"
  echo "ok: the probe catches network requests and script errors"; exit 0
fi

[ "$(value errors | cut -d' ' -f1)" = 0 ] || fail "errors in the page: $(value errors)"
[ -z "$console" ] || fail "console messages: $console"
[ "$(value verdict)" = "$expect_verdict" ] || fail "verdict '$(value verdict)', expected '$expect_verdict'"
if command -v dot >/dev/null; then [ "$(value topology-svg)" -ge 1 ] || fail "no topology picture"
else [ "$(value topology-missing)" -ge 1 ] || fail "no note about the missing topology picture"; fi

if [ -n "$text_report" ]; then
  # Per violation of the text report (blocks "--- violation k of n ---" when several): the hosts
  # its trace changes (changes that change something) and the broken invariant's host; its moves.
  blocks=$(grep -c '^  --- violation ' <<<"$text_report"); [ "$blocks" -gt 0 ] || blocks=1
  lanes= rows=
  for i in $(seq 1 "$blocks"); do
    block=$(awk -v i="$i" -v n="$blocks" 'n == 1 {print; next} /^  --- violation /{k++} k == i {print}' <<<"$text_report")
    hosts=$( (sed -nE 's|^ {19}([^ /:]+)/[^:]*: (.*) -> (.*)$|\1 \2 \3|p' <<<"$block" | awk '$2 != $3 || NF != 3 {print $1}';
              sed -nE 's|^  broken: .* on ([^ /]+)/.*$|\1|p' <<<"$block") | sort -u | wc -l)
    moves=$(sed -nE 's|^  shortest trace \(([0-9]+) moves?\):$|\1|p' <<<"$block")
    lanes+=${lanes:+,}$hosts rows+=${rows:+,}$((moves + 1))
  done
  [ "$(value lanes)" = "$lanes" ] || fail "lanes $(value lanes), expected one per host of each trace: $lanes"
  [ "$(value rows)" = "$rows" ] || fail "rows $(value rows), expected the moves + the broken line: $rows"
  [ "$(value misplaced)" = 0 ] || fail "$(value misplaced) state changes outside their host's lane"
  [ "$(value changes)" -gt 0 ] || fail "no state change shown"
fi
if [ "$kind" = check-hostile ]; then
  grep -q 'PROBE title=VIOLATED: acdsim check: <script>alert(1)</script>' <<<"$probe_out" || fail "the hostile name is not shown as text"
fi

# The picture, for people: the same page without the probe.
rm -f "$work/report-$kind.png"
timeout 120 "$chromium" "${flags[@]}" --user-data-dir="$profile" --hide-scrollbars --window-size=1400,${HEIGHT:-2400} \
  --screenshot="$work/report-$kind.png" "file://$html" 2>>"$work/chromium-$kind.log" >/dev/null
[ "$(stat -c %s "$work/report-$kind.png" 2>/dev/null || echo 0)" -gt 20000 ] || fail "no screenshot (or a blank one)"
echo "ok: $kind renders with verdict $expect_verdict; screenshot $work/report-$kind.png"
