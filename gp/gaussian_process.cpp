#include "gpbo/gp/gaussian_process.hpp"

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <numbers>
#include <limits>
#include <sstream>

#include "gpbo/core/finite_values.hpp"
#include "gpbo/core/moments.hpp"
#include "gpbo/gp/cholesky.hpp"
#include "gpbo/gp/marginal_likelihood.hpp"
#include "gpbo/gp/param_layout.hpp"
#include "gpbo/gp/spd_inverse.hpp"

namespace gpbo {
namespace {

void require(bool ok, const std::string& message) {
  if (!ok) throw std::invalid_argument("GaussianProcess: " + message);
}

// Names the first point or value that is NaN or infinite (a data set of thousands of rows).
void require_finite_data(const Eigen::MatrixXd& X, const Eigen::VectorXd& y) {
  if (const auto bad = first_non_finite(X)) require(false, "X: " + describe_non_finite_point(*bad));
  if (const auto bad = first_non_finite(y))
    require(false, "y: value " + std::to_string(bad->row) + " is not finite (" + std::to_string(bad->value) + ")");
}

// Predictive variances are in squared output units: scale^2 must neither overflow nor underflow
// (roughly 1e-154 < scale < 1e154).
bool variance_representable(double scale) {
  const double v = scale * scale;
  return std::isfinite(v) && v >= std::numeric_limits<double>::min();
}

// A known variance (y's units squared) in modeled units, at most kMaxCarriedVariance, as a warp
// carries them: an sd of 1e154 beside values of 1 (or 1e60 beside 1e-100) overflowed to inf, and
// the factorization failed; at the cap the point tells the model next to nothing, as it should.
double modeled_variance(double v, double scale) { return std::min(v / (scale * scale), kMaxCarriedVariance); }

void validate_options(const GpOptions& o) {
  if (const auto bad = find_gp_options_problem(o)) require(false, "options " + bad->field + ": " + bad->problem);
}

}  // namespace

std::optional<GpOptionsProblem> find_gp_options_problem(const GpOptions& o) {
  // Bounds must be finite: a saved model holds them, and JSON has no infinity. The noise bounds
  // only bound a learned noise; a fixed one is checked by itself.
  if (o.noise.learn) {
    if (!(o.noise.lower > 0.0 && std::isfinite(o.noise.lower))) return GpOptionsProblem{"noise/lower", "must be positive and finite"};
    if (!(o.noise.upper > o.noise.lower && std::isfinite(o.noise.upper)))
      return GpOptionsProblem{"noise/upper", "must be finite and above noise/lower"};
    if (!(o.noise.variance > 0.0 && std::isfinite(o.noise.variance)))
      return GpOptionsProblem{"noise/variance", "must be positive and finite (the start of a learned noise)"};
  } else if (!(o.noise.variance >= 0.0 && std::isfinite(o.noise.variance))) {
    return GpOptionsProblem{"noise/variance", "a fixed noise variance must be >= 0 and finite"};
  }
  if (!std::isfinite(o.mean.lower)) return GpOptionsProblem{"mean/lower", "must be finite"};
  if (!(o.mean.upper > o.mean.lower && std::isfinite(o.mean.upper)))
    return GpOptionsProblem{"mean/upper", "must be finite and above mean/lower"};
  if (!std::isfinite(o.mean.value)) return GpOptionsProblem{"mean/value", "must be finite"};
  if (o.mean.prior_sd && !(*o.mean.prior_sd > 0.0 && std::isfinite(*o.mean.prior_sd)))
    return GpOptionsProblem{"mean/prior_sd", "must be positive and finite"};
  if (o.input_lower.size() != o.input_upper.size())
    return GpOptionsProblem{"input_upper", "must have as many entries as input_lower (" + std::to_string(o.input_lower.size()) + ")"};
  for (Eigen::Index j = 0; j < o.input_lower.size(); ++j) {
    if (!std::isfinite(o.input_lower(j))) return GpOptionsProblem{"input_lower/" + std::to_string(j), "must be finite"};
    if (!(o.input_upper(j) > o.input_lower(j) && std::isfinite(o.input_upper(j) - o.input_lower(j))))
      return GpOptionsProblem{"input_upper/" + std::to_string(j), "must be finite and above input_lower/" + std::to_string(j)};
  }
  return std::nullopt;
}

Eigen::MatrixXd InputMap::apply(const Eigen::MatrixXd& X) const {
  if (identity()) return X;
  const Eigen::RowVectorXd inv = (upper - lower).cwiseInverse();
  return (X.rowwise() - lower).array().rowwise() * inv.array();
}

Eigen::RowVectorXd InputMap::jacobian(Eigen::Index d) const {
  if (identity()) return Eigen::RowVectorXd::Ones(d);
  return (upper - lower).cwiseInverse();
}

GaussianProcess::GaussianProcess(KernelPtr kernel, GpOptions options)
    : kernel_(std::move(kernel)), options_(std::move(options)) {
  require(kernel_ != nullptr, "kernel must not be null");
  // A free value outside its bounds would be clamped by the first fit and refused by load_gp
  // (a saved model that does not load): refused here, where it was set.
  for (const Hyperparameter& h : kernel_->hyperparameters()) {
    if (h.fixed || (h.log_value >= h.log_lower && h.log_value <= h.log_upper)) continue;
    std::ostringstream msg;
    msg << "kernel hyperparameter '" << h.name << "' = " << std::exp(h.log_value) << " is outside its bounds ["
        << std::exp(h.log_lower) << ", " << std::exp(h.log_upper) << "]: set_bounds to take it in, or fix it";
    require(false, msg.str());
  }
  validate_options(options_);
  if (options_.input_lower.size() > 0) dim_ = options_.input_lower.size();
  log_noise_ = options_.noise.variance > 0.0 ? std::log(options_.noise.variance) : -INFINITY;
  if (options_.noise.learn) {
    log_noise_ = std::clamp(log_noise_, std::log(options_.noise.lower), std::log(options_.noise.upper));
  }
  mean_ = options_.mean.kind == MeanOptions::Kind::Constant ? options_.mean.value : 0.0;
}

GaussianProcess::GaussianProcess(const GaussianProcess& other)
    : kernel_(other.kernel_->clone()),
      options_(other.options_),
      dim_(other.dim_),
      log_noise_(other.log_noise_),
      mean_(other.mean_),
      X_(other.X_),
      Xm_(other.Xm_),
      y_(other.y_),
      ym_(other.ym_),
      point_noise_(other.point_noise_),
      input_map_(other.input_map_),
      output_map_(other.output_map_),
      chol_(other.chol_),
      whitened_(other.whitened_),
      alpha_(other.alpha_),
      jitter_(other.jitter_),
      maps_size_(other.maps_size_) {}

GaussianProcess& GaussianProcess::operator=(const GaussianProcess& other) {
  if (this != &other) {
    GaussianProcess copy(other);
    *this = std::move(copy);
  }
  return *this;
}

double GaussianProcess::noise_variance() const { return std::exp(log_noise_); }
double GaussianProcess::mean_value() const { return mean_; }

// ---------------------------------------------------------------- data

void GaussianProcess::set_data(const Eigen::MatrixXd& X, const Eigen::VectorXd& y) { set_data(X, y, Eigen::VectorXd()); }

void GaussianProcess::set_data(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const Eigen::VectorXd& point_noise) {
  require(X.rows() == y.size(), "X has " + std::to_string(X.rows()) + " rows but y has " +
                                    std::to_string(y.size()) + " values");
  // Before the maps: a NaN would otherwise reach the standardization and read as a scale problem.
  require_finite_data(X, y);
  InputMap in;
  if (options_.scale_inputs) {
    if (options_.input_lower.size() > 0) {
      require(options_.input_lower.size() == X.cols(), "input bounds have " +
                  std::to_string(options_.input_lower.size()) + " dimensions but X has " + std::to_string(X.cols()));
      in.lower = options_.input_lower;
      in.upper = options_.input_upper;
    } else if (X.rows() > 0) {
      in.lower = X.colwise().minCoeff();
      in.upper = X.colwise().maxCoeff();
      for (Eigen::Index j = 0; j < X.cols(); ++j) {
        // A constant column: a range of 1, or wider where 1 is below its values' spacing (around
        // 1e16 lower + 1 == lower, and the map was refused as "each upper bound must be ... above
        // its lower bound", a map the caller never gave).
        for (double width = 1.0; !(in.upper(j) > in.lower(j)) && std::isfinite(width); width *= 2.0)
          in.upper(j) = in.lower(j) + width;
      }
    }
  }
  const OutputMap out = options_.standardize_outputs && y.size() > 0 ? standardization(y) : OutputMap{};
  set_data(X, y, in, out, point_noise);
  maps_size_ = X.rows();
}

OutputMap GaussianProcess::standardization(const Eigen::VectorXd& y) {
  require(y.size() > 0, "standardization: no values");
  const MeanSd m = mean_sd(y, 0);
  OutputMap out;
  out.shift = m.mean;
  // Equal values are scaled by their magnitude. One value has no spread either, but scaling it
  // so made a GP grown point by point from a first value of 1e-9 ten orders too sure: centred
  // on it, unscaled (set_data and add_point alike; fit() recomputes the maps from all the data).
  out.scale = m.sd > 0.0 ? m.sd : (out.shift != 0.0 && y.size() > 1 ? std::abs(out.shift) : 1.0);
  if (!variance_representable(out.scale)) {
    const bool wide = out.scale > 1.0;
    std::ostringstream msg;
    msg << (wide ? "the outputs spread too widely" : "the outputs vary too little") << " (sd " << out.scale
        << ") for variances in double precision: rescale them ("
        << (wide ? "e.g. divide by 1e100, or take a log)" : "e.g. multiply by 1e100)");
    require(false, msg.str());
  }
  return out;
}

void GaussianProcess::set_data(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const InputMap& input_map,
                               const OutputMap& output_map, const Eigen::VectorXd& point_noise) {
  require(X.rows() == y.size(), "X and y have different numbers of points");
  require(point_noise.size() == 0 || point_noise.size() == y.size(),
          "point_noise has " + std::to_string(point_noise.size()) + " variances but y has " + std::to_string(y.size()) + " values");
  require(point_noise.size() == 0 || (point_noise.allFinite() && (point_noise.array() >= 0.0).all()),
          "point_noise: the noise variances must be finite and >= 0");
  require_finite_data(X, y);
  require(dim_ < 0 || X.cols() == dim_ || (X.rows() == 0 && X.cols() == 0),
          "X has " + std::to_string(X.cols()) + " columns but the model has " + std::to_string(dim_) + " inputs");
  require(input_map.identity() || (input_map.lower.size() == X.cols() && input_map.upper.size() == X.cols()),
          "input map dimension does not match X");
  require(input_map.identity() || (input_map.lower.allFinite() && (input_map.upper.array() > input_map.lower.array()).all() &&
                                   (input_map.upper - input_map.lower).allFinite()),
          "input map: each upper bound must be finite and above its lower bound");
  require(output_map.scale > 0.0 && variance_representable(output_map.scale) && std::isfinite(output_map.shift),
          "output map scale must be between 1e-154 and 1e154, and its shift finite");
  // Mapped values beyond kMappedLimit overflow the kernel's distances or y' K^-1 y: a hand-edited
  // model file's y = 1e308 beside a map of scale 1 predicted NaN everywhere, its X = 1e308 failed
  // as "covariance matrix has non-finite entries".
  // Each column's farthest value from its map's lower bound, in units of its range (no copy of X).
  const auto farthest_mapped = [&] {
    if (input_map.identity()) return X.cwiseAbs().maxCoeff();
    const Eigen::ArrayXXd reach = (X.colwise().maxCoeff() - input_map.lower).cwiseAbs().cwiseMax(
        (X.colwise().minCoeff() - input_map.lower).cwiseAbs());
    return (reach.row(0) / (input_map.upper - input_map.lower).array()).maxCoeff();
  };
  require(X.size() == 0 || farthest_mapped() < kMappedLimit,
          "inputs lie more than 1e100 times their map's range outside it (a damaged model, or inputs spanning too little "
          "of their size to scale)");
  require(y.size() == 0 || ((y.array() - output_map.shift) / output_map.scale).abs().maxCoeff() < kMappedLimit,
          "targets lie more than 1e100 standard deviations of the output map from its centre (a damaged model?)");
  // Strong guarantee: a kernel that rejects X (its width) or a factorization that fails leaves
  // the model as it was, not holding the new data beside the old factor. The old data are kept
  // aside (copies: X may be X_ itself) and factorized again on failure, rather than keeping a
  // copy of the n x n factor, which would double the memory of every call for the rare error.
  const Eigen::Index old_dim = dim_, old_maps_size = maps_size_;
  const Eigen::MatrixXd old_X = X_;
  const Eigen::VectorXd old_y = y_, old_noise = point_noise_;
  const InputMap old_in = input_map_;
  const OutputMap old_out = output_map_;
  auto assign = [this](const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const Eigen::VectorXd& noise, const InputMap& in,
                       const OutputMap& out) {
    X_ = X;
    y_ = y;
    point_noise_ = noise;
    input_map_ = in;
    output_map_ = out;
    Xm_ = input_map_.apply(X_);
    ym_ = (y_.array() - output_map_.shift) / output_map_.scale;
  };
  try {
    if (X.cols() > 0) dim_ = X.cols();
    maps_size_ = -1;  // given maps (set_data(X, y) marks its own afterwards)
    assign(X, y, point_noise, input_map, output_map);
    refactorize();
  } catch (...) {
    dim_ = old_dim;
    maps_size_ = old_maps_size;
    assign(old_X, old_y, old_noise, old_in, old_out);
    refactorize();  // it factorized before, so it factorizes again
    throw;
  }
}

void GaussianProcess::refactorize() {
  const Eigen::Index n = size();
  jitter_ = 0.0;
  if (n == 0) {
    chol_.resize(0, 0);
    whitened_.resize(0);
    alpha_.resize(0);
    return;
  }
  // Headroom so that a following add_point() rarely has to reallocate.
  if (chol_.rows() < n) chol_.resize(n + std::max<Eigen::Index>(32, n / 8), n + std::max<Eigen::Index>(32, n / 8));
  auto block = chol_.topLeftCorner(n, n);
  block = kernel_->gram(Xm_);
  block.diagonal().array() += noise_variance();
  if (point_noise_.size() > 0) block.diagonal() += modeled_point_noise();
  jitter_ = cholesky_with_jitter(block);
  const auto L = block.triangularView<Eigen::Lower>();
  whitened_ = L.solve((ym_.array() - mean_).matrix());
  alpha_ = L.transpose().solve(whitened_);
}

Eigen::VectorXd GaussianProcess::modeled_point_noise() const {
  const double scale = output_map_.scale;
  return point_noise_.unaryExpr([scale](double v) { return modeled_variance(v, scale); });
}

void GaussianProcess::add_point(const Eigen::RowVectorXd& x, double y, double point_noise) {
  require(dim_ < 0 || x.size() == dim_, "point has " + std::to_string(x.size()) + " coordinates but the model has " +
                                            std::to_string(dim_) + " inputs");
  require(x.allFinite() && std::isfinite(y), "point and value must be finite");
  require(std::isfinite(point_noise) && point_noise >= 0.0, "point_noise: the noise variance must be finite and >= 0");
  if (size() == 0) {
    const Eigen::VectorXd noise = point_noise > 0.0 ? Eigen::VectorXd::Constant(1, point_noise) : Eigen::VectorXd();
    set_data(Eigen::MatrixXd(x), Eigen::VectorXd::Constant(1, y), noise);  // centred on y, unscaled
    return;
  }
  // Checked before anything changes (the point noise grew before a refusal here).
  const Eigen::RowVectorXd xm = input_map_.apply(x);
  const double ym = (y - output_map_.shift) / output_map_.scale;
  require(xm.cwiseAbs().maxCoeff() < kMappedLimit,
          input_map_.identity() ? "the point has a coordinate of magnitude 1e100 or more"
                                : "the point lies more than 1e100 times the input map's range outside it");
  require(std::abs(ym) < kMappedLimit, "the value lies more than 1e100 standard deviations of the output map from its centre");
  const bool had_noise = point_noise_.size() > 0;
  if (had_noise || point_noise > 0.0) {  // the earlier points' variances are 0 when none were given
    point_noise_.conservativeResize(size() + 1);
    if (!had_noise) point_noise_.head(size()).setZero();
    point_noise_(size()) = point_noise;
  }
  const Eigen::Index n = size();
  X_.conservativeResize(n + 1, Eigen::NoChange);
  X_.row(n) = x;
  Xm_.conservativeResize(n + 1, Eigen::NoChange);
  Xm_.row(n) = xm;
  y_.conservativeResize(n + 1);
  y_(n) = y;
  ym_.conservativeResize(n + 1);
  ym_(n) = ym;

  const Eigen::VectorXd k = kernel_->eval(Xm_.topRows(n), xm);
  const double kxx = kernel_->diag(xm)(0) + noise_variance() + modeled_variance(point_noise, output_map_.scale) + jitter_;
  const Eigen::VectorXd l = chol_.topLeftCorner(n, n).triangularView<Eigen::Lower>().solve(k);
  const double d2 = kxx - l.squaredNorm();
  if (!(d2 > 1e-12 * kxx)) {  // numerically dependent on the old points: full factorization with jitter
    try {
      refactorize();
    } catch (...) {  // the point is not added: the model is as before (it factorized then)
      X_.conservativeResize(n, Eigen::NoChange);
      Xm_.conservativeResize(n, Eigen::NoChange);
      y_.conservativeResize(n);
      ym_.conservativeResize(n);
      if (had_noise) point_noise_.conservativeResize(n);
      else point_noise_.resize(0);
      refactorize();
      throw;
    }
    return;
  }
  if (chol_.rows() < n + 1) {  // grow capacity geometrically so repeated additions stay O(n^2)
    const Eigen::Index cap = n + std::max<Eigen::Index>(32, n / 2);
    Eigen::MatrixXd grown(cap, cap);
    grown.topLeftCorner(n, n).triangularView<Eigen::Lower>() = chol_.topLeftCorner(n, n);
    chol_.swap(grown);
  }
  chol_.block(n, 0, 1, n) = l.transpose();
  chol_(n, n) = std::sqrt(d2);
  // The new row of L only appends one entry to L^{-1} (ym - mean); alpha then needs one
  // backward solve (two triangular solves in all instead of three: they are memory-bound).
  whitened_.conservativeResize(n + 1);
  whitened_(n) = (ym - mean_ - l.dot(whitened_.head(n))) / chol_(n, n);
  const auto L = factor().triangularView<Eigen::Lower>();
  alpha_ = L.transpose().solve(whitened_);
}

// ---------------------------------------------------------------- hyperparameters

namespace {
ModelValues current_values(const Kernel& k, double log_noise, double mean) { return {k.log_params(), log_noise, mean}; }
}  // namespace

std::vector<GpHyperparameter> GaussianProcess::hyperparameters() const {
  return ParamLayout(*kernel_, options_).describe(current_values(*kernel_, log_noise_, mean_));
}

std::vector<std::string> GaussianProcess::param_names() const {
  std::vector<std::string> names;
  for (const auto& h : hyperparameters()) {
    if (!h.fixed) names.push_back(h.name);
  }
  return names;
}

Eigen::VectorXd GaussianProcess::params() const {
  return ParamLayout(*kernel_, options_).pack(current_values(*kernel_, log_noise_, mean_));
}
Eigen::VectorXd GaussianProcess::params_lower() const { return ParamLayout(*kernel_, options_).lower(); }
Eigen::VectorXd GaussianProcess::params_upper() const { return ParamLayout(*kernel_, options_).upper(); }
Eigen::Index GaussianProcess::num_kernel_free() const { return ParamLayout(*kernel_, options_).num_kernel(); }

void GaussianProcess::set_params(const Eigen::VectorXd& params) {
  const Eigen::VectorXd previous = this->params();
  require(params.size() == previous.size(), "set_params: expected " + std::to_string(previous.size()) +
                                                " parameters, got " + std::to_string(params.size()));
  // As GPyTorch refuses a value outside its constraint: fit() would clamp it silently, and a
  // saved model holding it would not load.
  if (const auto outside = first_outside_bounds(hyperparameters(), params))
    require(false, "set_params: params[" + std::to_string(outside->first) + "]: " + outside->second);
  assign_params(params);
  try {
    refactorize();
  } catch (const CholeskyError&) {
    assign_params(previous);  // factorized before, so it factorizes again
    refactorize();
    throw;
  }
}

void GaussianProcess::assign_params(const Eigen::VectorXd& params) {
  const ParamLayout layout(*kernel_, options_);
  require(params.size() == layout.size(), "expected " + std::to_string(layout.size()) + " parameters, got " +
                                              std::to_string(params.size()));
  require(params.allFinite(), "parameters must be finite");
  const ModelValues v = layout.unpack(params, current_values(*kernel_, log_noise_, mean_));
  kernel_->set_log_params(v.kernel_u);
  log_noise_ = v.log_noise;
  mean_ = v.mean;
}

Eigen::VectorXd GaussianProcess::sample_params(Rng& rng) const {
  return ParamLayout(*kernel_, options_).sample(current_values(*kernel_, log_noise_, mean_), rng);
}

// ---------------------------------------------------------------- likelihood

double GaussianProcess::log_marginal_likelihood() const {
  const Eigen::Index n = size();
  if (n == 0) return 0.0;
  const Eigen::VectorXd r = ym_.array() - mean_;
  return -0.5 * r.dot(alpha_) - factor().diagonal().array().log().sum() -
         0.5 * static_cast<double>(n) * std::log(2.0 * std::numbers::pi);
}

double GaussianProcess::lml_and_gradient(const Eigen::VectorXd& params, Eigen::VectorXd* gradient) const {
  MarginalLikelihood ml(*kernel_, options_, Xm_, ym_, current_values(*kernel_, log_noise_, mean_));
  ml.set_point_noise(modeled_point_noise());
  require(params.size() == ml.layout().size(), "wrong number of parameters");
  return ml.lml(params, gradient);
}

double GaussianProcess::log_prior(const Eigen::VectorXd& params, Eigen::VectorXd* gradient) const {
  MarginalLikelihood ml(*kernel_, options_, Eigen::MatrixXd(), Eigen::VectorXd(),
                        current_values(*kernel_, log_noise_, mean_));
  require(params.size() == ml.layout().size(), "wrong number of parameters");
  return ml.log_prior(params, gradient);
}

double GaussianProcess::log_posterior_and_gradient(const Eigen::VectorXd& params, Eigen::VectorXd* gradient) const {
  MarginalLikelihood ml(*kernel_, options_, Xm_, ym_, current_values(*kernel_, log_noise_, mean_));
  ml.set_point_noise(modeled_point_noise());
  require(params.size() == ml.layout().size(), "wrong number of parameters");
  return ml.log_posterior(params, gradient);
}

}  // namespace gpbo
