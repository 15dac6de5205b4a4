#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "gpbo/bayesopt/acquisition_search.hpp"
#include "gpbo/bayesopt/design.hpp"
#include "gpbo/bayesopt/failure_model.hpp"
#include "gpbo/bayesopt/surrogate.hpp"
#include "gpbo/bayesopt/test_functions.hpp"

using namespace gpbo::bo;

namespace {

// Two GPs fitted to Branin on 12 Sobol points of the unit cube (different hyperparameters).
struct Fixture {
  Eigen::MatrixXd X;
  Eigen::VectorXd y;
  std::vector<gpbo::GaussianProcess> gps;
  Fixture() {
    auto rng = gpbo::make_rng(3);
    const TestFunction f = branin();
    X = sobol_design(12, 2, rng);
    y.resize(12);
    for (Eigen::Index i = 0; i < 12; ++i)
      y[i] = f(f.lower + (f.upper - f.lower).cwiseProduct(X.row(i).transpose()));
    Surrogate s(2, SurrogateOptions{});
    s.update(X, y, rng);
    gps.push_back(s.models()[0]);
    gpbo::GaussianProcess other = s.models()[0];
    Eigen::VectorXd p = other.params();
    p.array() += 0.3;
    other.set_params(p);
    gps.push_back(other);
    y = s.state().transform.apply(y);
  }
};

}  // namespace

TEST_CASE("acquisition search: value_and_gradient matches batched values and finite differences") {
  const Fixture fx;
  const double best = fx.y.minCoeff();
  // Also weighted by where evaluations fail: here, every point with a > 0.6 failed.
  std::vector<bool> failed;
  for (Eigen::Index i = 0; i < fx.X.rows(); ++i) failed.push_back(fx.X(i, 0) > 0.6);
  const auto failures = FailureModel::fit(fx.X, failed);
  REQUIRE(failures);
  for (const FailureModel* fm : {static_cast<const FailureModel*>(nullptr), &*failures}) {
    for (auto kind : {AcquisitionKind::LogEI, AcquisitionKind::EI, AcquisitionKind::LogPI, AcquisitionKind::UCB,
                      AcquisitionKind::NoisyEI, AcquisitionKind::LogNEI})
      for (std::size_t models : {1u, 2u}) {
        std::vector<const gpbo::GaussianProcess*> ptrs;
        for (std::size_t m = 0; m < models; ++m) ptrs.push_back(&fx.gps[m]);
        const AcquisitionEvaluator acq(ptrs, kind, std::vector<double>(models, best), 2.0, fm);
        for (const auto& pt : {Eigen::RowVector2d(0.3, 0.7), Eigen::RowVector2d(0.81, 0.12), Eigen::RowVector2d(0.5, 0.45)}) {
          INFO(to_string(kind) << " models=" << models << " at " << pt << (fm ? " with failures" : ""));
          Eigen::RowVectorXd g;
          const double v = acq.value_and_gradient(pt, g);
          CHECK(v == Approx(acq.values(Eigen::MatrixXd(pt))[0]).epsilon(1e-10));
          for (Eigen::Index j = 0; j < 2; ++j) {
            Eigen::RowVectorXd a = pt, b = pt;
            const double h = 1e-6;
            a[j] += h;
            b[j] -= h;
            Eigen::RowVectorXd unused;
            const double fd = (acq.value_and_gradient(a, unused) - acq.value_and_gradient(b, unused)) / (2 * h);
            CHECK(g[j] == Approx(fd).epsilon(1e-5).margin(1e-8));
          }
        }
      }
  }
}

TEST_CASE("acquisition search: UCB weighted by the failure model keeps UCB's order and adds log p") {
  // The weighted value is log(tau softplus((best + UCB) / tau)) + log p, tau = 0.03: removing
  // log p must leave a function increasing in UCB's own value, also where (best + UCB) / tau is far
  // beyond +-30 (the stable branches).
  const Fixture fx;
  std::vector<bool> failed;
  for (Eigen::Index i = 0; i < fx.X.rows(); ++i) failed.push_back(fx.X(i, 0) > 0.6);
  const auto failures = FailureModel::fit(fx.X, failed);
  REQUIRE(failures);
  auto rng = gpbo::make_rng(5);
  const Eigen::MatrixXd U = uniform_design(200, 2, rng);
  const Eigen::VectorXd log_p = failures->log_success(U);
  const std::vector<const gpbo::GaussianProcess*> one{&fx.gps[0]};
  const Eigen::VectorXd ucb = AcquisitionEvaluator(one, AcquisitionKind::UCB, {0.0}, 2.0).values(U);
  for (const double best : {fx.y.minCoeff(), -100.0, 100.0}) {
    INFO("best " << best);
    const Eigen::VectorXd w = AcquisitionEvaluator(one, AcquisitionKind::UCB, {best}, 2.0, &*failures).values(U);
    const Eigen::VectorXd unweighted = w - log_p;
    REQUIRE(unweighted.allFinite());
    std::vector<Eigen::Index> order(static_cast<std::size_t>(U.rows()));
    std::iota(order.begin(), order.end(), Eigen::Index{0});
    std::sort(order.begin(), order.end(), [&](Eigen::Index a, Eigen::Index b) { return ucb[a] < ucb[b]; });
    int out_of_order = 0;
    for (std::size_t k = 1; k < order.size(); ++k) out_of_order += unweighted[order[k]] < unweighted[order[k - 1]];
    CHECK(out_of_order == 0);
    // Far below the incumbent tau softplus(s / tau) = tau e^(s / tau), so the log is s / tau +
    // log tau; far above it is s, and the log is log s.
    constexpr double tau = 0.03;
    if (best < -50) CHECK(unweighted[0] == Approx((best + ucb[0]) / tau + std::log(tau)).epsilon(1e-12));
    if (best > 50) CHECK(unweighted[0] == Approx(std::log(best + ucb[0])).epsilon(1e-12));
  }
}

TEST_CASE("acquisition search: finds the maximum of log-EI and never returns an avoided point") {
  const Fixture fx;
  std::vector<const gpbo::GaussianProcess*> ptrs{&fx.gps[0]};
  const AcquisitionEvaluator acq(ptrs, AcquisitionKind::LogEI, {fx.y.minCoeff()}, 0.0);
  Space space;
  space.add(Parameter::real("a", 0, 1)).add(Parameter::real("b", 0, 1));
  auto rng = gpbo::make_rng(11);
  Eigen::Index ib = 0;
  fx.y.minCoeff(&ib);
  const SearchResult r = search_acquisition(acq, space, fx.X, fx.X.row(ib).transpose(), rng);
  // No point of a dense grid beats the search result by more than a little.
  auto grid_rng = gpbo::make_rng(12);
  const Eigen::VectorXd grid_values = acq.values(sobol_design(4096, 2, grid_rng));
  CHECK(r.value >= grid_values.maxCoeff() - 1e-6);
  CHECK_FALSE(is_duplicate(r.u, fx.X, 1e-7));
  // Avoiding the found point forces another one.
  Eigen::MatrixXd avoid(fx.X.rows() + 1, 2);
  avoid << fx.X, r.u.transpose();
  auto rng2 = gpbo::make_rng(11);
  const SearchResult r2 = search_acquisition(acq, space, avoid, fx.X.row(ib).transpose(), rng2);
  CHECK((r2.u - r.u).cwiseAbs().maxCoeff() > 1e-7);
}

TEST_CASE("acquisition search: discrete spaces get valid points and exhaustion is an error") {
  Space space;
  space.add(Parameter::integer("n", 0, 2)).add(Parameter::categorical("c", {std::string("a"), std::string("b")}));
  // A GP on the 3-column encoding with a few observations.
  Eigen::MatrixXd X(3, 3);
  X << 0, 1, 0, 0.5, 0, 1, 1, 1, 0;
  const Eigen::VectorXd y = Eigen::Vector3d(0.3, -1.0, 0.8);
  Surrogate s(3, SurrogateOptions{});
  auto rng = gpbo::make_rng(2);
  s.update(X, y, rng);
  std::vector<const gpbo::GaussianProcess*> ptrs{&s.models()[0]};
  const AcquisitionEvaluator acq(ptrs, AcquisitionKind::LogEI, {s.standardize(-1.0)}, 0.0);
  Eigen::MatrixXd avoid = X;
  for (int k = 0; k < 3; ++k) {  // the 3 remaining of the 6 points, each once
    const SearchResult r = search_acquisition(acq, space, avoid, X.row(1).transpose(), rng);
    CHECK(space.snap(r.u) == r.u);
    CHECK_FALSE(is_duplicate(r.u, avoid, 1e-9));
    avoid.conservativeResize(avoid.rows() + 1, Eigen::NoChange);
    avoid.row(avoid.rows() - 1) = r.u.transpose();
  }
  CHECK_THROWS_AS(search_acquisition(acq, space, avoid, X.row(1).transpose(), rng), std::runtime_error);
}

TEST_CASE("acquisition search: a categorical with many choices scores the unseen categories as one") {
  // 300 categories, 6 of them in the data: the neighbourhood search scores the 6 and one unseen
  // category, since the overlap kernel predicts the same for every unseen one.
  std::vector<Value> choices;
  for (std::int64_t c = 0; c < 300; ++c) choices.emplace_back(c);
  Space space;
  space.add(Parameter::categorical("c", choices)).add(Parameter::real("x", 0.0, 1.0));
  auto rng = gpbo::make_rng(4);
  Eigen::MatrixXd X(12, 301);
  Eigen::VectorXd y(12);
  for (Eigen::Index i = 0; i < 12; ++i) {
    const double x = gpbo::uniform01(rng);
    const std::int64_t c = i % 6;
    X.row(i) = space.encode(Point{{"c", c}, {"x", x}}).transpose();
    y[i] = (x - 0.3) * (x - 0.3) + 0.1 * static_cast<double>(c);
  }
  std::vector<int> group(300);  // the one-hot columns of c
  std::iota(group.begin(), group.end(), static_cast<int>(space.offset(0)));
  Surrogate s(301, SurrogateOptions{}, {group});
  s.update(X, y, rng);
  const gpbo::GaussianProcess& model = s.models()[0];
  Eigen::MatrixXd U(3, 301);
  U.row(0) = space.encode(Point{{"c", std::int64_t{100}}, {"x", 0.4}}).transpose();
  U.row(1) = space.encode(Point{{"c", std::int64_t{250}}, {"x", 0.4}}).transpose();
  U.row(2) = space.encode(Point{{"c", std::int64_t{3}}, {"x", 0.4}}).transpose();
  const gpbo::Prediction p = model.predict(U);
  CHECK(p.mean[0] == p.mean[1]);  // bit for bit: the premise of scoring one unseen category
  CHECK(p.variance[0] == p.variance[1]);
  CHECK(p.mean[2] != p.mean[0]);

  std::vector<const gpbo::GaussianProcess*> ptrs{&model};
  const AcquisitionEvaluator acq(ptrs, AcquisitionKind::LogEI, {s.standardize(y.minCoeff())}, 0.0);
  auto rng1 = gpbo::make_rng(9), rng2 = gpbo::make_rng(9);
  const SearchResult a = search_acquisition(acq, space, X, X.row(0).transpose(), rng1);
  const SearchResult b = search_acquisition(acq, space, X, X.row(0).transpose(), rng2);
  CHECK(a.u == b.u);
  CHECK(space.snap(a.u) == a.u);
  CHECK_FALSE(is_duplicate(a.u, X, 1e-9));
  // The result is at least as good as the best seen category at the best x the search found.
  const Point best = space.decode(a.u);
  Point seen = best;
  seen["c"] = std::int64_t{0};
  CHECK(a.value >= acq.values(space.encode(seen).transpose())[0] - 1e-12);
}

TEST_CASE("acquisition search: Thompson sampling returns a valid new candidate, reproducibly") {
  const Fixture fx;
  Space space;
  space.add(Parameter::real("a", 0, 1)).add(Parameter::real("b", 0, 1));
  auto r1 = gpbo::make_rng(5), r2 = gpbo::make_rng(5);
  SearchOptions o;
  o.thompson_candidates = 300;
  const SearchResult a = thompson_search(fx.gps[0], space, fx.X, fx.X.row(0).transpose(), r1, o);
  const SearchResult b = thompson_search(fx.gps[0], space, fx.X, fx.X.row(0).transpose(), r2, o);
  CHECK(a.u == b.u);
  CHECK_FALSE(is_duplicate(a.u, fx.X, 1e-7));
  CHECK(a.u.minCoeff() >= 0.0);
  CHECK(a.u.maxCoeff() <= 1.0);
}
