#pragma once
// The model file `gpbo fit` writes and `gpbo predict` reads ("gpbo.model"): a fitted GP plus the
// names of its input columns and target, so that predictions pick inputs by name whatever the
// column order, and (after `gpbo fit --hyper mcmc`) posterior draws of its hyperparameters.
//
// Version 1: {"format": "gpbo.model", "version": 1, "inputs", "target", "gp" (gp_to_json)}.
// Version 2 adds "hyperparameter_draws": {"names": the free hyperparameter names
// (GaussianProcess::param_names()), "values": S rows of p values in the params() coordinates
// (log of positive quantities)}. Version 3 adds "outliers": the 0-based rows that
// fit_with_outliers gave a noise variance of their own (`gpbo fit --outliers`), ascending, so
// that `gpbo show` scores the model over the others as `gpbo fit` did. A file is written with
// the lowest version that holds it (without draws or outliers: 1).

#include "gpbo/core/eigen_abi.hpp"
#include <Eigen/Core>
#include <stdexcept>
#include <string>
#include <vector>

#include "gpbo/gp/fully_bayesian.hpp"
#include "gpbo/gp/gaussian_process.hpp"

namespace gpbo {

/// A model file that is not valid; what() names the file and the JSON path of what is wrong
/// ("model.json: /inputs: 2 names for a model of 3 inputs").
class ModelFileError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// The contents of a "gpbo.model" file.
struct GpModelFile {
  std::vector<std::string> inputs;       // input column names, in the model's input order
  std::string target;                    // target column name
  GaussianProcess gp;                    // the MAP fit (or the starting point of the draws)
  Eigen::MatrixXd hyperparameter_draws;  // S x p posterior draws of gp's free hyperparameters; empty = none
  std::vector<Eigen::Index> outliers;    // rows flagged as outliers (their variances are in gp's point noise), ascending

  /// What `gpbo predict` predicts with: the equal-weight mixture of the GPs conditioned on each
  /// draw, or gp alone when there are no draws. Inputs in the columns of `inputs`, user units.
  [[nodiscard]] FullyBayesianGp predictor() const;
};

/// Writes the file atomically (write_file_atomically); throws FileError naming it.
void save_gp_model_file(const GpModelFile& model, const std::string& path);
/// Reads a file written by save_gp_model_file() or `gpbo fit`. Throws FileError when it cannot
/// be read and ModelFileError when its contents are not valid.
[[nodiscard]] GpModelFile load_gp_model_file(const std::string& path);

}  // namespace gpbo
