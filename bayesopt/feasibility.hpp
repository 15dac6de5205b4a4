#pragma once
// The probability that an evaluation at a point gives a usable result: that it succeeds
// (bayesopt/failure_model.hpp) and that its outcomes meet the user's constraints
// (bayesopt/outcome_constraints.hpp). The acquisitions are weighted by it
// (bayesopt/acquisition_search.hpp), as in BO with unknown constraints (Gelbart, Snoek & Adams
// 2014): EI times the probability of feasibility.
//
// Points are rows of the encoded cube [0, 1]^D. "Success" below means a usable result.
#include "gpbo/core/eigen_abi.hpp"
#include <Eigen/Core>
#include <vector>

#include "gpbo/core/random.hpp"

namespace gpbo::bo {

/// The smallest entry of v among the rows flagged in `allowed` (e.g. the results that met the
/// outcome constraints); all rows when `allowed` is empty; infinity when none is flagged.
double min_where(const Eigen::VectorXd& v, const std::vector<bool>& allowed);

class Feasibility {
 public:
  virtual ~Feasibility() = default;
  /// log p(success) at the rows of U.
  [[nodiscard]] virtual Eigen::VectorXd log_success(const Eigen::MatrixXd& U) const = 0;
  /// log p(success) at u and its gradient in u (1 x D).
  [[nodiscard]] virtual double log_success_and_gradient(const Eigen::RowVectorXd& u,
                                                        Eigen::RowVectorXd& gradient) const = 0;
  /// One joint posterior draw of the outcomes at the rows of U (true = success): how Thompson
  /// sampling respects infeasible regions.
  [[nodiscard]] virtual std::vector<bool> sample_success(const Eigen::MatrixXd& U, Rng& rng) const = 0;

 protected:
  Feasibility() = default;
  Feasibility(const Feasibility&) = default;
  Feasibility& operator=(const Feasibility&) = default;
};

/// A part that weighs `exponent` times as much: log p scaled by it, so an acquisition weighted by
/// it is weighted by p^exponent; its draws are the part's own. The part must outlive it.
class PoweredFeasibility final : public Feasibility {
 public:
  PoweredFeasibility(const Feasibility& part, double exponent) : part_(&part), exponent_(exponent) {}
  [[nodiscard]] Eigen::VectorXd log_success(const Eigen::MatrixXd& U) const override {
    return exponent_ * part_->log_success(U);
  }
  [[nodiscard]] double log_success_and_gradient(const Eigen::RowVectorXd& u, Eigen::RowVectorXd& gradient) const override {
    const double log_p = part_->log_success_and_gradient(u, gradient);
    gradient *= exponent_;
    return exponent_ * log_p;
  }
  [[nodiscard]] std::vector<bool> sample_success(const Eigen::MatrixXd& U, Rng& rng) const override {
    return part_->sample_success(U, rng);
  }

 private:
  const Feasibility* part_;
  double exponent_;
};

/// Independent parts (e.g. where evaluations fail, and each outcome constraint): log p is the sum
/// of theirs, and a draw succeeds where every part's draw does. The parts must outlive it.
class JointFeasibility final : public Feasibility {
 public:
  explicit JointFeasibility(std::vector<const Feasibility*> parts) : parts_(std::move(parts)) {}
  [[nodiscard]] bool empty() const { return parts_.empty(); }
  [[nodiscard]] Eigen::VectorXd log_success(const Eigen::MatrixXd& U) const override;
  [[nodiscard]] double log_success_and_gradient(const Eigen::RowVectorXd& u,
                                                Eigen::RowVectorXd& gradient) const override;
  [[nodiscard]] std::vector<bool> sample_success(const Eigen::MatrixXd& U, Rng& rng) const override;

 private:
  std::vector<const Feasibility*> parts_;
};

}  // namespace gpbo::bo
