#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>

#include "gpbo/bayesopt/test_functions.hpp"

using namespace gpbo::bo;

TEST_CASE("test functions: domains, optima and values match the Python reference") {
  std::ifstream in(std::string(GPBO_SOURCE_DIR) + "/tests/reference/bo_testfunctions_reference.json");
  REQUIRE(in.good());
  const auto ref = nlohmann::json::parse(in);
  REQUIRE(ref["functions"].size() == 10);
  for (const auto& r : ref["functions"]) {
    const std::string name = r["name"];
    INFO(name);
    const TestFunction f = test_function(name);
    const auto lower = r["lower"].get<std::vector<double>>(), upper = r["upper"].get<std::vector<double>>();
    REQUIRE(f.dim() == lower.size());
    for (std::size_t i = 0; i < lower.size(); ++i) {
      CHECK(f.lower[static_cast<Eigen::Index>(i)] == lower[i]);
      CHECK(f.upper[static_cast<Eigen::Index>(i)] == upper[i]);
    }
    CHECK(f.fmin == Approx(r["fmin"].get<double>()).epsilon(1e-14));
    for (std::size_t k = 0; k < r["points"].size(); ++k) {
      const auto p = r["points"][k].get<std::vector<double>>();
      const Eigen::VectorXd x = Eigen::Map<const Eigen::VectorXd>(p.data(), static_cast<Eigen::Index>(p.size()));
      CHECK(f(x) == Approx(r["values"][k].get<double>()).epsilon(1e-12).margin(1e-12));
    }
    // The documented minimizer attains the optimum (to the printed digits of the minimizer).
    CHECK(f(f.argmin) == Approx(f.fmin).margin(1e-5));
  }
  CHECK_THROWS_WITH(test_function("braninn"), Catch::Contains("known: branin"));
  CHECK(test_function("ackley3").dim() == 3);
}
