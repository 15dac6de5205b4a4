#pragma once
// Which parameters matter: variance-based (Sobol') sensitivity indices of a function over a
// search space, the measure fANOVA (Optuna's default importance) and SALib report. The
// optimizer applies it to its model's posterior mean (Optimizer::importance()).

#include "gpbo/core/eigen_abi.hpp"
#include <Eigen/Core>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "gpbo/bayesopt/space.hpp"
#include "gpbo/core/random.hpp"

namespace gpbo::bo {

/// One parameter's share of the variance of f(x) when x is drawn uniformly from the space (each
/// encoded coordinate uniform: log-uniform on a log scale, every choice and integer equally likely).
/// The space's linear constraints are ignored: the decomposition needs independent inputs, and
/// a constrained region makes them dependent, so the indices are those over the whole box.
struct ParameterImportance {
  std::string name;
  double first_order = 0.0;  ///< share explained by this parameter alone, Var(E[f | x_i]) / Var(f)
  double total = 0.0;        ///< share it takes part in, interactions included, E[Var(f | x_-i)] / Var(f)
};

/// f maps rows of encoded points (valid encodings, Space::snap_uniform) to values, in one batch.
using BatchFunction = std::function<Eigen::VectorXd(const Eigen::MatrixXd&)>;

/// First-order (Saltelli 2010) and total (Jansen 1999) indices of every non-fixed parameter, in
/// the space's order, from `samples` pairs of scrambled Sobol points (Latin hypercube points
/// beyond 1833 encoded columns): f is called on samples x (parameters + 2) rows in all, in blocks
/// (2 x samples rows first, then a few parameters' rows at a time, at most 4M values a block). A categorical parameter's one-hot columns move together.
/// Estimates are clamped to [0, 1], first-order ones to at most the total (as the true indices
/// are); their Monte Carlo error shrinks like 1/sqrt(samples). A constant f
/// has no variance to share: every index is then 0. So it is when f's standard deviation over
/// the space is below `resolution` (in f's units: the size of variation that is only round-off,
/// as a model fitted to equal values has) or at round-off level of f's own magnitude. Throws
/// std::invalid_argument for samples < 2, a negative resolution or a space with nothing to vary,
/// and when f returns the wrong number of values or a non-finite one.
std::vector<ParameterImportance> sobol_indices(const Space& space, const BatchFunction& f, std::size_t samples, Rng& rng,
                                               double resolution = 0.0);

}  // namespace gpbo::bo
