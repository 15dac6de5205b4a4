#include "gpbo/mcmc/models/model_registry.hpp"

#include <stdexcept>

#include "gpbo/core/csv.hpp"
#include "gpbo/core/text_list.hpp"
#include "gpbo/mcmc/models/bradley_terry.hpp"
#include "gpbo/mcmc/models/eight_schools.hpp"
#include "gpbo/mcmc/models/linear_regression.hpp"
#include "gpbo/mcmc/models/logistic_regression.hpp"
#include "gpbo/mcmc/models/normal_mixture.hpp"
#include "gpbo/mcmc/models/scaled_gaussian.hpp"

namespace gpbo::mcmc::models {

std::vector<std::string> model_names() {
  return {"gauss100", "linear", "logistic", "eight_schools", "bradley_terry", "mixture"};
}

bool model_needs_data(const std::string& name) { return name != "gauss100"; }

std::string model_data_columns(const std::string& name) {
  if (name == "linear") return "y and predictors (every other column)";
  if (name == "logistic") return "y (0 or 1) and predictors (every other column)";
  if (name == "eight_schools") return "y, sigma (> 0)";
  if (name == "bradley_terry") return "winner, loser (player ids 1..P)";
  if (name == "mixture") return "y";
  return "";
}

std::unique_ptr<LogDensity> load_model(const std::string& name, const std::string& data_path) {
  if (name == "gauss100") return std::make_unique<ScaledGaussian>(100);
  bool known = false;
  for (const auto& n : model_names()) known = known || n == name;
  if (!known) {
    throw std::invalid_argument("unknown model '" + name + "' (known: " + join_text(model_names()) + ")");
  }
  if (data_path.empty()) throw std::invalid_argument("model '" + name + "' needs a data file");
  // Regressions take every other column as a predictor; the other models read theirs only, so a
  // column of names or notes beside them does no harm.
  const std::vector<std::string> fixed = name == "eight_schools"   ? std::vector<std::string>{"y", "sigma"}
                                         : name == "bradley_terry" ? std::vector<std::string>{"winner", "loser"}
                                         : name == "mixture"       ? std::vector<std::string>{"y"}
                                                                   : std::vector<std::string>{};
  const CsvTable table = fixed.empty() ? read_csv(data_path) : read_csv(data_path, fixed);
  if (name == "linear") return std::make_unique<LinearRegression>(LinearRegression::from_csv(table));
  if (name == "logistic") return std::make_unique<LogisticRegression>(LogisticRegression::from_csv(table));
  if (name == "eight_schools") return std::make_unique<EightSchools>(EightSchools::from_csv(table));
  if (name == "bradley_terry") return std::make_unique<BradleyTerry>(BradleyTerry::from_csv(table));
  return std::make_unique<NormalMixture>(NormalMixture::from_csv(table));
}

}  // namespace gpbo::mcmc::models
