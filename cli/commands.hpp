// One function per acdsim command, each in its own file (cli/<command>.cpp).
// args are the command's arguments without the verb; the return value is the exit code.
#pragma once
#include <string>
#include <vector>

namespace acdsim::checker {
struct Checked;
}

namespace acdsim::cli {

// check --trace-out's file (acdsim-counterexample/1) for a violated result (check.cpp).
std::string counterexample_text(const acdsim::checker::Checked& checked);

int check_command(const std::vector<std::string>& args);
int validate_command(const std::vector<std::string>& args);
int graph_command(const std::vector<std::string>& args);
int machines_command(const std::vector<std::string>& args);
int simulate_command(const std::vector<std::string>& args);
int whatif_command(const std::vector<std::string>& args);
int run_command(const std::vector<std::string>& args);
int plan_command(const std::vector<std::string>& args);
int fuzz_command(const std::vector<std::string>& args);
int merge_command(const std::vector<std::string>& args);
int observe_command(const std::vector<std::string>& args);
int export_command(const std::vector<std::string>& args);
int import_command(const std::vector<std::string>& args);
int export_promela_command(const std::vector<std::string>& args);     // export promela (promela.cpp)
int import_spin_trail_command(const std::vector<std::string>& args);  // import spin-trail (promela.cpp)

}  // namespace acdsim::cli
