#include "acdsim/report/html.hpp"

#include <cstdio>

#include <cctype>
#include <optional>
#include <string>

#include "acdsim/model/dot.hpp"
#include "acdsim/model/output.hpp"

namespace acdsim::report {
namespace {

// Readable on screen and on paper (a change-approval meeting): system fonts,
// wide tables scroll sideways instead of squeezing lanes, sticky lane heads.
constexpr std::string_view kStyle = R"css(
:root{--good:#1a7f37;--bad:#c62828;--unknown:#9a5b00;--ink:#1f2328;--muted:#57606a;--line:#d0d7de;--soft:#f6f8fa}
*{box-sizing:border-box}
body{margin:0;background:var(--soft);color:var(--ink);font:15px/1.45 "DejaVu Sans",system-ui,sans-serif}
main{max-width:1500px;margin:0 auto;padding:16px 24px 40px}
h1{font-size:18px;margin:0 0 10px;color:var(--muted);font-weight:600}
h2{font-size:18px;margin:0 0 10px}
h3{font-size:16px;margin:16px 0 8px}
header.verdict{background:#fff;border:1px solid var(--line);border-left:14px solid var(--unknown);border-radius:6px;padding:14px 22px}
header.tone-good{border-left-color:var(--good)} header.tone-bad{border-left-color:var(--bad)}
.word{font-size:40px;font-weight:800;letter-spacing:.04em;line-height:1.1;color:var(--unknown)}
.tone-good .word,.tone-good>.word{color:var(--good)} .tone-bad .word,.tone-bad>.word{color:var(--bad)}
.summary{font-size:17px;margin:6px 0 10px}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 18px;margin:0}
dl.facts dt{color:var(--muted)} dl.facts dd{margin:0;overflow-wrap:anywhere}
section{background:#fff;border:1px solid var(--line);border-radius:6px;padding:14px 22px;margin:16px 0}
.note{color:var(--muted)}
.missing{border:1px dashed var(--unknown);padding:10px 14px;color:var(--unknown)}
figure{margin:0;overflow-x:auto} figure svg{max-width:100%;height:auto} figure.gantt svg,figure.whatif svg{width:100%;max-width:1250px} figcaption{color:var(--muted);font-size:13px;margin-top:4px}
.scroll{overflow-x:auto}
table{border-collapse:collapse;margin:4px 0}
th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{background:#eef2f6;font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
table.swimlanes{table-layout:fixed;width:100%}
table.swimlanes thead th{position:sticky;top:0;z-index:1}
table.swimlanes col.pos{width:2.8em} table.swimlanes col.move{width:15em}
th.lane-head small{display:block;color:var(--muted);font-weight:400}
.what{display:block;font-size:11.5px;font-weight:700;text-transform:uppercase;letter-spacing:.03em}
tr.what-step .what{color:#0550ae} tr.what-environment .what{color:var(--muted)} tr.what-fault .what{color:var(--bad)}
tr.what-step td.move{background:#f1f6ff} tr.what-fault td.move{background:#fff1f0}
.change{font:12px/1.3 "DejaVu Sans Mono",ui-monospace,monospace;background:#eaf2ff;border-radius:3px;padding:2px 5px;margin:2px 0;cursor:pointer;overflow-wrap:anywhere}
tr.what-fault .change{background:#ffe3e0}
.change.hl{outline:2px solid #d4a100;background:#fff4c2}
tr.broken td{background:#ffebe9;font-weight:600}
table.steps td:nth-child(-n+3),table.steps td:nth-child(6){white-space:nowrap} table.steps td:nth-child(4){min-width:15em}
details.chain summary{cursor:pointer;color:#0550ae;margin:8px 0}
table.points td{white-space:nowrap}
tr.chain-last td{background:#fff4c2;font-weight:600}
.broken-box{border-left:6px solid var(--bad);background:#fff5f4;padding:8px 14px;margin-top:10px}
.tone-tag{font-weight:700} .tone-tag.tone-good{color:var(--good)} .tone-tag.tone-bad{color:var(--bad)} .tone-tag.tone-unknown{color:var(--unknown)}
pre{background:var(--soft);padding:8px;white-space:pre-wrap;overflow-wrap:anywhere;font-size:12.5px}
@media print{body{background:#fff} main{max-width:none;padding:0} section{break-inside:avoid-page} table.swimlanes thead th{position:static}}
)css";

// Clicking a state change highlights every change of that component.
constexpr std::string_view kScript = R"js(
document.addEventListener('click',function(e){
  var c=e.target.closest?e.target.closest('.change'):null;
  document.querySelectorAll('.change.hl').forEach(function(x){x.classList.remove('hl');});
  if(!c)return;
  document.querySelectorAll('.change').forEach(function(x){if(x.dataset.component===c.dataset.component)x.classList.add('hl');});
});
)js";

std::string tone_class(Tone t) {
  switch (t) {
    case Tone::Good: return "tone-good";
    case Tone::Bad: return "tone-bad";
    case Tone::Unknown: return "tone-unknown";
  }
  return "tone-unknown";
}

// A viewBox from the width and height (pixels) when the SVG has none, so that
// CSS can scale the picture instead of cropping or padding it.
std::string scalable(std::string svg) {
  const auto end = svg.find('>');
  if (end == std::string::npos || svg.substr(0, end).find("viewBox") != std::string::npos) return svg;
  auto number = [&](const std::string& name) -> std::string {
    const auto at = svg.substr(0, end).find(" " + name + "=\"");
    if (at == std::string::npos) return "";
    std::string digits;
    for (std::size_t i = at + name.size() + 3; i < end && (std::isdigit(static_cast<unsigned char>(svg[i])) || svg[i] == '.'); ++i)
      digits += svg[i];
    return digits;
  };
  const std::string w = number("width"), h = number("height");
  if (w.empty() || h.empty()) return svg;
  return svg.insert(4, " viewBox=\"0 0 " + w + " " + h + "\"");
}

}  // namespace

std::string esc(std::string_view text) { return model::xml_escape(text); }

std::string facts_html(const std::vector<Fact>& facts) {
  std::string out = "<dl class=\"facts\">";
  for (const Fact& f : facts) out += "<dt>" + esc(f.name) + "</dt><dd>" + esc(f.value) + "</dd>";
  return out + "</dl>\n";
}

std::string document(const std::string& title, const Headline& verdict, const std::string& body) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
      "script-src 'unsafe-inline'; img-src data:\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
      esc(verdict.word + ": " + title) + "</title>\n<style>" + std::string(kStyle) + "</style>\n</head>\n<body>\n<main>\n";
  out += "<h1>" + esc(title) + "</h1>\n";
  out += "<header class=\"verdict " + tone_class(verdict.tone) + "\" id=\"verdict\">\n<div class=\"word\">" + esc(verdict.word) +
         "</div>\n<p class=\"summary\">" + esc(verdict.summary) + "</p>\n" + facts_html(verdict.facts) + "</header>\n";
  out += body;
  out += "</main>\n<script>" + std::string(kScript) + "</script>\n</body>\n</html>\n";
  return out;
}

std::string section(const std::string& id, const std::string& heading, const std::string& html) {
  return "<section id=\"" + esc(id) + "\">\n<h2>" + esc(heading) + "</h2>\n" + html + "</section>\n";
}

std::string table_html(const std::vector<std::string>& headers, const std::vector<std::vector<std::string>>& rows,
                       const std::string& css_class) {
  // Cells that read as numbers are right-aligned.
  auto numeric = [](const std::string& s) {
    if (s.empty()) return false;
    for (char c : s)
      if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == ',' || c == '-' || c == '%' || c == ' ' ||
            c == 's'))
        return false;
    return std::isdigit(static_cast<unsigned char>(s.front())) || s.front() == '-';
  };
  std::string out = "<div class=\"scroll\"><table" + (css_class.empty() ? "" : " class=\"" + esc(css_class) + "\"") + ">\n<thead><tr>";
  for (const std::string& h : headers) out += "<th>" + esc(h) + "</th>";
  out += "</tr></thead>\n<tbody>\n";
  for (const auto& row : rows) {
    out += "<tr>";
    for (const std::string& cell : row) out += (numeric(cell) ? "<td class=\"num\">" : "<td>") + esc(cell) + "</td>";
    out += "</tr>\n";
  }
  return out + "</tbody></table></div>\n";
}

std::string svg_figure(const std::string& svg, const std::string& css_class, const std::string& caption) {
  const auto start = svg.find("<svg");
  std::string out = "<figure class=\"" + esc(css_class) + "\">\n";
  out += start == std::string::npos ? "<p class=\"missing\">(no picture)</p>" : scalable(svg.substr(start));
  if (!caption.empty()) out += "<figcaption>" + esc(caption) + "</figcaption>";
  return out + "</figure>\n";
}

std::string topology_figure(const model::Topology& topology) {
  std::string error;
  const std::optional<std::string> svg = model::topology_svg(topology, error);
  if (!svg) return "<p class=\"missing topology-missing\">No topology picture: " + esc(error) + "</p>\n";
  return svg_figure(*svg, "topology", "Hosts and what needs what, laid out by Graphviz dot.");
}

std::string fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

std::string count_text(unsigned long long n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace acdsim::report
