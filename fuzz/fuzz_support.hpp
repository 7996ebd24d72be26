// Shared by the libFuzzer targets (docs/fuzzing.md): the shipped topologies that inputs
// refer to, and the contract check every target applies.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>
#include <typeinfo>

#include "acdsim/model/topology.hpp"

namespace acdsim::fuzz {

// The fuzzer's bytes as text (embedded NULs kept: parsers must cope with them).
inline std::string as_text(const std::uint8_t* data, std::size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

// The contract of a parser target: parse either succeeds or throws Allowed (the documented
// error, e.g. model::InputError). Any other exception is a finding: say which, then abort so
// that libFuzzer records the input as a crash.
template <class Allowed, class Parse>
void expect_only(Parse&& parse) {
  try {
    parse();
  } catch (const Allowed&) {
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fuzz finding: %s escaped the parser: %s\n", typeid(e).name(), e.what());
    std::abort();
  }
}

// The contract of the status readers: they never throw (garbled output is "unknown").
template <class Read>
void expect_no_throw(Read&& read) {
  try {
    read();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fuzz finding: %s escaped a status reader: %s\n", typeid(e).name(), e.what());
    std::abort();
  }
}

// The shipped topology (scenarios/topologies/<name>.json) whose name the input mentions
// (the "topology" key of procedures, inventories and snapshots names it, as a file or a
// name); jtel-large-redundant when it names none. Loaded once, at first use.
const model::Topology& topology_for(std::string_view text);

// The shipped topology called name (aborts if it is not shipped: a broken fuzz set-up).
const model::Topology& shipped_topology(std::string_view name);

}  // namespace acdsim::fuzz
