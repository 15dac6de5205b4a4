#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>

#include "gpbo/kernels/kernel_parser.hpp"

using namespace gpbo;
using nlohmann::json;

namespace {
Eigen::MatrixXd to_matrix(const json& rows) {
  Eigen::MatrixXd M(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(rows.at(0).size()));
  for (Eigen::Index i = 0; i < M.rows(); ++i)
    for (Eigen::Index j = 0; j < M.cols(); ++j) M(i, j) = rows.at(static_cast<std::size_t>(i)).at(static_cast<std::size_t>(j)).get<double>();
  return M;
}
}  // namespace

TEST_CASE("kernels match scikit-learn's Gram matrices and log-hyperparameter gradients") {
  std::ifstream in(std::string(GPBO_SOURCE_DIR) + "/tests/reference/kernels_sklearn_reference.json");
  REQUIRE(in.good());
  const json ref = json::parse(in);
  REQUIRE(ref["cases"].size() >= 9u);
  for (const auto& c : ref["cases"]) {
    INFO(c["name"].get<std::string>());
    const Eigen::MatrixXd X = to_matrix(c["X"]);
    auto k = parse_kernel(c["kernel"].get<std::string>(), static_cast<int>(X.cols()));
    const auto& lp = c["log_params"];
    REQUIRE(k->num_hyperparameters() == lp.size());
    Eigen::VectorXd u(static_cast<Eigen::Index>(lp.size()));
    for (Eigen::Index i = 0; i < u.size(); ++i) u(i) = lp[static_cast<std::size_t>(i)].get<double>();
    k->set_log_params(u);
    const Eigen::MatrixXd K = to_matrix(c["K"]);
    CHECK((k->gram(X) - K).cwiseAbs().maxCoeff() < 1e-12);
    if (!c.contains("dK")) continue;
    REQUIRE(c["dK"].size() == lp.size());
    for (std::size_t j = 0; j < lp.size(); ++j) {
      INFO("hyperparameter " << k->hyperparameters()[j].name);
      CHECK((k->gram_gradient(X, j) - to_matrix(c["dK"][j])).cwiseAbs().maxCoeff() < 1e-11);
    }
  }
}
