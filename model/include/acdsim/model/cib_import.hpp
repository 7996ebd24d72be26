// `acdsim import cib`: a real CIB (`pcs cluster cib`, `cibadmin --query`) read into the
// topology's storage_cluster object (docs/fidelity.md). What cannot be mapped is an InputError
// naming the file, the line and the XML element path.
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "acdsim/model/topology.hpp"

namespace acdsim::model::cib {

struct Imported {
  StorageCluster cluster;
  std::vector<std::string> notes;  // what was assumed (e.g. no DRBD clone: DRBD is run by hand)
};

Imported import_cib(const std::string& text, const std::string& file_name);

// The storage_cluster object of the topology format (docs/formats.md), every key written.
nlohmann::ordered_json storage_cluster_json(const StorageCluster& cluster);

}  // namespace acdsim::model::cib
