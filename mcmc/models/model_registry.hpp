#pragma once
// The built-in models by name, built from a CSV data file: "gauss100" (no data), "linear",
// "logistic", "eight_schools", "bradley_terry", "mixture". See each model's header for its data
// schema and parameters.

#include <memory>
#include <string>
#include <vector>

#include "gpbo/mcmc/log_density.hpp"

namespace gpbo::mcmc::models {

/// Names accepted by load_model, in a fixed order.
std::vector<std::string> model_names();

/// True when the model reads a data file (all but gauss100).
bool model_needs_data(const std::string& name);

/// The data file's columns a model reads, in a few words ("y, sigma (> 0)"; "" for gauss100),
/// for help texts: an installed gpbo carries no README.
std::string model_data_columns(const std::string& name);

/// Builds model `name` from the CSV file at `data_path` (ignored by models without data).
/// Throws std::invalid_argument for an unknown name or bad data (naming the file and row), and
/// gpbo::CsvError for a malformed file.
std::unique_ptr<LogDensity> load_model(const std::string& name, const std::string& data_path);

}  // namespace gpbo::mcmc::models
