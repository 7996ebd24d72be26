#include "campaign.hpp"

#include <filesystem>
#include <iostream>
#include <stdexcept>

#include "acdsim/live/journal.hpp"
#include "acdsim/model/input_error.hpp"
#include "acdsim/model/input_file.hpp"

namespace acdsim::cli {

std::optional<model::Shard> shard_option(const po::variables_map& vm) {
  if (!vm.count("shard")) return std::nullopt;
  try {
    return model::parse_shard(vm["shard"].as<std::string>());
  } catch (const std::invalid_argument& e) {
    throw OptionError(std::string("--shard: ") + e.what());
  }
}

void refuse_with_shard(const po::variables_map& vm, const std::vector<std::string>& report_options) {
  for (const std::string& o : report_options)
    if (vm.count(o) && !vm[o].defaulted())
      throw UsageError("--" + o + " is an option of acdsim merge: with --shard the command writes the shard file "
                       "(to --output or standard output) and the merge writes the reports");
}

nlohmann::ordered_json campaign_options(const po::variables_map& vm, const std::set<std::string>& outputs) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (const auto& [key, value] : vm) {  // std::map: sorted by name
    if (key == "file" || outputs.count(key)) continue;
    if (value.empty()) j[key] = true;
    else if (const auto* s = boost::any_cast<std::string>(&value.value())) j[key] = *s;
    else if (const auto* list = boost::any_cast<std::vector<std::string>>(&value.value())) j[key] = *list;
    else throw std::logic_error("campaign_options: option --" + key + " has a type a shard header cannot hold");
  }
  return j;
}

std::vector<std::string> campaign_arguments(const nlohmann::ordered_json& options) {
  std::vector<std::string> args;
  for (const auto& [key, value] : options.items()) {
    if (value.is_boolean() && value.get<bool>()) {
      args.push_back("--" + key);
    } else if (value.is_string()) {
      args.push_back("--" + key);
      args.push_back(value.get<std::string>());
    } else if (value.is_array()) {
      for (const auto& v : value) {
        if (!v.is_string()) throw UsageError("the shard header's option --" + key + " holds a value that is not a string");
        args.push_back("--" + key);
        args.push_back(v.get<std::string>());
      }
    } else {
      throw UsageError("the shard header's option --" + key + " is neither a string, a list of strings nor true");
    }
  }
  return args;
}

void campaign_error(const model::ShardSet& shards, const std::string& pointer, const std::string& message) {
  throw model::InputError(shards.files.at(0), pointer, 1, message);
}

po::variables_map campaign_vm(const model::ShardSet& shards, const po::options_description& description,
                              const std::set<std::string>& outputs) {
  const nlohmann::ordered_json& options = shards.header.campaign.contains("options") ? shards.header.campaign["options"]
                                                                                     : nlohmann::ordered_json();
  if (!options.is_object()) campaign_error(shards, "/campaign/options", "expected an object of the command's options");
  for (const auto& [key, value] : options.items())
    if (outputs.count(key) || key == "file")
      campaign_error(shards, "/campaign/options/" + key, "--" + key + " is not an option a shard header holds");
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(campaign_arguments(options)).options(description).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    campaign_error(shards, "/campaign/options", e.what());
  } catch (const UsageError& e) {
    campaign_error(shards, "/campaign/options", e.what());
  }
  return vm;
}

nlohmann::ordered_json procedure_identity(const std::string& path) {
  nlohmann::ordered_json j{{"path", path}, {"sha256", live::sha256_digest(model::read_input_file(path))}};
  if (const std::optional<std::string> topology = model::top_level_string(path, "topology")) {
    const std::filesystem::path written(*topology);
    const std::filesystem::path resolved =
        written.is_absolute() ? written : (std::filesystem::path(path).parent_path() / written).lexically_normal();
    j["topology_sha256"] = live::sha256_digest(model::read_input_file(resolved.string()));
  }
  return j;
}

void write_shard_file(const std::string& path, const model::ShardHeader& header,
                      const std::vector<nlohmann::ordered_json>& records) {
  std::string text = model::shard_header_line(header);
  for (const auto& r : records) text += r.dump() + "\n";
  text += model::shard_end_line(records.size());
  write_output(path, text);
}

}  // namespace acdsim::cli
