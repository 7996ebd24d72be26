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

// Literal passwords in a template (issue 15): every spelling below is refused;
// the near-misses (a port, a secret placeholder, a URL without a password,
// -p of another program) are templates that must still be accepted.
TEST(CommandTemplate, LiteralPasswordSpellingsAreRefusedAndNearMissesAccepted) {
  struct Case {
    const char* text;
    bool refused;
  };
  const Case cases[] = {
      // Refused: a password written into the command.
      {"mysql -pS3cret -e 'SHOW SLAVE STATUS\\G'", true},
      {"/usr/bin/mysql -pS3cret -e x", true},
      {"sudo mysql -pS3cret -e x", true},
      {"sudo -u mysql /usr/bin/mysqladmin -uroot -pS3cret ping", true},
      {"sh -c 'mysql -uroot -pS3cret -e \"SHOW SLAVE STATUS\\G\"'", true},
      {"sh -c \"mysql -pS3cret -e x\"", true},
      {"mariadb-dump -pS3cret db", true},
      {"mysql --password=S3cret -e x", true},
      {"mysql --pass=S3cret -e x", true},
      {"mysql --password -e x", true},
      {"env MYSQL_PWD=S3cret mysql -e x", true},
      {"sh -c 'MYSQL_PWD=S3cret mysql -e x'", true},
      {"sh -c 'export MYSQL_PWD=S3cret; mysql -e x'", true},
      {"mysql -e 'CHANGE MASTER TO MASTER_PASSWORD=S3cret'", true},
      {"mysql -e \"CREATE USER r IDENTIFIED BY 'S3cret'\"", true},
      {"mysql -e \"CREATE USER r IDENTIFIED  BY 'S3cret'\"", true},
      {"mysql -e 'CREATE USER r IDENTIFIED  BY \"S3cret\"'", true},
      {"mysql -e 'ALTER USER r IDENTIFIED WITH mysql_native_password BY \"S3cret\"'", true},
      {"mysql -e \"SET PASSWORD = 'S3cret'\"", true},
      {"mysql -e \"SET PASSWORD FOR r = PASSWORD('S3cret')\"", true},
      {"mysql -e \"set password='S3cret'\"", true},
      {"sshpass -p S3cret ssh host true", true},
      {"sshpass -pS3cret ssh host true", true},
      {"curl -u admin:S3cret http://localhost:8080/", true},
      {"curl -uadmin:S3cret http://localhost:8080/", true},
      {"curl --user admin:S3cret http://localhost:8080/", true},
      {"curl --user=admin:S3cret http://localhost:8080/", true},
      {"curl -s http://admin:S3cret@localhost:8080/health", true},
      {"wget -q -O- https://admin:S3cret@{address}/", true},
      {"curl --http-password=S3cret http://x/", true},
      // Accepted: no literal password.
      {"mysql -P3306 -e x", false},
      {"mysql -P 3306 -h 127.0.0.1 -e x", false},
      {"mysql --port=3306 --protocol=tcp -e x", false},
      {"mysql -e 'SHOW SLAVE STATUS\\G'", false},
      {"mysql -p{secret:db} -e x", false},
      {"mysql --password={secret:db} -e x", false},
      {"sh -c 'MYSQL_PWD={secret:db} mysql -e x'", false},
      {"mysql -e \"CREATE USER r IDENTIFIED BY '{secret:db}'\"", false},
      {"mysql -e \"SET PASSWORD = '{secret:db}'\"", false},
      {"mysql -e 'SELECT password_last_changed FROM mysql.user'", false},
      {"mysqladmin ping", false},
      {"sudo -u mysql mysqladmin ping", false},
      {"sshpass -f /etc/acdsim/pw ssh -p 2222 host true", false},
      {"sshpass -p {secret:db} ssh host true", false},
      {"curl -s -o /dev/null -w '%{{http_code}}' --max-time 5 http://{address}/", false},
      {"curl -s http://localhost:8080/health", false},
      {"curl -s http://monitor@localhost:8080/health", false},
      {"curl -u monitor http://localhost:8080/", false},
      {"curl -u monitor:{secret:db} http://localhost:8080/", false},
      {"curl -s https://[::1]:8443/health", false},
      {"mkdir -p /home/jtel/shared", false},
      {"sh -c 'mysqladmin ping; mkdir -pv /run/x'", false},
      {"ssh -p 2222 host true", false},
      {"systemctl is-active mariadb", false},
  };
  const std::vector<std::string_view> allowed = {"address", "secret:db"};
  for (const Case& c : cases) {
    bool refused = false;
    std::string message;
    try {
      CommandTemplate t(c.text, allowed);
    } catch (const UnsafeValue& e) {
      message = e.what();
      refused = message.find("literal password") != std::string::npos;
    }
    EXPECT_EQ(refused, c.refused) << c.text << (message.empty() ? "" : " -> " + message);
    EXPECT_EQ(message.find("S3cret"), std::string::npos) << message;  // never repeated
  }
}
