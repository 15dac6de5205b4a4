#include "gpbo/gp/model_file.hpp"

#include <cmath>
#include <nlohmann/json.hpp>

#include "gpbo/core/did_you_mean.hpp"
#include "gpbo/core/durable_file.hpp"
#include "gpbo/core/json_text.hpp"
#include "gpbo/core/number_text.hpp"
#include "gpbo/core/text_list.hpp"
#include "gpbo/gp/gp_json.hpp"
#include "gpbo/gp/param_layout.hpp"

namespace gpbo {

namespace {

constexpr int kVersion = 3;

nlohmann::json draws_to_json(const GaussianProcess& gp, const Eigen::MatrixXd& draws) {
  nlohmann::json values = nlohmann::json::array();
  for (Eigen::Index s = 0; s < draws.rows(); ++s) {
    nlohmann::json row = nlohmann::json::array();
    for (Eigen::Index k = 0; k < draws.cols(); ++k) row.push_back(draws(s, k));
    values.push_back(std::move(row));
  }
  return {{"names", gp.param_names()}, {"values", values}};
}

/// j as an array of strings (column or hyperparameter names), or a ModelFileError naming `where`.
std::vector<std::string> string_array(const nlohmann::json& j, const std::string& where, const char* what) {
  if (!j.is_array()) throw ModelFileError(where + ": expected an array of " + what);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < j.size(); ++i) {
    if (!j[i].is_string()) throw ModelFileError(where + "/" + std::to_string(i) + ": expected a string (one of the " + what + ")");
    out.push_back(j[i].get<std::string>());
  }
  return out;
}

Eigen::MatrixXd draws_from_json(const nlohmann::json& j, const GaussianProcess& gp, const std::string& where) {
  // A misspelt key first: "value" for "values" then gets its "did you mean".
  if (const auto unknown = unknown_key(j, {"names", "values"})) throw ModelFileError(where + "/" + unknown->first + ": " + unknown->second);
  if (!j.is_object() || !j.contains("names") || !j.contains("values"))
    throw ModelFileError(where + ": expected an object with \"names\" and \"values\"");
  const auto names = string_array(j["names"], where + "/names", "hyperparameter names");
  if (names != gp.param_names()) {
    throw ModelFileError(where + "/names: do not match the model's free hyperparameters (" + join_text(gp.param_names()) +
                         ", in that order)");
  }
  // Checked here, with the draw's path: set_params would refuse it later, naming neither.
  std::vector<GpHyperparameter> free;
  for (const GpHyperparameter& h : gp.hyperparameters())
    if (!h.fixed) free.push_back(h);
  const nlohmann::json& values = j["values"];
  if (!values.is_array()) throw ModelFileError(where + "/values: expected an array of draws (arrays of numbers)");
  if (values.empty()) throw ModelFileError(where + "/values: no draws");
  Eigen::MatrixXd draws(static_cast<Eigen::Index>(values.size()), static_cast<Eigen::Index>(names.size()));
  for (std::size_t s = 0; s < values.size(); ++s) {
    const std::string row = where + "/values/" + std::to_string(s);
    if (!values[s].is_array() || values[s].size() != names.size())
      throw ModelFileError(row + ": expected an array of " + std::to_string(names.size()) + " numbers");
    for (std::size_t k = 0; k < names.size(); ++k) {
      if (!values[s][k].is_number()) throw ModelFileError(row + "/" + std::to_string(k) + ": expected a number");
      const double v = values[s][k].get<double>();
      if (!within_bounds(free[k], v)) throw ModelFileError(row + "/" + std::to_string(k) + ": " + outside_bounds_message(free[k], v));
      draws(static_cast<Eigen::Index>(s), static_cast<Eigen::Index>(k)) = v;
    }
  }
  return draws;
}

// Rows of the model's data, distinct and ascending: the outliers fit_with_outliers flagged.
std::vector<Eigen::Index> rows_from_json(const nlohmann::json& j, Eigen::Index n, const std::string& where) {
  if (!j.is_array()) throw ModelFileError(where + ": expected an array of row numbers (0-based)");
  std::vector<Eigen::Index> rows;
  for (std::size_t i = 0; i < j.size(); ++i) {
    const Eigen::Index low = rows.empty() ? 0 : rows.back() + 1;
    const auto row = low < n ? json_integer_in(j[i], low, n - 1) : std::nullopt;
    if (!row)
      throw ModelFileError(where + "/" + std::to_string(i) + ": expected a row number from 0 to " + std::to_string(n - 1) +
                           " (0-based), above the one before, got " + j[i].dump());
    rows.push_back(static_cast<Eigen::Index>(*row));
  }
  // fit_with_outliers flags at most a quarter by default; a model of outliers alone is damaged.
  if (static_cast<Eigen::Index>(rows.size()) >= n && n > 0)
    throw ModelFileError(where + ": flags every one of the model's " + std::to_string(n) + " rows");
  return rows;
}

/// gp_from_json's "GP JSON /X/3: ..." and the model's own "GaussianProcess: ..." errors, as a
/// path inside the model file: "/gp/X/3: ...", "/gp: ...".
std::string gp_error_location(const std::string& what) {
  for (const std::string prefix : {"GP JSON /: ", "GaussianProcess: "})
    if (what.rfind(prefix, 0) == 0) return "/gp: " + what.substr(prefix.size());
  const std::string json = "GP JSON ";
  if (what.rfind(json, 0) == 0) return "/gp" + what.substr(json.size());
  if (what.rfind('/', 0) == 0) return "/gp" + what;  // a JSON path inside the GP (kernel_json's errors)
  return "/gp: " + what;
}

}  // namespace

FullyBayesianGp GpModelFile::predictor() const {
  FullyBayesianGp model(gp);
  if (hyperparameter_draws.rows() > 0) model.set_draws(hyperparameter_draws);
  return model;
}

void save_gp_model_file(const GpModelFile& model, const std::string& path) {
  const bool draws = model.hyperparameter_draws.rows() > 0, outliers = !model.outliers.empty();
  nlohmann::json j = {{"format", "gpbo.model"}, {"version", outliers ? 3 : draws ? 2 : 1}, {"inputs", model.inputs},
                      {"target", model.target}, {"gp", gp_to_json(model.gp)}};
  if (draws) j["hyperparameter_draws"] = draws_to_json(model.gp, model.hyperparameter_draws);
  if (outliers) j["outliers"] = model.outliers;
  write_file_atomically(path, j.dump(1) + "\n");
}

GpModelFile load_gp_model_file(const std::string& path) {
  nlohmann::json j;
  try {
    j = parse_json_text(read_file(path), path);
  } catch (const JsonTextError& e) {
    throw ModelFileError(e.what());
  }
  if (is_format(j, "gpbo.gp"))
    throw ModelFileError(path + ": a model saved by gpbo::save_gp, without the column names gpbo predict needs: save it as "
                            "{\"format\": \"gpbo.model\", \"version\": 1, \"inputs\": [names], \"target\": name, \"gp\": that model}");
  if (is_format(j, "gpbo.run"))
    throw ModelFileError(path + ": a tuning state written by gpbo tune or gpbo ask, not a model file (gpbo show --state and "
                                "gpbo predict --state read it)");
  if (!is_format(j, "gpbo.model"))
    throw ModelFileError(path + ": /format: expected \"gpbo.model\" (a file written by `gpbo fit`)");
  try {
    const auto version = j.contains("version") ? json_integer_in(j["version"], 1, kVersion) : std::optional<std::int64_t>(1);
    if (!version)
      throw ModelFileError(path + ": /version: " + j["version"].dump() + " is not supported (this gpbo reads 1 to " +
                           std::to_string(kVersion) + ")");
    const std::vector<std::string> known = {"format", "version", "inputs", "target", "gp", "hyperparameter_draws", "outliers"};
    if (const auto unknown = unknown_key(j, known)) throw ModelFileError(path + ": /" + unknown->first + ": " + unknown->second);
    for (const char* key : {"inputs", "target", "gp"})
      if (!j.contains(key)) throw ModelFileError(path + ": /: missing key \"" + key + "\"");
    auto inputs = string_array(j["inputs"], path + ": /inputs", "column names");
    for (std::size_t i = 0; i < inputs.size(); ++i)
      for (std::size_t k = 0; k < i; ++k)
        if (inputs[k] == inputs[i])  // predict would read one column for both inputs
          throw ModelFileError(path + ": /inputs/" + std::to_string(i) + ": column '" + inputs[i] + "' is already input " +
                               std::to_string(k));
    if (!j["target"].is_string()) throw ModelFileError(path + ": /target: expected the target's column name (a string)");
    auto target = j["target"].get<std::string>();
    GpModelFile m{std::move(inputs), std::move(target), gp_from_json(j["gp"]), {}, {}};
    if (m.gp.input_dim() >= 0 && static_cast<Eigen::Index>(m.inputs.size()) != m.gp.input_dim())
      throw ModelFileError(path + ": /inputs: " + std::to_string(m.inputs.size()) + " names for a model of " +
                       count_text(static_cast<std::size_t>(m.gp.input_dim()), "input"));
    if (j.contains("hyperparameter_draws"))
      m.hyperparameter_draws = draws_from_json(j.at("hyperparameter_draws"), m.gp, path + ": /hyperparameter_draws");
    if (j.contains("outliers")) m.outliers = rows_from_json(j["outliers"], m.gp.size(), path + ": /outliers");
    return m;
  } catch (const ModelFileError&) {
    throw;
  } catch (const nlohmann::json::exception& e) {
    throw ModelFileError(path + ": " + e.what());
  } catch (const std::invalid_argument& e) {
    throw ModelFileError(path + ": " + gp_error_location(e.what()));
  }
}

}  // namespace gpbo
