#include "acdsim/live/inventory.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>

#include "acdsim/live/transport.hpp"
#include "acdsim/model/actions.hpp"
#include "acdsim/model/input_error.hpp"

using namespace acdsim;
using namespace acdsim::live;

namespace {

const model::Topology& db_pair() {
  static const model::Topology t = model::load_topology(ACDSIM_SOURCE_DIR "/tests/live/data/db-topology.json");
  return t;
}

// The located message of parsing text, or "" if it parses.
std::string error_of(const std::string& text) {
  try {
    parse_inventory(text, "inv.json", db_pair());
  } catch (const model::InputError& e) {
    return e.what();
  }
  return "";
}

const std::string kHosts = R"("hosts": {"acd-dbm": {"address": "10.0.0.3"}, "acd-dbs": {"address": "10.0.0.4"}})";

}  // namespace

TEST(Inventory, DefaultsAreTheJtelCommands) {
  const Inventory inv = parse_inventory(R"({"format": "acdsim-inventory/1", )" + kHosts + "}", "inv.json", db_pair());
  EXPECT_EQ(inv.action("acd-dbm", "drbdadm_up")->text(), "drbdadm up {resource}");
  EXPECT_EQ(inv.action("acd-dbm", "pcs_cluster_stop_all")->text(), "pcs cluster stop --all");
  EXPECT_EQ(inv.action("acd-dbm", "power_on")->text(), "virsh start {vm}");
  EXPECT_EQ(inv.action("acd-dbm", "mount_share")->text(), "mount /home/jtel/shared");
  EXPECT_EQ(inv.unit("mysql"), "mariadb");
  EXPECT_EQ(inv.action("acd-dbm", "app_drain"), nullptr);  // no jtel default
  EXPECT_EQ(inv.hosts.at("acd-dbs").user, "root");
}

TEST(Inventory, EveryCatalogueActionHasAnEntry) {
  for (const model::ActionSpec& a : model::all_actions()) {
    if (a.name == "check") continue;
    EXPECT_FALSE(action_placeholders(a.name).empty()) << a.name;
    // Either a default, or documented as having none: the table knows the name.
    const Inventory inv = parse_inventory(R"({"format": "acdsim-inventory/1", "actions": {")" + std::string(a.name) +
                                              R"(": "true"}, )" + kHosts + "}", "inv.json", db_pair());
    EXPECT_NE(inv.action("acd-dbm", a.name), nullptr) << a.name;
  }
}

TEST(Inventory, PerHostOverridesWin) {
  const Inventory inv = parse_inventory(R"({"format": "acdsim-inventory/1",
    "hosts": {"acd-dbm": {"transport": "local", "probes": {"service_state": "mysqladmin ping"}},
              "acd-dbs": {"address": "127.0.0.1", "port": 2222, "user": "acdsim"}}})", "inv.json", db_pair());
  EXPECT_EQ(inv.probe("acd-dbm", "service_state")->text(), "mysqladmin ping");
  EXPECT_EQ(inv.probe("acd-dbs", "service_state")->text(), "systemctl is-active {unit}");
  EXPECT_EQ(inv.hosts.at("acd-dbs").port, 2222);
  EXPECT_EQ(inv.hosts.at("acd-dbm").transport, Transport::Local);
}

TEST(Inventory, BadInputIsLocated) {
  EXPECT_EQ(error_of(R"({"format": "acdsim-inventory/1", "hosts": {"acd-dbm": {"address": "10.0.0.3"}}})"),
            "inv.json:1: at /hosts: missing host \"acd-dbs\": every host of topology db-pair needs an entry");
  EXPECT_NE(error_of("{\"format\": \"acdsim-inventory/1\",\n \"hosts\": {\"acd-dbx\": {}}}").find("inv.json:2: at /hosts/acd-dbx: unknown host"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"format": "acdsim-inventory/1", "actions": {"power_onn": "x"}, )" + kHosts + "}")
                .find("at /actions/power_onn: unknown action"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"format": "acdsim-inventory/1", "actions": {"power_on": "virsh start {host}"}, )" + kHosts + "}")
                .find("at /actions/power_on: unknown placeholder {host}"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"format": "acdsim-inventory/2", )" + kHosts + "}").find("at /format"), std::string::npos);
  EXPECT_NE(error_of(R"({"format": "acdsim-inventory/1", "hosts": {"acd-dbm": {"transport": "telnet"}, "acd-dbs": {}}})")
                .find("unknown transport \"telnet\""),
            std::string::npos);
  EXPECT_NE(error_of(R"({"format": "acdsim-inventory/1", "ssh": {"port": 70000}, )" + kHosts + "}").find("at /ssh/port"),
            std::string::npos);
}

TEST(Inventory, InjectionAttemptsAreRefused) {
  for (const char* evil : {R"("address": "db1;reboot")", R"("address": "-oProxyCommand=id")", R"("address": "a b")",
                           R"("address": "root@db1")", R"("address": "10.0.0.3", "user": "root;id")",
                           R"("address": "10.0.0.3", "user": "-oX")"}) {
    const std::string text = R"({"format": "acdsim-inventory/1", "hosts": {"acd-dbm": {)" + std::string(evil) +
                             R"(}, "acd-dbs": {"address": "10.0.0.4"}}})";
    EXPECT_NE(error_of(text).find("at /hosts/acd-dbm/"), std::string::npos) << evil;
  }
  EXPECT_NE(error_of(R"j({"format": "acdsim-inventory/1", "units": {"mysql": "mariadb$(reboot)"}, )j" + kHosts + "}")
                .find("at /units/mysql"),
            std::string::npos);
}

TEST(Inventory, LiteralPasswordsInTemplatesAreRefusedWithoutEchoingThem) {
  for (const std::string t : {"mysql -pS3cretPw -e 'SHOW SLAVE STATUS\\\\G'", "mysql --password=S3cretPw -e x",
                              "mysql -e 'CHANGE MASTER TO MASTER_PASSWORD=S3cretPw'"}) {
    const std::string e = error_of(R"({"format": "acdsim-inventory/1", "probes": {"replication_status": ")" + t + R"("}, )" +
                                   kHosts + "}");
    EXPECT_NE(e.find("literal password"), std::string::npos) << t << " -> " << e;
    EXPECT_EQ(e.find("S3cretPw"), std::string::npos) << e;
  }
}

TEST(Inventory, SecretsComeFromAFileAndOnlyThroughPlaceholders) {
  const std::string file = testing::TempDir() + "/acdsim-secret-test";
  {
    std::ofstream out(file);
    out << "pw with 'quotes' $(x)\n";
  }
  const Inventory inv = parse_inventory(R"({"format": "acdsim-inventory/1", "secrets": {"db": ")" + file +
                                            R"("}, "probes": {"replication_status": "mysql --password={secret:db} -e x"}, )" +
                                            kHosts + "}",
                                        "inv.json", db_pair());
  EXPECT_EQ(inv.secrets.at("db"), "pw with 'quotes' $(x)");
  const std::map<std::string, std::string> values = {{"secret:db", inv.secrets.at("db")}};
  EXPECT_EQ(inv.probe("acd-dbs", "replication_status")->render(values)[1], "--password=pw with 'quotes' $(x)");
  EXPECT_EQ(inv.probe("acd-dbs", "replication_status")->render(values, true)[1], "--password=***");
  EXPECT_NE(error_of(R"({"format": "acdsim-inventory/1", "probes": {"replication_status": "mysql --password={secret:nope}"}, )" +
                     kHosts + "}").find("unknown placeholder {secret:nope}"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"format": "acdsim-inventory/1", "secrets": {"db": "/nonexistent/secret"}, )" + kHosts + "}")
                .find("inv.json:1: at /secrets/db: cannot read a secret"),
            std::string::npos);
  std::remove(file.c_str());
}

// Every number of an inventory is range-checked, located, with its maximum
// (issue 15: a huge ssh connect timeout became ConnectTimeout=-2147483648).
TEST(Inventory, EveryNumberIsRangeChecked) {
  struct Case {
    std::string member, where;
  };
  const Case cases[] = {
      {R"("ssh": {"connect_timeout": 1e12})", "/ssh/connect_timeout"},
      {R"("ssh": {"connect_timeout": "99999999999s"})", "/ssh/connect_timeout"},
      {R"("ssh": {"connect_timeout": 0})", "/ssh/connect_timeout"},
      {R"("ssh": {"connect_timeout": -5})", "/ssh/connect_timeout"},
      {R"("ssh": {"port": 0})", "/ssh/port"},
      {R"("ssh": {"port": 65536})", "/ssh/port"},
      {R"("timeouts": {"command": 0})", "/timeouts/command"},
      {R"("timeouts": {"command": -1})", "/timeouts/command"},
      {R"("timeouts": {"command": 1e300})", "/timeouts/command"},
      {R"("timeouts": {"probe": "-3s"})", "/timeouts/probe"},
      {R"("timeouts": {"poll": 0})", "/timeouts/poll"},
      {R"("timeouts": {"poll": "nan"})", "/timeouts/poll"},
      {R"("drbd_minor": -1)", "/drbd_minor"},
      {R"("drbd_minor": 1.5)", "/drbd_minor"},
  };
  for (const Case& c : cases) {
    const std::string e = error_of(R"({"format": "acdsim-inventory/1", )" + c.member + ", " + kHosts + "}");
    EXPECT_NE(e.find("inv.json:1: at " + c.where), std::string::npos) << c.member << " -> " << e;
  }
  // The largest connect timeout reaches ssh as the whole seconds it is.
  const Inventory inv = parse_inventory(R"({"format": "acdsim-inventory/1", "ssh": {"connect_timeout": "1h"}, )" + kHosts + "}",
                                        "inv.json", db_pair());
  const Argv argv = transport_argv(inv.hosts.at("acd-dbm"), inv.ssh, {"true"});
  EXPECT_NE(std::find(argv.begin(), argv.end(), "ConnectTimeout=3600"), argv.end());
}
