#include <cmath>
#include <optional>
#include <string>

#include "gpbo/bayesopt/optimizer_state.hpp"
#include "gpbo/bayesopt/detail/state_json_reading.hpp"

// The JSON form of OptimizerOptions (declared in optimizer_state.hpp): configs and saved states.
namespace gpbo::bo {

using nlohmann::json;
using namespace state_json;

namespace {
json search_to_json(const SearchOptions& s) {
  return {{"candidates", s.candidates}, {"incumbent_candidates", s.incumbent_candidates},
          {"incumbent_sd", s.incumbent_sd}, {"refine_starts", s.refine_starts},
          {"incumbent_starts", s.incumbent_starts}, {"max_evaluations", s.max_evaluations},
          {"neighbourhood_rounds", s.neighbourhood_rounds}, {"duplicate_tolerance", s.duplicate_tolerance},
          {"thompson_candidates", s.thompson_candidates}, {"nei_samples", s.nei_samples}};
}

void search_from_json(const json& j, const std::string& p, SearchOptions& s) {
  check_keys(j, {"candidates", "incumbent_candidates", "incumbent_sd", "refine_starts", "incumbent_starts",
                 "max_evaluations", "neighbourhood_rounds", "duplicate_tolerance", "thompson_candidates", "nei_samples"}, p);
  if (j.contains("candidates")) s.candidates = positive_count(j["candidates"], p + "/candidates");
  if (j.contains("incumbent_candidates")) s.incumbent_candidates = count(j["incumbent_candidates"], p + "/incumbent_candidates");
  if (j.contains("incumbent_sd")) s.incumbent_sd = number(j["incumbent_sd"], p + "/incumbent_sd");
  if (j.contains("refine_starts")) s.refine_starts = count(j["refine_starts"], p + "/refine_starts");
  if (j.contains("incumbent_starts")) s.incumbent_starts = count(j["incumbent_starts"], p + "/incumbent_starts");
  if (j.contains("max_evaluations")) s.max_evaluations = count_as<int>(j["max_evaluations"], p + "/max_evaluations");
  if (j.contains("neighbourhood_rounds"))
    s.neighbourhood_rounds = count_as<int>(j["neighbourhood_rounds"], p + "/neighbourhood_rounds");
  if (j.contains("duplicate_tolerance")) s.duplicate_tolerance = number(j["duplicate_tolerance"], p + "/duplicate_tolerance");
  if (j.contains("thompson_candidates")) s.thompson_candidates = count(j["thompson_candidates"], p + "/thompson_candidates");
  if (j.contains("nei_samples")) s.nei_samples = count(j["nei_samples"], p + "/nei_samples");
}

json escape_to_json(const EscapeOptions& e) {
  return {{"enabled", e.enabled}, {"patience", e.patience}, {"min_improvement", e.min_improvement},
          {"separation", e.separation}, {"box_halfwidth", e.box_halfwidth}, {"every", e.every},
          {"escalate_after", e.escalate_after}};
}

// true / false, or an object with any of the EscapeOptions fields.
void escape_from_json(const json& j, const std::string& p, EscapeOptions& e) {
  if (j.is_boolean()) {
    e.enabled = j.get<bool>();
    return;
  }
  if (!j.is_object()) fail(p, "expected true, false or an object");
  check_keys(j, {"enabled", "patience", "min_improvement", "separation", "box_halfwidth", "every", "escalate_after"}, p);
  if (j.contains("enabled")) {
    if (!j["enabled"].is_boolean()) fail(p + "/enabled", "expected true or false");
    e.enabled = j["enabled"].get<bool>();
  }
  if (j.contains("patience")) e.patience = count(j["patience"], p + "/patience");
  const auto read = [&](const char* key, double& field, bool zero_allowed) {
    if (j.contains(key)) field = positive_number(j[key], p + "/" + key, zero_allowed);
  };
  read("min_improvement", e.min_improvement, true);
  read("separation", e.separation, false);
  read("box_halfwidth", e.box_halfwidth, false);
  read("escalate_after", e.escalate_after, true);
  if (j.contains("every")) e.every = positive_count(j["every"], p + "/every");
}

json stop_to_json(const StoppingRules& s) {
  json j = {{"max_evaluations", s.max_evaluations}, {"patience", s.patience}, {"min_improvement", s.min_improvement},
            {"max_seconds", s.max_seconds}};
  j["target"] = s.target ? json(*s.target) : json(nullptr);
  return j;
}

void stop_from_json(const json& j, const std::string& p, StoppingRules& s) {
  check_keys(j, {"max_evaluations", "target", "patience", "min_improvement", "max_seconds"}, p);
  if (j.contains("max_evaluations")) s.max_evaluations = count(j["max_evaluations"], p + "/max_evaluations");
  if (j.contains("target"))
    s.target = j["target"].is_null() ? std::nullopt : std::optional<double>(number(j["target"], p + "/target"));
  if (j.contains("patience")) s.patience = count(j["patience"], p + "/patience");
  if (j.contains("min_improvement")) s.min_improvement = number(j["min_improvement"], p + "/min_improvement");
  if (j.contains("max_seconds")) s.max_seconds = number(j["max_seconds"], p + "/max_seconds");
}

void surrogate_from_json(const json& j, const std::string& p, SurrogateOptions& s) {
  if (j.contains("noise")) {
    const json& n = j["noise"];
    if (n.is_number()) {
      s.noise = NoiseMode::Fixed;
      s.noise_sd = n.get<double>();
      if (!(s.noise_sd > 0) || !std::isfinite(s.noise_sd)) fail(p + "/noise", "a noise standard deviation must be > 0");
    } else if (n.is_string() && (n == "auto" || n == "none")) {
      s.noise = parse_noise_mode(n.get<std::string>());
    } else {
      fail(p + "/noise", "expected \"auto\", \"none\" or a noise standard deviation (number > 0)");
    }
  }
  if (j.contains("hyperparameters"))
    s.mode = parsed(p + "/hyperparameters", [&] { return parse_hyper_mode(text(j["hyperparameters"], p + "/hyperparameters")); });
  if (j.contains("refit_every")) s.refit_every = positive_count(j["refit_every"], p + "/refit_every");
  if (j.contains("fit_restarts")) s.restarts = count_as<int>(j["fit_restarts"], p + "/fit_restarts");
  if (j.contains("first_fit_restarts"))
    s.first_fit_restarts = count_as<int>(j["first_fit_restarts"], p + "/first_fit_restarts");
  if (j.contains("fit_max_evaluations"))
    s.max_evaluations = count_as<int>(j["fit_max_evaluations"], p + "/fit_max_evaluations");
  if (j.contains("fit_restart_subset")) s.restart_subset = count(j["fit_restart_subset"], p + "/fit_restart_subset");
  if (j.contains("fit_threads")) s.threads = count_as<unsigned>(j["fit_threads"], p + "/fit_threads");
  if (j.contains("lengthscale_prior")) {
    const json& l = j["lengthscale_prior"];
    if (l == "short") s.lengthscale_prior = LengthscalePrior::Short;
    else if (l == "dimension_scaled") s.lengthscale_prior = LengthscalePrior::DimensionScaled;
    else fail(p + "/lengthscale_prior", "expected \"short\" or \"dimension_scaled\"");
  }
  if (j.contains("categorical_kernel")) {
    const json& k = j["categorical_kernel"];
    if (k == "overlap") s.categorical_kernel = CategoricalKernel::Overlap;
    else if (k == "one_hot") s.categorical_kernel = CategoricalKernel::OneHot;
    else fail(p + "/categorical_kernel", "expected \"overlap\" or \"one_hot\"");
  }
  if (j.contains("warp_outputs")) {
    if (!j["warp_outputs"].is_boolean()) fail(p + "/warp_outputs", "expected true or false");
    s.warp_outputs = j["warp_outputs"].get<bool>();
  }
  if (j.contains("short_range")) {
    const auto r = short_range_from_json(j["short_range"]);
    if (!r) fail(p + "/short_range", "expected \"auto\", true or false");
    s.short_range = *r;
  }
  if (j.contains("outliers")) {
    const json& k = j["outliers"];
    if (k == "off") s.outliers = OutlierMode::Off;
    else if (k == "detect") s.outliers = OutlierMode::Detect;
    else fail(p + "/outliers", "expected \"off\" or \"detect\"");
  }
  if (j.contains("mcmc_samples")) s.mcmc_samples = positive_count(j["mcmc_samples"], p + "/mcmc_samples");
  if (j.contains("mcmc_thin")) s.mcmc_thin = positive_count(j["mcmc_thin"], p + "/mcmc_thin");
}

json constraints_to_json(const std::vector<OutcomeConstraint>& constraints) {
  json out = json::array();
  for (const OutcomeConstraint& c : constraints) {
    json jc = {{"name", c.name}};
    if (c.lower) jc["min"] = *c.lower;
    if (c.upper) jc["max"] = *c.upper;
    out.push_back(jc);
  }
  return out;
}

// [{"name": "memory_mb", "max": 512}, {"name": "accuracy", "min": 0.9}, ...]
std::vector<OutcomeConstraint> constraints_from_json(const json& j, const std::string& p) {
  if (!j.is_array()) fail(p, "expected an array of {\"name\": ..., \"min\": ..., \"max\": ...} objects");
  std::vector<OutcomeConstraint> out;
  for (std::size_t k = 0; k < j.size(); ++k) {
    const std::string pk = p + "/" + std::to_string(k);
    check_keys(j[k], {"name", "min", "max"}, pk);
    OutcomeConstraint c;
    c.name = text(at(j[k], "name", pk), pk + "/name");
    if (j[k].contains("min")) c.lower = number(j[k]["min"], pk + "/min");
    if (j[k].contains("max")) c.upper = number(j[k]["max"], pk + "/max");
    if (!c.lower && !c.upper) fail(pk, "expected \"min\", \"max\" or both");
    out.push_back(std::move(c));
  }
  if (const std::optional<ConstraintIssue> issue = find_constraint_issue(out))
    fail(p + "/" + std::to_string(issue->index) + (issue->field.empty() ? "" : "/" + issue->field), issue->message);
  return out;
}

}  // namespace

std::optional<ShortRange> short_range_from_json(const json& j) {
  if (j == "auto") return ShortRange::Auto;
  if (j.is_boolean()) return j.get<bool>() ? ShortRange::On : ShortRange::Off;
  return std::nullopt;
}

json options_to_json(const OptimizerOptions& o) {
  const SurrogateOptions& s = o.surrogate;
  json j = {{"goal", to_string(o.goal)}, {"seed", o.seed}, {"initial_points", o.initial_points},
            {"initial_design", to_string(o.initial_design)}, {"acquisition", to_string(o.acquisition)},
            {"ucb_delta", o.ucb_delta}, {"ucb_scale", o.ucb_scale}, {"hyperparameters", to_string(s.mode)},
            {"refit_every", s.refit_every}, {"fit_restarts", s.restarts}, {"first_fit_restarts", s.first_fit_restarts},
            {"fit_max_evaluations", s.max_evaluations}, {"fit_restart_subset", s.restart_subset},
            {"fit_threads", s.threads}, {"warp_outputs", s.warp_outputs},
            {"lengthscale_prior", s.lengthscale_prior == LengthscalePrior::Short ? "short" : "dimension_scaled"}, {"mcmc_samples", s.mcmc_samples}, {"mcmc_thin", s.mcmc_thin},
            {"search", search_to_json(o.search)}, {"escape", escape_to_json(o.escape)}, {"stop", stop_to_json(o.stop)},
            {"constraints", constraints_to_json(o.constraints)}};
  j["noise"] = s.noise == NoiseMode::Fixed ? json(s.noise_sd) : json(to_string(s.noise));
  j["xi"] = o.xi ? json(*o.xi) : json(nullptr);  // null: the acquisition's default margin
  j["categorical_kernel"] = s.categorical_kernel == CategoricalKernel::Overlap ? "overlap" : "one_hot";
  j["short_range"] = s.short_range == ShortRange::Auto ? json("auto") : json(s.short_range == ShortRange::On);
  j["outliers"] = s.outliers == OutlierMode::Detect ? "detect" : "off";
  return j;
}

OptimizerOptions options_from_json(const json& j, const std::string& p, const OptimizerOptions& base) {
  check_keys(j, {"goal", "seed", "initial_points", "initial_design", "acquisition", "ucb_delta", "ucb_scale", "xi", "noise",
                 "hyperparameters", "refit_every", "fit_restarts", "first_fit_restarts", "fit_max_evaluations", "fit_restart_subset", "fit_threads", "warp_outputs", "short_range", "outliers", "lengthscale_prior",
                 "categorical_kernel", "mcmc_samples", "mcmc_thin", "search", "escape", "stop", "constraints"}, p);
  OptimizerOptions o = base;
  if (j.contains("goal")) o.goal = parsed(p + "/goal", [&] { return parse_goal(text(j["goal"], p + "/goal")); });
  if (j.contains("seed")) o.seed = count(j["seed"], p + "/seed");
  if (j.contains("initial_points")) o.initial_points = count(j["initial_points"], p + "/initial_points");
  if (j.contains("initial_design"))
    o.initial_design = parsed(p + "/initial_design", [&] { return parse_design_kind(text(j["initial_design"], p + "/initial_design")); });
  if (j.contains("acquisition"))
    o.acquisition = parsed(p + "/acquisition", [&] { return parse_acquisition_kind(text(j["acquisition"], p + "/acquisition")); });
  if (j.contains("ucb_delta")) o.ucb_delta = number(j["ucb_delta"], p + "/ucb_delta");
  if (j.contains("ucb_scale")) o.ucb_scale = number(j["ucb_scale"], p + "/ucb_scale");
  if (j.contains("xi")) {
    if (j["xi"].is_null()) o.xi.reset();
    else if (const double xi = number(j["xi"], p + "/xi"); xi >= 0.0) o.xi = xi;
    else fail(p + "/xi", "expected a margin >= 0 (standardized units) or null");
  }
  surrogate_from_json(j, p, o.surrogate);
  if (j.contains("search")) search_from_json(j["search"], p + "/search", o.search);
  if (j.contains("escape")) escape_from_json(j["escape"], p + "/escape", o.escape);
  if (j.contains("stop")) stop_from_json(j["stop"], p + "/stop", o.stop);
  if (j.contains("constraints")) o.constraints = constraints_from_json(j["constraints"], p + "/constraints");
  return o;
}

}  // namespace gpbo::bo
