#include "gpbo/bayesopt/optimizer_state.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <sstream>

#include "gpbo/bayesopt/space_json.hpp"
#include "gpbo/core/did_you_mean.hpp"
#include "gpbo/core/durable_file.hpp"
#include "gpbo/core/json_text.hpp"

namespace gpbo::bo {

using nlohmann::json;

/// Reads and restores the optimizer's private members (friend of Optimizer).
struct OptimizerStateAccess {
  static json save(const Optimizer& o);
  static Optimizer load(const json& j);

 private:
  static void load_trials(Optimizer& o, const json& j);            // /trials, /ok_order
  static void load_design_and_queue(Optimizer& o, const json& j);  // /design, /design_cursor, /queue
  static void load_surrogate(Optimizer& o, const json& j);         // /surrogate, /surrogate_ids
};

namespace {

// Per encoded column, how far encode(decode(u)) may move from u by rounding alone. A real value
// is rounded to a double: a few ulps of its magnitude, which on a range narrow beside its values
// ([2.4e9 - 100, 2.4e9 + 100], [1, 1 + 1e-7]) is far more than 1e-9 in unit-cube units.
Eigen::VectorXd encoding_round_off(const Space& space) {
  constexpr double eps = std::numeric_limits<double>::epsilon();
  Eigen::VectorXd tol = Eigen::VectorXd::Constant(static_cast<Eigen::Index>(space.encoded_dim()), 1e-9);
  for (std::size_t i = 0; i < space.size(); ++i) {
    const Parameter& p = space.parameters()[i];
    if (p.kind != Parameter::Kind::Real && p.kind != Parameter::Kind::Integer) continue;
    const double magnitude = p.scale == Scale::Log ? 1.0 + std::max(std::abs(std::log(p.low)), std::abs(std::log(p.high)))
                                                   : std::max(std::abs(p.low), std::abs(p.high));
    const double range = p.scale == Scale::Log ? std::log(p.high) - std::log(p.low) : p.high - p.low;
    tol(static_cast<Eigen::Index>(space.offset(i))) += 8.0 * eps * magnitude / range;
  }
  return tol;
}

/// Version 2: the surrogate records the noise-free model of noise "auto".
constexpr int kStateVersion = 2;

[[noreturn]] void fail(const std::string& path, const std::string& what) { throw StateError((path.empty() ? "/" : path) + ": " + what); }

const json& at(const json& j, const std::string& key, const std::string& path) {
  if (!j.is_object()) fail(path, "expected an object");
  const auto it = j.find(key);
  if (it == j.end()) fail(path, "missing key \"" + key + "\"");
  return *it;
}

double number(const json& j, const std::string& path) {
  if (!j.is_number()) fail(path, "expected a number");
  return j.get<double>();
}

// A number > 0 (>= 0 when `zero_allowed`); the message names the value given.
double positive_number(const json& j, const std::string& path, bool zero_allowed) {
  const double v = number(j, path);
  if (zero_allowed ? v >= 0.0 : v > 0.0) return v;
  fail(path, std::string("expected a number ") + (zero_allowed ? ">= 0" : "> 0") + ", got " + j.dump());
}

std::uint64_t count(const json& j, const std::string& path) {
  if (!j.is_number_unsigned() && !(j.is_number_integer() && j.get<std::int64_t>() >= 0))
    fail(path, "expected a non-negative integer");
  return j.get<std::uint64_t>();
}

// A count that fits the option's type: 2^32 for an int used to become 0 silently.
template <class T>
T count_as(const json& j, const std::string& path) {
  const std::uint64_t n = count(j, path);
  if (n > static_cast<std::uint64_t>(std::numeric_limits<T>::max()))
    fail(path, "expected a non-negative integer at most " + std::to_string(std::numeric_limits<T>::max()) + ", got " + j.dump());
  return static_cast<T>(n);
}

// A count >= 1 (sizes and periods, where 0 means nothing sensible); the message names the value.
std::uint64_t positive_count(const json& j, const std::string& path) {
  const std::uint64_t n = count(j, path);
  if (n == 0) fail(path, "expected an integer >= 1, got 0");
  return n;
}

std::string text(const json& j, const std::string& path) {
  if (!j.is_string()) fail(path, "expected a string");
  return j.get<std::string>();
}

template <class F>
auto parsed(const std::string& path, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const StateError&) {
    throw;
  } catch (const std::exception& e) {
    fail(path, e.what());
  }
}

json vector_json(const Eigen::VectorXd& v) { return std::vector<double>(v.data(), v.data() + v.size()); }

json transform_json(const OutputTransform& t) {
  json j = {{"shift", t.shift}, {"scale", t.scale}, {"lambda", t.lambda}, {"post_shift", t.post_shift}, {"post_scale", t.post_scale}};
  if (std::isfinite(t.penalty_from)) {  // JSON has no infinity: absent means no penalties
    j["penalty_from"] = t.penalty_from;
    j["penalty_value"] = t.penalty_value;
  }
  return j;
}

Eigen::VectorXd vector_from(const json& j, const std::string& path) {
  if (!j.is_array()) fail(path, "expected an array of numbers");
  Eigen::VectorXd v(static_cast<Eigen::Index>(j.size()));
  for (std::size_t i = 0; i < j.size(); ++i) v[static_cast<Eigen::Index>(i)] = number(j[i], path + "/" + std::to_string(i));
  return v;
}

void check_keys(const json& j, const std::vector<std::string>& allowed, const std::string& path) {
  if (!j.is_object()) fail(path, "expected an object");
  if (const auto unknown = unknown_key(j, allowed)) fail(path + "/" + unknown->first, unknown->second);
}

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
  json j = {{"max_evaluations", s.max_evaluations}, {"patience", s.patience}, {"max_seconds", s.max_seconds}};
  j["target"] = s.target ? json(*s.target) : json(nullptr);
  return j;
}

void stop_from_json(const json& j, const std::string& p, StoppingRules& s) {
  check_keys(j, {"max_evaluations", "target", "patience", "max_seconds"}, p);
  if (j.contains("max_evaluations")) s.max_evaluations = count(j["max_evaluations"], p + "/max_evaluations");
  if (j.contains("target"))
    s.target = j["target"].is_null() ? std::nullopt : std::optional<double>(number(j["target"], p + "/target"));
  if (j.contains("patience")) s.patience = count(j["patience"], p + "/patience");
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
  if (j.contains("mcmc_samples")) s.mcmc_samples = positive_count(j["mcmc_samples"], p + "/mcmc_samples");
  if (j.contains("mcmc_thin")) s.mcmc_thin = positive_count(j["mcmc_thin"], p + "/mcmc_thin");
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
            {"search", search_to_json(o.search)}, {"escape", escape_to_json(o.escape)}, {"stop", stop_to_json(o.stop)}};
  j["noise"] = s.noise == NoiseMode::Fixed ? json(s.noise_sd) : json(to_string(s.noise));
  j["xi"] = o.xi ? json(*o.xi) : json(nullptr);  // null: the acquisition's default margin
  j["categorical_kernel"] = s.categorical_kernel == CategoricalKernel::Overlap ? "overlap" : "one_hot";
  j["short_range"] = s.short_range == ShortRange::Auto ? json("auto") : json(s.short_range == ShortRange::On);
  return j;
}

OptimizerOptions options_from_json(const json& j, const std::string& p, const OptimizerOptions& base) {
  check_keys(j, {"goal", "seed", "initial_points", "initial_design", "acquisition", "ucb_delta", "ucb_scale", "xi", "noise",
                 "hyperparameters", "refit_every", "fit_restarts", "first_fit_restarts", "fit_max_evaluations", "fit_restart_subset", "fit_threads", "warp_outputs", "short_range", "lengthscale_prior",
                 "categorical_kernel", "mcmc_samples", "mcmc_thin", "search", "escape", "stop"}, p);
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
  return o;
}

json OptimizerStateAccess::save(const Optimizer& o) {
  json trials = json::array();
  for (const Trial& t : o.trials_) {
    json jt = {{"id", t.id}, {"point", point_to_json(t.point)}, {"u", vector_json(t.u)}, {"status", to_string(t.status)},
               {"asked", t.asked}};
    if (t.status == TrialStatus::Ok) jt["value"] = t.value;
    if (t.status == TrialStatus::Failed) jt["reason"] = t.reason;
    trials.push_back(jt);
  }
  json design = json::array();
  for (Eigen::Index i = 0; i < o.design_.rows(); ++i) design.push_back(vector_json(o.design_.row(i).transpose()));
  json queue = json::array(), queue_points = json::array();
  for (const auto& q : o.queue_) {
    queue.push_back(vector_json(q.u));
    queue_points.push_back(point_to_json(q.point));
  }
  const SurrogateState& s = o.surrogate_.state();
  json samples = json::array();
  for (const auto& v : s.samples) samples.push_back(vector_json(v));
  std::ostringstream rng;
  rng << o.rng_;
  json names = json::array();
  for (const auto& p : o.space_.parameters()) names.push_back(p.name);
  json out = {{"format", "gpbo.bo_state"}, {"version", kStateVersion}, {"space", space_to_json(o.space_)},
          {"parameter_order", names},
          {"options", options_to_json(o.options_)}, {"trials", trials}, {"ok_order", o.ok_order_},
          {"design", design}, {"design_cursor", o.design_cursor_}, {"queue", queue}, {"queue_points", queue_points},
          {"surrogate", {{"fitted", s.fitted}, {"params", vector_json(s.params)}, {"samples", samples},
                         {"transform", transform_json(s.transform)},
                         {"size", s.size}, {"size_at_fit", s.size_at_fit},
                         {"noiseless", s.noiseless}, {"noiseless_params", vector_json(s.noiseless_params)}}},
          {"surrogate_ids", o.surrogate_ids_}, {"rng", rng.str()}, {"elapsed_s", o.elapsed_seconds()}};
  if (s.mcmc_stepsize > 0.0) {
    out["surrogate"]["mcmc_adaptation"] = {{"stepsize", s.mcmc_stepsize},
                                           {"inverse_metric", vector_json(s.mcmc_inverse_metric)},
                                           {"metric_size", s.mcmc_metric_size}};
  }
  return out;
}

namespace {

bool in_unit_cube(const Eigen::VectorXd& u) { return (u.array() >= 0.0).all() && (u.array() <= 1.0).all(); }

Trial trial_from_json(const json& j, const Space& space, std::size_t index, const std::string& p) {
  Trial t;
  t.id = count(at(j, "id", p), p + "/id");
  if (t.id != index) fail(p + "/id", "expected id " + std::to_string(index) + " (trials are stored in id order)");
  try {  // point_from_json's messages name the path already
    t.point = point_from_json(at(j, "point", p), space, p + "/point");
  } catch (const StateError&) {
    throw;
  } catch (const std::exception& e) {
    throw StateError(e.what());
  }
  t.u = vector_from(at(j, "u", p), p + "/u");
  if (static_cast<std::size_t>(t.u.size()) != space.encoded_dim())
    fail(p + "/u", "expected " + std::to_string(space.encoded_dim()) + " numbers");
  // u is what the GP sees: it must be the encoding of the point (up to round-off).
  if (((space.encode(t.point) - t.u).cwiseAbs().array() > encoding_round_off(space).array()).any())
    fail(p + "/u", "is not the encoding of \"point\" (the state was edited or damaged)");
  const std::string status = text(at(j, "status", p), p + "/status");
  if (status == "ok") {
    t.status = TrialStatus::Ok;
    t.value = number(at(j, "value", p), p + "/value");
  } else if (status == "failed") {
    t.status = TrialStatus::Failed;
    t.reason = text(at(j, "reason", p), p + "/reason");
  } else if (status == "pending") {
    t.status = TrialStatus::Pending;
  } else if (status == "abandoned") {
    t.status = TrialStatus::Abandoned;
  } else {
    fail(p + "/status", "expected \"ok\", \"failed\", \"pending\" or \"abandoned\", got \"" + status + "\"");
  }
  const json& asked = at(j, "asked", p);
  if (!asked.is_boolean()) fail(p + "/asked", "expected true or false");
  t.asked = asked.get<bool>();
  return t;
}

// Free GP hyperparameters (logs of scales, a mean in standardized units): a fitted model's are
// far inside +-1000, beyond which exp() overflows and the model would be silently useless.
Eigen::VectorXd free_params(const json& j, const std::string& path) {
  Eigen::VectorXd v = vector_from(j, path);
  if (!(v.array().abs() <= 1000.0).all()) fail(path, "expected the free hyperparameters of a fitted model (|value| <= 1000)");
  return v;
}

SurrogateState surrogate_state_from_json(const json& j, const std::string& p) {
  SurrogateState s;
  const json& fitted = at(j, "fitted", p);
  if (!fitted.is_boolean()) fail(p + "/fitted", "expected true or false");
  s.fitted = fitted.get<bool>();
  s.params = free_params(at(j, "params", p), p + "/params");
  const json& samples = at(j, "samples", p);
  if (!samples.is_array()) fail(p + "/samples", "expected an array");
  for (std::size_t i = 0; i < samples.size(); ++i) s.samples.push_back(free_params(samples[i], p + "/samples/" + std::to_string(i)));
  const std::string tp = p + "/transform";
  const json& t = at(j, "transform", p);
  s.transform.shift = number(at(t, "shift", tp), tp + "/shift");
  s.transform.scale = number(at(t, "scale", tp), tp + "/scale");
  s.transform.lambda = number(at(t, "lambda", tp), tp + "/lambda");
  s.transform.post_shift = number(at(t, "post_shift", tp), tp + "/post_shift");
  s.transform.post_scale = number(at(t, "post_scale", tp), tp + "/post_scale");
  if (!(s.transform.scale > 0.0)) fail(tp + "/scale", "expected a positive number");
  if (!(s.transform.post_scale > 0.0)) fail(tp + "/post_scale", "expected a positive number");
  if (t.contains("penalty_from")) {  // only written when penalties were capped
    s.transform.penalty_from = number(at(t, "penalty_from", tp), tp + "/penalty_from");
    s.transform.penalty_value = number(at(t, "penalty_value", tp), tp + "/penalty_value");
  }
  s.size = count(at(j, "size", p), p + "/size");
  s.size_at_fit = count(at(j, "size_at_fit", p), p + "/size_at_fit");
  if (s.size_at_fit > s.size)
    fail(p + "/size_at_fit", "expected a count of at most " + p + "/size (" + std::to_string(s.size) + ")");
  const json& noiseless = at(j, "noiseless", p);
  if (!noiseless.is_boolean()) fail(p + "/noiseless", "expected true or false");
  s.noiseless = noiseless.get<bool>();
  s.noiseless_params = free_params(at(j, "noiseless_params", p), p + "/noiseless_params");
  if (s.noiseless && s.noiseless_params.size() == 0) fail(p + "/noiseless_params", "expected the noise-free model's hyperparameters");
  if (j.contains("mcmc_adaptation")) {  // absent before any mcmc-mode sampling (and in older states)
    const std::string ap = p + "/mcmc_adaptation";
    const json& a = j["mcmc_adaptation"];
    s.mcmc_stepsize = positive_number(at(a, "stepsize", ap), ap + "/stepsize", false);
    s.mcmc_inverse_metric = vector_from(at(a, "inverse_metric", ap), ap + "/inverse_metric");
    if (s.mcmc_inverse_metric.size() == 0 || !s.mcmc_inverse_metric.allFinite() || !(s.mcmc_inverse_metric.array() > 0.0).all())
      fail(ap + "/inverse_metric", "expected a non-empty array of positive finite numbers");
    s.mcmc_metric_size = count(at(a, "metric_size", ap), ap + "/metric_size");
  }
  return s;
}

// The space with its parameters in the saved order. The encoded vectors (trials, design, queue)
// follow that order, while the "space" object's keys come back sorted by name.
Space in_saved_order(const Space& space, const json& names) {
  if (!names.is_array() || names.size() != space.size())
    fail("/parameter_order", "expected the " + std::to_string(space.size()) + " parameter names of /space");
  Space ordered;
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::string where = "/parameter_order/" + std::to_string(i);
    if (!names[i].is_string()) fail(where, "expected a parameter name");
    try {
      ordered.add(space.parameter(names[i].get<std::string>()));
    } catch (const SpaceError& e) {
      fail(where, e.what());
    }
  }
  return ordered;
}

// The saved options, with the behaviour of the version that wrote them where a key is absent.
OptimizerOptions saved_options(const json& j) {
  const json& saved = at(j, "options", "");
  OptimizerOptions options = options_from_json(saved, "/options");
  // States saved before the margin existed ran with none: they continue exactly without one.
  if (!saved.contains("xi")) options.xi = 0.0;
  // States saved before the overlap kernel existed modelled categories one-hot: their saved
  // hyperparameters belong to that kernel.
  if (!saved.contains("categorical_kernel")) options.surrogate.categorical_kernel = CategoricalKernel::OneHot;
  // States saved before the short-range term existed: their hyperparameters have no place for it.
  if (!saved.contains("short_range")) options.surrogate.short_range = ShortRange::Off;
  // States saved before the escape escalated kept escaping every other suggestion.
  if (const json& e = saved.value("escape", json()); e.is_object() && !e.contains("escalate_after"))
    options.escape.escalate_after = 0.0;
  return options;
}

}  // namespace

void OptimizerStateAccess::load_trials(Optimizer& o, const json& j) {
  const json& trials = at(j, "trials", "");
  if (!trials.is_array()) fail("/trials", "expected an array");
  for (std::size_t i = 0; i < trials.size(); ++i)
    o.trials_.push_back(trial_from_json(trials[i], o.space_, i, "/trials/" + std::to_string(i)));
  const json& order = at(j, "ok_order", "");
  if (!order.is_array()) fail("/ok_order", "expected an array");
  std::vector<bool> listed(o.trials_.size(), false);
  for (std::size_t i = 0; i < order.size(); ++i) {
    const auto id = count(order[i], "/ok_order/" + std::to_string(i));
    if (id >= o.trials_.size() || o.trials_[id].status != TrialStatus::Ok)
      fail("/ok_order/" + std::to_string(i), "id " + std::to_string(id) + " is not a successful trial");
    if (listed[id]) fail("/ok_order/" + std::to_string(i), "id " + std::to_string(id) + " is listed twice");
    listed[id] = true;
    o.ok_order_.push_back(id);
  }
  std::sort(o.ok_order_.begin(), o.ok_order_.end());  // states written before 2026-12-04 kept the told order
  const auto n_ok = std::count_if(o.trials_.begin(), o.trials_.end(), [](const Trial& t) { return t.status == TrialStatus::Ok; });
  if (static_cast<std::size_t>(n_ok) != o.ok_order_.size())
    fail("/ok_order", "expected every successful trial's id once (" + std::to_string(n_ok) + " trials have status \"ok\")");
}

void OptimizerStateAccess::load_design_and_queue(Optimizer& o, const json& j) {
  const json& design = at(j, "design", "");
  if (!design.is_array()) fail("/design", "expected an array");
  o.design_.resize(static_cast<Eigen::Index>(design.size()), static_cast<Eigen::Index>(o.space_.encoded_dim()));
  for (std::size_t i = 0; i < design.size(); ++i) {
    const Eigen::VectorXd row = vector_from(design[i], "/design/" + std::to_string(i));
    if (row.size() != o.design_.cols() || !in_unit_cube(row))
      fail("/design/" + std::to_string(i), "expected " + std::to_string(o.design_.cols()) + " numbers in [0, 1]");
    o.design_.row(static_cast<Eigen::Index>(i)) = row.transpose();
  }
  o.design_cursor_ = count(at(j, "design_cursor", ""), "/design_cursor");
  if (o.design_cursor_ > design.size())
    fail("/design_cursor", "expected a count of at most the " + std::to_string(design.size()) + " rows of /design");
  const json& queue = at(j, "queue", "");
  if (!queue.is_array()) fail("/queue", "expected an array");
  // The user's values of the queued points; states saved before they were kept decode u.
  const json* points = j.contains("queue_points") ? &j["queue_points"] : nullptr;
  if (points && (!points->is_array() || points->size() != queue.size()))
    fail("/queue_points", "expected an array of " + std::to_string(queue.size()) + " points, one per /queue entry");
  for (std::size_t i = 0; i < queue.size(); ++i) {
    const std::string where = "/queue/" + std::to_string(i);
    Eigen::VectorXd u = vector_from(queue[i], where);
    if (u.size() != o.design_.cols() || !in_unit_cube(u))
      fail(where, "expected " + std::to_string(o.design_.cols()) + " numbers in [0, 1]");
    Point point = points ? point_from_json((*points)[i], o.space_, "/queue_points/" + std::to_string(i)) : o.space_.decode(u);
    o.queue_.push_back({std::move(u), std::move(point)});
  }
}

void OptimizerStateAccess::load_surrogate(Optimizer& o, const json& j) {
  const SurrogateState s = surrogate_state_from_json(at(j, "surrogate", ""), "/surrogate");
  // The trials in the saved model (older states: the first ones told, penalties being new).
  if (j.contains("surrogate_ids")) {
    const json& ids = j["surrogate_ids"];
    if (!ids.is_array()) fail("/surrogate_ids", "expected an array of trial ids");
    for (std::size_t i = 0; i < ids.size(); ++i) {
      const std::string pi = "/surrogate_ids/" + std::to_string(i);
      const std::uint64_t id = count(ids[i], pi);
      if (id >= o.trials_.size() || o.trials_[id].status != TrialStatus::Ok) fail(pi, "expected the id of a trial with status \"ok\"");
      o.surrogate_ids_.push_back(id);
    }
  } else {
    o.surrogate_ids_.assign(o.ok_order_.begin(), o.ok_order_.begin() + static_cast<std::ptrdiff_t>(std::min(s.size, o.ok_order_.size())));
  }
  Eigen::MatrixXd X;
  Eigen::VectorXd y;
  o.observations(o.surrogate_ids_, X, y);
  parsed("/surrogate", [&] {
    o.surrogate_.restore(s, X, y);
    return 0;
  });
}

Optimizer OptimizerStateAccess::load(const json& j) {
  if (!is_format(j, "gpbo.bo_state"))
    fail("/format", "expected \"gpbo.bo_state\" (not a gpbo optimizer state)");
  check_keys(j, {"format", "version", "space", "parameter_order", "options", "trials", "ok_order", "design", "design_cursor",
                 "queue", "queue_points", "surrogate", "surrogate_ids", "rng", "elapsed_s"}, "");
  if (at(j, "version", "") != kStateVersion)
    fail("/version", "unsupported version (expected " + std::to_string(kStateVersion) +
                         "; states of other gpbo versions cannot be continued exactly)");
  Space space = parsed("/space", [&] { return space_from_json(at(j, "space", ""), "/space"); });
  if (j.contains("parameter_order")) space = in_saved_order(space, j["parameter_order"]);
  Optimizer o(space, saved_options(j));
  load_trials(o, j);
  load_design_and_queue(o, j);
  std::istringstream rng(text(at(j, "rng", ""), "/rng"));
  rng >> o.rng_;
  if (!rng) fail("/rng", "not a saved random generator state");
  o.elapsed_before_ = number(at(j, "elapsed_s", ""), "/elapsed_s");
  if (!(o.elapsed_before_ >= 0.0)) fail("/elapsed_s", "expected seconds >= 0");
  load_surrogate(o, j);
  return o;
}

json optimizer_to_json(const Optimizer& optimizer) { return OptimizerStateAccess::save(optimizer); }

Optimizer optimizer_from_json(const json& j) { return OptimizerStateAccess::load(j); }

void save_optimizer(const Optimizer& optimizer, const std::string& path) {
  write_file_atomically(path, optimizer_to_json(optimizer).dump(1));
}

Optimizer load_optimizer(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw StateError(path + ": cannot open");
  json j;
  try {
    j = parse_json_text(std::string(std::istreambuf_iterator<char>(in), {}), path);
  } catch (const JsonTextError& e) {
    throw StateError(e.what());
  }
  try {
    return optimizer_from_json(j);
  } catch (const StateError& e) {
    throw StateError(path + ": " + std::string(e.what()));  // "file: /trials/3/u: ..."
  }
}

}  // namespace gpbo::bo
