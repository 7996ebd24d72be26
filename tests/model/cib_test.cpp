// acdsim export cib / import cib: the CIB of a model state, op digests, and reading real CIBs.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "acdsim/model/cib.hpp"
#include "acdsim/model/cib_import.hpp"
#include "acdsim/model/input_error.hpp"
#include "acdsim/model/system.hpp"
#include "md5.hpp"

namespace acdsim::model {
namespace {

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

const std::string kPair = ACDSIM_SOURCE_DIR "/tests/fidelity/data/storage-pair.json";

TEST(Md5, Rfc1321TestSuite) {
  EXPECT_EQ(md5_hex(""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(md5_hex("a"), "0cc175b9c0f1b6a831c399e269772661");
  EXPECT_EQ(md5_hex("abc"), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(md5_hex("message digest"), "f96b697d7cb7938d525a2f31aaf161d0");
  EXPECT_EQ(md5_hex("abcdefghijklmnopqrstuvwxyz"), "c3fcd3d76192e4007dfb496cca67e13b");
  EXPECT_EQ(md5_hex("12345678901234567890123456789012345678901234567890123456789012345678901234567890"),
            "57edf4a22be3c955ac49da2e2107b67a");
}

TEST(CibExport, OpDigestsAreThoseCrmSimulateWrites) {
  // crm_simulate 2.1.5 wrote these op-digest values for the resources of shared/cib/cib-jtel.xml
  // (-O after bringing both nodes up); without them it restarts everything that runs.
  const System system(load_topology(kPair));
  const std::string xml = cib::cib_xml(*system.topology().storage_cluster, cib::status_of(system, system.all_up()));
  EXPECT_NE(xml.find("op-digest=\"e0501e0692bb1ab2886d7222267fb8f9\""), std::string::npos);  // drbd
  EXPECT_NE(xml.find("op-digest=\"b7c6b4d5dced2ae8f2bd3fa07efcd112\""), std::string::npos);  // Filesystem
  EXPECT_NE(xml.find("op-digest=\"f2317cad3d54cec5d7d7aa7d0bf35cf8\""), std::string::npos);  // samba
}

TEST(CibExport, StatusOfAModelState) {
  const System system(load_topology(kPair));
  const cib::ClusterStatus up = cib::status_of(system, system.all_up());
  EXPECT_TRUE(up.quorum);
  EXPECT_EQ(up.nodes[0].drbd, cib::InstanceRole::Promoted);
  EXPECT_EQ(up.nodes[1].drbd, cib::InstanceRole::Unpromoted);
  EXPECT_TRUE(up.nodes[0].share_running);
  EXPECT_EQ(up.nodes[0].master_score, 10000);
  EXPECT_EQ(up.nodes[1].master_score, 10000);
  const cib::ClusterStatus off = cib::status_of(system, system.all_off());
  EXPECT_FALSE(off.nodes[0].online);
  EXPECT_EQ(off.nodes[0].drbd, cib::InstanceRole::Stopped);
  EXPECT_FALSE(off.nodes[0].master_score);
  const std::string xml = cib::cib_xml(*system.topology().storage_cluster, off);
  EXPECT_NE(xml.find("crmd=\"offline\""), std::string::npos);
}

TEST(CibExport, MasterScoresFollowTheLinbitAgent) {
  auto score = [](const char* state) { return cib::master_score(cib::drbd_view(state)); };
  EXPECT_EQ(score("Connected Primary UpToDate mounted"), 10000);
  EXPECT_EQ(score("Connected Secondary UpToDate"), 10000);
  EXPECT_EQ(score("WFConnection Secondary UpToDate"), 1000);
  EXPECT_EQ(score("WFConnection Primary UpToDate diverged"), 10000);
  EXPECT_EQ(score("StandAlone Secondary Consistent"), 0);
  EXPECT_EQ(score("Connected Secondary Consistent"), 10);
  EXPECT_EQ(score("SyncTarget Secondary Inconsistent"), std::nullopt);
  EXPECT_EQ(score("WFConnection Secondary Outdated"), std::nullopt);
  EXPECT_EQ(score("Unconfigured Secondary UpToDate"), std::nullopt);
}

TEST(CibTopologyKeys, ReadAndLocatedErrors) {
  const std::string text = read(kPair);
  auto with = [&](const std::string& keys) {
    std::string t = text;
    t.replace(t.find("\"pacemaker_autostart\": false"), 28, "\"pacemaker_autostart\": false, " + keys);
    return t;
  };
  const Topology t = parse_topology(with("\"no_quorum_policy\": \"demote\", \"stonith\": true, \"resource_stickiness\": 0"), "t.json");
  EXPECT_EQ(t.storage_cluster->no_quorum_policy, NoQuorumPolicy::Demote);
  EXPECT_TRUE(t.storage_cluster->stonith);
  EXPECT_EQ(t.storage_cluster->resource_stickiness, 0);
  const Topology d = parse_topology(text, "t.json");
  EXPECT_EQ(d.storage_cluster->no_quorum_policy, NoQuorumPolicy::Stop);
  EXPECT_FALSE(d.storage_cluster->stonith);
  EXPECT_EQ(d.storage_cluster->resource_stickiness, 100);
  try {
    parse_topology(with("\"no_quorum_policy\": \"suicide\""), "t.json");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.json_path(), "/storage_cluster/no_quorum_policy");
    EXPECT_NE(std::string(e.what()).find("expected \"stop\", \"ignore\", \"demote\" or \"freeze\""), std::string::npos);
  }
  EXPECT_THROW(parse_topology(with("\"resource_stickiness\": -1000001"), "t.json"), InputError);
  EXPECT_THROW(parse_topology(with("\"stonith\": \"yes\""), "t.json"), InputError);
}

TEST(CibImport, ReadsTheJtelCib) {
  const auto imported = cib::import_cib(read(ACDSIM_SOURCE_DIR "/tests/fidelity/data/cib-jtel.xml"), "cib-jtel.xml");
  const StorageCluster& c = imported.cluster;
  EXPECT_EQ(c.name, "jtel-storage");
  EXPECT_EQ(c.nodes, (std::vector<std::string>{"acd-lb1", "acd-lb2"}));
  EXPECT_EQ(c.resource, "jtelshared");
  EXPECT_TRUE(c.drbd_managed_by_pacemaker);
  EXPECT_FALSE(c.stonith);
  EXPECT_EQ(c.no_quorum_policy, NoQuorumPolicy::Stop);
  EXPECT_EQ(c.resource_stickiness, 100);
  EXPECT_EQ(c.construction, DrbdConstruction::PrimarySecondary);
}

TEST(CibImport, ReadsBackWhatExportWrites) {
  Topology t = load_topology(kPair);
  t.storage_cluster->no_quorum_policy = NoQuorumPolicy::Freeze;
  t.storage_cluster->stonith = true;
  t.storage_cluster->resource_stickiness = 0;
  t.storage_cluster->resource = "r0";
  const System system(t);
  const auto imported =
      cib::import_cib(cib::cib_xml(*t.storage_cluster, cib::status_of(system, system.all_up())), "x.xml");
  EXPECT_EQ(cib::storage_cluster_json(imported.cluster), cib::storage_cluster_json(*t.storage_cluster));
}

TEST(CibImport, LocatedErrorsForWhatItCannotMap) {
  const std::string cib = read(ACDSIM_SOURCE_DIR "/tests/fidelity/data/cib-jtel.xml");
  auto error = [&](std::string from, std::string to) {
    std::string text = cib;
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
    try {
      cib::import_cib(text, "c.xml");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_EQ(error("<node id=\"2\" uname=\"acd-lb2\"/>", ""),
            "c.xml:10: at /cib/configuration/nodes: expected exactly 2 cluster nodes (a DRBD pair), got 1");
  EXPECT_NE(error("value=\"false\"/>", "value=\"maybe\"/>").find("at /cib/configuration/crm_config/"
                                                                 "cluster_property_set/nvpair[3]: expected a boolean"),
            std::string::npos);
  EXPECT_NE(error("name=\"stonith-enabled\" value=\"false\"", "name=\"no-quorum-policy\" value=\"suicide\"")
                .find("no-quorum-policy \"suicide\" has no topology equivalent"),
            std::string::npos);
  EXPECT_NE(error("value=\"100\"", "value=\"-5\"").find("resource-stickiness must be from 0"), std::string::npos);
  EXPECT_NE(error("name=\"drbd_resource\"", "name=\"other\"").find("expected the instance attribute drbd_resource"),
            std::string::npos);
  EXPECT_EQ(error("</nodes>", "</node>"),
            "c.xml:13: at /cib/configuration/nodes: closing tag </node> does not match <nodes>");
  EXPECT_THROW(cib::import_cib("<cob/>", "c.xml"), InputError);
  try {
    cib::import_cib("<cib/>", "c.xml");
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "c.xml:1: at /cib: expected a <configuration> element");
  }
}

}  // namespace
}  // namespace acdsim::model
