#include "gpbo/mcmc/slice.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

#include "gpbo/mcmc/chain_recorder.hpp"

namespace gpbo::mcmc {
namespace {

// Per-chain state of coordinate-wise slice sampling.
class SliceKernel {
 public:
  SliceKernel(const LogDensity& model, const Eigen::VectorXd& x, double lp, Eigen::VectorXd widths, int max_steps)
      : model_(model), x_(x), lp_(lp), widths_(std::move(widths)), max_steps_(max_steps) {}

  // One sweep over all coordinates; when `adapt`, folds 2|dx_i| into the running mean width.
  void sweep(Rng& rng, bool adapt) {
    if (adapt) ++adapt_count_;
    for (Eigen::Index i = 0; i < x_.size(); ++i) {
      const double before = x_(i);
      update(i, rng);
      if (adapt) {
        const double w = 2.0 * std::abs(x_(i) - before);
        // Keep widths positive: a zero move (a degenerate slice) must not collapse the bracket.
        if (w > 0.0) widths_(i) += (w - widths_(i)) / static_cast<double>(adapt_count_ + 1);
      }
    }
  }

  [[nodiscard]] const Eigen::VectorXd& state() const { return x_; }
  [[nodiscard]] double lp() const { return lp_; }
  [[nodiscard]] const Eigen::VectorXd& widths() const { return widths_; }
  [[nodiscard]] long long evaluations() const { return evaluations_; }

 private:
  double log_density_at(Eigen::Index i, double t) {
    x_(i) = t;
    ++evaluations_;
    return sampled_log_density(model_, x_);
  }

  // Neal (2003), Fig. 3 (stepping out) and Fig. 5 (shrinkage) on coordinate i.
  void update(Eigen::Index i, Rng& rng) {
    const double x0 = x_(i);
    const double log_level = lp_ + std::log1p(-uniform01(rng));  // lp - Exp(1), never -inf from log(0)
    const double w = widths_(i);
    double left = x0 - w * uniform01(rng);
    double right = left + w;
    int j = static_cast<int>(std::floor(max_steps_ * uniform01(rng)));
    int k = max_steps_ - 1 - j;
    while (j > 0 && log_density_at(i, left) > log_level) {
      left -= w;
      --j;
    }
    while (k > 0 && log_density_at(i, right) > log_level) {
      right += w;
      --k;
    }
    const double tiny = 1e-12 * std::max(1.0, std::abs(x0));
    while (right - left > tiny) {
      const double x1 = left + uniform01(rng) * (right - left);
      const double f1 = log_density_at(i, x1);
      if (f1 > log_level) {
        lp_ = f1;
        return;  // x_(i) == x1 already
      }
      if (x1 < x0) {
        left = x1;
      } else {
        right = x1;
      }
    }
    x_(i) = x0;  // the bracket collapsed onto x0 (only with a pathological density): stay
  }

  const LogDensity& model_;
  Eigen::VectorXd x_;
  double lp_;
  Eigen::VectorXd widths_;
  int max_steps_;
  long adapt_count_ = 0;
  long long evaluations_ = 0;
};

Eigen::VectorXd initial_widths(const SliceOptions& o, int d) {
  if (o.widths.size() == 0) return Eigen::VectorXd::Constant(d, o.width);
  if (o.widths.size() != d)
    throw std::invalid_argument("slice_sample: " + std::to_string(o.widths.size()) + " widths for dimension " +
                                std::to_string(d));
  return o.widths;
}

void validate(const SliceOptions& o) {
  if (o.warmup < 0 || o.draws < 1 || o.thin < 1) throw std::invalid_argument("slice_sample: need warmup >= 0, draws >= 1, thin >= 1");
  // An infinite width made the bracket NaN: every draw stayed at the start, without an error.
  if (!(o.width > 0.0) || !std::isfinite(o.width) || !(o.widths.array() > 0.0).all() || !o.widths.allFinite())
    throw std::invalid_argument("slice_sample: widths must be positive and finite");
  if (o.max_steps < 1) throw std::invalid_argument("slice_sample: max_steps must be >= 1");
}

}  // namespace

SliceDraws slice_sample(const LogDensity& model, const Eigen::VectorXd& initial, Rng& rng, const SliceOptions& options) {
  return slice_sample(model, initial, rng, options, {});
}

SliceDraws slice_sample(const LogDensity& model, const Eigen::VectorXd& initial, Rng& rng, const SliceOptions& options,
                        const SliceSweepObserver& observer) {
  validate(options);
  const double lp0 = checked_initial_log_density(model, initial, "slice_sample");
  SliceKernel kernel(model, initial, lp0, initial_widths(options, model.dimension()), options.max_steps);
  for (int it = 0; it < options.warmup; ++it) {
    kernel.sweep(rng, options.adapt);
    if (observer) observer(it, kernel.state(), kernel.lp());
  }
  const int kept = (options.draws + options.thin - 1) / options.thin;
  SliceDraws out;
  out.widths = kernel.widths();
  out.draws.resize(kept, model.dimension());
  out.lp.resize(kept);
  for (int s = 0; s < options.draws; ++s) {
    kernel.sweep(rng, false);
    if (observer) observer(options.warmup + s, kernel.state(), kernel.lp());
    if (s % options.thin == 0) {
      out.draws.row(s / options.thin) = kernel.state().transpose();
      out.lp(s / options.thin) = kernel.lp();
    }
  }
  out.last = kernel.state();
  out.density_evaluations = kernel.evaluations() + 1;
  return out;
}

namespace {
// Value-only LogDensity over a callable, for the direct slice_sample overload.
class ValueOnlyDensity : public LogDensity {
 public:
  ValueOnlyDensity(const std::function<double(const Eigen::VectorXd&)>& f, int d) : f_(f), d_(d) {}
  [[nodiscard]] int dimension() const override { return d_; }
  [[nodiscard]] double log_density(const Eigen::VectorXd& x) const override {
    return as_sampled_log_density(f_(x));
  }
  double log_density_gradient(const Eigen::VectorXd&, Eigen::VectorXd&) const override {
    throw std::logic_error("slice_sample: value-only log density has no gradient");
  }

 private:
  const std::function<double(const Eigen::VectorXd&)>& f_;
  int d_;
};
}  // namespace

SliceDraws slice_sample(const std::function<double(const Eigen::VectorXd&)>& log_density,
                        const Eigen::VectorXd& initial, Rng& rng, const SliceOptions& options) {
  if (!log_density) throw std::invalid_argument("slice_sample: empty log-density function");
  if (initial.size() < 1) throw std::invalid_argument("slice_sample: empty initial point");
  const ValueOnlyDensity model(log_density, static_cast<int>(initial.size()));
  return slice_sample(model, initial, rng, options);
}

ChainResult SliceSampler::run(const LogDensity& model, const Eigen::VectorXd& initial, Rng& rng,
                              const SamplerOptions& options, const IterationCallback& progress) const {
  validate(options);
  const double lp0 = checked_initial_log_density(model, initial, "slice");
  ChainRecorder recorder(model, options, name(), initial, DiagnosticColumns{});
  SliceKernel kernel(model, initial, lp0, Eigen::VectorXd::Constant(model.dimension(), options.slice_width),
                     options.slice_max_steps);
  const int total = options.warmup + options.draws;
  for (int it = 0; it < total; ++it) {
    const bool warmup = it < options.warmup;
    if (it == options.warmup) recorder.begin_sampling(0);
    kernel.sweep(rng, warmup && options.adapt);
    if (!warmup) {
      const int s = it - options.warmup;
      if (recorder.kept(s)) recorder.record(s / options.thin, kernel.state(), kernel.lp());
    } else if (recorder.kept_warmup(it)) {
      recorder.record_warmup(it / options.thin, kernel.state(), kernel.lp());
    }
    if (progress) progress(it + 1, total);
  }
  recorder.result().stepsize = kernel.widths().mean();
  return recorder.finish(0, kernel.evaluations() + 1);
}

}  // namespace gpbo::mcmc
