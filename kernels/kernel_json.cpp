#include "gpbo/kernels/kernel_json.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdint>
#include <map>
#include <string>
#include <stdexcept>

#include "gpbo/core/json_text.hpp"
#include "gpbo/core/text_list.hpp"
#include "gpbo/kernels/kernel_factory.hpp"
#include "gpbo/kernels/kernel_parser.hpp"
#include "gpbo/kernels/leaf_kernel.hpp"
#include "gpbo/kernels/linear.hpp"
#include "gpbo/kernels/product.hpp"
#include "gpbo/kernels/scale.hpp"
#include "gpbo/kernels/stationary.hpp"
#include "gpbo/kernels/sum.hpp"

namespace gpbo {
namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw std::invalid_argument((path.empty() ? std::string("/") : path) + ": " + what);
}

std::string got(const json& j) { return std::string("got ") + j.type_name(); }

// Input columns beyond any real data set; keeps a corrupt count from wrapping around in an int.
constexpr std::int64_t kMaxInputDim = 1'000'000;

// "lengthscale[3]" -> "lengthscale".
std::string base_name(const std::string& name) {
  const auto open = name.find('[');
  return open == std::string::npos ? name : name.substr(0, open);
}

json hp_to_json(const Hyperparameter& h) {
  json j = {{"log_value", h.log_value}, {"log_bounds", {h.log_lower, h.log_upper}}, {"fixed", h.fixed}};
  if (h.prior) j["prior"] = h.prior->to_string();
  return j;
}

double number(const json& j, const std::string& path) {
  if (!j.is_number()) fail(path, "expected a number, " + got(j));
  const double v = j.get<double>();
  if (!std::isfinite(v)) fail(path, "expected a finite number");
  return v;
}

double positive(const json& j, const std::string& path) {
  const double v = number(j, path);
  if (!(v > 0.0)) fail(path, "expected a positive number, got " + std::to_string(v));
  return v;
}

void check_keys(const json& j, const std::string& path, const std::vector<std::string>& allowed) {
  for (const auto& [key, value] : j.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      fail(path + "/" + key, "unknown key '" + key + "'; expected one of: " + join_text(allowed));
    }
  }
}

// A free value outside its bounds was kept until a fit clamped it silently; say so instead.
void check_within_bounds(const Hyperparameter& h, const std::string& path) {
  if (h.fixed || (h.log_value >= h.log_lower - 1e-12 && h.log_value <= h.log_upper + 1e-12)) return;
  const auto shown = [](double log_x) {  // 6 digits: exp(log(100)) is 100.00000000000004
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", std::exp(log_x));
    return std::string(buf);
  };
  fail(path, "value " + shown(h.log_value) + " is outside its bounds [" + shown(h.log_lower) + ", " + shown(h.log_upper) + "]");
}

void hp_from_json(const json& j, Hyperparameter& h, const std::string& path) {
  if (j.is_number()) {
    h.log_value = std::log(positive(j, path));
    check_within_bounds(h, path);
    return;
  }
  if (!j.is_object()) fail(path, "expected a hyperparameter object or a positive number, " + got(j));
  check_keys(j, path, {"log_value", "value", "log_bounds", "bounds", "prior", "fixed"});
  if (j.contains("log_value") && j.contains("value")) fail(path, "give either 'log_value' or 'value', not both");
  if (j.contains("log_bounds") && j.contains("bounds")) fail(path, "give either 'log_bounds' or 'bounds', not both");
  if (j.contains("log_value")) h.log_value = number(j["log_value"], path + "/log_value");
  if (j.contains("value")) h.log_value = std::log(positive(j["value"], path + "/value"));
  for (const char* key : {"log_bounds", "bounds"}) {
    if (!j.contains(key)) continue;
    const std::string p = path + "/" + key;
    const json& b = j[key];
    if (!b.is_array() || b.size() != 2) fail(p, "expected [lower, upper], " + got(b));
    const bool log = std::string(key) == "log_bounds";
    const double lo = log ? number(b[0], p + "/0") : std::log(positive(b[0], p + "/0"));
    const double hi = log ? number(b[1], p + "/1") : std::log(positive(b[1], p + "/1"));
    if (!(lo <= hi)) fail(p, "expected lower <= upper");
    h.log_lower = lo;
    h.log_upper = hi;
  }
  if (j.contains("prior")) {
    const json& pj = j["prior"];
    if (pj.is_null()) {
      h.prior.reset();
    } else if (!pj.is_string()) {
      fail(path + "/prior", "expected a prior string such as \"lognormal(0, 1)\" or null, " + got(pj));
    } else {
      try {
        h.prior = parse_prior(pj.get<std::string>());
      } catch (const std::invalid_argument& e) {
        fail(path + "/prior", e.what());
      }
    }
  }
  if (j.contains("fixed")) {
    if (!j["fixed"].is_boolean()) fail(path + "/fixed", "expected true or false, " + got(j["fixed"]));
    h.fixed = j["fixed"].get<bool>();
  }
  check_within_bounds(h, path);
}

// Applies the JSON keys of `j` not in `structural` to the hyperparameters of k, grouped by base name.
void apply_hyperparameters(const json& j, Kernel& k, const std::string& path, const std::vector<std::string>& structural) {
  auto hps = k.hyperparameters();
  std::vector<std::string> allowed = structural;
  for (const auto& h : hps) {
    if (std::find(allowed.begin(), allowed.end(), base_name(h.name)) == allowed.end()) allowed.push_back(base_name(h.name));
  }
  check_keys(j, path, allowed);
  for (const auto& [key, value] : j.items()) {
    if (std::find(structural.begin(), structural.end(), key) != structural.end()) continue;
    std::vector<std::size_t> group;
    bool indexed = false;
    for (std::size_t i = 0; i < hps.size(); ++i) {
      if (base_name(hps[i].name) == key) {
        group.push_back(i);
        indexed = indexed || hps[i].name != key;
      }
    }
    const std::string p = path + "/" + key;
    if (value.is_array()) {
      if (!indexed) fail(p, "expected one hyperparameter (object or number), got an array");
      if (value.size() != group.size()) {
        fail(p, "expected " + std::to_string(group.size()) + " entries (one per length scale or active dimension), got " + std::to_string(value.size()));
      }
      for (std::size_t i = 0; i < group.size(); ++i) hp_from_json(value[i], hps[group[i]], p + "/" + std::to_string(i));
    } else {
      for (const auto i : group) hp_from_json(value, hps[i], p);
    }
  }
  k.set_hyperparameters(hps);
}

int read_input_dim(const json& j, int input_dim, const std::string& path) {
  if (!j.contains("input_dim")) {
    if (input_dim < 1) fail(path, "missing 'input_dim' (a positive integer)");
    return input_dim;
  }
  const json& d = j["input_dim"];
  const auto dim = json_integer_in(d, 1, kMaxInputDim);
  if (!dim) fail(path + "/input_dim", "expected a positive integer (at most " + std::to_string(kMaxInputDim) + "), " + got(d));
  const int v = static_cast<int>(*dim);
  if (input_dim > 0 && v != input_dim) {
    fail(path + "/input_dim", "is " + std::to_string(v) + " but the data have " + std::to_string(input_dim) + " columns");
  }
  return v;
}

// "active_dims": column indices, or arrays of them (groups sharing one length scale).
void read_active_dims(const json& a, const std::string& path, LeafSpec& spec) {
  const char* expected = "expected an array of column indices, or of arrays of them (length-scale groups), ";
  if (!a.is_array()) fail(path, expected + got(a));
  const bool grouped = !a.empty() && a[0].is_array();
  const auto column = [&](const json& v, const std::string& p) {
    const auto c = json_integer_in(v, 0, kMaxInputDim - 1);
    if (!c) fail(p, "expected a column index (an integer >= 0), " + got(v));
    spec.active_dims.push_back(static_cast<int>(*c));
    return static_cast<int>(*c);
  };
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::string p = path + "/" + std::to_string(i);
    if (!grouped) {
      column(a[i], p);
      continue;
    }
    if (!a[i].is_array() || a[i].empty()) fail(p, "expected a non-empty array of column indices (a length-scale group), " + got(a[i]));
    spec.dim_groups.emplace_back();
    for (std::size_t k = 0; k < a[i].size(); ++k) spec.dim_groups.back().push_back(column(a[i][k], p + "/" + std::to_string(k)));
  }
}

KernelPtr leaf_from_json(const json& j, const std::string& type, int input_dim, const std::string& path) {
  LeafSpec spec;
  spec.name = type;
  const int d = read_input_dim(j, input_dim, path);
  const auto options = leaf_kernel_options(type);
  const bool stationary = std::find(options.begin(), options.end(), "iso") != options.end();
  std::vector<std::string> structural = {"type", "input_dim", "active_dims"};
  if (stationary) structural.push_back("ard");
  if (type == "linear") structural.push_back("has_offset");
  for (const char* flag : {"ard", "has_offset"}) {
    if (!j.contains(flag) || std::find(structural.begin(), structural.end(), flag) == structural.end()) continue;
    if (!j[flag].is_boolean()) fail(path + "/" + flag, "expected true or false, " + got(j[flag]));
    const bool on = j[flag].get<bool>();
    if (std::string(flag) == "ard" && !on) spec.options.push_back("iso");
    if (std::string(flag) == "has_offset" && on) spec.options.push_back("offset");
  }
  if (j.contains("active_dims")) read_active_dims(j["active_dims"], path + "/active_dims", spec);
  KernelPtr k;
  try {
    k = make_leaf_kernel(spec, d);
  } catch (const std::invalid_argument& e) {
    fail(path, e.what());
  }
  apply_hyperparameters(j, *k, path, structural);
  return k;
}

}  // namespace

json kernel_to_json(const Kernel& kernel) {
  if (const auto* s = dynamic_cast<const ScaleKernel*>(&kernel)) {
    return {{"type", "scale"}, {"outputscale", hp_to_json(s->hyperparameters().front())}, {"base", kernel_to_json(s->base())}};
  }
  const auto* sum = dynamic_cast<const SumKernel*>(&kernel);
  const auto* prod = dynamic_cast<const ProductKernel*>(&kernel);
  if (sum || prod) {
    const CompositeKernel& c = sum ? static_cast<const CompositeKernel&>(*sum) : *prod;
    json children = json::array();
    for (std::size_t i = 0; i < c.num_children(); ++i) children.push_back(kernel_to_json(c.child(i)));
    return {{"type", sum ? "sum" : "product"}, {"children", children}};
  }
  const auto* leaf = dynamic_cast<const LeafKernel*>(&kernel);
  if (!leaf) throw std::invalid_argument("kernel_to_json: kernel " + kernel.to_string() + " is not a gpbo kernel type");
  json j = {{"type", leaf->name()}, {"input_dim", leaf->input_dim()}};
  const auto* st = dynamic_cast<const StationaryKernel*>(leaf);
  if (st) j["ard"] = st->ard();
  if (const auto* lin = dynamic_cast<const LinearKernel*>(leaf)) j["has_offset"] = lin->has_offset();
  if (st && !st->lengthscale_groups().empty()) {
    j["active_dims"] = st->lengthscale_groups();
  } else if (!leaf->active_dims().empty()) {
    j["active_dims"] = leaf->active_dims();
  }
  for (const auto& h : leaf->hyperparameters()) {
    const std::string key = base_name(h.name);
    if (key != h.name) {
      if (!j.contains(key)) j[key] = json::array();
      j[key].push_back(hp_to_json(h));
    } else {
      j[key] = hp_to_json(h);
    }
  }
  return j;
}

namespace {

// As the string form: a sum, product or scale nested deeper than kMaxKernelNesting is refused,
// not recursed into until the stack overflows.
KernelPtr kernel_from_json_at(const json& j, int input_dim, const std::string& path, int depth) {
  if (depth > kMaxKernelNesting)
    fail(path, "kernels nested more than " + std::to_string(kMaxKernelNesting) + " levels deep");
  if (j.is_string()) {
    if (input_dim < 1) fail(path, "a kernel string needs the input dimension; give a kernel object with 'input_dim'");
    try {
      return parse_kernel(j.get<std::string>(), input_dim);
    } catch (const std::invalid_argument& e) {
      fail(path, e.what());
    }
  }
  if (!j.is_object()) fail(path, "expected a kernel object or a kernel string, " + got(j));
  if (!j.contains("type") || !j["type"].is_string()) fail(path + "/type", "expected a kernel type string");
  const std::string type = j["type"].get<std::string>();
  if (type == "sum" || type == "product") {
    check_keys(j, path, {"type", "children"});
    const std::string p = path + "/children";
    if (!j.contains("children") || !j["children"].is_array() || j["children"].size() < 2) {
      fail(p, "expected an array of at least two kernels");
    }
    std::vector<KernelPtr> children;
    for (std::size_t i = 0; i < j["children"].size(); ++i) {
      children.push_back(kernel_from_json_at(j["children"][i], input_dim, p + "/" + std::to_string(i), depth + 1));
    }
    if (type == "sum") return std::make_unique<SumKernel>(std::move(children));
    return std::make_unique<ProductKernel>(std::move(children));
  }
  if (type == "scale") {
    if (!j.contains("base")) fail(path + "/base", "missing: the kernel to scale");
    KernelPtr k = std::make_unique<ScaleKernel>(kernel_from_json_at(j["base"], input_dim, path + "/base", depth + 1));
    json own = json::object();
    for (const auto& [key, value] : j.items()) {
      if (key != "base") own[key] = value;
    }
    auto hps = k->hyperparameters();
    check_keys(own, path, {"type", "outputscale"});
    if (own.contains("outputscale")) hp_from_json(own["outputscale"], hps[0], path + "/outputscale");
    k->set_hyperparameters(hps);
    return k;
  }
  if (!is_leaf_kernel_name(type)) {
    std::string list;
    for (const auto& n : leaf_kernel_names()) list += n + ", ";
    fail(path + "/type", "unknown kernel type '" + type + "'; expected one of: " + list + "scale, sum, product");
  }
  return leaf_from_json(j, type, input_dim, path);
}

// The path of the number in a hyperparameter's JSON (hp_from_json's forms), or "" when it has none.
std::string hp_value_path(const json& j, const std::string& path) {
  if (j.is_number()) return path;
  if (!j.is_object()) return "";
  if (j.contains("log_value")) return path + "/log_value";
  return j.contains("value") ? path + "/value" : "";
}

void append_value_paths(const json& j, const Kernel& kernel, const std::string& path, std::vector<std::string>& out) {
  const std::size_t count = kernel.hyperparameters().size();
  if (!j.is_object()) {  // a kernel string: its defaults
    out.resize(out.size() + count);
    return;
  }
  if (const auto* c = dynamic_cast<const CompositeKernel*>(&kernel)) {
    const bool scale = dynamic_cast<const ScaleKernel*>(&kernel) != nullptr;
    if (scale) out.push_back(j.contains("outputscale") ? hp_value_path(j["outputscale"], path + "/outputscale") : "");
    for (std::size_t i = 0; i < c->num_children(); ++i) {
      const std::string p = scale ? path + "/base" : path + "/children/" + std::to_string(i);
      append_value_paths(scale ? j["base"] : j["children"][i], c->child(i), p, out);
    }
    return;
  }
  std::map<std::string, std::size_t> seen;  // entries of each base name so far: the index in its array
  for (const auto& h : kernel.hyperparameters()) {
    const std::string key = base_name(h.name);
    const std::size_t index = seen[key]++;
    if (!j.contains(key)) {
      out.emplace_back();
    } else if (j[key].is_array()) {
      out.push_back(hp_value_path(j[key][index], path + "/" + key + "/" + std::to_string(index)));
    } else {
      out.push_back(hp_value_path(j[key], path + "/" + key));
    }
  }
}

}  // namespace

KernelPtr kernel_from_json(const json& j, int input_dim, const std::string& path) {
  return kernel_from_json_at(j, input_dim, path, 0);
}

std::vector<std::string> kernel_value_paths(const json& j, const Kernel& kernel, const std::string& path) {
  std::vector<std::string> out;
  append_value_paths(j, kernel, path, out);
  return out;
}

}  // namespace gpbo
