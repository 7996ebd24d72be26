#include "cli_common.hpp"
#include "commands.hpp"
namespace acdsim::cli {
int import_command(const std::vector<std::string>&) { throw UsageError("import cib: TODO"); }
}
