#include "gpbo/bayesopt/space_json.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "gpbo/core/did_you_mean.hpp"
#include "gpbo/core/json_text.hpp"
#include "gpbo/core/number_text.hpp"

namespace gpbo::bo {
namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::string& path, const std::string& what) { throw SpaceError(path + ": " + what); }

double number_at(const json& obj, const std::string& key, const std::string& path) {
  const auto it = obj.find(key);
  if (it == obj.end()) fail(path, "missing key \"" + key + "\"");
  if (!it->is_number()) fail(path + "/" + key, "expected a number" + got_json(*it));
  return it->get<double>();
}

std::int64_t integer_at(const json& obj, const std::string& key, const std::string& path) {
  const double x = number_at(obj, key, path);
  if (x != std::round(x)) fail(path + "/" + key, "expected an integer" + got_json(obj.at(key)));
  constexpr auto kMax = static_cast<std::int64_t>(kMaxExactInteger);
  const auto v = json_integer_in(obj.at(key), -kMax, kMax);
  if (!v) fail(path + "/" + key, "expected an integer of magnitude at most 2^53 (9007199254740992, exact as a double)");
  return *v;
}

Scale scale_of(const json& obj, const std::string& path) {
  const bool has_log = obj.contains("log"), has_scale = obj.contains("scale");
  if (has_log && has_scale) fail(path, "give either \"log\" or \"scale\", not both");
  if (has_log) {
    if (!obj["log"].is_boolean()) fail(path + "/log", "expected true or false");
    return obj["log"].get<bool>() ? Scale::Log : Scale::Linear;
  }
  if (has_scale) {
    const auto& s = obj["scale"];
    if (s.is_string() && s.get<std::string>() == "log") return Scale::Log;
    if (s.is_string() && s.get<std::string>() == "linear") return Scale::Linear;
    fail(path + "/scale", "expected \"linear\" or \"log\"");
  }
  return Scale::Linear;
}

// "unknown parameter \"lr_\" (did you mean \"lr\"?)"
std::string unknown_parameter(const std::string& name, const Space& space) {
  std::vector<std::string> names;
  for (const auto& q : space.parameters()) names.push_back(q.name);
  const std::string hint = did_you_mean(name, names);
  return "unknown parameter \"" + name + "\"" + (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)");
}

// Other tools' words for our keys (Optuna and Ax say "choices" too, but others "values", "min"),
// named even where did_you_mean would guess another key ("to" is one edit from "lo"w): each
// group's word that `allowed` holds ("min" in a condition's range, "low" in a parameter).
std::string synonym_hint(const std::string& key, const std::vector<std::string>& allowed) {
  static const std::vector<std::vector<std::string>> groups = {
      {"choices", "values", "options", "categories", "levels", "items"},
      {"low", "min", "lower", "lo", "lower_bound", "minimum", "from"},
      {"high", "max", "upper", "hi", "upper_bound", "maximum", "to"},
      {"log", "log_scale", "logscale", "log_uniform", "loguniform"},
      {"step", "q", "grid", "increment"},
      {"when", "if", "condition", "conditions", "active_if", "parent"}};
  for (const auto& words : groups) {
    if (std::find(words.begin(), words.end(), key) == words.end()) continue;
    for (const auto& ours : words)
      if (ours != key && std::find(allowed.begin(), allowed.end(), ours) != allowed.end())
        return "unknown key \"" + key + "\" (this format calls it \"" + ours + "\")";
  }
  return "";
}

void check_keys(const json& obj, const std::vector<std::string>& allowed, const std::string& path) {
  if (const auto unknown = unknown_key(obj, allowed)) {
    const std::string synonym = synonym_hint(unknown->first, allowed);
    fail(path + "/" + json_pointer_token(unknown->first), synonym.empty() ? unknown->second : synonym);
  }
}

std::string kind_of(const json& def, const std::string& path) {
  const auto it = def.find("type");
  if (it == def.end()) fail(path, "missing key \"type\" (one of real, integer, categorical, fixed)");
  if (!it->is_string()) fail(path + "/type", "expected a string (one of real, integer, categorical, fixed)");
  const std::string t = it->get<std::string>();
  if (t == "real" || t == "float") return "real";
  if (t == "integer" || t == "int") return "integer";
  if (t == "categorical" || t == "fixed") return t;
  std::string msg = "unknown type \"" + t + "\", expected one of real, integer, categorical, fixed";
  const std::string hint = did_you_mean(t, {"real", "float", "integer", "int", "categorical", "fixed"});
  if (!hint.empty()) msg += " (did you mean \"" + hint + "\"?)";
  fail(path + "/type", msg);
}

// The parameter's kind and its keys, without conditions.
Parameter parameter_body_from_json(const std::string& name, const json& def, const std::string& path) {
  const std::string kind = kind_of(def, path);
  if (kind == "real" || kind == "integer") {
    check_keys(def, {"type", "low", "high", "log", "scale", "step", "when"}, path);
    const Scale scale = scale_of(def, path);
    Parameter p = kind == "real" ? Parameter::real(name, number_at(def, "low", path), number_at(def, "high", path), scale)
                                 : Parameter::integer(name, integer_at(def, "low", path), integer_at(def, "high", path), scale);
    if (def.contains("step")) {
      p.step = kind == "real" ? number_at(def, "step", path) : static_cast<double>(integer_at(def, "step", path));
      // Inside, step 0 means "no step": a 0 written out would be silently ignored.
      if (!(p.step > 0)) fail(path + "/step", "expected a number > 0 (the grid's spacing; leave the key out for none), got " + def["step"].dump());
    }
    return p;
  }
  if (kind == "categorical") {
    check_keys(def, {"type", "choices", "when"}, path);
    const auto it = def.find("choices");
    if (it == def.end()) fail(path, "missing key \"choices\"");
    if (!it->is_array() || it->empty()) fail(path + "/choices", "expected a non-empty array of numbers or strings");
    std::vector<Value> choices;
    for (std::size_t i = 0; i < it->size(); ++i)
      choices.push_back(value_from_json((*it)[i], path + "/choices/" + std::to_string(i)));
    return Parameter::categorical(name, std::move(choices));
  }
  check_keys(def, {"type", "value", "when"}, path);
  if (!def.contains("value")) fail(path, "missing key \"value\"");
  return Parameter::fixed(name, value_from_json(def["value"], path + "/value"));
}

// "when": {"optimizer": "sgd", "layers": [2, 3], "lr": {"max": 0.01}}: each parent with one value,
// a list of them, or a range of numbers.
std::vector<Condition> conditions_from_json(const json& def, const std::string& path) {
  std::vector<Condition> out;
  const auto it = def.find("when");
  if (it == def.end()) return out;
  if (!it->is_object() || it->empty())
    fail(path + "/when", "expected an object naming parent parameters and their values, as {\"optimizer\": [\"sgd\"]}");
  for (const auto& [parent, values] : it->items()) {
    const std::string p = path + "/when/" + json_pointer_token(parent);
    Condition c{parent, {}, std::nullopt, std::nullopt};
    if (values.is_object()) {
      check_keys(values, {"min", "max"}, p);
      if (values.empty()) fail(p, "expected a range with \"min\", \"max\" or both");
      for (const char* bound : {"min", "max"})
        if (values.contains(bound)) {
          if (!values[bound].is_number()) fail(p + "/" + bound, "expected a number");
          (std::string(bound) == "min" ? c.min : c.max) = values[bound].get<double>();
        }
    } else if (values.is_array()) {
      if (values.empty()) fail(p, "expected a value or a non-empty array of values");
      for (std::size_t i = 0; i < values.size(); ++i) c.values.push_back(value_from_json(values[i], p + "/" + std::to_string(i)));
    } else {
      c.values.push_back(value_from_json(values, p));
    }
    out.push_back(std::move(c));
  }
  return out;
}

Parameter parameter_from_json(const std::string& name, const json& def, const std::string& path) {
  if (!def.is_object()) fail(path, "expected an object with a \"type\"");
  Parameter p = parameter_body_from_json(name, def, path);
  p.conditions = conditions_from_json(def, path);
  return p;
}

}  // namespace

Value value_from_json(const json& j, const std::string& path) {
  if (j.is_string()) return j.get<std::string>();
  if (j.is_number_integer()) {
    if (const auto v = json_integer_in(j, std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max())) return *v;
    fail(path, "integer out of range (above 2^63 - 1)");
  }
  if (j.is_number()) return j.get<double>();
  fail(path, "expected a number or a string");
}

json value_to_json(const Value& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
  return std::get<double>(v);
}

Space space_from_json(const json& j, const std::string& path, const std::vector<std::string>& order) {
  if (!j.is_object()) fail(path, "expected an object mapping parameter names to definitions");
  if (j.empty()) fail(path, "the search space has no parameters");
  // The names as the text writes them (people list the important ones first, and expect the
  // columns and lines of the output in that order), then any the order lacks, sorted.
  std::vector<std::string> names;
  for (const auto& name : order)
    if (j.contains(name) && std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  for (const auto& [name, def] : j.items())
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  std::vector<std::pair<Parameter, std::string>> pending;
  for (const auto& name : names)
    pending.emplace_back(parameter_from_json(name, j[name], path + "/" + json_pointer_token(name)), path + "/" + json_pointer_token(name));
  for (const auto& [param, p] : pending)
    for (const Condition& c : param.conditions) {
      if (c.parent == param.name) fail(p + "/when/" + json_pointer_token(c.parent), "a parameter cannot depend on itself");
      if (std::find(names.begin(), names.end(), c.parent) == names.end()) {
        std::string msg = "unknown parameter \"" + c.parent + "\"";
        const std::string hint = did_you_mean(c.parent, names);
        if (!hint.empty()) msg += " (did you mean \"" + hint + "\"?)";
        fail(p + "/when/" + json_pointer_token(c.parent), msg);
      }
    }
  // Parents before children (Space's rule), otherwise the names' order: each step adds the
  // first parameter whose parents are in (a child listed before its parent comes right after
  // it); a step that finds none leaves a cycle.
  Space space;
  const auto ready = [&](const Parameter& param) {
    return std::all_of(param.conditions.begin(), param.conditions.end(), [&](const Condition& c) {
      return std::any_of(space.parameters().begin(), space.parameters().end(), [&](const Parameter& q) { return q.name == c.parent; });
    });
  };
  while (!pending.empty()) {
    const auto next = std::find_if(pending.begin(), pending.end(), [&](const auto& item) { return ready(item.first); });
    if (next == pending.end()) fail(pending.front().second + "/when", "the conditions form a cycle (a parameter depends on itself through its parents)");
    try {
      space.add(next->first);
    } catch (const SpaceError& e) {
      const std::string msg = e.what();
      const auto colon = msg.find(": ");  // drop the "parameter 'x': " prefix, the path names it
      fail(next->second, colon == std::string::npos ? msg : msg.substr(colon + 2));
    }
    pending.erase(next);
  }
  return space;
}

json space_to_json(const Space& space) {
  json out = json::object();
  for (const auto& p : space.parameters()) {
    json def;
    switch (p.kind) {
      case Parameter::Kind::Real:
      case Parameter::Kind::Integer:
        def["type"] = p.kind == Parameter::Kind::Real ? "real" : "integer";
        if (p.kind == Parameter::Kind::Real) {
          def["low"] = p.low;
          def["high"] = p.high;
        } else {
          def["low"] = static_cast<std::int64_t>(p.low);
          def["high"] = static_cast<std::int64_t>(p.high);
        }
        def["log"] = p.scale == Scale::Log;
        if (p.step != 0.0) {
          if (p.kind == Parameter::Kind::Real) def["step"] = p.step;
          else def["step"] = static_cast<std::int64_t>(p.step);
        }
        break;
      case Parameter::Kind::Categorical:
        def["type"] = "categorical";
        def["choices"] = json::array();
        for (const auto& c : p.choices) def["choices"].push_back(value_to_json(c));
        break;
      case Parameter::Kind::Fixed:
        def["type"] = "fixed";
        def["value"] = value_to_json(p.value);
        break;
    }
    for (const Condition& c : p.conditions) {
      json values = c.is_range() ? json::object() : json::array();
      for (const auto& v : c.values) values.push_back(value_to_json(v));
      if (c.min) values["min"] = *c.min;
      if (c.max) values["max"] = *c.max;
      def["when"][c.parent] = values;
    }
    out[p.name] = def;
  }
  return out;
}

json constraints_to_json(const Space& space) {
  json out = json::array();
  for (const LinearConstraint& c : space.constraints()) {
    json sum = json::object();
    for (const auto& [name, coefficient] : c.terms) sum[name] = coefficient;
    json one = {{"sum", sum}};
    if (c.min) one["min"] = *c.min;
    if (c.max) one["max"] = *c.max;
    out.push_back(one);
  }
  return out;
}

void add_constraints_from_json(Space& space, const json& j, const std::string& path) {
  if (!j.is_array()) fail(path, "expected an array of linear constraints, e.g. [{\"sum\": {\"x0\": 1, \"x1\": 1}, \"max\": 1}]");
  for (std::size_t k = 0; k < j.size(); ++k) {
    const std::string at = path + "/" + std::to_string(k);
    const json& c = j[k];
    if (!c.is_object()) fail(at, "expected an object {\"sum\": {parameter: coefficient, ...}, \"min\"/\"max\": bound}");
    check_keys(c, {"sum", "min", "max"}, at);
    if (!c.contains("sum")) fail(at, "missing key \"sum\" (the parameters with their coefficients)");
    if (!c["sum"].is_object() || c["sum"].empty())
      fail(at + "/sum", "expected an object of parameter names and coefficients, e.g. {\"x0\": 1, \"x1\": 2}");
    LinearConstraint constraint;
    for (const auto& [name, coefficient] : c["sum"].items()) {
      if (!coefficient.is_number()) fail(at + "/sum/" + json_pointer_token(name), "expected a number (the coefficient)");
      const auto& params = space.parameters();
      if (std::none_of(params.begin(), params.end(), [&](const Parameter& q) { return q.name == name; }))
        fail(at + "/sum/" + json_pointer_token(name), unknown_parameter(name, space));
      constraint.terms.emplace_back(name, coefficient.get<double>());
    }
    if (c.contains("min")) constraint.min = number_at(c, "min", at);
    if (c.contains("max")) constraint.max = number_at(c, "max", at);
    try {
      space.add_constraint(std::move(constraint));
    } catch (const SpaceError& e) {
      fail(at, e.what());
    }
  }
}

json point_to_json(const Point& p) {
  json out = json::object();
  for (const auto& [name, v] : p) out[name] = value_to_json(v);
  return out;
}

nlohmann::ordered_json point_to_json(const Point& p, const Space& space) {
  std::vector<std::string> names;
  for (const auto& param : space.parameters()) names.push_back(param.name);
  return in_text_order(point_to_json(p), {{"", names}});
}

Point values_from_json(const json& j, const Space& space, const std::string& path) {
  if (!j.is_object()) fail(path, "expected an object mapping parameter names to values");
  Point p;
  for (const auto& [name, v] : j.items()) {
    Value value = value_from_json(v, path + "/" + json_pointer_token(name));
    const auto& params = space.parameters();
    const auto it = std::find_if(params.begin(), params.end(), [&](const Parameter& q) { return q.name == name; });
    if (it == params.end()) fail(path + "/" + json_pointer_token(name), unknown_parameter(name, space));
    p[name] = as_parameter_value(*it, std::move(value));
  }
  return p;
}

Point point_from_json(const json& j, const Space& space, const std::string& path) {
  const Point p = values_from_json(j, space, path);
  try {
    space.validate(p);
  } catch (const SpaceError& e) {
    fail(path, e.what());
  }
  return space.complete(p);
}

}  // namespace gpbo::bo
