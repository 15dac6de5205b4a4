#pragma once
// Sums of logarithms at the cost of multiplications: sum_i log(f_i) = log(prod_i f_i), with the
// running product flushed into the log sum before it can overflow. The built-in models use it for
// the log(1 + exp(-|x|)) terms of logistic and mixture likelihoods (factors in [1, 2]), which
// turns one logarithm per observation into one per few hundred. The result differs from summing
// the logs by a relative rounding error of about (number of factors) * 1e-16.

#include <cmath>

namespace gpbo::mcmc::models {

/// Accumulates sum log(f) for factors f in [1, 2^30].
class LogProduct {
 public:
  void add(double factor) {
    product_ *= factor;
    if (product_ > 1e250) flush();
  }
  /// The accumulated sum of logs.
  [[nodiscard]] double value() const { return log_sum_ + std::log(product_); }

 private:
  void flush() {
    log_sum_ += std::log(product_);
    product_ = 1.0;
  }
  double product_ = 1.0, log_sum_ = 0.0;
};

}  // namespace gpbo::mcmc::models
