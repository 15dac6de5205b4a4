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

/// How a test problem's coordinate is offered to the optimizer.
enum class CoordinateKind {
  Real,         // a real parameter on [lower, upper]
  Integer,      // an integer parameter on [lower, upper] (integral bounds)
  Categorical,  // a categorical parameter whose choices are the integers lower..upper: no order
};

/// A box-bounded test problem: f(x) for x in [lower, upper] (elementwise), minimum value fmin
/// over the space the coordinates' kinds define.
struct TestFunction {
  std::string name;
  Eigen::VectorXd lower, upper;
  double fmin = 0.0;
  Eigen::VectorXd argmin;  // one global minimizer
  std::function<double(const Eigen::VectorXd&)> f;
  std::vector<CoordinateKind> kinds;  // per coordinate; empty = all real

  [[nodiscard]] std::size_t dim() const { return static_cast<std::size_t>(lower.size()); }
  [[nodiscard]] double operator()(const Eigen::VectorXd& x) const { return f(x); }
  [[nodiscard]] CoordinateKind kind(std::size_t i) const { return kinds.empty() ? CoordinateKind::Real : kinds.at(i); }
  /// The domain as a space of parameters named x0, x1, ... of the coordinates' kinds.
  [[nodiscard]] Space space() const;
  /// The point {x0: x[0], ...} as a vector in the domain's units.
  [[nodiscard]] Eigen::VectorXd vector_of(const Point& p) const;
  /// The inverse of vector_of: integer and categorical coordinates become integer values.
  [[nodiscard]] Point point_of(const Eigen::VectorXd& x) const;
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

// Mixed spaces, where integer and categorical handling matters (minima exact on their spaces):
TestFunction ackley5_int();           // Ackley on the integers of [-32, 32]^5 (a cone there: cos = 1)
TestFunction rosenbrock4_mixed();     // x0, x1 integers in [-5, 10]; x2, x3 real in [-5, 10]
TestFunction styblinski_tang8_cat();  // x0..x3 categorical over {-5, ..., 5}; x4..x7 real in [-5, 5]

/// Names accepted by test_function(): branin, hartmann3, hartmann6, six_hump_camel,
/// ackley5_int, rosenbrock4_mixed, styblinski_tang8_cat, and ackleyD, rosenbrockD,
/// styblinski_tangD, levyD, rastriginD, sphereD for a dimension D >= 2.
std::vector<std::string> test_function_names();
/// The function of that name; throws std::invalid_argument listing the names otherwise.
TestFunction test_function(const std::string& name);

}  // namespace gpbo::bo
