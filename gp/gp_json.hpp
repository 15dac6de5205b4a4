#pragma once
// Saving and loading a GaussianProcess as JSON: options, kernel (kernels/kernel_json.hpp),
// hyperparameters, the input/output maps and the training data. Loading refactorizes, so a
// loaded model predicts exactly what the saved one did (up to round-off if the saved one was
// extended by add_point, whose factor is built row by row). JSON stays at this edge: the numerical
// code in gaussian_process.hpp knows nothing of it.

#include <nlohmann/json.hpp>
#include <string>

#include "gpbo/gp/gaussian_process.hpp"

namespace gpbo {

/// The model as a JSON document (format "gpbo.gp", version 1).
[[nodiscard]] nlohmann::json gp_to_json(const GaussianProcess& gp);
/// Rebuilds a model from gp_to_json() output; throws std::invalid_argument naming the JSON path
/// of the first missing or malformed field.
[[nodiscard]] GaussianProcess gp_from_json(const nlohmann::json& j);

/// Writes gp_to_json() to a file atomically (write_file_atomically); throws FileError naming it.
void save_gp(const GaussianProcess& gp, const std::string& path);
/// Reads a file written by save_gp(), or by `gpbo fit` without hyperparameter draws (its GP);
/// errors name the file: FileError when it cannot be read (missing, a directory), JsonTextError
/// for bad JSON, std::invalid_argument for a JSON that is no model.
[[nodiscard]] GaussianProcess load_gp(const std::string& path);

}  // namespace gpbo
