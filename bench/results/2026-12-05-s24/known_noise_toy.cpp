// Scratch: the known_noise toy through the Optimizer API; bare vs told sds, warp on/off.
#include <cmath>
#include <cstdio>
#include <random>
#include <algorithm>
#include <vector>
#include <string>
#include "gpbo/bayesopt/optimizer.hpp"
using namespace gpbo::bo;
double truth(const Point& p) {
  const double lr = as_double(p.at("lr")), d = as_double(p.at("dropout"));
  const double n = as_double(p.at("layers"));
  const double l = std::log10(lr) + 2.5;
  return 0.3 + 0.25 * l * l + 0.02 * (n - 4) * (n - 4) + 1.5 * (d - 0.2) * (d - 0.2);
}
int main(int argc, char** argv) {
  const bool tell_sd = std::atoi(argv[1]), warp = std::atoi(argv[2]);
  const int seeds = std::atoi(argv[3]); const int budget = std::atoi(argv[4]);
  const double spread_mult = argc > 5 ? std::atof(argv[5]) : 1.0;
  std::vector<double> rec, best;
  for (int seed = 1; seed <= seeds; ++seed) {
    Space s;
    s.add(Parameter::real("lr", 1e-5, 1e-1, Scale::Log)).add(Parameter::integer("layers", 1, 8)).add(Parameter::real("dropout", 0, 0.6));
    auto o = OptimizerOptions::preset("default");
    o.seed = seed; o.acquisition = AcquisitionKind::LogNEI; o.surrogate.warp_outputs = warp;
    Optimizer opt(s, o);
    std::mt19937_64 rng(seed * 7919);
    std::normal_distribution<double> z;
    for (int i = 0; i < budget; ++i) {
      auto sg = opt.ask();
      const double lr = as_double(sg.point.at("lr"));
      const double spread = spread_mult * (0.01 + 0.15 * std::sqrt(lr / 0.1));
      double sum = 0, sq = 0; const int k = 5;
      for (int f = 0; f < k; ++f) { double v = truth(sg.point) + spread * z(rng); sum += v; sq += v * v; }
      const double mean = sum / k, var = std::max(0.0, (sq - k * mean * mean) / (k - 1));
      if (tell_sd) opt.tell(sg.id, Measurement{mean, std::sqrt(var / k)}); else opt.tell(sg.id, mean);
    }
    rec.push_back(truth(opt.recommend()->point) - 0.3);
    best.push_back(truth(opt.best()->point) - 0.3);
  }
  auto med = [](std::vector<double> v) { std::sort(v.begin(), v.end()); return v[v.size() / 2]; };
  auto mean = [](const std::vector<double>& v) { double s = 0; for (double x : v) s += x; return s / v.size(); };
  std::printf("tell_sd=%d warp=%d: recommended median %.5f mean %.5f | best observed median %.5f mean %.5f\n", tell_sd, warp, med(rec), mean(rec), med(best), mean(best));
}
