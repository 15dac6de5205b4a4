#pragma once
// The flat vector of free GP hyperparameters ("params", see gaussian_process.hpp): which kernel
// hyperparameters are free, whether the noise and the mean are learned, and the mapping between
// that vector and the model's values. Shared by GaussianProcess, its likelihood and its fit.

#include "gpbo/core/eigen_abi.hpp"
#include <Eigen/Core>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gpbo/core/random.hpp"
#include "gpbo/gp/gaussian_process.hpp"

namespace gpbo {

/// All hyperparameter values of a GP, free or fixed, in their natural coordinates.
struct ModelValues {
  Eigen::VectorXd kernel_u;  // every kernel hyperparameter, log space
  double log_noise = 0.0;    // log noise variance (may be -inf for a fixed zero noise)
  double mean = 0.0;         // mean constant (0 for a zero mean)
};

/// Whether `value` (h's coordinate: the log for log-scale quantities) is within h's bounds, up
/// to round-off (1e-12 relative), and in words why not, naming the coordinate so that a log is
/// not read as the quantity: "log(noise_variance) = 50 is outside its bounds [-13.8155, 2.30259]
/// (log scale; noise_variance itself from 1e-06 to 10)", "mean = 5000 is outside its bounds
/// [-1000, 1000]".
[[nodiscard]] bool within_bounds(const GpHyperparameter& h, double value);
[[nodiscard]] std::string outside_bounds_message(const GpHyperparameter& h, double value);
/// The first free hyperparameter of `hps` (fixed ones skipped) whose value in `params` (the free
/// ones, in order) is outside its bounds: its index in `params` and outside_bounds_message.
[[nodiscard]] std::optional<std::pair<Eigen::Index, std::string>> first_outside_bounds(const std::vector<GpHyperparameter>& hps,
                                                                                     const Eigen::VectorXd& params);

class ParamLayout {
 public:
  ParamLayout(const Kernel& kernel, const GpOptions& options);

  [[nodiscard]] Eigen::Index size() const { return size_; }
  [[nodiscard]] Eigen::Index num_kernel() const { return static_cast<Eigen::Index>(kernel_free_.size()); }
  [[nodiscard]] const std::vector<Eigen::Index>& kernel_free() const { return kernel_free_; }
  /// Position of the noise / the mean in params, or -1 when not free.
  [[nodiscard]] Eigen::Index noise_index() const { return noise_index_; }
  [[nodiscard]] Eigen::Index mean_index() const { return mean_index_; }

  /// `base` with its free entries replaced by `params`.
  [[nodiscard]] ModelValues unpack(const Eigen::VectorXd& params, const ModelValues& base) const;
  /// The free entries of `values`.
  [[nodiscard]] Eigen::VectorXd pack(const ModelValues& values) const;
  /// Every hyperparameter (free and fixed) described at `values`.
  [[nodiscard]] std::vector<GpHyperparameter> describe(const ModelValues& values) const;
  [[nodiscard]] Eigen::VectorXd lower() const;
  [[nodiscard]] Eigen::VectorXd upper() const;
  /// Sum of the log priors of the free hyperparameters at `values`, and its gradient over
  /// params. `kernel` must already hold values.kernel_u.
  [[nodiscard]] double log_prior(const Kernel& kernel, const ModelValues& values, Eigen::VectorXd* gradient) const;
  /// Random start `stratum` of `strata` (0-based) for a multi-start fit. Length scales: one log
  /// level per kernel, uniform in the stratum-th of `strata` equal slices of log [0.02, 5] +
  /// log(sqrt(size)), plus +-0.5 per ARD entry (priors aside: restarts look for modes). Other
  /// hyperparameters: prior draws where there is a prior, otherwise uniform in
  /// [current - 3, current + 3] (the entries of a vector share one offset, shifted by
  /// log(sqrt(size)), plus +-0.5 each). Clipped to the bounds.
  [[nodiscard]] Eigen::VectorXd sample(const ModelValues& current, Rng& rng, int stratum = 0, int strata = 1) const;

 private:
  std::vector<Hyperparameter> kernel_hp_;
  GpOptions options_;
  std::vector<Eigen::Index> kernel_free_;
  Eigen::Index noise_index_ = -1, mean_index_ = -1, size_ = 0;
};

}  // namespace gpbo
