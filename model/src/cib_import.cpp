#include "acdsim/model/cib_import.hpp"

#include "acdsim/model/cib.hpp"
#include "acdsim/model/input_error.hpp"
#include "acdsim/model/xml_reader.hpp"
#include "topology_names.hpp"

namespace acdsim::model::cib {
namespace {

class Reader {
 public:
  Reader(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const xml::Element& at, const std::string& message) const {
    throw InputError(file_, at.path, at.line, message);
  }
  const xml::Element& child(const xml::Element& parent, std::string_view name) const {
    const xml::Element* c = parent.first(name);
    if (!c) fail(parent, "expected a <" + std::string(name) + "> element");
    return *c;
  }
  std::string attribute(const xml::Element& e, std::string_view name) const {
    auto v = e.attribute(name);
    if (!v) fail(e, "expected the attribute " + std::string(name));
    return std::string(*v);
  }
  // Pacemaker's booleans (crm_is_true): true/on/yes/y/1 and their negations.
  bool boolean(const xml::Element& e, const std::string& value) const {
    for (const char* t : {"true", "on", "yes", "y", "1"})
      if (value == t) return true;
    for (const char* f : {"false", "off", "no", "n", "0"})
      if (value == f) return false;
    fail(e, "expected a boolean (true/false, on/off, yes/no, 1/0), got \"" + value + "\"");
  }
  // A Pacemaker score: an integer or [+-]INFINITY (1000000).
  int score(const xml::Element& e, const std::string& value) const {
    if (value == "INFINITY" || value == "+INFINITY") return 1000000;
    std::size_t used = 0;
    long long v = 0;
    try {
      v = std::stoll(value, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != value.size() || value.empty()) fail(e, "expected a score (an integer or INFINITY), got \"" + value + "\"");
    if (v < 0 || v > 1000000) fail(e, "resource-stickiness must be from 0 to INFINITY (1000000), got " + value);
    return static_cast<int>(v);
  }

 private:
  std::string file_;
};

// Every nvpair under the element's <tag> blocks (name -> element), later ones winning.
std::vector<const xml::Element*> nvpairs(const xml::Element& parent, std::string_view block) {
  std::vector<const xml::Element*> out;
  for (const xml::Element* set : parent.all(block))
    for (const xml::Element* nv : set->all("nvpair")) out.push_back(nv);
  return out;
}

bool is_drbd(const xml::Element& primitive) {
  return primitive.attribute("class") == "ocf" && primitive.attribute("provider") == "linbit" &&
         primitive.attribute("type") == "drbd";
}

}  // namespace

Imported import_cib(const std::string& text, const std::string& file_name) {
  xml::Element root;
  try {
    root = xml::parse(text);
  } catch (const xml::XmlError& e) {
    throw InputError(file_name, e.path(), e.line(), e.what());
  }
  const Reader r(file_name);
  Imported out;
  StorageCluster& c = out.cluster;
  if (root.name != "cib") r.fail(root, "expected the root element <cib>, got <" + root.name + ">");
  const xml::Element& config = r.child(root, "configuration");

  if (const xml::Element* crm = config.first("crm_config")) {
    for (const xml::Element* nv : nvpairs(*crm, "cluster_property_set")) {
      const std::string name = r.attribute(*nv, "name");
      const std::string value = r.attribute(*nv, "value");
      if (name == "cluster-name") {
        if (value.empty()) r.fail(*nv, "expected a non-empty cluster-name");
        c.name = value;
      } else if (name == "stonith-enabled") {
        c.stonith = r.boolean(*nv, value);
      } else if (name == "no-quorum-policy") {
        if (const auto policy = no_quorum_policy_by_name(value)) c.no_quorum_policy = *policy;
        else r.fail(*nv, "no-quorum-policy \"" + value + "\" has no topology equivalent (expected stop, ignore, demote or freeze)");
      } else if (name == "default-resource-stickiness") {  // pacemaker 1.0
        c.resource_stickiness = r.score(*nv, value);
      }
    }
  }

  const xml::Element& nodes = r.child(config, "nodes");
  for (const xml::Element* n : nodes.all("node")) {
    if (n->attribute("type") == "remote") continue;
    c.nodes.push_back(r.attribute(*n, "uname"));
  }
  if (c.nodes.size() != 2)
    r.fail(nodes, "expected exactly 2 cluster nodes (a DRBD pair), got " + std::to_string(c.nodes.size()));

  const xml::Element& resources = r.child(config, "resources");
  const xml::Element* drbd = nullptr;
  const xml::Element* drbd_clone = nullptr;
  for (const xml::Element& holder : resources.children) {
    if (holder.name != "clone" && holder.name != "master") continue;  // <master>: pacemaker 1.x promotable
    for (const xml::Element* p : holder.all("primitive"))
      if (is_drbd(*p)) {
        if (drbd) r.fail(*p, "a second ocf:linbit:drbd resource; the topology has one DRBD resource");
        drbd = p, drbd_clone = &holder;
      }
  }
  for (const xml::Element* p : resources.all("primitive"))
    if (is_drbd(*p)) r.fail(*p, "ocf:linbit:drbd must be a promotable clone (pcs resource create ... promotable)");
  if (drbd) {
    c.drbd_managed_by_pacemaker = true;
    bool found = false;
    for (const xml::Element* nv : nvpairs(*drbd, "instance_attributes"))
      if (nv->attribute("name") == "drbd_resource") {
        c.resource = r.attribute(*nv, "value");
        if (c.resource.empty()) r.fail(*nv, "expected a non-empty drbd_resource");
        found = true;
      }
    if (!found) r.fail(*drbd, "expected the instance attribute drbd_resource");
    bool promotable = drbd_clone->name == "master";
    int promoted_max = 1;
    for (const xml::Element* nv : nvpairs(*drbd_clone, "meta_attributes")) {
      const std::string name = r.attribute(*nv, "name");
      const std::string value = r.attribute(*nv, "value");
      if (name == "promotable") promotable = r.boolean(*nv, value);
      if (name == "promoted-max" || name == "master-max") {
        if (value != "1" && value != "2") r.fail(*nv, name + " must be 1 or 2 for a DRBD pair, got \"" + value + "\"");
        promoted_max = value == "2" ? 2 : 1;
      }
    }
    if (!promotable) r.fail(*drbd_clone, "the DRBD clone is not promotable (meta attribute promotable=true)");
    if (promoted_max == 2) {
      c.allow_two_primaries = true;
      c.construction = DrbdConstruction::PrimaryPrimary;
    }
  } else {
    out.notes.push_back("no ocf:linbit:drbd clone: DRBD is brought up by hand (drbd_managed_by_pacemaker false); "
                        "resource keeps its default name");
  }

  if (const xml::Element* defaults = config.first("rsc_defaults"))
    for (const xml::Element* nv : nvpairs(*defaults, "meta_attributes"))
      if (nv->attribute("name") == "resource-stickiness")
        c.resource_stickiness = r.score(*nv, r.attribute(*nv, "value"));
  out.notes.push_back("pacemaker_autostart is not in the CIB (systemctl is-enabled pacemaker tells): left false");
  return out;
}

nlohmann::ordered_json storage_cluster_json(const StorageCluster& c) {
  return nlohmann::ordered_json{{"name", c.name},
                                {"nodes", c.nodes},
                                {"resource", c.resource},
                                {"construction", c.construction == DrbdConstruction::PrimaryPrimary
                                                     ? "primary_primary"
                                                     : "primary_secondary"},
                                {"allow_two_primaries", c.allow_two_primaries},
                                {"drbd_managed_by_pacemaker", c.drbd_managed_by_pacemaker},
                                {"pacemaker_autostart", c.pacemaker_autostart},
                                {"no_quorum_policy", std::string(to_string(c.no_quorum_policy))},
                                {"stonith", c.stonith},
                                {"resource_stickiness", c.resource_stickiness}};
}

}  // namespace acdsim::model::cib
