#include "acdsim/live/command.hpp"

#include <gtest/gtest.h>

#include "acdsim/live/inventory.hpp"
#include "acdsim/live/transport.hpp"

using namespace acdsim::live;

TEST(CommandTemplate, RendersPlaceholdersIntoArgvWords) {
  const CommandTemplate t("drbdadm primary {resource}", {"resource"});
  EXPECT_EQ(t.render({{"resource", "jtelshared"}}), (Argv{"drbdadm", "primary", "jtelshared"}));
}

TEST(CommandTemplate, SingleQuotesGroupAWordAndDoubleBracesAreLiteral) {
  const CommandTemplate t("curl -w '%{{http_code}} x' http://{address}/", {"address"});
  EXPECT_EQ(t.render({{"address", "acd-lb"}}), (Argv{"curl", "-w", "%{http_code} x", "http://acd-lb/"}));
}

TEST(CommandTemplate, RefusesInjectionThroughValues) {
  const CommandTemplate t("virsh start {vm}", {"vm"});
  for (const char* evil : {"jtel-dbm; reboot", "x$(id)", "a`id`", "a'b", "a\"b", "-oProxyCommand=sh", "a|b", "a&&b",
                           "a b", "a\nb", "a>b", "", "../../etc"}) {
    EXPECT_THROW(t.render({{"vm", evil}}), UnsafeValue) << evil;
  }
  EXPECT_THROW(t.render({{"vm", "a/b"}}), UnsafeValue);
  EXPECT_THROW(t.render({}), UnsafeValue);  // missing value
}

TEST(CommandTemplate, RejectsUnknownPlaceholdersAndBadSyntax) {
  EXPECT_THROW(CommandTemplate("systemctl start {unti}", {"unit"}), UnsafeValue);
  EXPECT_THROW(CommandTemplate("echo 'open", {}), UnsafeValue);
  EXPECT_THROW(CommandTemplate("echo {vm", {"vm"}), UnsafeValue);
  EXPECT_THROW(CommandTemplate("echo }", {}), UnsafeValue);
  EXPECT_THROW(CommandTemplate("   ", {}), UnsafeValue);
}

TEST(ShellQuote, QuotesEveryWordForTheRemoteShell) {
  EXPECT_EQ(shell_quote("a'b"), "'a'\\''b'");
  EXPECT_EQ(shell_join({"mysql", "-e", "STOP SLAVE; x"}), "'mysql' '-e' 'STOP SLAVE; x'");
}

TEST(Transport, SshIsBatchModeWithStrictHostKeysAndTheCommandQuoted) {
  Endpoint e{"acd-dbm", "10.0.0.3", Transport::Ssh, "root", 2222};
  SshSettings s;
  s.connect_timeout_s = 5;
  const Argv argv = transport_argv(e, s, {"systemctl", "start", "mariadb"});
  const std::string all = display(argv);
  EXPECT_EQ(argv.front(), "ssh");
  EXPECT_NE(all.find("BatchMode=yes"), std::string::npos);
  EXPECT_NE(all.find("StrictHostKeyChecking=yes"), std::string::npos);
  EXPECT_NE(all.find("ConnectTimeout=5"), std::string::npos);
  ASSERT_GE(argv.size(), 3u);
  EXPECT_EQ(argv[argv.size() - 3], "--");
  EXPECT_EQ(argv[argv.size() - 2], "10.0.0.3");
  EXPECT_EQ(argv.back(), "'systemctl' 'start' 'mariadb'");
}

TEST(Transport, LocalRunsTheArgvAsIs) {
  Endpoint e{"acd-dbm", "", Transport::Local, "", 0};
  EXPECT_EQ(transport_argv(e, {}, {"true"}), (Argv{"true"}));
}
