// Example: the ask/tell loop in C++ on a mixed search space, with a batch of 2 points at a time
// (as two parallel workers would evaluate them) and one failure reported along the way.
#include <cmath>
#include <cstdio>

#include "gpbo/core/allocator.hpp"
#include "gpbo/bayesopt/optimizer.hpp"

using namespace gpbo::bo;

// A stand-in for an expensive training run: validation loss of (lr, layers, activation).
double train(const Point& p) {
  const double lr = value_as<double>(p, "lr");
  const auto layers = value_as<double>(p, "layers");
  const double act = value_as<std::string>(p, "activation") == "gelu" ? -0.05 : 0.0;
  const double l = std::log10(lr) + 2.5;
  return 0.3 + 0.25 * l * l + 0.02 * (layers - 4) * (layers - 4) + act;
}

int main() {
  gpbo::retain_freed_memory();  // see core/allocator.hpp: fewer page faults
  Space space;
  space.add(Parameter::real("lr", 1e-5, 1e-1, Scale::Log))
      .add(Parameter::integer("layers", 1, 8))
      .add(Parameter::categorical("activation", {std::string("relu"), std::string("gelu")}));
  OptimizerOptions options;
  options.seed = 42;
  options.stop.max_evaluations = 30;
  Optimizer opt(space, options);
  while (!opt.should_stop()) {
    for (const Suggestion& s : opt.ask(2)) {
      if (s.id == 3) {
        opt.tell_failure(s.id, "out of memory");  // failures are recorded and kept out of the model
        continue;
      }
      opt.tell(s.id, train(s.point));
    }
  }
  const auto best = opt.best();
  std::printf("best loss %.4f after %zu evaluations: lr=%.3g layers=%lld activation=%s\n", best->value,
              opt.evaluations(), value_as<double>(best->point, "lr"),
              static_cast<long long>(value_as<std::int64_t>(best->point, "layers")),
              value_as<std::string>(best->point, "activation").c_str());
  return best->value < 0.27 ? 0 : 1;
}
