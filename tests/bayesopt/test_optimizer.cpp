#include <catch2/catch.hpp>

#include <algorithm>
#include <numeric>
#include <cmath>
#include <limits>
#include <random>
#include <set>
#include <vector>

#include "gpbo/bayesopt/optimizer.hpp"
#include "gpbo/bayesopt/optimizer_state.hpp"
#include "gpbo/bayesopt/test_functions.hpp"
#include "optimizer_test_util.hpp"

using namespace gpbo::bo;
using namespace optimizer_test;

namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t h = v.size() / 2;
  return v.size() % 2 == 1 ? v[h] : 0.5 * (v[h - 1] + v[h]);
}

// A 3 x 2 finite space: integer a in 1..3, categorical c in {x, y}.
Space six_point_space() {
  Space space;
  space.add(Parameter::integer("a", 1, 3)).add(Parameter::categorical("c", {std::string("x"), std::string("y")}));
  return space;
}

// An optimizer over six_point_space() with `initial_points` design points.
Optimizer six_point_optimizer(std::uint64_t seed, std::size_t initial_points) {
  OptimizerOptions o;
  o.seed = seed;
  o.initial_points = initial_points;
  return Optimizer(six_point_space(), o);
}
// The distinct (a, c) points of the optimizer's history.
std::set<std::pair<std::int64_t, std::string>> points_seen(const Optimizer& opt) {
  std::set<std::pair<std::int64_t, std::string>> seen;
  for (const auto& t : opt.history())
    seen.emplace(std::get<std::int64_t>(t.point.at("a")), std::get<std::string>(t.point.at("c")));
  return seen;
}

}  // namespace

TEST_CASE("optimizer: finds Branin's minimum within 40 evaluations") {
  const TestFunction f = branin();
  Optimizer opt(f.space(), small_options(1));
  for (int i = 0; i < 40; ++i) {
    const Suggestion s = opt.ask();
    opt.tell(s.id, evaluate(f, s.point));
  }
  REQUIRE(opt.best());
  CHECK(opt.best()->value - f.fmin < 0.01);
  CHECK(opt.last_warning().empty());
  // Random search at 40 evaluations is typically ~1 away: the check can fail.
}

TEST_CASE("optimizer: maximization negates internally") {
  // Maximizing -f must take exactly the path minimizing f takes: same suggestions, best negated.
  const TestFunction f = branin();
  Optimizer minimizer(f.space(), small_options(2));
  Optimizer maximizer(f.space(), [] {
    auto o = small_options(2);
    o.goal = Goal::Maximize;
    return o;
  }());
  for (int i = 0; i < 20; ++i) {
    const Suggestion a = minimizer.ask(), b = maximizer.ask();
    REQUIRE(same_point(a.point, b.point));
    minimizer.tell(a.id, evaluate(f, a.point));
    maximizer.tell(b.id, -evaluate(f, b.point));
  }
  CHECK(maximizer.best()->value == -minimizer.best()->value);
  CHECK(same_point(maximizer.best()->point, minimizer.best()->point));
}

TEST_CASE("optimizer: objectives in huge or tiny units are optimized like Branin itself") {
  // 1e200: the squared deviations overflow a plain sd; 1e-200: they underflow. Either used to
  // leave the GP a constant, and the suggestions went to the corners.
  const TestFunction f = branin();
  for (double unit : {1e200, 1e-200}) {
    INFO("unit " << unit);
    Optimizer opt(f.space(), small_options(1));
    for (int i = 0; i < 40; ++i) {
      const Suggestion s = opt.ask();
      opt.tell(s.id, unit * evaluate(f, s.point));
    }
    CHECK(opt.best()->value / unit - f.fmin < 0.01);
    CHECK(opt.recommend()->value / unit - f.fmin < 0.01);
    CHECK(opt.last_warning().empty());
  }
}

TEST_CASE("optimizer: penalty values (1e30 for a third of the domain) do not blind the model") {
  // Branin where x0 > 5 "cannot be evaluated" and returns a huge penalty, as objectives often do.
  // Standardized with the penalties, the other values differed by nothing (this run ended 1.71
  // above the minimum); now penalties are failures to the model.
  const TestFunction f = branin();
  for (double penalty : {1e30, std::numeric_limits<double>::max()}) {
    INFO("penalty " << penalty);
    Optimizer opt(f.space(), small_options(1));
    int penalties = 0;
    for (int i = 0; i < 40; ++i) {
      const Suggestion s = opt.ask();
      const bool bad = std::get<double>(s.point.at("x0")) > 5.0;
      penalties += bad;
      opt.tell(s.id, bad ? penalty : evaluate(f, s.point));
    }
    CHECK(opt.best()->value - f.fmin < 0.01);
    CHECK(penalties <= 12);
  }
}

TEST_CASE("optimizer: a penalty constant only a few ranges above the values does not blind the model") {
  // Branin where x1 > 5 (two thirds of the domain) returns 1000: values elsewhere span 0.4-300.
  // As data, the 1000s made the standardized differences near the minimum tiny (bo_bench, 20
  // seeds: median regret 0.56); as a repeated constant above a gap they are now penalties.
  const TestFunction f = branin();
  for (std::uint64_t seed : {1, 2, 3}) {
    INFO("seed " << seed);
    Optimizer opt(f.space(), small_options(seed));
    for (int i = 0; i < 40; ++i) {
      const Suggestion s = opt.ask();
      opt.tell(s.id, std::get<double>(s.point.at("x1")) > 5.0 ? 1000.0 : evaluate(f, s.point));
    }
    CHECK(opt.best()->value - f.fmin < 0.01);
  }
}

TEST_CASE("optimizer: a value found to be a penalty later leaves the GP, and save/load still continues exactly") {
  // With two other values, 1e30 cannot be told from a steep objective yet and enters the GP; the
  // third value reveals it, and the surrogate refits without it.
  const TestFunction f = branin();
  OptimizerOptions o = small_options(3);
  o.initial_points = 3;
  Optimizer a(f.space(), o);
  auto ids_of = [](const Optimizer& opt) { return optimizer_to_json(opt)["surrogate_ids"].get<std::vector<std::uint64_t>>(); };
  for (int i = 0; i < 8; ++i) {
    const Suggestion s = a.ask();
    if (i == 3) CHECK(ids_of(a) == std::vector<std::uint64_t>{0, 1, 2});  // asked with 0-2 told
    if (i == 4) CHECK(ids_of(a) == std::vector<std::uint64_t>{0, 1, 3});  // 2 revealed as a penalty
    a.tell(s.id, i == 2 ? 1e30 : evaluate(f, s.point));
  }
  const std::vector<std::uint64_t> held = ids_of(a);
  CHECK(std::find(held.begin(), held.end(), 2) == held.end());
  CHECK(a.recommend()->id != 2);
  Optimizer b = optimizer_from_json(nlohmann::json::parse(optimizer_to_json(a).dump()));
  for (int i = 0; i < 4; ++i) {
    const Suggestion sa = a.ask(), sb = b.ask();
    CHECK(same_point(sa.point, sb.point));
    a.tell(sa.id, evaluate(f, sa.point));
    b.tell(sb.id, evaluate(f, sb.point));
  }
}

TEST_CASE("optimizer: pending points are never re-proposed and batches are distinct") {
  const TestFunction f = hartmann3();
  Optimizer opt(f.space(), small_options(3));
  const auto first = opt.ask(12);  // 10 design points then 2 with everything pending
  for (std::size_t i = 0; i < 8; ++i) opt.tell(first[i].id, evaluate(f, first[i].point));
  const auto batch = opt.ask(4);   // model-based, 4 still pending from before + the batch itself
  std::vector<Trial> all = opt.history();
  for (std::size_t i = 0; i < all.size(); ++i)
    for (std::size_t j = 0; j < i; ++j) CHECK((all[i].u - all[j].u).cwiseAbs().maxCoeff() > 1e-7);
  CHECK(opt.pending().size() == 8);
  CHECK(batch.back().id == 15);
}

TEST_CASE("optimizer: ask(q) stops at the budget, counting pending points") {
  // Before: with a budget of 5 and 4 told, ask(4) returned 4 points, ask(100) 100, and the
  // README's `while (!should_stop()) ask(3)` loop ended at 31 evaluations of a budget of 30.
  auto o = small_options(2);
  o.stop.max_evaluations = 5;
  const TestFunction f = branin();
  Optimizer opt(f.space(), o);
  for (int i = 0; i < 4; ++i) {
    const Suggestion s = opt.ask();
    opt.tell(s.id, evaluate(f, s.point));
  }
  CHECK(opt.ask(100).size() == 1);  // pending now: the budget is used up
  CHECK(opt.ask(3).empty());
  o.stop.max_evaluations = 30;
  Optimizer loop(f.space(), o);
  while (!loop.should_stop())
    for (const Suggestion& s : loop.ask(4)) loop.tell(s.id, evaluate(f, s.point));
  CHECK(loop.evaluations() == 30);
}

TEST_CASE("optimizer: an abandoned suggestion frees its budget, is no failure, and survives save/load") {
  // A worker that died held its pending point for ever: the budget stayed used, and the only way
  // out, tell_failure, taught the failure model that the region fails.
  auto o = small_options(4);
  o.stop.max_evaluations = 5;
  const TestFunction f = branin();
  Optimizer opt(f.space(), o);
  for (int i = 0; i < 3; ++i) {
    const Suggestion s = opt.ask();
    opt.tell(s.id, evaluate(f, s.point));
  }
  const auto held = opt.ask(2);
  REQUIRE(held.size() == 2);
  CHECK(opt.ask(1).empty());  // budget: 3 told + 2 pending
  opt.abandon(held[0].id);
  CHECK(opt.pending() == std::vector<std::uint64_t>{held[1].id});
  CHECK(opt.evaluations() == 3);
  CHECK(opt.history()[held[0].id].status == TrialStatus::Abandoned);
  CHECK_THROWS_WITH(opt.tell(held[0].id, 1.0), "suggestion id 3 was abandoned");
  CHECK_THROWS_WITH(opt.abandon(held[0].id), "suggestion id 3 was abandoned");
  CHECK_THROWS_WITH(opt.abandon(0), "suggestion id 0 was already told (ok)");
  const auto again = opt.ask(3);
  REQUIRE(again.size() == 1);  // its place in the budget is free again
  CHECK(again[0].id == 5);
  Optimizer loaded = optimizer_from_json(nlohmann::json::parse(optimizer_to_json(opt).dump()));
  CHECK(loaded.history()[held[0].id].status == TrialStatus::Abandoned);
  CHECK(loaded.pending() == opt.pending());
  opt.tell(held[1].id, 1.0);
  opt.tell(again[0].id, 2.0);
  CHECK(opt.stop_reason() == std::optional<std::string>("budget"));
}

TEST_CASE("optimizer: a batch's results told in any order lead to the same next suggestions") {
  // Parallel workers finish in whatever order; modeling results by id makes the run depend on
  // the seed alone once a whole batch is told (gpbo tune's "synchronous" runs).
  const TestFunction f = branin();
  auto run = [&](bool reversed) {
    Optimizer opt(f.space(), small_options(6));
    for (int round = 0; round < 4; ++round) {
      auto batch = opt.ask(4);
      if (reversed) std::reverse(batch.begin(), batch.end());
      for (const auto& s : batch) opt.tell(s.id, evaluate(f, s.point));
    }
    const Point next = opt.ask().point;
    return std::pair{next, optimizer_to_json(opt)["ok_order"]};
  };
  const auto [in_order, order_a] = run(false);
  const auto [reversed, order_b] = run(true);
  CHECK(same_point(in_order, reversed));
  CHECK(order_a == order_b);
  CHECK(std::is_sorted(order_a.begin(), order_a.end()));
}

TEST_CASE("optimizer: a finite space is suggested point by point until it is exhausted") {
  Optimizer opt = six_point_optimizer(4, 2);
  const auto first = opt.ask(4);
  CHECK(opt.points_left() == std::optional<std::uint64_t>(2));
  for (const auto& s : first) opt.tell(s.id, static_cast<double>(std::get<std::int64_t>(s.point.at("a"))));
  const auto rest = opt.ask(5);  // only 2 points are left
  REQUIRE(rest.size() == 2);
  CHECK(opt.stop_reason() == std::optional<std::string>("exhausted"));
  CHECK_THROWS_AS(opt.ask(), SpaceExhausted);
  CHECK(points_seen(opt).size() == 6);  // every point once
  CHECK(opt.ask(3).empty());
  // Points told several times count once (the count used to be of trials: 3 left, ask(5) gave 3).
  Optimizer again = six_point_optimizer(4, 2);
  const Point zero = again.ask().point;
  again.tell(0, 1.0);
  for (int i = 0; i < 2; ++i) again.tell(zero, 1.0);
  CHECK(again.points_left() == std::optional<std::uint64_t>(5));
  CHECK(again.ask(5).size() == 5);
}

TEST_CASE("optimizer: an enqueued point is suggested in an exhausted space; abandoned points wait for enqueue()") {
  Optimizer opt = six_point_optimizer(4, 2);
  for (const auto& s : opt.ask(6)) opt.tell(s.id, 1.0);
  REQUIRE(opt.stop_reason() == std::optional<std::string>("exhausted"));
  const Point again = opt.history()[2].point;
  opt.enqueue(again);  // "suggested as given, even if evaluated before"
  CHECK_FALSE(opt.should_stop());
  const auto batch = opt.ask(3);
  REQUIRE(batch.size() == 1);
  CHECK(same_point(batch[0].point, again));
  opt.tell(batch[0].id, 1.0);
  CHECK_THROWS_AS(opt.ask(), SpaceExhausted);
  // An abandoned point is not suggested again by itself, so it is not "left": enqueue() brings it back.
  Optimizer b = six_point_optimizer(4, 2);
  const auto all = b.ask(6);
  for (std::size_t i = 0; i < 5; ++i) b.tell(all[i].id, 1.0);
  b.abandon(all[5].id);
  CHECK(b.points_left() == std::optional<std::uint64_t>(0));
  CHECK(b.stop_reason() == std::optional<std::string>("exhausted"));
  b.enqueue(all[5].point);
  const Suggestion back = b.ask();
  CHECK(same_point(back.point, all[5].point));
}

TEST_CASE("optimizer: a duplicate tolerance wider than a finite space's grid hides none of its points") {
  // Ten integers are 1/9 apart in the cube; duplicate_tolerance 0.2 made ask(10) throw after
  // four suggestions, which stayed pending with ids the caller never saw.
  Space space({Parameter::integer("k", 0, 9)});
  auto o = small_options(2);
  o.search.duplicate_tolerance = 0.2;
  Optimizer opt(space, o);
  const auto batch = opt.ask(10);
  REQUIRE(batch.size() == 10);
  std::set<std::int64_t> seen;
  for (const auto& s : batch) seen.insert(std::get<std::int64_t>(s.point.at("k")));
  CHECK(seen.size() == 10);
  CHECK(opt.options().search.duplicate_tolerance == 0.2);  // the user's setting is kept as given
}

TEST_CASE("optimizer: a categorical parameter with more choices than Sobol has dimensions") {
  // 4000 one-hot columns: Boost's Sobol stops at 3667, and the constructor used to throw. (A
  // model-based suggestion then takes seconds: its neighbourhood search scores every choice.)
  std::vector<Value> choices;
  for (int i = 0; i < 4000; ++i) choices.emplace_back("c" + std::to_string(i));
  Space space({Parameter::categorical("c", choices), Parameter::real("x", 0, 1)});
  auto o = small_options(5);
  o.initial_points = 8;
  Optimizer opt(space, o);
  std::set<std::string> chosen;
  for (const auto& s : opt.ask(8)) chosen.insert(std::get<std::string>(s.point.at("c")));
  CHECK(chosen.size() == 8);
}

TEST_CASE("optimizer: points told or enqueued carry their parameters' types, as suggestions do") {
  Space space;
  space.add(Parameter::real("x", -1, 1))
      .add(Parameter::integer("layers", 1, 8))
      .add(Parameter::categorical("width", {Value{64.0}, Value{std::string("wide")}}));
  Optimizer opt(space, small_options(3));
  opt.enqueue({{"x", std::int64_t{0}}, {"layers", 4.0}, {"width", std::int64_t{64}}});
  const Suggestion s = opt.ask();
  CHECK(std::holds_alternative<double>(s.point.at("x")));
  CHECK(std::get<std::int64_t>(s.point.at("layers")) == 4);
  CHECK(std::holds_alternative<double>(s.point.at("width")));
  opt.tell(s.id, 1.0);
  const auto id = opt.tell(Point{{"x", std::int64_t{1}}, {"layers", 2.0}, {"width", "wide"}}, 0.5);
  const Trial& t = opt.history().at(id);
  CHECK(std::get<double>(t.point.at("x")) == 1.0);
  CHECK(std::get<std::int64_t>(t.point.at("layers")) == 2);
  CHECK(std::get<double>(opt.best()->point.at("x")) == 1.0);
  CHECK_THROWS_AS(opt.tell(Point{{"x", 0.0}, {"layers", 2.5}, {"width", "wide"}}, 1.0), SpaceError);
}

TEST_CASE("optimizer: a finite space where most points fail is still walked to exhaustion") {
  // Failures send the design past its rows, to points drawn by the failure model's weights;
  // in a small finite space those draws soon hit only evaluated points and must fall back.
  Optimizer opt = six_point_optimizer(6, 4);
  for (int i = 0; i < 6; ++i) {
    const Suggestion s = opt.ask();
    const bool works = std::get<std::string>(s.point.at("c")) == "y" && std::get<std::int64_t>(s.point.at("a")) == 1;
    if (works) opt.tell(s.id, 1.0);
    else opt.tell_failure(s.id, "crashed");
  }
  CHECK(opt.points_left() == std::optional<std::uint64_t>(0));
  CHECK_THROWS_AS(opt.ask(), SpaceExhausted);
  CHECK(points_seen(opt).size() == 6);
}

TEST_CASE("optimizer: bad tells are failures or clear errors; duplicates are harmless") {
  const TestFunction f = branin();
  Optimizer opt(f.space(), small_options(4));
  auto s = opt.ask(12);
  opt.tell(s[0].id, std::numeric_limits<double>::quiet_NaN());
  opt.tell(s[1].id, std::numeric_limits<double>::infinity());
  opt.tell_failure(s[2].id, "crashed");
  CHECK(opt.history()[0].status == TrialStatus::Failed);
  CHECK(opt.history()[0].reason == "non-finite value nan");
  CHECK(opt.history()[1].reason == "non-finite value inf");
  CHECK(opt.history()[2].reason == "crashed");
  CHECK_THROWS_WITH(opt.tell(s[0].id, 1.0), Catch::Contains("already told (failed)"));
  CHECK_THROWS_WITH(opt.tell(99, 1.0), Catch::Contains("unknown suggestion id 99"));
  CHECK_THROWS_AS(opt.tell(Point{{"x0", 20.0}, {"x1", 1.0}}, 1.0), SpaceError);
  for (std::size_t i = 3; i < 12; ++i) opt.tell(s[i].id, evaluate(f, s[i].point));
  // The same never-asked point told three times, with different values.
  const Point p = {{"x0", 1.0}, {"x1", 2.0}};
  for (double v : {5.0, 5.5, 4.9}) CHECK_NOTHROW(opt.tell(p, v));
  CHECK_FALSE(opt.history().back().asked);
  for (int i = 0; i < 3; ++i) {
    const Suggestion n = opt.ask();
    opt.tell(n.id, evaluate(f, n.point));
  }
  CHECK(opt.last_warning().empty());
  CHECK(opt.evaluations() == 18);
  CHECK(opt.best()->value < 5.0);
}

TEST_CASE("optimizer: fast and Thompson modes run, and stopping rules apply") {
  const TestFunction f = branin();
  auto o = OptimizerOptions::preset_fast();
  o.seed = 6;
  o.stop.max_evaluations = 25;
  Optimizer opt(f.space(), o);
  while (!opt.should_stop()) {
    const Suggestion s = opt.ask();
    opt.tell(s.id, evaluate(f, s.point));
  }
  CHECK(opt.stop_reason() == std::optional<std::string>("budget"));
  CHECK(opt.evaluations() == 25);
  CHECK(opt.best()->value - f.fmin < 0.5);

  auto t = small_options(7);
  t.acquisition = AcquisitionKind::Thompson;
  t.search.thompson_candidates = 300;
  t.stop.target = 1.0;
  t.stop.patience = 15;
  Optimizer ts(f.space(), t);
  for (int i = 0; i < 40 && !ts.should_stop(); ++i) {
    const Suggestion s = ts.ask();
    ts.tell(s.id, evaluate(f, s.point));
  }
  REQUIRE(ts.should_stop());
  CHECK(ts.last_warning().empty());
  const auto reason = *ts.stop_reason();
  CHECK((reason == "target" || reason == "patience"));
  if (reason == "target") CHECK(ts.best()->value <= 1.0);
}

TEST_CASE("optimizer: stop.patience counts from the end of the initial design, or from a later best") {
  // Before: patience 5 stopped at evaluation 6, inside the 10-point space-filling design.
  auto o = small_options(3);
  o.initial_points = 10;
  o.stop.patience = 5;
  Optimizer opt(branin().space(), o);
  std::size_t told = 0;
  while (!opt.should_stop()) opt.tell(opt.ask().id, told++ == 0 ? 0.0 : 1.0);
  CHECK(opt.stop_reason() == std::optional<std::string>("patience"));
  CHECK(told == 15);
  // A best found after the design restarts the count: evaluation 13 improves, so 13 + 5.
  Optimizer later(branin().space(), o);
  told = 0;
  while (!later.should_stop()) later.tell(later.ask().id, ++told == 13 ? -1.0 : 1.0);
  CHECK(told == 18);
  // Observations told without asking (a warm start) are not this search's attempts: 30 of them
  // do not end the run before its first suggestion.
  Optimizer warm(branin().space(), o);
  for (int i = 0; i < 30; ++i) warm.tell(Point{{"x0", -5.0 + 0.5 * i}, {"x1", 7.0}}, 100.0 - i);
  CHECK_FALSE(warm.should_stop());
  told = 0;
  while (!warm.should_stop()) warm.tell(warm.ask().id, 1000.0 + static_cast<double>(told++));
  CHECK(told == 5);  // no initial design after 30 points: the count starts at the first suggestion
}

TEST_CASE("optimizer: mixed spaces, enqueued points, options JSON") {
  Space space;
  space.add(Parameter::real("lr", 1e-4, 1e-1, Scale::Log))
      .add(Parameter::integer("layers", 1, 6))
      .add(Parameter::categorical("act", {std::string("relu"), std::string("tanh")}))
      .add(Parameter::fixed("seed", std::int64_t{1}));
  Optimizer opt(space, small_options(8));
  opt.enqueue({{"lr", 0.01}, {"layers", std::int64_t{3}}, {"act", std::string("tanh")}});
  opt.enqueue({{"lr", 0.01}, {"layers", std::int64_t{3}}, {"act", std::string("tanh")}});  // suggested once
  const Suggestion first = opt.ask();
  CHECK(std::get<std::int64_t>(first.point.at("layers")) == 3);
  CHECK_FALSE(same_point(opt.ask(1).front().point, first.point));
  opt.tell_failure(1, "not needed here");
  auto objective = [](const Point& p) {
    const double lr = std::log10(std::get<double>(p.at("lr")));
    return (lr + 2.5) * (lr + 2.5) + 0.1 * std::abs(static_cast<double>(std::get<std::int64_t>(p.at("layers"))) - 4) +
           (std::get<std::string>(p.at("act")) == "relu" ? 0.0 : 0.5);
  };
  opt.tell(first.id, objective(first.point));
  for (int i = 0; i < 20; ++i) {
    const Suggestion s = opt.ask();
    CHECK_NOTHROW(space.validate(s.point));
    opt.tell(s.id, objective(s.point));
  }
  CHECK(opt.best()->value < 0.3);

  const auto o = options_from_json(nlohmann::json::parse(R"({"noise": 0.5, "acquisition": "ucb", "stop": {"target": 1}})"));
  CHECK(o.surrogate.noise == NoiseMode::Fixed);
  CHECK(o.surrogate.noise_sd == 0.5);
  CHECK(o.acquisition == AcquisitionKind::UCB);
  CHECK(*o.stop.target == 1.0);
  CHECK(options_to_json(options_from_json(options_to_json(o))) == options_to_json(o));
  CHECK_THROWS_WITH(options_from_json(nlohmann::json::parse(R"({"acquisiton": "ei"})")),
                    "/options/acquisiton: unknown key \"acquisiton\" (did you mean \"acquisition\"?)");
  CHECK_THROWS_WITH(options_from_json(nlohmann::json::parse(R"({"noise": "loud"})")),
                    Catch::StartsWith("/options/noise: expected \"auto\", \"none\""));
  CHECK_THROWS_WITH(options_from_json(nlohmann::json::parse(R"({"stop": {"patience": -1}})")),
                    "/options/stop/patience: expected a non-negative integer");
  // Counts beyond the option's type are refused (2^32 restarts used to become 0).
  CHECK_THROWS_WITH(options_from_json(nlohmann::json::parse(R"({"fit_restarts": 4294967296})")),
                    "/options/fit_restarts: expected a non-negative integer at most 2147483647, got 4294967296");
  CHECK_THROWS_WITH(options_from_json(nlohmann::json::parse(R"({"search": {"neighbourhood_rounds": 4294967296}})")),
                    Catch::StartsWith("/options/search/neighbourhood_rounds: expected a non-negative integer at most"));
  CHECK_THROWS_WITH(options_from_json(nlohmann::json::parse(R"({"fit_threads": 4294967297})")),
                    "/options/fit_threads: expected a non-negative integer at most 4294967295, got 4294967297");
  CHECK_THROWS_WITH(optimizer_from_json(nlohmann::json::parse(R"({"format": "x"})")), Catch::Contains("not a gpbo optimizer state"));
}

namespace {
/// Distance (max norm, encoded) from the incumbent to the first model-based suggestion of a
/// log-PI run on Branin with margin xi.
double first_step_from_incumbent(std::uint64_t seed, double xi) {
  const TestFunction f = branin();
  auto o = small_options(seed);
  o.acquisition = AcquisitionKind::LogPI;
  o.xi = xi;
  Optimizer opt(f.space(), o);
  for (std::size_t i = 0; i < o.initial_points; ++i) {
    const Suggestion s = opt.ask();
    opt.tell(s.id, evaluate(f, s.point));
  }
  const Eigen::VectorXd incumbent = opt.best()->u;
  return (opt.space().encode(opt.ask().point) - incumbent).cwiseAbs().maxCoeff();
}
}  // namespace

TEST_CASE("optimizer: the improvement margin xi makes PI look beyond the incumbent") {
  OptimizerOptions o;
  o.acquisition = AcquisitionKind::LogPI;
  CHECK(o.improvement_margin() == 0.01);  // PI's default margin
  o.acquisition = AcquisitionKind::LogEI;
  CHECK(o.improvement_margin() == 0.0);
  o.xi = 0.3;
  CHECK(o.improvement_margin() == 0.3);
  o.xi = -0.1;
  CHECK_THROWS_WITH(Optimizer(branin().space(), o), "OptimizerOptions: xi must be finite and >= 0, got -0.1");

  // Without a margin PI steps next to the incumbent; a margin of one standard deviation makes
  // it search where an improvement that large is plausible, farther away. (Seeds 3-7: seeds 1,
  // 2 and 8 leave the incumbent's basin with either margin.)
  double near = 0.0, far = 0.0;
  for (std::uint64_t seed = 3; seed <= 7; ++seed) {
    const double d0 = first_step_from_incumbent(seed, 0.0), d1 = first_step_from_incumbent(seed, 1.0);
    INFO("seed " << seed << ": xi 0 steps " << d0 << ", xi 1 steps " << d1);
    CHECK(d0 < 0.1);
    CHECK(d1 > d0);
    near += d0;
    far += d1;
  }
  CHECK(far > near + 1.0);

  // JSON: a number, or null for the acquisition's default.
  CHECK(*options_from_json(nlohmann::json::parse(R"({"xi": 0.2})")).xi == 0.2);
  CHECK_FALSE(options_from_json(nlohmann::json::parse(R"({"xi": null})")).xi);
  CHECK(options_to_json(OptimizerOptions{})["xi"].is_null());
  CHECK_THROWS_WITH(options_from_json(nlohmann::json::parse(R"({"xi": -1})")),
                    "/options/xi: expected a margin >= 0 (standardized units) or null");
  CHECK_THROWS_WITH(options_from_json(nlohmann::json::parse(R"({"xi": "big"})")), "/options/xi: expected a number");
}

namespace {
/// A small, fast mcmc-mode optimizer on Branin, after `evaluations` asks and tells.
Optimizer mcmc_branin_run(std::uint64_t seed, int evaluations) {
  const TestFunction f = branin();
  auto o = OptimizerOptions::preset_mcmc();
  o.seed = seed;
  o.surrogate.mcmc_samples = 4;
  o.search.candidates = 300;
  Optimizer opt(f.space(), o);
  for (int i = 0; i < evaluations; ++i) {
    const Suggestion s = opt.ask();
    opt.tell(s.id, evaluate(f, s.point));
  }
  return opt;
}
}  // namespace

TEST_CASE("optimizer: mcmc mode averages the acquisition over hyperparameter samples") {
  // The sampler's metric is estimated at the first model (10 points) and kept, with only the
  // step size re-tuned, while the data has grown by less than a quarter: the next ask after 12
  // tells keeps it, the one after 13 re-estimates it.
  const int evaluations = GENERATE(12, 13);
  Optimizer opt = mcmc_branin_run(9, evaluations);
  CHECK(opt.last_warning().empty());
  const auto& models = opt.surrogate().models();
  REQUIRE(models.size() == 4);
  CHECK(models[0].params() != models[3].params());
  const SurrogateState& sampled = opt.surrogate().state();
  CHECK(sampled.mcmc_stepsize > 0.0);
  CHECK(sampled.mcmc_inverse_metric.size() == models[0].params().size());
  CHECK(sampled.mcmc_metric_size == 10);
  // The samples and the adaptation are restored from the state, so suggestions continue identically.
  Optimizer b = optimizer_from_json(optimizer_to_json(opt));
  CHECK(same_point(opt.ask().point, b.ask().point));
  CHECK(opt.surrogate().state().mcmc_metric_size == (evaluations == 12 ? 10u : 13u));
  CHECK(b.surrogate().state().mcmc_inverse_metric == opt.surrogate().state().mcmc_inverse_metric);
}

TEST_CASE("optimizer: mcmc mode makes progress on Branin across seeds") {
  // One seed after a handful of evaluations is a coin flip, so this looks at the median of 8
  // seeds after 20 evaluations (10 of them the initial design); uniform random search has a
  // median regret of 1.8 there (tests/reference/branin_random_search.py).
  std::vector<double> regrets;
  for (std::uint64_t seed = 1; seed <= 8; ++seed) regrets.push_back(mcmc_branin_run(seed, 20).best()->value - branin().fmin);
  CHECK(median(regrets) < 0.8);
}

TEST_CASE("optimizer: recommend() picks by posterior mean, which beats best() under noise") {
  // Branin with noise of sd 2 (its values span about 300): best() returns the luckiest
  // observation, recommend() the point the model believes best. Compared on the noise-free values
  // over 20 seeds after 50 evaluations, where recommend() was better on 11 seeds, worse on 4, and
  // its mean regret 0.55 times best()'s. (At 30 evaluations the gap is small, as the noise, 1% of
  // Branin's range, is not yet told apart from the function: bo_bench --objective-noise 2 with
  // 500 candidates, medians over 20 seeds of 0.22 vs 0.26 at 30 and 0.14 vs 0.34 at 50.)
  const TestFunction f = branin();
  std::vector<double> regret_recommended, regret_best;
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    Optimizer opt(f.space(), small_options(seed));
    gpbo::Rng noise(seed + 100);
    std::normal_distribution<double> standard_normal;
    for (int i = 0; i < 50; ++i) {
      const Suggestion s = opt.ask();
      opt.tell(s.id, evaluate(f, s.point) + 2.0 * standard_normal(noise));
    }
    regret_recommended.push_back(evaluate(f, opt.recommend()->point) - f.fmin);
    regret_best.push_back(evaluate(f, opt.best()->point) - f.fmin);
  }
  int wins = 0, losses = 0;
  for (std::size_t i = 0; i < regret_best.size(); ++i) {
    wins += regret_recommended[i] < regret_best[i];
    losses += regret_recommended[i] > regret_best[i];
  }
  CHECK(wins > 2 * losses);
  CHECK(std::accumulate(regret_recommended.begin(), regret_recommended.end(), 0.0) <
        0.75 * std::accumulate(regret_best.begin(), regret_best.end(), 0.0));
}

TEST_CASE("optimizer: predict() gives the noise-free objective's posterior in the user's units and sign") {
  const TestFunction f = branin();
  for (const Goal goal : {Goal::Minimize, Goal::Maximize}) {
    INFO("goal " << to_string(goal));
    auto o = small_options(5);
    o.goal = goal;
    const double sign = goal == Goal::Minimize ? 1.0 : -1.0;
    Optimizer opt(f.space(), o);
    CHECK_THROWS_AS(opt.predict({f.space().decode(Eigen::VectorXd::Constant(2, 0.5))}), std::logic_error);
    for (int i = 0; i < 25; ++i) {
      const Suggestion s = opt.ask();
      opt.tell(s.id, sign * evaluate(f, s.point));
    }
    std::vector<Point> told, fresh;
    for (const Trial& t : opt.history()) told.push_back(t.point);
    for (double u : {0.1, 0.37, 0.81}) fresh.push_back(f.space().decode(Eigen::VectorXd::Constant(2, u)));
    const auto at_told = opt.predict(told);
    REQUIRE(at_told.size() == told.size());
    for (std::size_t i = 0; i < told.size(); ++i) {
      const auto& p = at_told[i];
      INFO("trial " << i << ": value " << opt.history()[i].value << ", median " << p.median << " in [" << p.lower95 << ", "
                    << p.upper95 << "]");
      CHECK(p.lower95 <= p.median);
      CHECK(p.median <= p.upper95);
      // Branin is deterministic: at a told point the model is nearly sure of the told value.
      CHECK(std::abs(p.median - opt.history()[i].value) < 0.02 * (1.0 + std::abs(opt.history()[i].value)));
    }
    for (std::size_t i = 0; i < fresh.size(); ++i) {
      const auto p = opt.predict({fresh[i]}).front();
      const double truth = sign * evaluate(f, fresh[i]);
      INFO("fresh point " << i << ": truth " << truth << ", median " << p.median << " in [" << p.lower95 << ", " << p.upper95 << "]");
      CHECK(p.lower95 < p.upper95);
      CHECK(truth > p.lower95);  // inside the 95% interval (asymmetric: the output warp)
      CHECK(truth < p.upper95);
    }
    // Asking the model changes nothing: the next suggestion is the one a twin without it makes.
    Optimizer twin = optimizer_from_json(optimizer_to_json(opt));
    (void)opt.predict(fresh);
    CHECK(same_point(opt.ask().point, twin.ask().point));
    CHECK_THROWS_AS(opt.predict({Point{{"x0", 100.0}, {"x1", 1.0}}}), SpaceError);
  }
}

TEST_CASE("optimizer: recommend() is best() before any model, and never changes what is suggested next") {
  const TestFunction f = branin();
  Optimizer a(f.space(), small_options(4)), b(f.space(), small_options(4));
  CHECK_FALSE(a.recommend().has_value());
  for (int i = 0; i < 14; ++i) {
    const Suggestion sa = a.ask(), sb = b.ask();
    REQUIRE(same_point(sa.point, sb.point));
    a.tell(sa.id, evaluate(f, sa.point));
    b.tell(sb.id, evaluate(f, sb.point));
    if (i < 10) CHECK(a.recommend()->id == a.best()->id);  // still the initial design: no model yet
    (void)a.recommend();
  }
  CHECK(same_point(a.ask().point, b.ask().point));
}

namespace {
double categorical_best(CategoricalKernel kernel, std::uint64_t seed) {
  OptimizerOptions o;
  o.seed = seed;
  o.surrogate.categorical_kernel = kernel;
  Optimizer opt(categorical_styblinski_tang_space(), o);
  for (int i = 0; i < 30; ++i) {
    const Suggestion s = opt.ask();
    opt.tell(s.id, categorical_styblinski_tang(s.point));
  }
  return opt.best()->value;
}
}  // namespace

TEST_CASE("optimizer: the overlap kernel learns each category's effect") {
  // 1331 points, 30 evaluations, 6 seeds. The overlap kernel ends at the minimum or one choice
  // from it (-107) on every seed, at the minimum on half; one-hot ARD, with a length scale per
  // choice, ends 20 or more above it on most (seeds 0-5: -97, -92, -97, -92, -117, -88).
  std::vector<double> overlap, one_hot;
  for (std::uint64_t seed = 0; seed < 6; ++seed) {
    overlap.push_back(categorical_best(CategoricalKernel::Overlap, seed));
    one_hot.push_back(categorical_best(CategoricalKernel::OneHot, seed));
  }
  CHECK(*std::max_element(overlap.begin(), overlap.end()) <= -107.0);
  CHECK(median(overlap) <= -110.0);
  CHECK(median(one_hot) > -100.0);
}

TEST_CASE("optimizer: a batch's believed values count for its incumbent") {
  // f(x) = (x - 0.5)^2 seen at 0.1, 0.3, 0.7, 0.9: the model expects less than the best seen
  // (0.04) near 0.5, and the first point of the batch goes there. Believing it, the second must
  // beat that expectation: it goes 0.055 away (seeds 0-2), where an incumbent that ignored the
  // belief put it 0.0003 from the first, a near-duplicate evaluation.
  Space s;
  s.add(Parameter::real("x", 0, 1));
  for (std::uint64_t seed = 0; seed < 3; ++seed) {
    OptimizerOptions o;
    o.seed = seed;
    o.initial_points = 4;
    Optimizer opt(s, o);
    for (double x : {0.1, 0.3, 0.7, 0.9}) opt.tell(Point{{"x", x}}, (x - 0.5) * (x - 0.5));
    const std::vector<Suggestion> batch = opt.ask(2);
    REQUIRE(batch.size() == 2);
    const double x0 = as_double(batch[0].point.at("x")), x1 = as_double(batch[1].point.at("x"));
    CHECK(x0 == Approx(0.5).margin(0.01));
    CHECK(std::abs(x1 - x0) > 0.02);
  }
}
