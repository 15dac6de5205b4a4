#include "gpbo/gp/gp_json.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <sstream>

#include "gpbo/core/did_you_mean.hpp"
#include "gpbo/core/durable_file.hpp"
#include "gpbo/core/json_text.hpp"
#include "gpbo/core/number_text.hpp"
#include "gpbo/core/text_list.hpp"
#include "gpbo/gp/param_layout.hpp"
#include "gpbo/kernels/kernel_json.hpp"

namespace gpbo {
namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw std::invalid_argument("GP JSON " + (path.empty() ? std::string("/") : path) + ": " + what);
}

const json& field(const json& j, const std::string& path, const std::string& key) {
  if (!j.is_object()) fail(path, "expected an object");
  const auto it = j.find(key);
  if (it == j.end()) fail(path + "/" + key, "missing");
  return *it;
}

double number(const json& j, const std::string& path, const std::string& key) {
  const json& v = field(j, path, key);
  if (!v.is_number()) fail(path + "/" + key, std::string("expected a number, got ") + v.type_name());
  return v.get<double>();
}

bool boolean(const json& j, const std::string& path, const std::string& key) {
  const json& v = field(j, path, key);
  if (!v.is_boolean()) fail(path + "/" + key, std::string("expected true or false, got ") + v.type_name());
  return v.get<bool>();
}

Eigen::VectorXd vector(const json& j, const std::string& path) {
  if (!j.is_array()) fail(path, std::string("expected an array of numbers, got ") + j.type_name());
  Eigen::VectorXd v(static_cast<Eigen::Index>(j.size()));
  for (std::size_t i = 0; i < j.size(); ++i) {
    if (!j[i].is_number()) fail(path + "/" + std::to_string(i), "expected a number");
    v(static_cast<Eigen::Index>(i)) = j[i].get<double>();
  }
  return v;
}

Eigen::MatrixXd matrix(const json& j, const std::string& path, Eigen::Index cols) {
  if (!j.is_array()) fail(path, std::string("expected an array of rows, got ") + j.type_name());
  Eigen::MatrixXd M(static_cast<Eigen::Index>(j.size()), cols);
  for (std::size_t i = 0; i < j.size(); ++i) {
    const std::string row_path = path + "/" + std::to_string(i);
    const Eigen::VectorXd row = vector(j[i], row_path);
    if (row.size() != cols) fail(row_path, "expected " + std::to_string(cols) + " numbers");
    M.row(static_cast<Eigen::Index>(i)) = row.transpose();
  }
  return M;
}

json to_array(const Eigen::VectorXd& v) { return std::vector<double>(v.data(), v.data() + v.size()); }

json options_to_json(const GpOptions& o) {
  json mean = {{"kind", o.mean.kind == MeanOptions::Kind::Constant ? "constant" : "zero"},
               {"value", o.mean.value}, {"learn", o.mean.learn}, {"lower", o.mean.lower}, {"upper", o.mean.upper}};
  if (o.mean.prior_sd) mean["prior_sd"] = *o.mean.prior_sd;
  json noise = {{"variance", o.noise.variance}, {"learn", o.noise.learn}, {"lower", o.noise.lower},
                {"upper", o.noise.upper}};
  if (o.noise.prior) noise["prior"] = o.noise.prior->to_string();
  return {{"mean", mean}, {"noise", noise}, {"scale_inputs", o.scale_inputs},
          {"input_lower", to_array(o.input_lower.transpose())}, {"input_upper", to_array(o.input_upper.transpose())},
          {"standardize_outputs", o.standardize_outputs}};
}

// An object's keys beyond `known` are refused: a misspelled one ("prior_SD") was skipped, and
// the model loaded without what it said.
void refuse_unknown_keys(const json& j, const std::string& path, const std::vector<std::string>& known) {
  if (const auto unknown = unknown_key(j, known)) fail(path + "/" + unknown->first, unknown->second);
}

GpOptions options_from_json(const json& j, const std::string& path) {
  GpOptions o;
  refuse_unknown_keys(j, path, {"mean", "noise", "scale_inputs", "input_lower", "input_upper", "standardize_outputs"});
  const json& mean = field(j, path, "mean");
  const std::string mp = path + "/mean";
  refuse_unknown_keys(mean, mp, {"kind", "value", "learn", "lower", "upper", "prior_sd"});
  const json& kind = field(mean, mp, "kind");
  if (kind == "constant") {
    o.mean.kind = MeanOptions::Kind::Constant;
  } else if (kind == "zero") {
    o.mean.kind = MeanOptions::Kind::Zero;
  } else {
    fail(mp + "/kind", "expected \"constant\" or \"zero\"");
  }
  o.mean.value = number(mean, mp, "value");
  o.mean.learn = boolean(mean, mp, "learn");
  o.mean.lower = number(mean, mp, "lower");
  o.mean.upper = number(mean, mp, "upper");
  if (mean.contains("prior_sd")) o.mean.prior_sd = number(mean, mp, "prior_sd");
  const json& noise = field(j, path, "noise");
  const std::string np = path + "/noise";
  refuse_unknown_keys(noise, np, {"variance", "learn", "lower", "upper", "prior"});
  o.noise.variance = number(noise, np, "variance");
  o.noise.learn = boolean(noise, np, "learn");
  o.noise.lower = number(noise, np, "lower");
  o.noise.upper = number(noise, np, "upper");
  if (noise.contains("prior")) {
    const json& prior = noise["prior"];
    if (!prior.is_string()) fail(np + "/prior", "expected a prior string such as \"gamma(1.1, 0.05)\"");
    try {
      o.noise.prior = parse_prior(prior.get<std::string>());
    } catch (const std::invalid_argument& e) {
      fail(np + "/prior", e.what());
    }
  }
  o.scale_inputs = boolean(j, path, "scale_inputs");
  o.standardize_outputs = boolean(j, path, "standardize_outputs");
  o.input_lower = vector(field(j, path, "input_lower"), path + "/input_lower").transpose();
  o.input_upper = vector(field(j, path, "input_upper"), path + "/input_upper").transpose();
  if (const auto bad = find_gp_options_problem(o)) fail(path + "/" + bad->field, bad->problem);
  return o;
}

// Each free hyperparameter at its element of /params, in its coordinate (set_params would say
// "noise_variance = 50", naming neither the element nor that 50 is a log).
void check_params_within_bounds(const GaussianProcess& gp, const Eigen::VectorXd& params) {
  if (const auto outside = first_outside_bounds(gp.hyperparameters(), params))
    fail("/params/" + std::to_string(outside->first), outside->second);
}

// The kernel section holds every kernel hyperparameter's value (kernel_json.hpp) and /params the
// free ones again, which set_params applies: an edit of the readable kernel section alone was
// silently undone. Where the section gives a value (not a kernel string or a value left out, whose
// defaults /params fills in), the two must agree.
void check_kernel_matches_params(const json& kernel, const GaussianProcess& gp, const Eigen::VectorXd& params) {
  const std::vector<std::string> paths = kernel_value_paths(kernel, gp.kernel(), "/kernel");
  const std::vector<Hyperparameter> hps = gp.kernel().hyperparameters();
  if (paths.size() != hps.size()) return;  // cannot happen for a kernel read from `kernel`
  Eigen::Index k = 0;
  for (std::size_t i = 0; i < hps.size(); ++i) {
    if (hps[i].fixed) continue;  // in the kernel section alone
    const double given = hps[i].log_value, used = params(k);
    if (!paths[i].empty() && std::abs(given - used) > 1e-9 * std::max(1.0, std::abs(used))) {
      const bool log = paths[i].ends_with("/log_value");
      const json& written = kernel.at(json::json_pointer(paths[i].substr(std::string("/kernel").size())));
      fail(paths[i], written.dump() + (log ? "" : " (log " + shortest_text(given) + ")") + " disagrees with its copy in params (element " +
                         std::to_string(k) + ": " + shortest_text(used) + "), the log of the same hyperparameter (kernel." +
                         hps[i].name + "): the file holds each free one in both places; give both the same value");
    }
    ++k;
  }
}

}  // namespace

json gp_to_json(const GaussianProcess& gp) {
  json X = json::array();
  for (Eigen::Index i = 0; i < gp.size(); ++i) X.push_back(to_array(gp.X().row(i).transpose()));
  json out = {{"format", "gpbo.gp"},
          {"version", 1},
          {"input_dim", gp.input_dim()},
          {"kernel", kernel_to_json(gp.kernel())},
          {"options", options_to_json(gp.options())},
          {"params", to_array(gp.params())},
          {"input_map", {{"lower", to_array(gp.input_map().lower.transpose())},
                         {"upper", to_array(gp.input_map().upper.transpose())}}},
          {"output_map", {{"shift", gp.output_map().shift}, {"scale", gp.output_map().scale}}},
          {"X", X},
          {"y", to_array(gp.y())}};
  if (gp.point_noise().size() > 0) out["point_noise"] = to_array(gp.point_noise());
  return out;
}

GaussianProcess gp_from_json(const json& j) {
  if (!is_format(j, "gpbo.gp")) fail("/format", "expected \"gpbo.gp\"");
  refuse_unknown_keys(j, "", {"format", "version", "input_dim", "kernel", "options", "params", "input_map", "output_map", "X",
                             "y", "point_noise"});
  if (number(j, "", "version") != 1) fail("/version", "unsupported version (expected 1)");
  // -1: a model without data or bounds, whose width is not known yet.
  const auto dim_value = json_integer_in(field(j, "", "input_dim"), -1, 1000000);
  if (!dim_value) fail("/input_dim", "expected the number of inputs, an integer (-1 when unknown)");
  const auto dim = static_cast<Eigen::Index>(*dim_value);
  // The data decide the width: an input_dim that disagrees with them is the damaged value.
  if (const json& X = field(j, "", "X"); X.is_array() && !X.empty() && X[0].is_array() &&
                                          static_cast<Eigen::Index>(X[0].size()) != dim)
    fail("/input_dim", "is " + std::to_string(dim) + " but the rows of /X have " + std::to_string(X[0].size()) + " numbers");
  KernelPtr kernel = kernel_from_json(field(j, "", "kernel"), static_cast<int>(std::max<Eigen::Index>(dim, 0)), "/kernel");
  GaussianProcess gp(std::move(kernel), options_from_json(field(j, "", "options"), "/options"));
  const Eigen::VectorXd params = vector(field(j, "", "params"), "/params");
  if (params.size() != gp.params().size()) {
    fail("/params", "expected " + std::to_string(gp.params().size()) + " free hyperparameters (" + join_text(gp.param_names()) +
                        "), got " + std::to_string(params.size()) + " numbers");
  }
  check_params_within_bounds(gp, params);
  check_kernel_matches_params(field(j, "", "kernel"), gp, params);
  gp.set_params(params);
  const json& im = field(j, "", "input_map");
  refuse_unknown_keys(im, "/input_map", {"lower", "upper"});
  InputMap in{vector(field(im, "/input_map", "lower"), "/input_map/lower").transpose(),
              vector(field(im, "/input_map", "upper"), "/input_map/upper").transpose()};
  if (in.lower.size() != in.upper.size()) fail("/input_map/upper", "expected as many numbers as /input_map/lower");
  if (in.lower.size() != 0 && in.lower.size() != std::max<Eigen::Index>(dim, 0))
    fail("/input_map/lower", "expected " + std::to_string(std::max<Eigen::Index>(dim, 0)) + " numbers (one per input) or none");
  for (Eigen::Index c = 0; c < in.lower.size(); ++c)
    if (!(in.upper(c) > in.lower(c) && std::isfinite(in.upper(c) - in.lower(c))))
      fail("/input_map/upper/" + std::to_string(c), "expected a number above /input_map/lower/" + std::to_string(c));
  const json& om = field(j, "", "output_map");
  refuse_unknown_keys(om, "/output_map", {"shift", "scale"});
  const OutputMap out{number(om, "/output_map", "shift"), number(om, "/output_map", "scale")};
  if (!(out.scale >= 1e-154 && out.scale <= 1e154)) fail("/output_map/scale", "expected a number between 1e-154 and 1e154");
  const Eigen::VectorXd y = vector(field(j, "", "y"), "/y");
  const Eigen::MatrixXd X = matrix(field(j, "", "X"), "/X", std::max<Eigen::Index>(dim, 0));
  if (X.rows() != y.size()) fail("/y", "expected as many values as rows of /X");
  Eigen::VectorXd point_noise;
  if (j.contains("point_noise")) {
    point_noise = vector(j["point_noise"], "/point_noise");
    if (point_noise.size() != y.size()) fail("/point_noise", "expected one noise variance per value of /y");
    for (Eigen::Index i = 0; i < point_noise.size(); ++i)
      if (!(point_noise(i) >= 0.0)) fail("/point_noise/" + std::to_string(i), "expected a variance >= 0");
  }
  gp.set_data(X, y, in, out, point_noise);
  return gp;
}

void save_gp(const GaussianProcess& gp, const std::string& path) {
  write_file_atomically(path, gp_to_json(gp).dump(1) + "\n");
}

GaussianProcess load_gp(const std::string& path) {
  const json j = parse_json_text(read_file(path), path);
  // A model file of `gpbo fit` ("gpbo.model") wraps this format under /gp with its column names.
  const bool cli_model = is_format(j, "gpbo.model") && j.contains("gp");
  if (cli_model && j.contains("hyperparameter_draws"))
    throw std::invalid_argument(path + ": holds hyperparameter draws (gpbo fit --hyper mcmc), whose predictions are a "
                                "mixture: load_gp would drop them; load_gp_model_file(path).predictor() predicts with the mixture");
  try {
    return gp_from_json(cli_model ? j["gp"] : j);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(path + ": " + e.what());
  }
}

}  // namespace gpbo
