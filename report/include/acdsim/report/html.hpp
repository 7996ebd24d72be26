// The frame every HTML report shares: one self-contained document (inline CSS
// and SVG, a few lines of JS, a Content-Security-Policy that forbids any
// network access), the verdict banner at the top, escaping and small blocks.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "acdsim/model/topology.hpp"

namespace acdsim::report {

// Text for HTML content and double-quoted attributes.
std::string esc(std::string_view text);

enum class Tone { Good, Bad, Unknown };  // green, red, amber

struct Fact {
  std::string name, value;  // plain text; escaped when rendered
};

// The verdict: what the report says first, in words nobody can miss.
struct Headline {
  std::string word;     // "SAFE", "VIOLATED", "INCOMPLETE", "PASSED", "NO SAFE PLAN"
  Tone tone = Tone::Unknown;
  std::string summary;  // one plain sentence
  std::vector<Fact> facts;
};

// The whole document: title, verdict banner, then body (HTML, already escaped).
std::string document(const std::string& title, const Headline& verdict, const std::string& body);

// <section id=...><h2>heading</h2>html</section>; heading is plain text.
std::string section(const std::string& id, const std::string& heading, const std::string& html);

// A definition list of facts.
std::string facts_html(const std::vector<Fact>& facts);

// An HTML table: plain-text headers and cells (escaped here).
std::string table_html(const std::vector<std::string>& headers, const std::vector<std::vector<std::string>>& rows,
                       const std::string& css_class = "");

// An SVG document made embeddable in HTML: anything before <svg (XML prolog,
// doctype, comments) dropped, wrapped in a <figure> with a caption.
std::string svg_figure(const std::string& svg, const std::string& css_class, const std::string& caption);

// The topology drawn by Graphviz, or a note saying why there is no picture.
std::string topology_figure(const model::Topology& topology);

// "12,345" (thousands separated, for state counts).
std::string count_text(unsigned long long n);

// v with this many decimals ("0.25").
std::string fixed(double v, int digits);

}  // namespace acdsim::report
