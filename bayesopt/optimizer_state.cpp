#include "gpbo/bayesopt/optimizer_state.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <sstream>

#include "gpbo/bayesopt/space_json.hpp"
#include "gpbo/bayesopt/detail/state_json_reading.hpp"
#include "gpbo/core/did_you_mean.hpp"
#include "gpbo/core/durable_file.hpp"
#include "gpbo/core/json_text.hpp"

namespace gpbo::bo {

using nlohmann::json;
using namespace state_json;

/// Reads and restores the optimizer's private members (friend of Optimizer).
struct OptimizerStateAccess {
  static json save(const Optimizer& o);
  static Optimizer load(const json& j);

 private:
  static void load_trials(Optimizer& o, const json& j);            // /trials, /ok_order
  static void load_design_and_queue(Optimizer& o, const json& j);  // /design, /design_cursor, /queue
  static void load_surrogate(Optimizer& o, const json& j);         // /surrogate, /surrogate_ids
  static void check_model_shape(const Optimizer& o, const SurrogateState& s, bool ids_listed);
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

// u is what the GP sees: it must be the encoding of the point (up to round-off).
void check_encoding(const Space& space, const Point& point, const Eigen::VectorXd& u, const std::string& where,
                    const std::string& point_name) {
  if (((space.encode(point) - u).cwiseAbs().array() > encoding_round_off(space).array()).any())
    fail(where, "is not the encoding of " + point_name + " (the state was edited or damaged)");
}

/// Version 2: the surrogate records the noise-free model of noise "auto".
constexpr int kStateVersion = 2;

json transform_json(const OutputTransform& t) {
  json j = {{"shift", t.shift}, {"scale", t.scale}, {"lambda", t.lambda}, {"post_shift", t.post_shift}, {"post_scale", t.post_scale}};
  if (std::isfinite(t.penalty_from)) {  // JSON has no infinity: absent means no penalties
    j["penalty_from"] = t.penalty_from;
    j["penalty_value"] = t.penalty_value;
  }
  if (t.log_offset > 0.0) {  // absent: the values themselves (and older states)
    j["log_from"] = t.log_from;
    j["log_offset"] = t.log_offset;
  }
  return j;
}

}  // namespace

json OptimizerStateAccess::save(const Optimizer& o) {
  json trials = json::array();
  for (const Trial& t : o.trials_) {
    json jt = {{"id", t.id}, {"point", point_to_json(t.point)}, {"u", vector_json(t.u)}, {"status", to_string(t.status)},
               {"asked", t.asked}};
    if (t.status == TrialStatus::Ok) jt["value"] = t.value;
    if (t.noise_sd > 0.0) jt["noise_sd"] = t.noise_sd;
    if (!t.constraint_values.empty()) jt["constraints"] = t.constraint_values;
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
  if (!o.space_.constraints().empty()) out["parameter_constraints"] = constraints_to_json(o.space_);
  if (o.used_up_) out["used_up"] = true;
  if (s.outlier_variances.size() > 0) out["surrogate"]["outlier_variances"] = vector_json(s.outlier_variances);
  if (s.mcmc_stepsize > 0.0) {
    out["surrogate"]["mcmc_adaptation"] = {{"stepsize", s.mcmc_stepsize},
                                           {"inverse_metric", vector_json(s.mcmc_inverse_metric)},
                                           {"metric_size", s.mcmc_metric_size}};
  }
  return out;
}

namespace {

bool in_unit_cube(const Eigen::VectorXd& u) { return (u.array() >= 0.0).all() && (u.array() <= 1.0).all(); }

// A saved point read by space_json, whose messages name the path already, as the state's own
// error (load_optimizer prefixes its file): a queued point outside the space escaped as a bare
// SpaceError.
template <class Read>
auto saved_point(Read&& read) -> decltype(read()) {
  try {
    return read();
  } catch (const StateError&) {
    throw;
  } catch (const std::exception& e) {
    throw StateError(e.what());
  }
}

// A saved point of the space. States written before inactive fixed parameters had to be left
// out of points may hold one's value: it says nothing, and is dropped rather than refused
// (such a state would not load, nor its run resume).
Point stored_point(const json& j, const Space& space, const std::string& path) {
  Point p = values_from_json(j, space, path);
  const auto& params = space.parameters();
  bool dropped = false;
  for (std::size_t i = 0; i < params.size(); ++i)
    if (params[i].kind == Parameter::Kind::Fixed && p.count(params[i].name) && !space.active(i, p)) {
      p.erase(params[i].name);
      dropped = true;
    }
  return point_from_json(dropped ? point_to_json(p) : j, space, path);
}

Trial trial_from_json(const json& j, const Space& space, std::size_t constraints, std::size_t index,
                      const std::string& p) {
  Trial t;
  // Every level is read as strictly as the top one: a misspelt key was silently ignored here.
  check_keys(j, {"id", "point", "u", "status", "value", "noise_sd", "constraints", "reason", "asked"}, p);
  t.id = count(at(j, "id", p), p + "/id");
  if (t.id != index) fail(p + "/id", "expected id " + std::to_string(index) + " (trials are stored in id order)");
  t.point = saved_point([&] { return stored_point(at(j, "point", p), space, p + "/point"); });
  t.u = vector_from(at(j, "u", p), p + "/u");
  if (static_cast<std::size_t>(t.u.size()) != space.encoded_dim())
    fail(p + "/u", "expected " + std::to_string(space.encoded_dim()) + " numbers");
  check_encoding(space, t.point, t.u, p + "/u", "\"point\"");
  const std::string status = text(at(j, "status", p), p + "/status");
  if (status == "ok") {
    t.status = TrialStatus::Ok;
    t.value = number(at(j, "value", p), p + "/value");
    if (j.contains("noise_sd")) {
      t.noise_sd = number(j["noise_sd"], p + "/noise_sd");
      if (!(t.noise_sd >= 0.0)) fail(p + "/noise_sd", "expected the sd of the value's noise, a number >= 0");
    }
    if (constraints > 0) {
      const Eigen::VectorXd c = vector_from(at(j, "constraints", p), p + "/constraints");
      if (static_cast<std::size_t>(c.size()) != constraints)
        fail(p + "/constraints", "expected " + std::to_string(constraints) + " numbers (one per outcome constraint)");
      t.constraint_values.assign(c.data(), c.data() + c.size());
    }
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
  check_keys(j, {"fitted", "params", "samples", "transform", "size", "size_at_fit", "noiseless", "noiseless_params",
                 "outlier_variances", "mcmc_adaptation"}, p);
  const json& fitted = at(j, "fitted", p);
  if (!fitted.is_boolean()) fail(p + "/fitted", "expected true or false");
  s.fitted = fitted.get<bool>();
  s.params = free_params(at(j, "params", p), p + "/params");
  const json& samples = at(j, "samples", p);
  if (!samples.is_array()) fail(p + "/samples", "expected an array");
  for (std::size_t i = 0; i < samples.size(); ++i) s.samples.push_back(free_params(samples[i], p + "/samples/" + std::to_string(i)));
  const std::string tp = p + "/transform";
  const json& t = at(j, "transform", p);
  check_keys(t, {"shift", "scale", "lambda", "post_shift", "post_scale", "penalty_from", "penalty_value", "log_offset", "log_from"}, tp);
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
  if (t.contains("log_offset")) {
    s.transform.log_offset = positive_number(t["log_offset"], tp + "/log_offset", false);
    s.transform.log_from = number(at(t, "log_from", tp), tp + "/log_from");
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
  if (j.contains("outlier_variances")) {  // only written when some value was flagged
    const std::string op = p + "/outlier_variances";
    s.outlier_variances = vector_from(j["outlier_variances"], op);
    if (static_cast<std::size_t>(s.outlier_variances.size()) != s.size_at_fit || !s.outlier_variances.allFinite() ||
        (s.outlier_variances.array() < 0.0).any())
      fail(op, "expected " + std::to_string(s.size_at_fit) + " (" + p + "/size_at_fit) finite numbers >= 0");
  }
  if (j.contains("mcmc_adaptation")) {  // absent before any mcmc-mode sampling (and in older states)
    const std::string ap = p + "/mcmc_adaptation";
    const json& a = j["mcmc_adaptation"];
    check_keys(a, {"stepsize", "inverse_metric", "metric_size"}, ap);
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

// Where an OptimizerOptions field is saved: /options/search/candidates for search.candidates;
// the surrogate's fields sit in /options itself, some under other names.
std::string option_pointer(const std::string& field) {
  static const std::map<std::string, std::string> surrogate_keys = {
      {"surrogate.restarts", "fit_restarts"},          {"surrogate.first_fit_restarts", "first_fit_restarts"},
      {"surrogate.max_evaluations", "fit_max_evaluations"}, {"surrogate.refit_every", "refit_every"},
      {"surrogate.mcmc_samples", "mcmc_samples"},      {"surrogate.mcmc_thin", "mcmc_thin"},
      {"surrogate.noise_sd", "noise"},                 {"surrogate.restart_subset", "fit_restart_subset"}};
  const auto renamed = surrogate_keys.find(field);
  std::string key = renamed != surrogate_keys.end() ? renamed->second : field;
  std::replace(key.begin(), key.end(), '.', '/');
  return "/options/" + key;
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
    o.trials_.push_back(trial_from_json(trials[i], o.space_, o.options_.constraints.size(), i, "/trials/" + std::to_string(i)));
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
    if (points && queue[i].is_array() && queue[i].empty()) {  // a partial point: its values only
      const std::string at_point = "/queue_points/" + std::to_string(i);
      Point held = saved_point([&] { return values_from_json((*points)[i], o.space_, at_point); });
      try {
        held = o.space_.slice(held).held();
      } catch (const SpaceError& e) {
        fail(at_point, e.what());
      }
      o.queue_.push_back({Eigen::VectorXd(), std::move(held)});
      continue;
    }
    Eigen::VectorXd u = vector_from(queue[i], where);
    if (u.size() != o.design_.cols() || !in_unit_cube(u))
      fail(where, "expected " + std::to_string(o.design_.cols()) + " numbers in [0, 1]");
    Point point = points ? saved_point([&] { return stored_point((*points)[i], o.space_, "/queue_points/" + std::to_string(i)); })
                         : o.space_.decode(u);
    // An edited /queue beside its /queue_points was suggested as it stood, and the trial it made
    // then failed the same check as a trial "gpbo itself wrote".
    if (points) check_encoding(o.space_, point, u, where, "/queue_points/" + std::to_string(i));
    o.queue_.push_back({std::move(u), std::move(point)});
  }
}

// A fitted model's shape, as the optimizer leaves it: its hyperparameter counts; it holds the
// trials of /surrogate_ids, and only the fast preset appends rows after a refit, fewer than
// refit_every (a shrunk row count was accepted and changed the next suggestion).
void OptimizerStateAccess::check_model_shape(const Optimizer& o, const SurrogateState& s, bool ids_listed) {
  if (!s.fitted) return;
  const std::size_t held = o.surrogate_ids_.size();
  if (ids_listed ? s.size != held : s.size > held)
    fail("/surrogate/size", std::string(ids_listed ? "expected " : "expected at most ") + std::to_string(held) +
                                (ids_listed ? " (the trials in /surrogate_ids)" : " (the trials told with a value)") +
                                ", got " + std::to_string(s.size));
  // Counted here so that a wrong count names its key (the GP's own error named /surrogate).
  const Eigen::Index counts[2] = {o.surrogate_.free_parameter_count(false), o.surrogate_.free_parameter_count(true)};
  const auto check_count = [&](const Eigen::VectorXd& v, bool noiseless, const std::string& path) {
    const Eigen::Index expected = counts[noiseless ? 1 : 0];
    if (v.size() != expected)
      fail(path, "expected the " + std::to_string(expected) + " free hyperparameters of the " +
                     (noiseless ? "noise-free " : "") + "model, got " + std::to_string(v.size()));
  };
  check_count(s.params, false, "/surrogate/params");
  if (s.noiseless_params.size() > 0) check_count(s.noiseless_params, true, "/surrogate/noiseless_params");
  for (std::size_t i = 0; i < s.samples.size(); ++i) check_count(s.samples[i], s.noiseless, "/surrogate/samples/" + std::to_string(i));
  const SurrogateOptions& so = o.options_.surrogate;
  const std::size_t appended_max = so.mode == HyperMode::Fast ? so.refit_every - 1 : 0;
  if (s.size - s.size_at_fit > appended_max)
    fail("/surrogate/size_at_fit",
         "expected " + (appended_max == 0 ? std::to_string(s.size) + " (/surrogate/size: every suggestion refits outside the fast preset)"
                                          : "at least " + std::to_string(s.size - appended_max) + " (the fast preset refits every " +
                                                std::to_string(so.refit_every) + " values)") +
             ", got " + std::to_string(s.size_at_fit));
}

void OptimizerStateAccess::load_surrogate(Optimizer& o, const json& j) {
  const SurrogateState s = surrogate_state_from_json(at(j, "surrogate", ""), "/surrogate");
  // The trials in the saved model (older states: the first ones told, penalties being new).
  if (j.contains("surrogate_ids")) {
    const json& ids = j["surrogate_ids"];
    if (!ids.is_array()) fail("/surrogate_ids", "expected an array of trial ids");
    std::vector<bool> listed(o.trials_.size(), false);
    for (std::size_t i = 0; i < ids.size(); ++i) {
      const std::string pi = "/surrogate_ids/" + std::to_string(i);
      const std::uint64_t id = count(ids[i], pi);
      if (id >= o.trials_.size() || o.trials_[id].status != TrialStatus::Ok) fail(pi, "expected the id of a trial with status \"ok\"");
      // A trial twice in the model is two observations of it: the next suggestion changed.
      if (listed[id]) fail(pi, "trial " + std::to_string(id) + " is listed twice");
      listed[id] = true;
      o.surrogate_ids_.push_back(id);
    }
  } else {
    o.surrogate_ids_.assign(o.ok_order_.begin(), o.ok_order_.begin() + static_cast<std::ptrdiff_t>(std::min(s.size, o.ok_order_.size())));
  }
  check_model_shape(o, s, j.contains("surrogate_ids"));
  Eigen::MatrixXd X;
  Eigen::VectorXd y, noise;
  o.observations(o.surrogate_ids_, X, y, &noise);
  parsed("/surrogate", [&] {
    o.surrogate_.restore(s, X, y, noise);
    return 0;
  });
}

Optimizer OptimizerStateAccess::load(const json& j) {
  if (!is_format(j, "gpbo.bo_state"))
    fail("/format", "expected \"gpbo.bo_state\" (not a gpbo optimizer state)");
  check_keys(j, {"format", "version", "space", "parameter_order", "parameter_constraints", "options", "trials", "ok_order",
                 "design", "design_cursor", "queue", "queue_points", "surrogate", "surrogate_ids", "rng", "elapsed_s", "used_up"}, "");
  if (at(j, "version", "") != kStateVersion)
    fail("/version", "unsupported version (expected " + std::to_string(kStateVersion) +
                         "; states of other gpbo versions cannot be continued exactly)");
  Space space = parsed("/space", [&] { return space_from_json(at(j, "space", ""), "/space"); });
  if (j.contains("parameter_order")) space = in_saved_order(space, j["parameter_order"]);
  if (j.contains("parameter_constraints"))
    parsed("/parameter_constraints", [&] {
      add_constraints_from_json(space, j["parameter_constraints"], "/parameter_constraints");
      return 0;
    });
  Optimizer o = [&] {
    try {
      return Optimizer(space, saved_options(j));
    } catch (const InvalidOption& e) {
      fail(option_pointer(e.field()), "expected " + e.requirement());
    }
  }();
  load_trials(o, j);
  load_design_and_queue(o, j);
  const std::string rng_text = text(at(j, "rng", ""), "/rng");
  // Digits and spaces only: a "-5" was read as 2^64 - 5, and words after the state were ignored.
  std::istringstream rng(rng_text);
  if (rng_text.find_first_not_of("0123456789 ") != std::string::npos || !(rng >> o.rng_) || !(rng >> std::ws).eof())
    fail("/rng", "not a saved random generator state");
  // An all-zero Mersenne Twister state draws only zeros: every "random" point the same.
  Rng probe = o.rng_;
  bool zeros = true;
  for (int i = 0; i < 64 && zeros; ++i) zeros = probe() == 0;
  if (zeros) fail("/rng", "not a saved random generator state (it draws only zeros)");
  o.elapsed_before_ = number(at(j, "elapsed_s", ""), "/elapsed_s");
  if (!(o.elapsed_before_ >= 0.0)) fail("/elapsed_s", "expected seconds >= 0");
  if (j.contains("used_up")) {
    if (!j["used_up"].is_boolean()) fail("/used_up", "expected true or false");
    o.used_up_ = j["used_up"].get<bool>();
  }
  load_surrogate(o, j);
  return o;
}

json optimizer_to_json(const Optimizer& optimizer) { return OptimizerStateAccess::save(optimizer); }

Optimizer optimizer_from_json(const json& j) { return OptimizerStateAccess::load(j); }

void save_optimizer(const Optimizer& optimizer, const std::string& path) {
  write_file_atomically(path, optimizer_to_json(optimizer).dump(1));
}

Optimizer load_optimizer(const std::string& path) {
  const std::string text = read_file(path);
  json j;
  try {
    j = parse_json_text(text, path);
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
