#include <chrono>
#include <cstdio>
#include "gpbo/bayesopt/optimizer.hpp"
#include "gpbo/bayesopt/test_functions.hpp"
#include "tune/model_slice.hpp"
using namespace gpbo::bo;
int main() {
  auto f = hartmann6(); auto sp = f.space();
  OptimizerOptions o; o.seed = 1;
  Optimizer opt(sp, o);
  for (int i = 0; i < 150; ++i) { auto s = opt.ask(); opt.tell(s.id, f(f.vector_of(s.point))); }
  auto t0 = std::chrono::steady_clock::now();
  for (int r = 0; r < 10; ++r) { auto sl = gpbo::tune::model_slices(opt, opt.best()->point); if (sl.size() != 6) return 1; }
  auto t1 = std::chrono::steady_clock::now();
  std::printf("model_slices at 150 points: %.4f s per call\n", std::chrono::duration<double>(t1 - t0).count() / 10);
}
