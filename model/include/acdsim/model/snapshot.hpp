// The state of a whole system: one LocalCode per component, and its packed
// form (each code in the fewest bits its kind needs, in 64-bit words) that
// the checker stores. Hashing is by composition (hash_value over the words).
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "acdsim/model/kind_table.hpp"

namespace acdsim::model {

class System;

using Snapshot = std::vector<LocalCode>;

struct PackedSnapshot {
  std::vector<std::uint64_t> words;
  friend bool operator==(const PackedSnapshot&, const PackedSnapshot&) = default;
  friend std::size_t hash_value(const PackedSnapshot& s);
};

class SnapshotLayout {
 public:
  SnapshotLayout() = default;
  explicit SnapshotLayout(std::vector<unsigned> bits_per_component);

  std::size_t components() const { return offsets_.size(); }
  std::size_t words() const { return words_; }
  std::size_t bits() const { return total_bits_; }

  PackedSnapshot pack(const Snapshot& state) const;
  void pack_into(const Snapshot& state, std::span<std::uint64_t> out) const;
  Snapshot unpack(const PackedSnapshot& packed) const;
  Snapshot unpack(std::span<const std::uint64_t> words) const;

 private:
  std::vector<std::uint32_t> offsets_;
  std::vector<unsigned> bits_;
  std::size_t words_ = 0, total_bits_ = 0;
};

// JSON form: {"format": "acdsim-snapshot/1", "base": "all_off"|"all_up",
// "states": {"acd-dbm/vm": "Up", ...}}. Writing lists every component;
// reading starts from base (default all_off) and applies the listed states.
nlohmann::json snapshot_to_json(const System& system, const Snapshot& state);
// Throws InputError (file name for messages) on unknown components or state names.
Snapshot snapshot_from_json(const System& system, const nlohmann::json& json, const std::string& file_name);
// Reads a snapshot file; errors carry the file, line and JSON path.
Snapshot load_snapshot(const System& system, const std::string& path);
// The same from text already read (file_name for messages; the fuzz targets use it).
Snapshot parse_snapshot(const System& system, const std::string& text, const std::string& file_name);

}  // namespace acdsim::model

template <>
struct std::hash<acdsim::model::PackedSnapshot> {
  std::size_t operator()(const acdsim::model::PackedSnapshot& s) const { return hash_value(s); }
};
