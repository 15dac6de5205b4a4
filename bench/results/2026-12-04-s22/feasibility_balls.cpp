// First feasible evaluation: small balls in 2-D and 4-D, minimize the sum of coordinates.
#include <gpbo/bayesopt/optimizer.hpp>
#include <algorithm>
#include <cstdio>
#include <vector>
using namespace gpbo::bo;
int main(int argc, char** argv) {
  const int D = std::atoi(argv[1]);
  const double r = std::atof(argv[2]);
  std::vector<double> firsts, regrets;
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    Space space;
    for (int i = 0; i < D; ++i) space.add(Parameter::real("x" + std::to_string(i), 0, 1));
    OptimizerOptions o;
    o.seed = seed;
    o.constraints = {{"dist", std::nullopt, r}};
    if (std::getenv("ACQ")) o.acquisition = parse_acquisition_kind(std::getenv("ACQ"));
    Optimizer opt(space, o);
    int first = 0;
    const std::size_t q = argc > 3 ? std::atoi(argv[3]) : 1;
    for (int i = 1; i <= 40;) {
     for (const Suggestion& s : opt.ask(q)) {
      double d2 = 0, sum = 0;
      for (int k = 0; k < D; ++k) {
        const double x = std::get<double>(s.point.at("x" + std::to_string(k)));
        const double c = 0.7 - 0.1 * k;
        d2 += (x - c) * (x - c);
        sum += x;
      }
      opt.tell(s.id, sum, {std::sqrt(d2)});
      if (!first && opt.best()) first = i;
      ++i;
     }
    }
    double cs = 0;
    for (int k = 0; k < D; ++k) cs += 0.7 - 0.1 * k;
    const double opt_value = cs - r * std::sqrt(double(D));
    firsts.push_back(first ? first : 99);
    regrets.push_back(opt.best() ? opt.best()->value - opt_value : 99);
  }
  std::sort(firsts.begin(), firsts.end());
  std::sort(regrets.begin(), regrets.end());
  std::printf("D=%d r=%g first feasible median %g q75 %g max %g; regret median %g q75 %g\n", D, r, firsts[10], firsts[15], firsts[19], regrets[10], regrets[15]);
}
