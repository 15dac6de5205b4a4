#include "metric_file.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "gpbo/core/did_you_mean.hpp"
#include "gpbo/core/durable_file.hpp"
#include "gpbo/core/json_text.hpp"

namespace gpbo::cli {
namespace {

using nlohmann::json;

// "--metric-file FILE: /JSON/PATH: what was wrong".
[[noreturn]] void fail_at(const std::string& file, const std::string& where, const std::string& what) {
  throw UsageError("--metric-file " + file + ": " + where + ": " + what);
}

// Fills row `r` of `out` from the JSON array `values` of `cols` numbers at JSON path `path`.
void read_numbers(const json& values, Eigen::Index cols, const std::string& path, Eigen::MatrixXd& out,
                  Eigen::Index r, const std::string& file) {
  const auto fail = [&](const std::string& where, const std::string& what) { fail_at(file, where, what); };
  if (!values.is_array() || static_cast<Eigen::Index>(values.size()) != cols)
    fail(path, "expected an array of " + std::to_string(cols) + " numbers (a row of the dense metric)");
  for (Eigen::Index c = 0; c < cols; ++c) {
    const auto& v = values[static_cast<std::size_t>(c)];
    if (!v.is_number()) fail(path + "/" + std::to_string(c), "expected a number");
    out(r, c) = v.get<double>();
  }
}

Eigen::MatrixXd read_inverse(const json& inv, mcmc::Metric kind, const std::string& file) {
  const std::string path = "/inv_metric";
  const auto n = static_cast<Eigen::Index>(inv.size());
  Eigen::MatrixXd out;
  if (kind == mcmc::Metric::dense) {
    out.resize(n, n);
    for (Eigen::Index r = 0; r < n; ++r)
      read_numbers(inv[static_cast<std::size_t>(r)], n, path + "/" + std::to_string(r), out, r, file);
  } else {
    Eigen::MatrixXd row(1, n);
    read_numbers(inv, n, path, row, 0, file);
    out = row.transpose();
  }
  return out;
}

}  // namespace

MetricFile read_metric_file(const std::string& path) {
  const auto fail = [&](const std::string& where, const std::string& what) { fail_at(path, where, what); };
  json j;
  try {
    j = parse_json_text(read_file(path), path);
  } catch (const std::exception& e) {
    throw UsageError(std::string("--metric-file ") + e.what());
  }
  if (!j.is_object()) fail("/", "expected an object with \"inv_metric\" (CmdStan's metric file)");
  if (const auto unknown = unknown_key(j, {"inv_metric", "stepsize", "metric_type"}))
    fail("/" + unknown->first, unknown->second + " (a metric file holds inv_metric, and optionally stepsize and metric_type)");
  if (!j.contains("inv_metric")) fail("/", "missing \"inv_metric\"");
  const json& inv = j["inv_metric"];
  MetricFile m;
  if (j.contains("stepsize")) {
    const json& s = j["stepsize"];
    if (!s.is_number() || !(s.get<double>() > 0.0)) fail("/stepsize", "expected a positive number");
    m.stepsize = s.get<double>();
  }
  // What --save-metric writes for a unit-metric run: no matrix, the identity, and a step size.
  if (j.contains("metric_type") && j["metric_type"] == "unit_e") {
    if (!inv.is_array() || !std::all_of(inv.begin(), inv.end(), [](const json& v) { return v.is_number() && v == 1.0; }))
      fail("/inv_metric", "expected [] or an array of ones for metric_type \"unit_e\" (the identity)");
    m.kind = mcmc::Metric::unit;
    m.dimension = static_cast<Eigen::Index>(inv.size());
    return m;
  }
  if (!inv.is_array() || inv.empty())
    fail("/inv_metric", "expected a non-empty array: numbers (diagonal) or arrays of numbers (dense)");
  m.kind = inv[0].is_array() ? mcmc::Metric::dense : mcmc::Metric::diag;
  if (j.contains("metric_type")) {
    const json& t = j["metric_type"];
    if (t != "diag_e" && t != "dense_e")
      fail("/metric_type", "expected \"unit_e\", \"diag_e\" or \"dense_e\", got " + t.dump());
    const auto kind = mcmc::parse_metric(t.get<std::string>());
    if (kind != m.kind)
      fail("/inv_metric", std::string("a ") + (m.kind == mcmc::Metric::dense ? "matrix" : "vector") +
                              ", but metric_type is " + t.get<std::string>());
  }
  m.inverse = read_inverse(inv, m.kind, path);
  if (const auto problem = mcmc::inverse_metric_problem(m.kind, m.inverse)) fail("/inv_metric", *problem);
  m.dimension = m.inverse.rows();
  return m;
}

std::string metric_file_json(const mcmc::ChainResult& chain) {
  json inv = json::array();
  const auto& m = chain.inverse_metric;
  if (chain.metric == mcmc::Metric::dense) {
    for (Eigen::Index r = 0; r < m.rows(); ++r) {
      json row = json::array();
      for (Eigen::Index c = 0; c < m.cols(); ++c) row.push_back(m(r, c));
      inv.push_back(row);
    }
  } else {
    for (Eigen::Index r = 0; r < m.rows(); ++r) inv.push_back(m(r, 0));
  }
  const json j = {{"stepsize", chain.stepsize}, {"metric_type", mcmc::metric_name(chain.metric)}, {"inv_metric", inv}};
  return j.dump(2) + "\n";
}

}  // namespace gpbo::cli
