#include "cli_common.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string_view>
#include <utility>

#include "acdsim/model/input_error.hpp"
#include "acdsim/model/input_file.hpp"
#include "acdsim/model/output.hpp"
#include "acdsim/model/procedure.hpp"

namespace acdsim::cli {

namespace {

bool follow_symlinks = false;  // --follow-symlinks, set by parse()

// 600 -> "600", 31536000 -> "31536000", 0.5 -> "0.5"
std::string show(double x) {
  char b[64];
  std::snprintf(b, sizeof b, "%.15g", x);
  return b;
}

[[noreturn]] void out_of_range(const std::string& option, const std::string& text, const std::string& what,
                               const std::string& min, const std::string& max) {
  throw OptionError("--" + option + ": expected " + what + " from " + min + " to " + max + ", got \"" + text + "\"");
}

// The first number in a file such as /proc/meminfo's "MemTotal: 24576000 kB" line or a
// cgroup's memory.max; nullopt for "max" or nothing readable.
std::optional<std::uint64_t> number_in(const std::string& file, std::string_view after = "") {
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) {
    if (!after.empty() && line.rfind(after, 0) != 0) continue;
    const std::size_t digit = line.find_first_of("0123456789");
    if (digit == std::string::npos) return std::nullopt;
    std::uint64_t v = 0;
    const auto [end, ec] = std::from_chars(line.data() + digit, line.data() + line.size(), v);
    if (ec != std::errc()) return std::nullopt;
    return v;
  }
  return std::nullopt;
}

// The memory limit of this process's cgroup (v2, else v1), if one is set.
std::optional<std::uint64_t> cgroup_limit_bytes() {
  std::ifstream in("/proc/self/cgroup");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("0::", 0) == 0) {  // cgroup v2: the limit of our group and of its ancestors
      std::string group = line.substr(3);
      std::optional<std::uint64_t> lowest;
      for (;;) {
        if (auto v = number_in("/sys/fs/cgroup" + group + "/memory.max"); v && (!lowest || *v < *lowest)) lowest = v;
        if (group.empty() || group == "/") break;
        group = group.substr(0, group.rfind('/'));
      }
      return lowest;
    }
  }
  // cgroup v1: "no limit" is a huge number (close to 2^63)
  if (auto v = number_in("/sys/fs/cgroup/memory/memory.limit_in_bytes"); v && *v < (std::uint64_t{1} << 60)) return v;
  return std::nullopt;
}

}  // namespace

FileType sniff(const std::string& path) {
  const std::string format = model::declared_format(path);
  static const std::pair<std::string_view, FileType> known[] = {
      {"acdsim-topology/", FileType::Topology},   {"acdsim-procedure/", FileType::Procedure},
      {"acdsim-inventory/", FileType::Inventory}, {"acdsim-snapshot/", FileType::Snapshot},
      {"acdsim-counterexample/", FileType::Counterexample}};
  for (const auto& [prefix, type] : known)
    if (format.rfind(prefix, 0) == 0) return type;
  throw model::InputError(path, "/format", 0,
                          "\"" + format + "\" is not a format acdsim reads (expected acdsim-topology/1, "
                          "acdsim-procedure/1, acdsim-inventory/1, acdsim-snapshot/1 or acdsim-counterexample/1)");
}

po::variables_map parse(const std::vector<std::string>& args, const po::options_description& visible,
                        const po::positional_options_description& positional,
                        const po::options_description& hidden) {
  po::options_description common;
  common.add_options()("follow-symlinks", "");
  po::options_description all;
  all.add(visible).add(hidden).add(common);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError(e.what());
  }
  follow_symlinks = vm.count("follow-symlinks") > 0;
  return vm;
}

po::variables_map parse_files(const std::vector<std::string>& args, const po::options_description& visible) {
  po::options_description hidden;
  hidden.add_options()("file", po::value<std::vector<std::string>>(), "");
  po::positional_options_description pos;
  pos.add("file", -1);
  return parse(args, visible, pos, hidden);
}

std::optional<po::variables_map> parse_what(const std::vector<std::string>& args, const po::options_description& visible,
                                            const std::string& what, const std::vector<std::string>& operands,
                                            const std::string& help_tail, const std::string& usage,
                                            const std::string& missing) {
  po::options_description hidden;
  hidden.add_options()("what", po::value<std::string>(), "");
  po::positional_options_description pos;
  pos.add("what", 1);
  for (const std::string& name : operands) {
    hidden.add_options()(name.c_str(), po::value<std::string>(), "");
    pos.add(name.c_str(), 1);
  }
  auto vm = parse(args, visible, pos, hidden);
  if (vm.count("help")) {
    std::cout << visible << help_tail;
    return std::nullopt;
  }
  if (!vm.count("what") || vm["what"].as<std::string>() != what) throw UsageError(usage);
  for (const std::string& name : operands)
    if (!vm.count(name)) throw UsageError(missing);
  return vm;
}

double real_value(const std::string& option, const std::string& text, double min, double max, const std::string& what) {
  double v = 0;
  const char* end = text.data() + text.size();
  const auto [stop, ec] = std::from_chars(text.data(), end, v);
  // from_chars reads "nan" and "inf" too: finiteness is checked with the range
  if (text.empty() || ec != std::errc() || stop != end || !std::isfinite(v) || v < min || v > max)
    out_of_range(option, text, what, show(min), show(max));
  return v;
}

std::uint64_t whole_value(const std::string& option, const std::string& text, std::uint64_t min, std::uint64_t max,
                          const std::string& what) {
  std::uint64_t v = 0;
  const char* end = text.data() + text.size();
  const auto [stop, ec] = std::from_chars(text.data(), end, v);  // digits only: "-1" and "1e3" stop at once
  if (text.empty() || ec != std::errc() || stop != end || v < min || v > max)
    out_of_range(option, text, what, std::to_string(min), std::to_string(max));
  return v;
}

double real_option(const po::variables_map& vm, const std::string& option, double min, double max, const std::string& what) {
  return real_value(option, vm[option].as<std::string>(), min, max, what);
}

std::uint64_t whole_option(const po::variables_map& vm, const std::string& option, std::uint64_t min, std::uint64_t max,
                           const std::string& what) {
  return whole_value(option, vm[option].as<std::string>(), min, max, what);
}

double positive_option(const po::variables_map& vm, const std::string& option, double max, const std::string& what) {
  const std::string& text = vm[option].as<std::string>();
  try {
    if (const double v = real_value(option, text, 0, max, what); v > 0) return v;
  } catch (const OptionError&) {  // the same answer for 0 and for what real_value refuses
  }
  throw OptionError("--" + option + ": expected " + what + " greater than 0 and at most " + show(max) + ", got \"" + text + "\"");
}

double load_value(const std::string& option, const std::string& text) {
  if (text == "low" || text == "peak" || text == "over-peak") return *model::load_by_name(text);
  double v = 0;
  const char* end = text.data() + text.size();
  const auto [stop, ec] = std::from_chars(text.data(), end, v);
  if (text.empty() || ec != std::errc() || stop != end || !std::isfinite(v) || v < 0 || v > limits::kMaxLoad)
    throw OptionError("--" + option + ": expected low, peak, over-peak or a fraction of the peak from 0 to " +
                      show(limits::kMaxLoad) + ", got \"" + text + "\"");
  return v;
}

std::uint64_t default_max_memory_mib() {
  std::uint64_t bytes = std::uint64_t{16} << 30;
  auto bound = [&](std::uint64_t limit) { bytes = std::min(bytes, limit / 4 * 3); };
  if (auto kib = number_in("/proc/meminfo", "MemTotal:")) bound(*kib * 1024);
  if (auto cgroup = cgroup_limit_bytes()) bound(*cgroup);
  struct rlimit as {};
  if (::getrlimit(RLIMIT_AS, &as) == 0 && as.rlim_cur != RLIM_INFINITY) bound(static_cast<std::uint64_t>(as.rlim_cur));
  return std::max(bytes >> 20, limits::kMinMemoryMiB);
}

void write_output(const std::string& path, const std::string& text) {
  if (path == "-") {
    std::cout << text << std::flush;
    return;
  }
  model::write_file_atomically(path, text, model::WriteOptions{follow_symlinks});
}

void write_output_option(const po::variables_map& vm, const std::string& text) {
  if (vm.count("output")) write_output(vm["output"].as<std::string>(), text);
  else std::cout << text;
}

}  // namespace acdsim::cli
