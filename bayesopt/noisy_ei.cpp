#include "gpbo/bayesopt/noisy_ei.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "gpbo/bayesopt/feasibility.hpp"
#include "gpbo/kernels/white.hpp"

namespace gpbo::bo {

NoisyEiFantasies noisy_ei_fantasies(const GaussianProcess& model, int samples, Rng& rng,
                                    const std::vector<bool>& incumbent_rows) {
  if (samples < 1) throw std::invalid_argument("noisy_ei_fantasies: samples must be >= 1, got " + std::to_string(samples));
  if (model.size() == 0) throw std::invalid_argument("noisy_ei_fantasies: the model has no data");
  const Eigen::MatrixXd& X = model.X();
  if (!incumbent_rows.empty() &&
      (incumbent_rows.size() != static_cast<std::size_t>(X.rows()) ||
       std::find(incumbent_rows.begin(), incumbent_rows.end(), true) == incumbent_rows.end()))
    throw std::invalid_argument("noisy_ei_fantasies: incumbent_rows needs one flag per point, at least one set");
  // A white term of the kernel is noise too (kernels/white.hpp): the fantasies leave it out.
  const bool white = has_white(model.kernel());
  const KernelPtr signal = white ? without_white(model.kernel()) : model.kernel().clone();
  // exp(log(1e-6)) may come back a rounding above 1e-6.
  // Known per-point noise (values told with an sd) is noise too.
  const bool known_noise = model.point_noise().size() > 0 && (model.point_noise().array() > 0.0).any();
  const bool noise_free = model.noise_variance() <= kFantasyNoiseVariance * (1.0 + 1e-9) && !white && !known_noise;
  if (noise_free || !signal) return {SharedCovarianceModels(model), {min_where(model.predict(X).mean, incumbent_rows)}};
  Eigen::MatrixXd draws = model.sample_posterior(X, samples, rng);  // latent f, no noise
  GpOptions options = model.options();
  options.noise.learn = false;
  options.noise.variance = kFantasyNoiseVariance;
  // The fitted constant, kept as it is (the maps below keep its units).
  options.mean.learn = false;
  options.mean.value = model.mean_value();
  GaussianProcess fantasy(signal->clone(), options);
  fantasy.set_data(X, draws.col(0), model.input_map(), model.output_map());
  std::vector<double> best(static_cast<std::size_t>(draws.cols()));
  for (Eigen::Index s = 0; s < draws.cols(); ++s) best[static_cast<std::size_t>(s)] = min_where(draws.col(s), incumbent_rows);
  return {SharedCovarianceModels(std::move(fantasy), std::move(draws)), std::move(best)};
}

}  // namespace gpbo::bo
