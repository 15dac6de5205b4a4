// The optimizer's view through its fitted model: the observations it holds, the models conditioned
// on results told since the last fit, and what they say about points (predictions, parameter
// importance, feasibility, the recommended trial).
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "gpbo/bayesopt/optimizer.hpp"
#include "gpbo/bayesopt/importance.hpp"
#include "gpbo/bayesopt/penalties.hpp"
#include "gpbo/gp/fully_bayesian.hpp"
#include "gpbo/gp/normal_mixture.hpp"

namespace gpbo::bo {

namespace {

/// The posterior mean at the rows of X of a mixture of equally weighted models (mcmc mode's
/// hyperparameter samples; one model otherwise).
Eigen::VectorXd mixture_mean(const std::vector<GaussianProcess>& models, const Eigen::MatrixXd& X) {
  Eigen::VectorXd mean = Eigen::VectorXd::Zero(X.rows());
  for (const GaussianProcess& m : models) mean += m.predict(X).mean;
  return mean / static_cast<double>(models.size());
}

// Predictions at many points run a block of rows at a time: a block's cross-covariances (rows x
// evaluations) bound the memory, whatever the number of points.
template <class PerBlock>
void in_row_blocks(Eigen::Index rows, PerBlock&& per_block) {
  constexpr Eigen::Index kBlock = 4096;
  for (Eigen::Index start = 0; start < rows; start += kBlock) per_block(start, std::min(kBlock, rows - start));
}

// p(success) at the rows of U by one fitted model.
std::vector<double> success_probabilities(const Feasibility& model, const Eigen::MatrixXd& U) {
  std::vector<double> out(static_cast<std::size_t>(U.rows()));
  in_row_blocks(U.rows(), [&](Eigen::Index start, Eigen::Index count) {
    const Eigen::VectorXd log_p = model.log_success(U.middleRows(start, count));
    for (Eigen::Index i = 0; i < count; ++i) out[static_cast<std::size_t>(start + i)] = std::exp(log_p[i]);
  });
  return out;
}

}  // namespace

Eigen::MatrixXd Optimizer::encoded_points(const std::vector<Point>& points) const {
  Eigen::MatrixXd U(static_cast<Eigen::Index>(points.size()), static_cast<Eigen::Index>(space_.encoded_dim()));
  for (std::size_t i = 0; i < points.size(); ++i) U.row(static_cast<Eigen::Index>(i)) = space_.encode(space_.complete(points[i])).transpose();
  return U;
}

Eigen::MatrixXd Optimizer::all_points() const {
  Eigen::MatrixXd P(static_cast<Eigen::Index>(trials_.size()), static_cast<Eigen::Index>(space_.encoded_dim()));
  for (std::size_t i = 0; i < trials_.size(); ++i) P.row(static_cast<Eigen::Index>(i)) = trials_[i].u.transpose();
  return P;
}

double Optimizer::penalty_from() const {
  Eigen::VectorXd y(static_cast<Eigen::Index>(ok_order_.size()));
  for (std::size_t i = 0; i < ok_order_.size(); ++i) y[static_cast<Eigen::Index>(i)] = internal(trials_[ok_order_[i]].value);
  return find_penalties(y).from;
}

std::vector<std::uint64_t> Optimizer::modeled(double from) const {
  std::vector<std::uint64_t> ids;
  for (const auto id : ok_order_)
    if (internal(trials_[id].value) < from) ids.push_back(id);
  return ids;
}

void Optimizer::observations(const std::vector<std::uint64_t>& ids, Eigen::MatrixXd& X, Eigen::VectorXd& y,
                             Eigen::VectorXd* noise_variances) const {
  const auto n = static_cast<Eigen::Index>(ids.size());
  X.resize(n, static_cast<Eigen::Index>(space_.encoded_dim()));
  y.resize(n);
  bool any_noise = false;
  for (Eigen::Index i = 0; i < n; ++i) {
    const Trial& t = trials_[ids[static_cast<std::size_t>(i)]];
    X.row(i) = t.u.transpose();
    y[i] = internal(t.value);
    any_noise = any_noise || t.noise_sd > 0.0;
  }
  if (!noise_variances) return;
  noise_variances->resize(any_noise ? n : 0);
  for (Eigen::Index i = 0; any_noise && i < n; ++i) {
    const double sd = trials_[ids[static_cast<std::size_t>(i)]].noise_sd;
    (*noise_variances)[i] = sd * sd;
  }
}

std::vector<GaussianProcess> Optimizer::conditioned_models(std::vector<std::uint64_t>& ids, std::vector<bool>* outliers) const {
  ids = surrogate_ids_;
  if (surrogate_.models().empty()) return {};
  // The models hold surrogate_ids_; later observations are added with the O(n^2) Cholesky
  // extension, as the fast preset does.
  std::vector<bool> in_model(trials_.size(), false);
  for (const auto id : surrogate_ids_) in_model[id] = true;
  for (const auto id : modeled(penalty_from()))
    if (!in_model[id]) ids.push_back(id);
  Eigen::MatrixXd X;
  Eigen::VectorXd y, noise;
  observations(ids, X, y, &noise);
  const OutputTransform& transform = surrogate_.state().transform;
  std::vector<GaussianProcess> models;
  for (const GaussianProcess& fitted : surrogate_.models()) {  // mcmc mode: one per sample
    GaussianProcess m = fitted;
    const Eigen::Index fitted_rows = m.size();
    for (Eigen::Index i = fitted_rows; i < X.rows(); ++i)
      m.add_point(X.row(i), surrogate_.standardize(y[i]), noise.size() > 0 ? transform.variance_to_model(noise[i], y[i]) : 0.0);
    std::vector<bool> flagged;
    models.push_back(surrogate_.with_new_outliers(std::move(m), fitted_rows, &flagged));
    if (outliers && outliers->empty()) *outliers = flagged;
    if (outliers)  // mcmc mode: flagged under any of the samples
      for (std::size_t i = 0; i < flagged.size(); ++i) (*outliers)[i] = (*outliers)[i] || flagged[i];
  }
  return models;
}

std::vector<std::uint64_t> Optimizer::outliers() const {
  if (options_.surrogate.outliers != OutlierMode::Detect) return {};
  std::vector<std::uint64_t> ids, out;
  std::vector<bool> flagged;
  (void)conditioned_models(ids, &flagged);
  for (std::size_t i = 0; i < flagged.size(); ++i)
    if (flagged[i]) out.push_back(ids[i]);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<ObjectivePrediction> Optimizer::predict(const std::vector<Point>& points) const {
  std::vector<std::uint64_t> ids;
  const std::vector<GaussianProcess> models = conditioned_models(ids);
  if (models.empty()) throw std::logic_error("predict: no model yet (the first model-based suggestion fits it)");
  const Eigen::MatrixXd X = encoded_points(points);
  // One part per model (mcmc mode: per hyperparameter draw), in the model's standardized units;
  // the quantiles are the mixture's own, mapped exactly through the output warp.
  const OutputTransform& t = surrogate_.state().transform;
  std::vector<ObjectivePrediction> out(points.size());
  in_row_blocks(X.rows(), [&](Eigen::Index start, Eigen::Index count) {
    const std::vector<Prediction> parts = predict_each(models, X.middleRows(start, count));
    for (Eigen::Index r = 0; r < count; ++r) {
      const auto quantile = [&](double p) { return t.invert(mixture_quantile(parts, r, p)); };
      // Internal values are minimized: a maximized objective's are negated, and its bounds swap.
      const double lo = quantile(0.025), mid = quantile(0.5), hi = quantile(0.975);
      out[static_cast<std::size_t>(start + r)] =
          options_.goal == Goal::Minimize ? ObjectivePrediction{mid, lo, hi} : ObjectivePrediction{-mid, -hi, -lo};
    }
  });
  return out;
}

std::vector<ParameterImportance> Optimizer::importance(std::size_t samples) const {
  std::vector<std::uint64_t> ids;
  const std::vector<GaussianProcess> models = conditioned_models(ids);
  if (models.empty()) throw std::logic_error("importance: no model yet (the first model-based suggestion fits it)");
  constexpr std::uint64_t kImportanceStream = 0x696d706f7274ULL;  // apart from rng_'s draws
  Rng rng = make_rng(options_.seed, kImportanceStream);
  // Equal observations leave nothing to share out: the fitted constant mean stops a hair from
  // them (1e-7 was seen), and the model's mean then moves by that much, which no resolution
  // below the data's own spread can tell from an effect. So their spread decides first.
  Eigen::MatrixXd X;
  Eigen::VectorXd y;
  observations(ids, X, y);
  const bool alike = y.size() > 0 && y.maxCoeff() - y.minCoeff() <= 1e-12 * y.cwiseAbs().maxCoeff();
  // The model's values are standardized (unit spread where the observations vary); a mean that
  // moves by less than this is the round-off of a fit, not a parameter's effect.
  constexpr double kResolution = 1e-8;
  return sobol_indices(
      space_,
      [&models, alike](const Eigen::MatrixXd& U) {
        return alike ? Eigen::VectorXd(Eigen::VectorXd::Zero(U.rows())) : mixture_mean(models, U);
      },
      samples, rng, kResolution);
}

std::vector<double> Optimizer::feasibility(const std::vector<Point>& points) const {
  if (options_.constraints.empty()) return std::vector<double>(points.size(), 1.0);
  const std::optional<ConstraintModels> models = fit_constraint_models();
  if (!models) throw std::logic_error("feasibility: the constraints' models need at least 2 successful results");
  return success_probabilities(*models, encoded_points(points));
}

std::vector<double> Optimizer::success_probability(const std::vector<Point>& points) const {
  const Eigen::MatrixXd U = encoded_points(points);  // a point outside the space is an error in any case
  const std::optional<FailureModel> model = fit_failure_model(all_points(), penalty_from());
  if (!model) return std::vector<double>(points.size(), 1.0);
  return success_probabilities(*model, U);
}

std::optional<Trial> Optimizer::recommend() const {
  std::vector<std::uint64_t> candidates = modeled(penalty_from());
  std::erase_if(candidates, [this](std::uint64_t id) { return !feasible(trials_[id]); });
  if (candidates.empty() || surrogate_.models().empty()) return best();
  // Values found to be penalties since the last suggestion are no candidates.
  std::vector<bool> candidate(trials_.size(), false);
  for (const auto id : candidates) candidate[id] = true;
  std::vector<std::uint64_t> ids;
  std::vector<bool> outliers;
  const std::vector<GaussianProcess> models = conditioned_models(ids, &outliers);
  // A value flagged an outlier is not what its point would give: such a point is recommended
  // only when nothing else is left.
  std::vector<bool> flagged(trials_.size(), false);
  for (std::size_t i = 0; i < ids.size(); ++i) flagged[ids[i]] = outliers[i];
  if (std::any_of(candidates.begin(), candidates.end(), [&](std::uint64_t id) { return !flagged[id]; }))
    for (const auto id : candidates) candidate[id] = !flagged[id];
  Eigen::MatrixXd X;
  Eigen::VectorXd y;
  observations(ids, X, y);
  const Eigen::VectorXd mean = mixture_mean(models, X);
  std::optional<std::size_t> pick;
  for (std::size_t i = 0; i < ids.size(); ++i)
    if (candidate[ids[i]] && (!pick || mean[static_cast<Eigen::Index>(i)] < mean[static_cast<Eigen::Index>(*pick)])) pick = i;
  return trials_[ids[*pick]];
}

}  // namespace gpbo::bo
