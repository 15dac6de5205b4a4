// Scratch: a two-branch conditional problem. model in {a, b}: a -> Branin(x1, x2) + 0.5 (min 0.8979);
// b -> Hartmann-3(h0, h1, h2) + 4 (min 0.13722). Flat: all 6 parameters always active.
#include <cmath>
#include <cstdio>
#include <algorithm>
#include <vector>
#include "gpbo/bayesopt/optimizer.hpp"
#include "gpbo/bayesopt/test_functions.hpp"
using namespace gpbo::bo;
int main(int argc, char** argv) {
  const bool flat = argc > 1;
  const TestFunction br = branin(), h3 = hartmann3();
  const Value a = std::string("a"), b = std::string("b");
  std::vector<double> regrets;
  for (int seed = 0; seed < 20; ++seed) {
    Space s;
    s.add(Parameter::categorical("model", {a, b}));
    Parameter x1 = Parameter::real("x1", -5, 10), x2 = Parameter::real("x2", 0, 15);
    if (!flat) { x1.when("model", {a}); x2.when("model", {a}); }
    s.add(x1).add(x2);
    for (int i = 0; i < 3; ++i) {
      Parameter h = Parameter::real("h" + std::to_string(i), 0, 1);
      if (!flat) h.when("model", {b});
      s.add(h);
    }
    OptimizerOptions o; o.seed = seed;
    Optimizer opt(s, o);
    double best = 1e300;
    for (int e = 0; e < 50; ++e) {
      const Suggestion sg = opt.ask();
      double v;
      if (std::get<std::string>(sg.point.at("model")) == "a") {
        Eigen::VectorXd x(2); x << std::get<double>(sg.point.at("x1")), std::get<double>(sg.point.at("x2"));
        v = br(x) + 0.5;
      } else {
        Eigen::VectorXd x(3); for (int i = 0; i < 3; ++i) x[i] = std::get<double>(sg.point.at("h" + std::to_string(i)));
        v = h3(x) + 4.0;
      }
      best = std::min(best, v);
      opt.tell(sg.id, v);
    }
    regrets.push_back(best - (h3.fmin + 4.0));
  }
  std::sort(regrets.begin(), regrets.end());
  std::printf("%s median %.4g q75 %.4g max %.4g\n", flat ? "flat" : "conditional", 0.5 * (regrets[9] + regrets[10]), regrets[15], regrets[19]);
}
