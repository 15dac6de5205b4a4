#include "model_file.hpp"

#include <fstream>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "gp/gp_json.hpp"
#include "tune/durable_file.hpp"

namespace gpbo::cli {

void save_model_file(const ModelFile& model, const std::string& path) {
  const nlohmann::json j = {{"format", "gpbo.model"}, {"version", 1}, {"inputs", model.inputs},
                            {"target", model.target}, {"gp", gp_to_json(model.gp)}};
  tune::write_file_atomically(path, j.dump(1) + "\n");
}

ModelFile load_model_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw UsageError(path + ": cannot open model file");
  const auto j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded()) throw UsageError(path + ": not valid JSON");
  if (!j.is_object() || j.value("format", "") != "gpbo.model")
    throw UsageError(path + ": /format: expected \"gpbo.model\" (a file written by `gpbo fit`)");
  try {
    auto inputs = j.at("inputs").get<std::vector<std::string>>();
    auto target = j.at("target").get<std::string>();
    return ModelFile{std::move(inputs), std::move(target), gp_from_json(j.at("gp"))};
  } catch (const nlohmann::json::exception& e) {
    throw UsageError(path + ": " + e.what());
  } catch (const std::invalid_argument& e) {
    throw UsageError(path + ": /gp" + e.what());
  }
}

}  // namespace gpbo::cli
