// Every input under fuzz/regressions/<target>/ (a finding of that libFuzzer target, fixed) fed
// to the target's parser in the normal build: the file parsers must refuse it with their
// documented error, the status readers must answer without a throw.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <ostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "acdsim/model/input_error.hpp"
#include "inputs.hpp"

namespace fs = std::filesystem;
using acdsim::model::InputError;

namespace {

const fs::path kRegressions = fs::path(ACDSIM_SOURCE_DIR) / "fuzz" / "regressions";

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

struct Case {
  std::string target;
  fs::path file;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.file; }

std::vector<Case> kept_findings() {
  std::vector<Case> out;
  if (!fs::is_directory(kRegressions)) return out;
  for (const auto& dir : fs::directory_iterator(kRegressions))
    if (dir.is_directory())
      for (const auto& file : fs::directory_iterator(dir.path()))
        if (file.is_regular_file()) out.push_back({dir.path().filename().string(), file.path()});
  std::sort(out.begin(), out.end(), [](const Case& a, const Case& b) { return a.file < b.file; });
  return out;
}

class FuzzRegression : public testing::TestWithParam<Case> {};

TEST_P(FuzzRegression, RefusedWithTheDocumentedErrorOrAnswered) {
  const Case& c = GetParam();
  const std::string text = read_bytes(c.file);
  namespace f = acdsim::fuzz;
  const std::map<std::string, std::function<void()>> refuse_with_input_error = {
      {"topology", [&] { f::read_topology(text); }},
      {"procedure", [&] { f::read_procedure(text); }},
      {"snapshot", [&] { f::read_snapshot(text); }},
      {"inventory", [&] { f::read_inventory(text); }},
      {"counterexample", [&] { f::read_counterexample(text); }},
      {"journal", [&] { f::read_journal_file(c.file.string()); }},
      {"cib", [&] { f::read_cib(text); }},
      {"shard", [&] { f::read_shard(text); }},
  };
  const std::map<std::string, std::function<void()>> answer = {
      {"pacemaker", [&] { f::read_pacemaker(text); }},
      {"drbd", [&] { f::read_drbd(text); }},
      {"mysql", [&] { f::read_mysql(text); }},
      {"probes", [&] { f::read_probes(text); }},
  };
  if (auto it = refuse_with_input_error.find(c.target); it != refuse_with_input_error.end()) {
    EXPECT_THROW(it->second(), InputError) << c.file;
  } else if (c.target == "faults") {
    EXPECT_THROW(f::read_fault_rates(text), std::invalid_argument) << c.file;
  } else if (auto a = answer.find(c.target); a != answer.end()) {
    EXPECT_NO_THROW(a->second()) << c.file;
  } else {
    FAIL() << "fuzz/regressions/" << c.target << ": no fuzz target of that name";
  }
}

std::string case_name(const testing::TestParamInfo<Case>& info) {
  std::string name = info.param.target + "_" + info.param.file.stem().string();
  for (char& ch : name)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(Kept, FuzzRegression, testing::ValuesIn(kept_findings()), case_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(FuzzRegression);

}  // namespace
