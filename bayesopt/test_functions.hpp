#pragma once
// Standard optimization test functions (all minimized) with their domains and global minima,
// for examples, tests and benchmarks. Domains and optimum values match
// ../shared/peers/testfuncs.py (branin, hartmann6, ackley5, rosenbrock4, styblinski_tang8).

#include "gpbo/core/eigen_abi.hpp"
#include <Eigen/Core>
#include <functional>
#include <string>
#include <vector>

#include "gpbo/bayesopt/outcome_constraints.hpp"
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
  /// Per coordinate (empty = none): when it is active (Parameter::conditions, parents named x0,
  /// x1, ...). An inactive coordinate is NaN in vector_of() and f never reads it.
  std::vector<std::vector<Condition>> conditions;
  /// Outcome constraints (empty for most): fmin and argmin are then the constrained optimum, and
  /// constraint_values(x) gives one value per constraint, in this order.
  std::vector<OutcomeConstraint> constraints;
  std::function<std::vector<double>(const Eigen::VectorXd&)> constraint_values;
  /// Linear constraints on the coordinates (x0, x1, ...; empty for most), part of space(): fmin
  /// and argmin are then the optimum under them.
  std::vector<LinearConstraint> parameter_constraints;

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

// A conditional space:
/// Jenatton et al. (2017)'s tree-structured function: x0 in {0, 1} picks a branch, x1 (branch 0)
/// or x2 (branch 1) in {0, 1} a leaf; leaf values x3^2 + 0.1 + x7, x4^2 + 0.2 + x7 (branch 0) and
/// x5^2 + 0.3 + x8, x6^2 + 0.4 + x8 (branch 1), x3..x6 in [-1, 1], x7, x8 in [0, 1], each real
/// active only on its leaf or branch. Minimum 0.1 at x0 = x1 = 0, x3 = x7 = 0.
TestFunction jenatton();

// With outcome constraints (constraint values c_k(x) <= 0 for a feasible x):
/// Gramacy et al. (2016)'s toy problem: x0 + x1 on [0, 1]^2 subject to
/// c1 = 1.5 - x0 - 2 x1 - 0.5 sin(2 pi (x0^2 - 2 x1)) and c2 = x0^2 + x1^2 - 1.5; 46% of the
/// square is feasible, the unconstrained minimum (the origin) is not.
TestFunction gramacy_toy();
/// The tension/compression spring design problem (Arora 1989; a standard constrained benchmark):
/// the weight (x2 + 2) x1 x0^2 of a spring of wire diameter x0 in [0.05, 2], coil diameter x1 in
/// [0.25, 1.3] and x2 in [2, 15] active coils, under four constraints (deflection, shear stress,
/// surge frequency, outer diameter); 0.7% of the box is feasible. Where x0 = x1 the shear
/// constraint is undefined (infinite).
TestFunction tension_spring();

// Under a linear constraint on the parameters:
/// Hartmann-6 under x2 + x5 <= 0.8, which cuts off its global minimum (x2 + x5 = 1.134 there):
/// the minimum under it, -3.20208337, lies on the bound in the basin of Hartmann-6's second mode,
/// while the first mode's basin keeps a boundary optimum of -2.8455 (tests/reference/
/// bo_hartmann6_linear_reference.py: SciPy's SLSQP from 2000 feasible starts).
TestFunction hartmann6_linear();

/// Names accepted by test_function(): branin, hartmann3, hartmann6, six_hump_camel,
/// ackley5_int, rosenbrock4_mixed, styblinski_tang8_cat, jenatton, gramacy_toy, tension_spring,
/// hartmann6_linear, and ackleyD, rosenbrockD,
/// styblinski_tangD, levyD, rastriginD, sphereD for a dimension D >= 2.
std::vector<std::string> test_function_names();
/// The function of that name; throws std::invalid_argument listing the names otherwise.
TestFunction test_function(const std::string& name);

}  // namespace gpbo::bo
