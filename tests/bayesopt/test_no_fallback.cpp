// A guard over spaces of every shape: the model-based search must never fall back to a random
// point (Optimizer::last_warning). The fallback catches any exception of the search, so a bug
// there does not crash a run: it turns the run into random search, silently but for a note. An
// integer parent's neighbour that switched a conditional child off did exactly that on every
// suggestion.
#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <vector>

#include "gpbo/bayesopt/optimizer.hpp"
#include "gpbo/bayesopt/space.hpp"
#include "optimizer_test_util.hpp"

using namespace gpbo::bo;

namespace {

const Value sgd = std::string("sgd"), adam = std::string("adam");

struct Shape {
  std::string name;
  Space space;
};

std::vector<Shape> shapes() {
  std::vector<Shape> out;
  {
    Space s;  // every kind, log scales, a grid
    s.add(Parameter::real("lr", 1e-6, 1.0, Scale::Log))
        .add(Parameter::integer("units", 1, 100000, Scale::Log))
        .add(Parameter::categorical("act", {std::string("relu"), std::string("gelu"), std::string("tanh"), std::int64_t{3}, 0.5}))
        .add(Parameter::fixed("seed", std::int64_t{7}))
        .add(Parameter::real("drop", 0.0, 1.0).with_step(0.1));
    out.push_back({"mixed", s});
  }
  {
    Space s;  // integer parent, a child by range and one by values, a grandchild by the child's range
    s.add(Parameter::real("x", 0.0, 1.0))
        .add(Parameter::integer("layers", 1, 4))
        .add(Parameter::integer("width3", 8, 512, Scale::Log).when_in_range("layers", 3.0, std::nullopt))
        .add(Parameter::real("drop3", 0.0, 0.5).when_in_range("width3", 64.0, std::nullopt))
        .add(Parameter::categorical("act", {std::string("relu"), std::string("gelu")}).when("layers", {std::int64_t{2}, std::int64_t{3}}));
    out.push_back({"integer parent, nested", s});
  }
  {
    Space s;  // categorical parent with children of each kind
    s.add(Parameter::real("x", 0.0, 1.0))
        .add(Parameter::categorical("opt", {adam, sgd}))
        .add(Parameter::real("momentum", 0.0, 0.99).when("opt", {sgd}))
        .add(Parameter::categorical("nesterov", {std::string("no"), std::string("yes")}).when("opt", {sgd}))
        .add(Parameter::real("beta2", 0.9, 0.999).with_step(0.009).when("opt", {adam}))
        .add(Parameter::integer("warmup", 0, 10).when("opt", {adam}));
    out.push_back({"categorical parent", s});
  }
  {
    Space s;  // real and grid parents with range conditions
    s.add(Parameter::real("lr", 1e-4, 1.0, Scale::Log))
        .add(Parameter::integer("warmup", 0, 10).when_in_range("lr", std::nullopt, 0.01))
        .add(Parameter::real("s", 1.0, 4.0).with_step(1.0))
        .add(Parameter::real("t", 0.0, 1.0).when_in_range("s", 3.0, std::nullopt));
    out.push_back({"real and grid parents", s});
  }
  {
    Space s;  // linear constraints over real and integer parameters
    s.add(Parameter::real("a", 0.0, 10.0)).add(Parameter::integer("b", 0, 10)).add(Parameter::real("c", 0.0, 1.0));
    s.add_constraint(LinearConstraint{{{"a", 1.0}, {"b", 1.0}}, std::nullopt, 12.0});
    s.add_constraint(LinearConstraint{{{"a", 1.0}, {"c", -4.0}}, 1.0, std::nullopt});
    out.push_back({"linear constraints", s});
  }
  return out;
}

// A smooth function of the encoded point with its optimum inside the cube.
double objective(const Space& space, const Point& p) {
  const Eigen::VectorXd u = space.encode(p);
  return (u.array() - 0.37).square().sum();
}

}  // namespace

TEST_CASE("optimizer: no space shape makes the model-based search fall back to random points") {
  for (const auto& shape : shapes()) {
    for (const auto kind : {AcquisitionKind::LogEI, AcquisitionKind::Thompson}) {
      for (const std::size_t q : {std::size_t{1}, std::size_t{3}}) {
        if (kind == AcquisitionKind::Thompson && q > 1) continue;  // the batch path is the acquisition's own
        INFO(shape.name << ", acquisition " << static_cast<int>(kind) << ", batches of " << q);
        OptimizerOptions o = optimizer_test::small_options(3);
        o.initial_points = 5;
        o.search.candidates = 200;
        o.acquisition = kind;
        Optimizer opt(shape.space, o);
        std::set<std::vector<double>> seen;
        std::size_t fallbacks = 0;
        std::string warning;
        while (opt.history().size() < 17) {
          for (const auto& g : opt.ask(q)) {
            if (!opt.last_warning().empty()) ++fallbacks, warning = opt.last_warning();
            REQUIRE_NOTHROW(shape.space.validate(g.point));
            const Eigen::VectorXd u = shape.space.encode(g.point);
            CHECK(seen.insert(std::vector<double>(u.data(), u.data() + u.size())).second);  // never proposed twice
            opt.tell(g.id, objective(shape.space, g.point));
          }
        }
        INFO("last warning: " << warning);
        CHECK(fallbacks == 0);
      }
    }
  }
}

TEST_CASE("optimizer: held values of an integer parent switch its children as any value does") {
  Space s = shapes()[1].space;
  Optimizer opt(s, optimizer_test::small_options(5));
  for (int i = 0; i < 8; ++i) {
    const auto g = opt.ask();
    opt.tell(g.id, objective(s, g.point));
  }
  for (const std::int64_t layers : {std::int64_t{2}, std::int64_t{4}}) {
    const auto g = opt.ask(Point{{"layers", layers}});
    INFO("layers " << layers << ": " << opt.last_warning());
    CHECK(opt.last_warning().empty());
    CHECK(std::get<std::int64_t>(g.point.at("layers")) == layers);
    CHECK(g.point.count("width3") == (layers >= 3 ? 1u : 0u));
    CHECK(g.point.count("act") == (layers == 2 ? 1u : 0u));
    opt.tell(g.id, objective(s, g.point));
  }
}
