#pragma once
// Standard optimization test functions (all minimized) with their domains and global minima,
// for examples, tests and benchmarks. Domains and optimum values match
// ../shared/peers/testfuncs.py (branin, hartmann6, ackley5, rosenbrock4, styblinski_tang8).

#include <Eigen/Core>
#include <functional>
#include <string>
#include <vector>

#include "gpbo/bayesopt/space.hpp"

namespace gpbo::bo {

/// A box-bounded test problem: f(x) for x in [lower, upper] (elementwise), minimum value fmin.
struct TestFunction {
  std::string name;
  Eigen::VectorXd lower, upper;
  double fmin = 0.0;
  Eigen::VectorXd argmin;  // one global minimizer
  std::function<double(const Eigen::VectorXd&)> f;

  [[nodiscard]] std::size_t dim() const { return static_cast<std::size_t>(lower.size()); }
  [[nodiscard]] double operator()(const Eigen::VectorXd& x) const { return f(x); }
  /// The domain as a space of real parameters named x0, x1, ...
  [[nodiscard]] Space space() const;
  /// The point {x0: x[0], ...} as a vector in the domain's units.
  [[nodiscard]] Eigen::VectorXd vector_of(const Point& p) const;
};

TestFunction branin();
TestFunction hartmann3();
TestFunction hartmann6();
TestFunction six_hump_camel();
TestFunction ackley(int d);              // [-32.768, 32.768]^d
TestFunction rosenbrock(int d);          // [-5, 10]^d
TestFunction styblinski_tang(int d);     // [-5, 5]^d
TestFunction levy(int d);                // [-10, 10]^d
TestFunction rastrigin(int d);           // [-5.12, 5.12]^d
TestFunction sphere(int d);              // [-5.12, 5.12]^d

/// Names accepted by test_function(): branin, hartmann3, hartmann6, six_hump_camel, and
/// ackleyD, rosenbrockD, styblinski_tangD, levyD, rastriginD, sphereD for a dimension D >= 2.
std::vector<std::string> test_function_names();
/// The function of that name; throws std::invalid_argument listing the names otherwise.
TestFunction test_function(const std::string& name);

}  // namespace gpbo::bo
