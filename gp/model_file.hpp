#pragma once
// The file `gpbo fit` writes and `gpbo predict` reads: the fitted GP plus the names of its input
// columns and target, so prediction picks inputs by name whatever the column order.
//
// Version 1: {"format": "gpbo.model", "version": 1, "inputs", "target", "gp"}. Version 2 (written
// by `gpbo fit --hyper mcmc`) adds "hyperparameter_draws": {"names": free hyperparameter names
// (GaussianProcess::param_names()), "values": S rows of p values in the params coordinates (log
// of positive quantities)}; files without draws are still written as version 1.

#include <Eigen/Core>
#include <string>
#include <vector>

#include "gpbo/gp/gaussian_process.hpp"

namespace gpbo::cli {

struct ModelFile {
  std::vector<std::string> inputs;  // input column names, in model order
  std::string target;
  GaussianProcess gp;                    // the MAP fit
  Eigen::MatrixXd hyperparameter_draws;  // S x p posterior draws of gp's free hyperparameters; empty = none
};

void save_model_file(const ModelFile& model, const std::string& path);
/// Throws UsageError naming the file and the JSON path of what is wrong.
ModelFile load_model_file(const std::string& path);

}  // namespace gpbo::cli
