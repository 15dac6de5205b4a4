#pragma once
// The file `gpbo fit` writes and `gpbo predict` reads: the fitted GP plus the names of its input
// columns and target, so prediction picks inputs by name whatever the column order.

#include <string>
#include <vector>

#include "gp/gaussian_process.hpp"

namespace gpbo::cli {

struct ModelFile {
  std::vector<std::string> inputs;  // input column names, in model order
  std::string target;
  GaussianProcess gp;
};

void save_model_file(const ModelFile& model, const std::string& path);
/// Throws UsageError naming the file and the JSON path of what is wrong.
ModelFile load_model_file(const std::string& path);

}  // namespace gpbo::cli
