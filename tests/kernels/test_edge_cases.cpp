#include <catch2/catch.hpp>

#include "kernel_checks.hpp"
#include "gpbo/kernels/kernel_parser.hpp"

using namespace gpbo;

namespace {
const std::vector<std::string> kAll = {"se", "matern12(iso)", "matern32", "matern52[1]", "rq", "periodic", "linear(offset)",
                                       "constant", "white", "matern52 * periodic + white", "linear * se + constant"};
}

TEST_CASE("every kernel handles no points and a single point") {
  for (const auto& text : kAll) {
    INFO(text);
    auto k = parse_kernel(text, 2);
    const Eigen::MatrixXd none(0, 2), three = Eigen::MatrixXd::Ones(3, 2), one = Eigen::MatrixXd::Constant(1, 2, 0.3);
    CHECK(k->gram(none).size() == 0);
    CHECK(k->diag(none).size() == 0);
    CHECK(k->eval(none, three).rows() == 0);
    CHECK(k->eval(three, none).cols() == 0);
    const Eigen::VectorXd g0 = k->gram_gradient_contract(none, Eigen::MatrixXd(0, 0));
    CHECK(g0.size() == static_cast<Eigen::Index>(k->num_hyperparameters()));
    CHECK((g0.array() == 0.0).all());
    CHECK(k->input_gradient(one, none).rows() == 0);
    const Eigen::MatrixXd K1 = k->gram(one);
    REQUIRE(K1.size() == 1);
    CHECK(K1(0, 0) == Approx(k->diag(one)(0)));
    CHECK(K1(0, 0) > 0.0);
    const Eigen::VectorXd g1 = k->gram_gradient_contract(one, Eigen::MatrixXd::Ones(1, 1));
    for (std::size_t j = 0; j < k->num_hyperparameters(); ++j) {
      CHECK(g1(static_cast<Eigen::Index>(j)) == Approx(k->gram_gradient(one, j)(0, 0)).margin(1e-14));
    }
  }
}

TEST_CASE("clones are independent and gradients hold for larger problems with duplicate points") {
  auto rng = make_rng(61);
  Eigen::MatrixXd X = gpbo::test::random_matrix(rng, 40, 2);
  X.row(7) = X.row(3);  // a repeated point
  for (const auto& text : kAll) {
    INFO(text);
    auto k = parse_kernel(text, 2);
    gpbo::test::perturb(*k, rng);
    auto c = k->clone();
    Eigen::VectorXd u = c->log_params();
    u.array() += 0.5;
    c->set_log_params(u);
    CHECK((k->log_params() - c->log_params()).cwiseAbs().minCoeff() == Approx(0.5));
    // Contraction identity on the larger problem (duplicates included).
    Eigen::MatrixXd W = gpbo::test::random_matrix(rng, 40, 40);
    W = (W + W.transpose()).eval();
    const Eigen::VectorXd g = k->gram_gradient_contract(X, W);
    for (std::size_t j = 0; j < k->num_hyperparameters(); ++j) {
      const double expected = W.cwiseProduct(k->gram_gradient(X, j)).sum();
      CHECK(g(static_cast<Eigen::Index>(j)) == Approx(expected).epsilon(1e-9).margin(1e-9));
    }
    const double min_eig = Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(k->gram(X)).eigenvalues().minCoeff();
    CHECK(min_eig >= -1e-10 * k->gram(X).cwiseAbs().maxCoeff());
  }
}
