#include "acdsim/checker/checker.hpp"

#include <chrono>
#include <set>

#include "checker_impl.hpp"

namespace acdsim::checker {

Checker::Checker(const model::Procedure& procedure, const model::Topology& topology, Options options)
    : impl_(std::make_unique<Impl>(procedure, topology, std::move(options))) {}
Checker::~Checker() = default;

const model::Snapshot& Checker::initial() const { return impl_->initial_snapshot; }
std::size_t Checker::step_count() const { return impl_->steps.size(); }

Result Checker::run() {
  const auto t0 = std::chrono::steady_clock::now();
  Impl::Outcome out;
  Result r;
  const bool por = impl_->stubborn.has_value();
  auto search = [&](Impl::Outcome& o, bool use_por, std::uint64_t max_states) {
    r.accepted.clear();
    if (!impl_->search(o, false, r.accepted, use_por, max_states)) {
      o = Impl::Outcome{};
      r.accepted.clear();
      impl_->search(o, true, r.accepted, use_por, max_states);
    }
  };
  search(out, por, impl_->options.max_states);
  for (Impl::Found& f : out.found) f.por = por;
  if (!out.found.empty() && por) {
    // Partial-order reduction keeps violations but not shortest paths: look
    // for shortest counterexamples without it, within a bounded effort.
    Impl::Outcome shortest;
    search(shortest, false, std::min<std::uint64_t>(impl_->options.max_states, std::max<std::uint64_t>(1'000'000, out.states * 20)));
    if (!impl_->options.all_violations || shortest.limit.empty()) {
      // First: the unreduced search's first violation. All: a complete unreduced search found every one.
      if (!shortest.found.empty()) out.found = std::move(shortest.found);
      else for (Impl::Found& f : out.found) f.maybe_longer = true;
    } else {  // its shortest traces, then the reduced search's others
      for (Impl::Found& f : out.found)
        if (shortest.keys.insert(f.key()).second) {
          f.maybe_longer = true;
          shortest.found.push_back(std::move(f));
        }
      out.found = std::move(shortest.found);
    }
  }
  r.states = out.states;
  r.transitions = out.transitions;
  r.depth = out.depth;
  r.words_per_state = out.key_words;
  r.bytes = out.bytes;
  std::set<std::string> shown;  // concrete twins of two representatives' findings are one
  for (const Impl::Found& f : out.found) {
    Violation v = impl_->violation_of(f);
    if (!shown.insert(std::string(v.spec->id) + "/" + v.kind).second) continue;
    r.trace_maybe_longer = r.trace_maybe_longer || v.trace_maybe_longer;
    r.violations.push_back(std::move(v));
  }
  if (!r.violations.empty()) {
    r.verdict = Verdict::Violated;
    r.violation = r.violations.front();
  } else if (!out.limit.empty()) {
    r.verdict = Verdict::Incomplete;
  }
  r.incomplete_reason = out.limit;
  r.user_specs = impl_->user;
  r.not_checked = impl_->properties.not_checked;
  if (impl_->symmetry) r.symmetry = impl_->symmetry->describe();
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace acdsim::checker
