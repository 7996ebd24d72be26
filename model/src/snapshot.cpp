#include "acdsim/model/snapshot.hpp"

#include <nlohmann/json.hpp>

#include "acdsim/model/input_error.hpp"
#include "acdsim/model/system.hpp"
#include "json_source.hpp"

namespace acdsim::model {

std::size_t hash_value(const PackedSnapshot& s) {
  // splitmix64 finaliser per word, combined: cheap and well mixed.
  std::uint64_t h = 0x9E3779B97F4A7C15ull ^ s.words.size();
  for (std::uint64_t w : s.words) {
    std::uint64_t z = w + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    h ^= z ^ (z >> 31);
  }
  return static_cast<std::size_t>(h);
}

SnapshotLayout::SnapshotLayout(std::vector<unsigned> bits_per_component) : bits_(std::move(bits_per_component)) {
  offsets_.reserve(bits_.size());
  for (unsigned b : bits_) {
    // A code never straddles two words: keeps pack/unpack to one shift each.
    if (total_bits_ / 64 != (total_bits_ + b - 1) / 64) total_bits_ = (total_bits_ / 64 + 1) * 64;
    offsets_.push_back(static_cast<std::uint32_t>(total_bits_));
    total_bits_ += b;
  }
  words_ = (total_bits_ + 63) / 64;
}

void SnapshotLayout::pack_into(const Snapshot& state, std::span<std::uint64_t> out) const {
  std::fill(out.begin(), out.end(), 0);
  for (std::size_t i = 0; i < offsets_.size(); ++i)
    out[offsets_[i] / 64] |= static_cast<std::uint64_t>(state[i]) << (offsets_[i] % 64);
}

PackedSnapshot SnapshotLayout::pack(const Snapshot& state) const {
  PackedSnapshot p;
  p.words.resize(words_);
  pack_into(state, p.words);
  return p;
}

Snapshot SnapshotLayout::unpack(std::span<const std::uint64_t> words) const {
  Snapshot s(offsets_.size());
  for (std::size_t i = 0; i < offsets_.size(); ++i) {
    const std::uint64_t mask = (std::uint64_t{1} << bits_[i]) - 1;
    s[i] = static_cast<LocalCode>((words[offsets_[i] / 64] >> (offsets_[i] % 64)) & mask);
  }
  return s;
}

Snapshot SnapshotLayout::unpack(const PackedSnapshot& packed) const { return unpack(std::span(packed.words)); }

nlohmann::json snapshot_to_json(const System& system, const Snapshot& state) {
  nlohmann::json states = nlohmann::json::object();
  for (ComponentIndex i = 0; i < system.size(); ++i) states[system.component(i).path()] = system.table(i).name(state[i]);
  return {{"format", "acdsim-snapshot/1"}, {"topology", system.topology().name}, {"states", std::move(states)}};
}

Snapshot snapshot_from_json(const System& system, const nlohmann::json& json, const std::string& file) {
  if (!json.is_object()) throw InputError(file, "", 0, "expected a snapshot object");
  if (!json.contains("format") || json["format"] != "acdsim-snapshot/1")
    throw InputError(file, "/format", 0, "expected \"acdsim-snapshot/1\"");
  for (const auto& [key, value] : json.items())
    if (key != "format" && key != "topology" && key != "base" && key != "states" && key.rfind('_', 0) != 0)
      throw InputError(file, "/" + key, 0, "unknown key (expected format, topology, base, states)");
  Snapshot state = system.all_off();
  if (json.contains("base")) {
    const auto& base = json["base"];
    if (base == "all_up") state = system.all_up();
    else if (base != "all_off") throw InputError(file, "/base", 0, "expected \"all_off\" or \"all_up\"");
  }
  if (!json.contains("states")) return state;
  if (!json["states"].is_object()) throw InputError(file, "/states", 0, "expected an object of component path -> state name");
  for (const auto& [path, name] : json["states"].items()) {
    const std::string where = "/states" + (nlohmann::json::json_pointer() / path).to_string();
    auto c = system.find(path);
    if (!c) throw InputError(file, where, 0, "unknown component \"" + path + "\"");
    if (!name.is_string()) throw InputError(file, where, 0, "expected a state name string");
    auto code = system.table(*c).code_of(name.get<std::string>());
    if (!code)
      throw InputError(file, where, 0,
                       "\"" + name.get<std::string>() + "\" is not a reachable state of a " +
                           std::string(system.table(*c).spec().name) + " component");
    state[*c] = *code;
  }
  return state;
}

Snapshot parse_snapshot(const System& system, const std::string& text, const std::string& file_name) {
  const json_input::Source source(text, file_name);
  const nlohmann::json json = nlohmann::json::parse(source.text());
  try {
    return snapshot_from_json(system, json, file_name);
  } catch (const InputError& e) {
    throw InputError(file_name, e.json_path(), source.line_of(e.json_path()), e.message());
  }
}

Snapshot load_snapshot(const System& system, const std::string& path) {
  return parse_snapshot(system, json_input::read_text_file(path), path);
}

}  // namespace acdsim::model
