#pragma once
// Helpers shared by the optimizer's tests (test_optimizer*.cpp, test_optimizer_state.cpp).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "gpbo/bayesopt/optimizer.hpp"
#include "gpbo/bayesopt/test_functions.hpp"

namespace optimizer_test {

using namespace gpbo::bo;

inline double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t h = v.size() / 2;
  return v.size() % 2 == 1 ? v[h] : 0.5 * (v[h - 1] + v[h]);
}

inline double evaluate(const TestFunction& f, const Point& p) { return f(f.vector_of(p)); }

/// One real parameter x in [0, 1], and a smooth function of it with its minimum near x = 0.94.
inline Space unit_line() {
  Space s;
  s.add(Parameter::real("x", 0.0, 1.0));
  return s;
}
inline double smooth_line(double x) { return std::sin(5.0 * x) + x; }

// Default options with a smaller acquisition search, so that tests stay fast.
inline OptimizerOptions small_options(std::uint64_t seed) {
  OptimizerOptions o;
  o.seed = seed;
  o.search.candidates = 500;
  o.search.incumbent_candidates = 100;
  return o;
}

// Every acquisition function, for tests that run each of them.
inline const std::vector<AcquisitionKind> all_acquisitions = {AcquisitionKind::LogEI, AcquisitionKind::EI,      AcquisitionKind::LogPI,
                                                               AcquisitionKind::UCB,   AcquisitionKind::Thompson, AcquisitionKind::NoisyEI,
                                                               AcquisitionKind::LogNEI};

// A preset's options ("default", "fast") with acquisition `kind` and a small search, for tests
// that run an optimizer per acquisition and preset.
inline OptimizerOptions light_options(const std::string& preset, AcquisitionKind kind, std::uint64_t seed) {
  OptimizerOptions o = OptimizerOptions::preset(preset);
  o.seed = seed;
  o.acquisition = kind;
  o.search.candidates = 300;
  o.search.incumbent_candidates = 60;
  o.search.thompson_candidates = 300;
  return o;
}

// Same parameters with the same values (compared as printed, exactly).
inline bool same_point(const Point& a, const Point& b) {
  if (a.size() != b.size()) return false;
  for (const auto& [k, v] : a)
    if (to_string(v) != to_string(b.at(k))) return false;
  return true;
}

/// Styblinski-Tang over three categorical coordinates with choices -5..5 (minimum -117 at -3).
inline Space categorical_styblinski_tang_space() {
  std::vector<Value> choices;
  for (std::int64_t v = -5; v <= 5; ++v) choices.emplace_back(v);
  Space s;
  for (int i = 0; i < 3; ++i) s.add(Parameter::categorical("x" + std::to_string(i), choices));
  return s;
}

inline double categorical_styblinski_tang(const Point& p) {
  double f = 0;
  for (const auto& [name, v] : p) {
    const double x = as_double(v);
    f += 0.5 * (x * x * x * x - 16 * x * x + 5 * x);
  }
  return f;
}

}  // namespace optimizer_test
