#include <catch2/catch.hpp>

#include <cmath>

#include "kernel_checks.hpp"
#include "gpbo/kernels/kernel_parser.hpp"
#include "gpbo/kernels/constant.hpp"
#include "gpbo/kernels/matern.hpp"
#include "gpbo/kernels/product.hpp"
#include "gpbo/kernels/scale.hpp"
#include "gpbo/kernels/squared_exponential.hpp"
#include "gpbo/kernels/sum.hpp"
#include "gpbo/kernels/white.hpp"

using namespace gpbo;
using gpbo::test::check_kernel;
using gpbo::test::random_matrix;

namespace {
KernelPtr scaled_matern(int d) { return std::make_unique<ScaleKernel>(std::make_unique<MaternKernel>(MaternKernel::Nu::FiveHalves, d), 2.0); }
}  // namespace

TEST_CASE("scale kernel multiplies by outputscale and lists it first") {
  auto rng = make_rng(21);
  const Eigen::MatrixXd X = random_matrix(rng, 8, 3);
  auto k = scaled_matern(3);
  const auto hps = k->hyperparameters();
  REQUIRE(hps.size() == 4u);
  CHECK(hps[0].name == "outputscale");
  CHECK(hps[1].name == "lengthscale[0]");
  MaternKernel base(MaternKernel::Nu::FiveHalves, 3);
  CHECK(gpbo::test::max_abs(k->gram(X) - 2.0 * base.gram(X)) < 1e-12);
  gpbo::test::perturb(*k, rng);
  check_kernel(*k, X, rng);
  // A scale of a scale: the inner kernel's names get "base." so that each name is unique (both
  // used to be "outputscale"), and selection by name reaches each one alone.
  ScaleKernel twice(std::make_unique<ScaleKernel>(std::make_unique<MaternKernel>(MaternKernel::Nu::FiveHalves, 3), 3.0), 2.0);
  const auto names = twice.hyperparameters();
  REQUIRE(names.size() == 5u);
  CHECK(names[0].name == "outputscale");
  CHECK(names[1].name == "base.outputscale");
  CHECK(names[2].name == "base.lengthscale[0]");
  twice.set_value("base.outputscale", 5.0);
  CHECK(std::exp(twice.hyperparameters()[1].log_value) == Approx(5.0));
  CHECK(std::exp(twice.hyperparameters()[0].log_value) == Approx(2.0));
  gpbo::test::perturb(twice, rng);
  check_kernel(twice, X, rng);
  const auto copy = twice.clone();
  copy->set_hyperparameters(twice.hyperparameters());  // the prefixed names read back
  CHECK(copy->log_params() == twice.log_params());
}

TEST_CASE("sum and product kernels: gradients, names, contraction") {
  auto rng = make_rng(22);
  const Eigen::MatrixXd X = random_matrix(rng, 8, 2);
  SumKernel sum(scaled_matern(2), std::make_unique<WhiteKernel>(2, 0.1));
  const auto names = sum.hyperparameters();
  REQUIRE(names.size() == 4u);
  CHECK(names[0].name == "k1.outputscale");
  CHECK(names[1].name == "k1.lengthscale[0]");
  CHECK(names[3].name == "k2.noise_variance");
  gpbo::test::perturb(sum, rng);
  check_kernel(sum, X, rng);

  ProductKernel prod(std::make_unique<SquaredExponentialKernel>(2, true, std::vector<int>{0}),
                     std::make_unique<MaternKernel>(MaternKernel::Nu::ThreeHalves, 2, false, std::vector<int>{1}));
  gpbo::test::perturb(prod, rng);
  check_kernel(prod, X, rng);
  ScaleKernel sp(prod.clone());
  check_kernel(sp, X, rng);

  std::vector<KernelPtr> three;
  three.push_back(std::make_unique<ConstantKernel>(2, 0.5));
  three.push_back(std::make_unique<SquaredExponentialKernel>(2));
  three.push_back(std::make_unique<MaternKernel>(MaternKernel::Nu::Half, 2));
  ProductKernel prod3(std::move(three));
  gpbo::test::perturb(prod3, rng);
  check_kernel(prod3, X, rng);
  SumKernel nested(prod3.clone(), sum.clone());
  check_kernel(nested, X, rng);
  CHECK(nested.hyperparameters().back().name == "k2.k2.noise_variance");

  // The surrogate's mixed kernel: main effects plus their interaction, over a periodic and a
  // linear factor too (kernels that keep nothing beside their Gram matrix).
  const Eigen::MatrixXd X5 = random_matrix(rng, 9, 5);
  for (const std::string text : {"matern52[0,1] + se[2,3;4] + matern52[0,1] * se[2,3;4]",
                                 "periodic[0] * se[1;2] + linear[3] * (matern32[4] + white)"}) {
    auto mixed = parse_kernel(text, 5);
    gpbo::test::perturb(*mixed, rng);
    check_kernel(*mixed, X5, rng);
  }
}

TEST_CASE("hyperparameter metadata by name: priors, bounds, fixing, values") {
  SumKernel k(scaled_matern(3), std::make_unique<WhiteKernel>(3, 0.1));
  CHECK(k.set_prior("lengthscale", Prior::log_normal(0.0, 1.0)) == 3u);
  CHECK(k.set_bounds("noise_variance", 1e-6, 1.0) == 1u);
  CHECK(k.fix("k1.lengthscale[1]") == 1u);
  CHECK(k.set_value("outputscale", 3.0) == 1u);
  const auto hps = k.hyperparameters();
  CHECK(hps[1].prior.has_value());
  CHECK(hps[3].prior.has_value());
  CHECK_FALSE(hps[0].prior.has_value());
  CHECK(hps[2].fixed);
  CHECK_FALSE(hps[1].fixed);
  CHECK(hps[0].log_value == Approx(std::log(3.0)));
  CHECK(hps[4].log_lower == Approx(std::log(1e-6)));
  CHECK(hps[4].log_upper == Approx(0.0).margin(1e-15));
  CHECK_THROWS_WITH(k.set_prior("period", Prior::gamma(2, 1)), Catch::Contains("no hyperparameter named 'period'") &&
                                                                  Catch::Contains("k1.lengthscale[0]"));
  CHECK_THROWS_AS(k.set_bounds("lengthscale", 2.0, 1.0), std::invalid_argument);
  // log_prior sums the priors on u and returns their gradients in hyperparameters() order.
  Eigen::VectorXd grad;
  const double lp = k.log_prior(&grad);
  double expected = 0.0;
  for (int i = 1; i <= 3; ++i) expected += Prior::log_normal(0.0, 1.0).log_density(hps[static_cast<std::size_t>(i)].log_value);
  CHECK(lp == Approx(expected));
  REQUIRE(grad.size() == 5);
  CHECK(grad(0) == 0.0);
  CHECK(grad(1) == Approx(-hps[1].log_value));
  CHECK(k.clear_prior("lengthscale") == 3u);
  CHECK(k.log_prior() == 0.0);
  // Clones carry the metadata.
  auto c = k.clone();
  CHECK(c->hyperparameters()[2].fixed);

  // A full name selects that one hyperparameter, not also a nested one whose name ends the same.
  auto nested = parse_kernel("unscaled((se + matern32) * matern52)", 1);
  CHECK(nested->set_value("k2.lengthscale[0]", 0.1) == 1u);
  CHECK(nested->set_value("k2.lengthscale", 0.2) == 1u);
  CHECK(nested->set_value("lengthscale", 0.3) == 3u);  // a bare name still selects every match
  CHECK(nested->set_value("k1.k2.lengthscale[0]", 0.4) == 1u);
  for (const auto& h : nested->hyperparameters()) {
    INFO(h.name);
    if (h.name == "k1.k2.lengthscale[0]") CHECK(std::exp(h.log_value) == Approx(0.4));
    else if (h.name.find("lengthscale") != std::string::npos) CHECK(std::exp(h.log_value) == Approx(0.3));
  }
}

TEST_CASE("without_white drops white terms, products with a white factor, and white inside factors") {
  Rng rng = make_rng(4);
  const Eigen::MatrixXd X1 = random_matrix(rng, 5, 2), X2 = random_matrix(rng, 4, 2);
  struct Case {
    const char* kernel;
    const char* latent;  // the kernel without its white parts ("" = none left)
  };
  for (const Case& c : {Case{"se + white", "se"}, Case{"white * linear + matern52", "matern52"},
                        Case{"(se + white) * linear", "se * linear"}, Case{"scale(se + white)", "scale(se)"},
                        Case{"white", ""}, Case{"scale(white) * se", ""}, Case{"se * rq", "se * rq"}}) {
    INFO(c.kernel);
    const KernelPtr k = parse_kernel(c.kernel, 2);
    CHECK(has_white(*k) == (std::string(c.kernel) != "se * rq"));
    const KernelPtr latent = without_white(*k);
    if (std::string(c.latent).empty()) {
      CHECK(latent == nullptr);
      continue;
    }
    REQUIRE(latent != nullptr);
    CHECK(latent->expression() == parse_kernel(c.latent, 2)->expression());  // the parser's scale(...) included
    // White parts never covary between points, so cross-covariances are the kernel's own.
    CHECK(latent->eval(X1, X2).isApprox(k->eval(X1, X2), 1e-14));
  }
  // (k + white) * linear: the prior variance without the noise is k(x, x) * linear(x, x).
  const KernelPtr k = parse_kernel("(se + white) * linear", 2);
  const KernelPtr linear = parse_kernel("linear", 2);
  CHECK(without_white(*k)->diag(X1).isApprox(linear->diag(X1), 1e-14));  // se(x, x) = 1
  CHECK(k->diag(X1).isApprox(2.0 * linear->diag(X1), 1e-14));            // white's variance 1
}
