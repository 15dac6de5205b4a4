// Slices of a space (Space::slice) and suggestions with fixed values (Optimizer::ask(fixed)).
#include <catch2/catch.hpp>

#include <functional>
#include <nlohmann/json.hpp>
#include <set>

#include "gpbo/bayesopt/optimizer.hpp"
#include "gpbo/bayesopt/optimizer_state.hpp"
#include "gpbo/bayesopt/test_functions.hpp"
#include "optimizer_test_util.hpp"

using namespace gpbo::bo;
using namespace optimizer_test;

namespace {

const Value sgd = std::string("sgd"), adam = std::string("adam");

// lr (log), layers (integer), opt with a momentum for sgd only, and a fixed epochs.
Space training_space() {
  Space s;
  s.add(Parameter::real("lr", 1e-4, 1e-1, Scale::Log))
      .add(Parameter::integer("layers", 1, 8))
      .add(Parameter::categorical("opt", {adam, sgd}))
      .add(Parameter::real("momentum", 0.0, 0.99).when("opt", {sgd}))
      .add(Parameter::fixed("epochs", std::int64_t{10}));
  return s;
}

// A smooth loss over training_space() with its best at lr 0.01, 4 layers, sgd with momentum 0.9.
double training_loss(const Point& p) {
  const double l = std::log10(as_double(p.at("lr"))) + 2.0, n = as_double(p.at("layers")) - 4.0;
  const double m = p.count("momentum") ? as_double(p.at("momentum")) - 0.9 : 0.3;
  return l * l + 0.05 * n * n + m * m + (p.at("opt") == adam ? 0.05 : 0.0);
}

}  // namespace

TEST_CASE("slice: held columns, snapping into the slice, and what lies outside it") {
  const Space space = training_space();
  const Space slice = space.slice({{"layers", 3.0}, {"opt", sgd}});  // 3.0: an integer given as a number
  CHECK(slice.held() == Point{{"layers", std::int64_t{3}}, {"opt", sgd}});
  CHECK_FALSE(slice.single_point());
  REQUIRE(slice.held_columns().size() == 3);  // layers' column and opt's two one-hot columns
  gpbo::Rng rng = gpbo::make_rng(3);
  for (int i = 0; i < 200; ++i) {
    Eigen::VectorXd u(static_cast<Eigen::Index>(space.encoded_dim()));
    for (Eigen::Index c = 0; c < u.size(); ++c) u[c] = gpbo::uniform01(rng);
    for (const Eigen::VectorXd& s : {slice.snap(u), slice.snap_uniform(u)}) {
      const Point p = space.decode(s);
      CHECK(p.at("layers") == Value(std::int64_t{3}));
      CHECK(p.at("opt") == sgd);
      CHECK(p.count("momentum") == 1);  // held sgd switches the child on
      CHECK(slice.meets_constraints(s));
      CHECK(space.meets_constraints(s));
    }
    // A point of the space with another layer count is outside the slice.
    const Eigen::VectorXd elsewhere = space.encode({{"lr", 0.01}, {"layers", std::int64_t{5}}, {"opt", sgd}, {"momentum", 0.5}});
    CHECK_FALSE(slice.meets_constraints(elsewhere));
  }
  // Holding every active parameter leaves one point; a slice of a slice holds both sets.
  CHECK(space.slice({{"lr", 0.01}, {"layers", std::int64_t{2}}, {"opt", adam}}).single_point());
  CHECK_FALSE(space.slice({{"lr", 0.01}, {"layers", std::int64_t{2}}, {"opt", sgd}}).single_point());  // momentum free
  const Space narrower = slice.slice({{"momentum", 0.5}});
  CHECK(narrower.held() == Point{{"layers", std::int64_t{3}}, {"opt", sgd}, {"momentum", 0.5}});
  CHECK(narrower.slice({{"lr", 0.001}}).single_point());
}

TEST_CASE("slice: bad values are refused, naming the parameter") {
  const Space space = training_space();
  CHECK_THROWS_WITH(space.slice({{"lr", 0.5}}), Catch::Contains("parameter 'lr': value 0.5 is outside [0.0001, 0.1]"));
  CHECK_THROWS_WITH(space.slice({{"opt", std::string("rmsprop")}}), Catch::Contains("parameter 'opt'") && Catch::Contains("not one of the choices"));
  CHECK_THROWS_WITH(space.slice({{"layers", 2.5}}), Catch::Contains("parameter 'layers': expected an integer, got 2.5"));
  CHECK_THROWS_WITH(space.slice({{"nope", 1.0}}), "unknown parameter 'nope' (did you mean 'opt'?)");
  CHECK_THROWS_WITH(space.slice({{"epochs", std::int64_t{20}}}), Catch::Contains("parameter 'epochs'") && Catch::Contains("fixed value"));
  CHECK_NOTHROW(space.slice({{"epochs", std::int64_t{10}}}));
  CHECK_THROWS_WITH(space.slice({{"momentum", 0.9}}),
                    "parameter 'momentum' cannot be held at 0.9: it is active only where opt = \"sgd\"; hold its parents at such values too");
  CHECK_THROWS_WITH(space.slice({{"momentum", 0.9}, {"opt", adam}}), Catch::StartsWith("parameter 'momentum' cannot be held"));
}

TEST_CASE("slice: a conditional parameter is held only with every parent held, whatever the parents' first values") {
  // With sgd first, momentum alone was accepted (active at the free parent's first choice), and
  // suggestions paired momentum = 0.5 with adam: points outside the space, a state that did not load.
  const std::string sgd = "sgd", adam = "adam";
  Space space;
  space.add(Parameter::real("x", 0.0, 1.0))
      .add(Parameter::categorical("opt", {sgd, adam}))
      .add(Parameter::real("momentum", 0.0, 1.0).when("opt", {sgd}))
      .add(Parameter::real("near", 0.0, 1.0).when_in_range("x", 0.0, 0.3))
      .add(Parameter::categorical("schedule", {std::string("cosine"), std::string("step")}).when("opt", {sgd}))
      .add(Parameter::real("gamma", 0.0, 1.0).when("schedule", {std::string("cosine")}))
      .add(Parameter::fixed("beta", 0.9))
      .add(Parameter::real("beta_scale", 0.0, 1.0).when("beta", {0.9}));
  CHECK_THROWS_WITH(space.slice({{"momentum", 0.5}}),
                    "parameter 'momentum' cannot be held at 0.5: it is active only where opt = \"sgd\"; hold its parents at such values too");
  CHECK_THROWS_WITH(space.slice({{"near", 0.5}}), Catch::StartsWith("parameter 'near' cannot be held at 0.5"));
  CHECK_THROWS_WITH(space.slice({{"gamma", 0.5}, {"schedule", std::string("cosine")}}),  // schedule's own parent is free
                    Catch::StartsWith("parameter 'schedule' cannot be held"));
  CHECK(space.slice({{"momentum", 0.5}, {"opt", sgd}}).held() == Point{{"momentum", 0.5}, {"opt", sgd}});
  CHECK_NOTHROW(space.slice({{"near", 0.5}, {"x", 0.1}}));
  CHECK_NOTHROW(space.slice({{"gamma", 0.5}, {"schedule", std::string("cosine")}, {"opt", sgd}}));
  CHECK_NOTHROW(space.slice({{"beta_scale", 0.5}}));  // a fixed parent is the same everywhere
  // A fixed parameter named by the caller is held like any: its value checked even where its
  // free parent's first choice leaves it inactive, and its parents must be held.
  Space adam_fixed = space;
  adam_fixed.add(Parameter::fixed("beta2", 0.999).when("opt", {adam}))
      .add(Parameter::real("eps", 0.0, 1.0).when("beta2", {0.999}));
  CHECK_THROWS_WITH(adam_fixed.slice({{"beta2", 0.5}}), Catch::Contains("parameter 'beta2'") && Catch::Contains("fixed value"));
  CHECK_THROWS_WITH(adam_fixed.slice({{"beta2", 0.999}}),
                    "parameter 'beta2' cannot be held at 0.999: it is active only where opt = \"adam\"; hold its parents at such values too");
  CHECK_NOTHROW(adam_fixed.slice({{"beta2", 0.999}, {"opt", adam}}));
  // The advice names the ancestor to hold when the parent given is fixed (it said "hold its parents").
  CHECK_THROWS_WITH(adam_fixed.slice({{"eps", 0.5}, {"beta2", 0.999}}),
                    "parameter 'beta2' cannot be held at 0.999: it is active only where opt = \"adam\"; hold its parents at such values too");
  CHECK_THROWS_WITH(adam_fixed.slice({{"eps", 0.5}}),
                    "parameter 'eps' cannot be held at 0.5: it is active only where beta2 = 0.999; hold opt at values that make it active too");
  CHECK_THROWS_WITH(adam_fixed.slice({{"eps", 0.5}, {"opt", sgd}}),  // opt held, at a value that leaves it inactive
                    "parameter 'eps' cannot be held at 0.5: it is active only where beta2 = 0.999; hold opt at values that make it active instead");
  // Every suggestion of a held slice is a point of the space.
  Optimizer opt(space, [] {
    OptimizerOptions o;
    o.initial_points = 3;
    return o;
  }());
  for (int round = 0; round < 4; ++round) {
    const auto s = opt.ask(Point{{"momentum", 0.5}, {"opt", sgd}});
    REQUIRE_NOTHROW(space.validate(s.point));
    opt.tell(s.id, std::get<double>(s.point.at("x")));
  }
  CHECK_THROWS_WITH(opt.ask(Point{{"momentum", 0.5}}), Catch::StartsWith("parameter 'momentum' cannot be held"));
  // An optimizer on a slice lost the held values in its saved state, and searched the whole
  // space once reloaded.
  CHECK_THROWS_WITH(Optimizer(space.slice({{"opt", sgd}})),
                    "Optimizer: the space is a slice holding opt = sgd; give the whole space and ask(fixed) with those "
                    "values, or make them fixed parameters");
}

TEST_CASE("slice: a finite slice counts and lists its own points; linear constraints cut it further") {
  Space grid;
  grid.add(Parameter::integer("a", 1, 3)).add(Parameter::integer("b", 1, 4));
  const Space slice = grid.slice({{"a", std::int64_t{2}}});
  REQUIRE(slice.cardinality() == std::optional<std::uint64_t>(4));
  std::set<std::int64_t> bs;
  for (std::uint64_t k = 0; k < 4; ++k) {
    const Point p = grid.decode(slice.encoded_point(k));
    CHECK(p.at("a") == Value(std::int64_t{2}));
    bs.insert(std::get<std::int64_t>(p.at("b")));
  }
  CHECK(bs == std::set<std::int64_t>{1, 2, 3, 4});
  grid.add_constraint({{{"a", 1.0}, {"b", 1.0}}, std::nullopt, 4.0});
  CHECK(grid.slice({{"a", std::int64_t{2}}}).cardinality() == std::optional<std::uint64_t>(2));
  CHECK_THROWS_WITH(grid.slice({{"a", std::int64_t{3}}, {"b", std::int64_t{4}}}), "no point with a = 3, b = 4 meets the linear constraints");

  Space square;
  square.add(Parameter::real("x", 0.0, 1.0)).add(Parameter::real("y", 0.0, 1.0));
  square.add_constraint({{{"x", 1.0}, {"y", 1.0}}, std::nullopt, 1.0});
  CHECK_NOTHROW(square.slice({{"x", 0.8}}));
  CHECK_THROWS_WITH(square.slice({{"x", 1.0}, {"y", 0.5}}), "no point with x = 1, y = 0.5 meets the linear constraints");
}

TEST_CASE("ask(fixed): Branin's slice x0 = pi is solved in 20 evaluations, the value kept exactly") {
  const TestFunction f = branin();
  const double pi = 3.141592653589793;  // one of Branin's three minimizers has x0 = pi
  for (std::uint64_t seed = 0; seed < 3; ++seed) {
    OptimizerOptions o;
    o.seed = seed;
    Optimizer opt(f.space(), o);
    for (int i = 0; i < 20; ++i) {
      const Suggestion s = opt.ask(Point{{"x0", pi}});
      REQUIRE(std::get<double>(s.point.at("x0")) == pi);
      opt.tell(s.id, evaluate(f, s.point));
    }
    CAPTURE(seed);
    CHECK(opt.best()->value - f.fmin < 1e-4);  // 1.3e-7, 4.0e-6, 5.5e-7 (2026-12-05)
  }
}

TEST_CASE("ask(fixed): every acquisition and preset keeps the held values, in batches too") {
  for (const std::string preset : {"default", "fast"})
    for (const AcquisitionKind kind : optimizer_test::all_acquisitions) {
      CAPTURE(preset, to_string(kind));
      const OptimizerOptions o = optimizer_test::light_options(preset, kind, 5);
      Optimizer opt(training_space(), o);
      for (int i = 0; i < 14; ++i) {
        // Alternately sgd with 2 layers, and 6 layers with adam (its momentum then absent).
        const Point fixed = i % 2 == 0 ? Point{{"opt", sgd}, {"layers", std::int64_t{2}}} : Point{{"layers", 6.0}, {"opt", adam}};
        for (const Suggestion& s : opt.ask(i < 10 ? 1 : 2, fixed)) {
          CHECK(s.point.at("opt") == fixed.at("opt"));
          CHECK(as_double(s.point.at("layers")) == as_double(fixed.at("layers")));
          CHECK(std::holds_alternative<std::int64_t>(s.point.at("layers")));
          CHECK(s.point.count("momentum") == (fixed.at("opt") == sgd ? 1u : 0u));
          CHECK(s.point.at("epochs") == Value(std::int64_t{10}));
          opt.tell(s.id, training_loss(s.point));
        }
      }
      // The plain ask goes on over the whole space.
      CHECK_NOTHROW(opt.ask());
    }
}

TEST_CASE("ask(fixed): a finite slice runs out on its own, a single point comes as given, queues wait") {
  Space grid;
  grid.add(Parameter::integer("a", 1, 3)).add(Parameter::integer("b", 1, 2));
  Optimizer opt(grid, small_options(1));
  const Point a2{{"a", std::int64_t{2}}};
  const auto batch = opt.ask(5, a2);  // two points have a = 2
  REQUIRE(batch.size() == 2);
  CHECK(batch[0].point.at("b") != batch[1].point.at("b"));
  CHECK_THROWS_AS(opt.ask(a2), SpaceExhausted);
  CHECK_THROWS_WITH(opt.ask(a2), Catch::Contains("with a = 2"));
  CHECK(opt.history().size() == 2);  // failed asks add nothing
  for (const auto& s : batch) opt.tell(s.id, 1.0);
  // Every parameter held: that point, evaluated before or not.
  const Suggestion again = opt.ask(Point{{"a", std::int64_t{2}}, {"b", std::int64_t{1}}});
  CHECK(again.point == Point{{"a", std::int64_t{2}}, {"b", std::int64_t{1}}});
  // A batch of one whole point is that point once (it gave q pending copies).
  const auto whole = opt.ask(4, Point{{"a", std::int64_t{3}}, {"b", std::int64_t{1}}});
  REQUIRE(whole.size() == 1);
  CHECK(whole[0].point == Point{{"a", std::int64_t{3}}, {"b", std::int64_t{1}}});
  opt.enqueue({{"a", std::int64_t{3}}, {"b", std::int64_t{2}}});
  CHECK(opt.ask(Point{{"a", std::int64_t{1}}}).point.at("a") == Value(std::int64_t{1}));  // the queue waits
  CHECK(opt.ask().point == Point{{"a", std::int64_t{3}}, {"b", std::int64_t{2}}});
  CHECK_THROWS_AS(opt.ask(Point{{"a", std::int64_t{4}}}), SpaceError);
  CHECK(opt.history().size() == 6);
}

TEST_CASE("ask(fixed): linear constraints hold in the slice; runs reproduce and reload exactly") {
  Space square;
  square.add(Parameter::real("x", 0.0, 1.0)).add(Parameter::real("y", 0.0, 1.0));
  square.add_constraint({{{"x", 1.0}, {"y", 1.0}}, std::nullopt, 1.0});
  const auto loss = [](const Point& p) { return std::pow(as_double(p.at("x")) - 0.9, 2) + std::pow(as_double(p.at("y")) - 0.9, 2); };
  const auto step = [&](Optimizer& opt, int i) {
    const Point fixed = i % 3 == 2 ? Point{} : Point{{"x", 0.8}};
    std::vector<Point> asked;
    for (const Suggestion& s : opt.ask(2, fixed)) {
      REQUIRE(as_double(s.point.at("x")) + as_double(s.point.at("y")) <= 1.0);
      if (!fixed.empty()) REQUIRE(as_double(s.point.at("x")) == 0.8);
      opt.tell(s.id, loss(s.point));
      asked.push_back(s.point);
    }
    return asked;
  };
  Optimizer a(square, small_options(7)), b(square, small_options(7));
  for (int i = 0; i < 8; ++i) {
    const auto pa = step(a, i), pb = step(b, i);
    REQUIRE(pa.size() == pb.size());
    for (std::size_t k = 0; k < pa.size(); ++k) CHECK(same_point(pa[k], pb[k]));
  }
  Optimizer reloaded = optimizer_from_json(nlohmann::json::parse(optimizer_to_json(a).dump()));
  for (int i = 8; i < 12; ++i) {
    const auto pa = step(a, i), pr = step(reloaded, i);
    REQUIRE(pa.size() == pr.size());
    for (std::size_t k = 0; k < pa.size(); ++k) CHECK(same_point(pa[k], pr[k]));
  }
  // The slice's best: y = 0.2 on the bound, 0.01 + 0.49.
  double best_in_slice = 1e9;
  for (const Trial& t : a.history())
    if (t.status == TrialStatus::Ok && as_double(t.point.at("x")) == 0.8) best_in_slice = std::min(best_in_slice, t.value);
  CHECK(best_in_slice < 0.5 + 1e-4);
}

TEST_CASE("enqueue: a partial point is asked in its turn with its values held, and survives a reload") {
  const Space space = training_space();
  CHECK(space.is_complete(space.complete({{"lr", 0.01}, {"layers", std::int64_t{2}}, {"opt", adam}})));
  CHECK_FALSE(space.is_complete(space.complete({{"lr", 0.01}, {"layers", std::int64_t{2}}, {"opt", sgd}})));  // momentum
  CHECK_FALSE(space.is_complete(space.complete({{"lr", 0.01}})));

  Optimizer opt(space, small_options(3));
  opt.enqueue({{"lr", 0.01}});
  opt.enqueue({{"lr", 0.01}});  // twice: once
  opt.enqueue({{"opt", sgd}, {"momentum", 0.5}});
  opt.enqueue({{"lr", 0.001}, {"layers", std::int64_t{3}}, {"opt", adam}});  // a whole point, as before
  CHECK_THROWS_WITH(opt.enqueue({{"lr", 5.0}}), Catch::Contains("parameter 'lr': value 5 is outside"));
  CHECK_THROWS_WITH(opt.enqueue({{"momentum", 0.5}}), Catch::StartsWith("parameter 'momentum' cannot be held"));
  // Saved with the queue, reloaded, and both go on the same way.
  Optimizer copy = optimizer_from_json(nlohmann::json::parse(optimizer_to_json(opt).dump()));
  for (Optimizer* o : {&opt, &copy}) {
    const Suggestion first = o->ask();
    CHECK(first.point.at("lr") == Value(0.01));
    CHECK(first.point.count("layers") == 1);
    const Suggestion second = o->ask();
    CHECK(second.point.at("opt") == sgd);
    CHECK(second.point.at("momentum") == Value(0.5));
    CHECK(o->ask().point == Point{{"lr", 0.001}, {"layers", std::int64_t{3}}, {"opt", adam}, {"epochs", std::int64_t{10}}});
    o->tell(first.id, training_loss(first.point));
  }
  for (int i = 0; i < 3; ++i) CHECK(same_point(opt.ask().point, copy.ask().point));

  // A partial point whose values have no point left gives way to a plain suggestion.
  Space grid;
  grid.add(Parameter::integer("a", 1, 3)).add(Parameter::integer("b", 1, 2));
  Optimizer g(grid, small_options(1));
  g.enqueue({{"a", std::int64_t{2}}});
  g.enqueue({{"a", std::int64_t{2}}, {"b", std::int64_t{1}}});
  g.enqueue({{"a", std::int64_t{2}}, {"b", std::int64_t{2}}});
  g.enqueue({{"a", std::int64_t{1}}});
  const Point a1{{"a", std::int64_t{1}}};
  CHECK(g.ask(2, a1).size() == 2);  // the slice a = 1 is used up before its queued turn
  // In order: a = 2 with the model's b; the two whole points as given (even where that one was
  // just suggested); a = 1's turn finds it used up, so plain suggestions follow to the end.
  const auto all = g.ask(10);
  REQUIRE(all.size() == 5);
  CHECK(all[0].point.at("a") == Value(std::int64_t{2}));
  CHECK(all[1].point == Point{{"a", std::int64_t{2}}, {"b", std::int64_t{1}}});
  CHECK(all[2].point == Point{{"a", std::int64_t{2}}, {"b", std::int64_t{2}}});
  CHECK(all[3].point.at("a") == Value(std::int64_t{3}));
  CHECK(all[4].point.at("a") == Value(std::int64_t{3}));
  CHECK(g.stop_reason() == std::optional<std::string>("exhausted"));
}

TEST_CASE("ask(fixed): on every kind of built-in space, random held values stay held and suggestions stay valid") {
  // Integers, categories, conditions, linear and outcome constraints: hold a random subset of
  // the parameters at the values of a random valid point, ask with them (and without, now and
  // then), and check every suggestion.
  for (const std::string name : {"ackley5_int", "rosenbrock4_mixed", "styblinski_tang8_cat", "jenatton", "hartmann6_linear",
                                 "tension_spring"}) {
    CAPTURE(name);
    const TestFunction f = test_function(name);
    const Space space = f.space();
    OptimizerOptions o = small_options(13);
    o.constraints = f.constraints;
    Optimizer opt(space, o);
    gpbo::Rng rng = gpbo::make_rng(17);
    for (int i = 0; i < 24; ++i) {  // 10 of the initial design, 14 from the model
      // A random valid point: the values to hold come from it, so they meet the constraints.
      Point source;
      do {
        Eigen::VectorXd u(static_cast<Eigen::Index>(space.encoded_dim()));
        for (Eigen::Index c = 0; c < u.size(); ++c) u[c] = gpbo::uniform01(rng);
        source = space.decode(space.snap_uniform(u));
      } while (!space.meets_constraints(source));
      Point fixed;
      // Holding a child holds its parents, theirs too (a slice refuses a child whose ancestor is free).
      const std::function<void(const Parameter&)> hold = [&](const Parameter& p) {
        for (const Condition& c : p.conditions) hold(space.parameter(c.parent));
        if (p.kind != Parameter::Kind::Fixed) fixed[p.name] = source.at(p.name);
      };
      for (const Parameter& p : space.parameters())
        if (source.count(p.name) && p.kind != Parameter::Kind::Fixed && gpbo::uniform01(rng) < 0.4) hold(p);
      if (i % 5 == 4) fixed.clear();
      const Suggestion s = opt.ask(fixed);
      CAPTURE(i, fixed.size());
      CHECK_NOTHROW(space.validate(s.point));
      for (const auto& [k, v] : fixed) CHECK(s.point.at(k) == v);
      const Eigen::VectorXd x = f.vector_of(s.point);
      if (f.constraints.empty()) opt.tell(s.id, f(x));
      else opt.tell(s.id, f(x), f.constraint_values(x));
    }
  }
}

TEST_CASE("ask(fixed): held values count as given, for children's conditions and linear constraints") {
  // A held value's column decodes an ulp away: lr held at 0.001 read 0.0010000000000000002, so
  // w (active where lr <= 0.001) was left out of the suggestion, and the state did not load.
  Space conditional;
  conditional.add(Parameter::real("lr", 1e-5, 1e-1, Scale::Log)).add(Parameter::real("w", 0, 1).when_in_range("lr", std::nullopt, 0.001));
  Optimizer opt(conditional, small_options(1));
  const Suggestion edge = opt.ask(Point{{"lr", 0.001}});
  CHECK(edge.point.count("w") == 1);
  CHECK_NOTHROW(conditional.validate(edge.point));
  opt.tell(edge.id, 1.0);
  CHECK_NOTHROW(optimizer_from_json(nlohmann::json::parse(optimizer_to_json(opt).dump())));
  // a + b <= 2 with a (log scale) held: b was checked beside a's decoded column, and
  // 0.5500000000000005 went with a = 1.45 (a sum of 2.0000000000000004).
  Space pair;
  pair.add(Parameter::real("a", 0.1, 10, Scale::Log)).add(Parameter::real("b", 0, 10));
  pair.add_constraint({{{"a", 1.0}, {"b", 1.0}}, std::nullopt, 2.0});
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    OptimizerOptions o = small_options(seed);
    o.initial_points = 4;
    Optimizer held(pair, o);
    for (int i = 0; i < 20; ++i) {
      const double a = std::vector<double>{1.1, 1.2, 1.3, 0.85, 1.45}[static_cast<std::size_t>(i % 5)];
      const Suggestion g = held.ask(Point{{"a", a}});
      REQUIRE(as_double(g.point.at("a")) == a);
      CHECK(a + as_double(g.point.at("b")) <= 2.0);
      held.tell(g.id, -as_double(g.point.at("b")));  // b wants the bound
    }
  }
  // A point on a bound, held whole, is a point of the space: log-scale a at 1.05 with
  // a + b <= 1.05 was refused as meeting no constraint.
  Space bound;
  bound.add(Parameter::real("a", 0.1, 10, Scale::Log)).add(Parameter::real("b", 0, 1));
  bound.add_constraint({{{"a", 1.0}, {"b", 1.0}}, std::nullopt, 1.05});
  Optimizer whole(bound, small_options(3));
  CHECK(as_double(whole.ask(Point{{"a", 1.05}, {"b", 0.0}}).point.at("a")) == 1.05);
  Optimizer part(bound, small_options(3));  // b = 0 (or what adds nothing to 1.05) is left
  const double b = as_double(part.ask(Point{{"a", 1.05}}).point.at("b"));
  CHECK(1.05 + b <= 1.05);
}
