#pragma once
// Escaping a resolved local optimum.
//
// Expected improvement with MAP hyperparameters settles in the first good basin it finds: once
// the GP has explained the rest of the space as "plateau", improving on the incumbent looks
// hopeless everywhere else, and the budget goes into polishing the incumbent by 1e-6 at a time
// (on Hartmann-6, half the seeds end in the -3.2032 local optimum). So, once the best value has
// stopped improving, every other model-based suggestion goes to the most promising *other*
// region instead: the best observed point that lies far from the incumbent (in length-scale
// units) and has no better point near it — the leader of a different basin. There the
// acquisition aims to beat that leader, inside a box of about one length scale around it: a
// trust-region local search in the second-best basin. If that basin turns out deeper, plain
// EI follows it from then on; if not, the polishing of the incumbent lost half its steps.
// When the stagnation lasts (escalate_after patience periods), two of every three suggestions
// escape: the escapes walk from leader to leader slowly, and a run that has polished the same
// point for 40 evaluations gains more from finding the next basin sooner.

#include "gpbo/core/eigen_abi.hpp"
#include <Eigen/Core>
#include <cstddef>
#include <optional>

#include "gpbo/gp/gaussian_process.hpp"

namespace gpbo::bo {

struct EscapeOptions {
  bool enabled = true;
  std::size_t patience = 0;        // evaluations without improvement before escaping; 0 = 2 D + 2
  double min_improvement = 1e-3;   // an improvement counts when larger than this times the range of
                                   // the values as the surrogate models them (after its output warp)
  double separation = 3.0;         // leader's distance from the incumbent, in length scales (half
                                   // of it when no leader is that far)
  double box_halfwidth = 1.0;      // half side of the search box around the leader, in length scales
  std::size_t every = 2;           // while stagnating, every `every`-th suggestion escapes (>= 1)
  double escalate_after = 3.0;     // after this many patience periods without improvement, only
                                   // every third suggestion polishes the incumbent (0 = never)
};

/// A box of the encoded unit cube to search in, and the value (internal units) to beat there.
struct EscapeRegion {
  Eigen::VectorXd center, lower, upper;
  double target = 0.0;
};

/// How many of the latest values (in the order observed) came after the last improvement of
/// the running minimum by more than min_improvement * (max(y) - min(y)).
std::size_t evaluations_since_improvement(const Eigen::VectorXd& y, double min_improvement);

/// Whether suggestion number `suggestion` (told + pending before it) escapes, when the last
/// `since_improvement` values brought no improvement and `patience` is the resolved patience.
bool escape_turn(std::size_t suggestion, std::size_t since_improvement, std::size_t patience,
                 const EscapeOptions& options);

/// The leader of the best other basin and the box to search around it, or nothing when no
/// observed point is even half the separation from the incumbent. X: n x D encoded points,
/// y: internal values (lower is better), lengthscales: D positive values in encoded units.
std::optional<EscapeRegion> find_escape_region(const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                                               const Eigen::VectorXd& lengthscales, const EscapeOptions& options);

/// A length scale for each of a GP's D inputs, in encoded units, or nothing when some input has
/// none. Each column takes it from the first stationary ARD leaf of the kernel (depth first, in
/// hyperparameter order) that acts on it: for the surrogate's kernels the main-effect terms, so
/// the one-hot columns of a categorical parameter take its group's shared length scale, and a
/// change of category is sqrt(2) / l_g length scales, as that kernel sees it.
std::optional<Eigen::VectorXd> ard_lengthscales(const GaussianProcess& gp, Eigen::Index dim);

}  // namespace gpbo::bo
