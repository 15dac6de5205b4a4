// GaussianProcess against scikit-learn at fixed hyperparameters; values from
// tests/reference/gp_sklearn_reference.py (see its header to regenerate).
#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>

#include "gp_test_util.hpp"

using namespace gpbo;

namespace {
Eigen::MatrixXd matrix(const nlohmann::json& j) {
  Eigen::MatrixXd M(static_cast<Eigen::Index>(j.size()), static_cast<Eigen::Index>(j[0].size()));
  for (Eigen::Index i = 0; i < M.rows(); ++i)
    for (Eigen::Index k = 0; k < M.cols(); ++k) M(i, k) = j[static_cast<std::size_t>(i)][static_cast<std::size_t>(k)].get<double>();
  return M;
}
Eigen::VectorXd vector(const nlohmann::json& j) {
  Eigen::VectorXd v(static_cast<Eigen::Index>(j.size()));
  for (Eigen::Index i = 0; i < v.size(); ++i) v(i) = j[static_cast<std::size_t>(i)].get<double>();
  return v;
}

// The model's evidence, its gradient and its predictions (with noise) against one case.
void check_case(const GaussianProcess& gp, const nlohmann::json& c, const Eigen::MatrixXd& Xs) {
  CHECK(gp.log_marginal_likelihood() == Approx(c["lml"].get<double>()).epsilon(1e-10));
  // Same parameter order as sklearn's theta: log outputscale, log lengthscales, log noise.
  Eigen::VectorXd g;
  CHECK(gp.lml_and_gradient(gp.params(), &g) == Approx(c["lml"].get<double>()).epsilon(1e-10));
  const Eigen::VectorXd g_ref = vector(c["lml_gradient"]);
  REQUIRE(g.size() == g_ref.size());
  for (Eigen::Index i = 0; i < g.size(); ++i) CHECK(g(i) == Approx(g_ref(i)).epsilon(1e-8).margin(1e-10));
  const Prediction p = gp.predict(Xs, {.include_noise = true});
  const Eigen::VectorXd mean = vector(c["mean"]), sd = vector(c["std"]);
  for (Eigen::Index i = 0; i < Xs.rows(); ++i) {
    CHECK(p.mean(i) == Approx(mean(i)).epsilon(1e-8));
    CHECK(std::sqrt(p.variance(i)) == Approx(sd(i)).epsilon(1e-8));
  }
}

// tests/reference/gp_sklearn_reference.json.
nlohmann::json sklearn_reference() {
  std::ifstream in(std::string(GPBO_SOURCE_DIR) + "/tests/reference/gp_sklearn_reference.json");
  REQUIRE(in.good());
  return nlohmann::json::parse(in);
}
}  // namespace

TEST_CASE("gp: log marginal likelihood, its gradient and predictions match scikit-learn") {
  const nlohmann::json ref = sklearn_reference();
  const Eigen::MatrixXd X = matrix(ref["X"]), Xs = matrix(ref["X_test"]);
  const Eigen::VectorXd y = vector(ref["y"]);
  REQUIRE(ref["cases"].size() == 4);
  for (const auto& c : ref["cases"]) {
    const Eigen::VectorXd ls = vector(c["lengthscales"]);
    const double outputscale = c["outputscale"].get<double>();
    KernelPtr k = c["name"] == "rbf" ? test::scaled_rbf(3, outputscale, ls) : test::scaled_matern52(3, outputscale, ls);
    GpOptions o = test::raw_options(MeanOptions::Kind::Zero, c["noise"].get<double>());
    o.standardize_outputs = c["normalize_y"].get<bool>();  // sklearn normalizes with the population sd
    GaussianProcess gp(std::move(k), o);
    gp.set_data(X, y);
    INFO(c["name"].get<std::string>() << " normalize_y=" << c["normalize_y"].get<bool>());
    check_case(gp, c, Xs);
  }
}

TEST_CASE("gp: known per-point noise variances match scikit-learn's alpha array") {
  const nlohmann::json ref = sklearn_reference();
  const Eigen::MatrixXd X = matrix(ref["X"]), Xs = matrix(ref["X_test"]);
  const Eigen::VectorXd y = vector(ref["y"]);
  REQUIRE(ref["point_noise_cases"].size() == 2);
  for (const auto& c : ref["point_noise_cases"]) {
    GpOptions o = test::raw_options(MeanOptions::Kind::Zero, c["noise"].get<double>());
    o.standardize_outputs = c["normalize_y"].get<bool>();
    GaussianProcess gp(test::scaled_matern52(3, c["outputscale"].get<double>(), vector(c["lengthscales"])), o);
    gp.set_data(X, y, vector(c["point_noise_user"]));
    INFO("normalize_y=" << c["normalize_y"].get<bool>());
    check_case(gp, c, Xs);
  }
}
