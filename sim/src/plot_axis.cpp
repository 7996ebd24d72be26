#include "acdsim/sim/plot_axis.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace acdsim::sim::plot {
namespace {

std::string fixed(double value, int decimals) {
  char b[64];
  std::snprintf(b, sizeof b, "%.*f", decimals, value);
  std::string s = b;
  if (s.find_first_not_of("-0.") == std::string::npos) return "0";  // no "-0", "0.000" is "0"
  return s;
}

}  // namespace

std::vector<double> nice_ticks(double lo, double hi, int target) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) lo = 0, hi = 1;
  if (lo > hi) std::swap(lo, hi);
  if (hi - lo < 1e-12) {  // one value: a range around it
    const double pad = lo == 0 ? 1 : std::abs(lo) * 0.5;
    lo -= lo == 0 ? 0 : pad, hi += pad;
  }
  target = std::max(target, 1);
  const double raw = (hi - lo) / target;
  const int exponent = static_cast<int>(std::floor(std::log10(raw)));
  const double magnitude = std::pow(10.0, exponent);
  const double norm = raw / magnitude;
  const double mantissa = norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10;
  const double step = mantissa * magnitude;
  // k x mantissa scaled by an exact power of ten: 3 x 2 / 10 is 0.6, 3 x 0.2 is 0.6000000000000001
  const double ten_power = std::pow(10.0, std::abs(exponent));
  auto at = [&](long long k) {
    const double units = static_cast<double>(k) * mantissa;
    return exponent < 0 ? units / ten_power : units * ten_power;
  };
  const auto first = static_cast<long long>(std::floor(lo / step + 1e-9));
  const auto last = static_cast<long long>(std::ceil(hi / step - 1e-9));
  std::vector<double> ticks;
  for (long long k = first; k <= last; ++k) ticks.push_back(at(k));
  return ticks;
}

double tick_step(const std::vector<double>& ticks) {
  if (ticks.size() < 2) return 0;
  // the difference of two ticks carries rounding (0.000013 - 0.000012): snap to the round step
  const double step = (ticks.back() - ticks.front()) / static_cast<double>(ticks.size() - 1);
  const int exponent = static_cast<int>(std::floor(std::log10(step) + 1e-6));
  const double ten_power = std::pow(10.0, std::abs(exponent));
  const double mantissa = std::round(exponent < 0 ? step * ten_power : step / ten_power);
  return exponent < 0 ? mantissa / ten_power : mantissa * ten_power;
}

std::string tick_label(double value, double step) {
  int decimals = 0;
  if (step > 0) decimals = std::max(0, static_cast<int>(-std::floor(std::log10(step) + 1e-9)));
  // steps of 2.5 x 10^k are not produced; a step of 5 x 10^k needs the same decimals as 10^k
  return fixed(value, std::min(decimals, 12));
}

std::string short_number(double value) {
  for (int decimals = 0; decimals < 3; ++decimals)
    if (std::abs(std::round(value * std::pow(10.0, decimals)) - value * std::pow(10.0, decimals)) < 1e-6)
      return fixed(value, decimals);
  return fixed(value, 3);
}

}  // namespace acdsim::sim::plot
