// Graphviz DOT renderings: a topology's dependency graph and a procedure's
// step order; and SVG of them laid out by Graphviz `dot` run at run time.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "acdsim/model/kind_table.hpp"
#include "acdsim/model/procedure.hpp"
#include "acdsim/model/topology.hpp"

namespace acdsim::model {

// Hosts as nodes (grouped into the storage cluster), edges from a consumer to
// what it needs: share client -> share server, replica -> master, application
// -> DB master, router -> backends; DRBD and Hazelcast links undirected.
std::string topology_dot(const Topology& topology);

// Steps as nodes (action, target, wait), phases as clusters named by their
// names, edges from a step to the steps that wait for it; edges implied by
// others are left out (transitive reduction), so phases do not clutter.
std::string procedure_dot(const Procedure& procedure);

// A component kind's compiled state graph: one node per reachable local
// state, one edge per (state, event, target) with the fact combinations
// under which it fires summarised ("always" or the guard's facts).
std::string kind_dot(const KindTable& table);

// The message when `dot` is not on PATH.
inline constexpr std::string_view kDotMissing = "Graphviz 'dot' not found: apt-get install graphviz";

// Runs `dot -T<format>` on dot_text (no shell). The rendering, or nullopt with
// error set: kDotMissing when dot is not installed, else dot's own message.
std::optional<std::string> render_dot(const std::string& dot_text, const std::string& format, std::string& error);

// topology_dot / procedure_dot laid out by dot as one <svg> element (no XML
// declaration): a standalone .svg file and embeddable inline in HTML.
std::optional<std::string> svg_element(std::optional<std::string> svg);  // drops what precedes "<svg"
std::optional<std::string> topology_svg(const Topology& topology, std::string& error);
std::optional<std::string> procedure_svg(const Procedure& procedure, std::string& error);

}  // namespace acdsim::model
