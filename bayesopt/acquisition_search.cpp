#include "gpbo/bayesopt/acquisition_search.hpp"

#include <nlopt.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <stdexcept>

#include "gpbo/bayesopt/design.hpp"

namespace gpbo::bo {
namespace {

// log softplus(s) = log log(1 + e^s) and its derivative, stable for any s.
struct LogSoftplus {
  double value, slope;
};
LogSoftplus log_softplus(double s) {
  if (s < -30.0) return {s, 1.0};  // softplus(s) = e^s to 1e-13 relative
  const double sp = s > 30.0 ? s + std::log1p(std::exp(-s)) : std::log1p(std::exp(s));
  return {std::log(sp), 1.0 / ((1.0 + std::exp(-s)) * sp)};
}

// UCB's optimistic improvement s = best - LCB made positive, so that a success probability can
// weight it in log form: log(tau softplus(s / tau)), about log s once s exceeds tau and steeply
// lower below 0. With tau = 1 (standardized units) softplus flattened every improvement to about
// 0.7, and the probability's factor decided alone: on Gramacy's problem, where the optimum lies on
// a constraint's boundary (p about 0.5), UCB stayed in the interior local optimum in 15 of 20 runs
// (median regret 0.150 at 50 evaluations; tau = 0.03: 1.2e-4). Evaluations failing at random
// (bo_bench --fail-rate 0.3, 40 evaluations, 20 seeds): Branin 0.062 -> 0.024, Hartmann-6
// 0.379 -> 0.172 (bench/results/2026-12-04-s22/ucb_weighted_tau_*.jsonl).
constexpr double kUcbImprovementScale = 0.03;
LogSoftplus log_optimistic_improvement(double s) {
  const LogSoftplus l = log_softplus(s / kUcbImprovementScale);
  return {std::log(kUcbImprovementScale) + l.value, l.slope / kUcbImprovementScale};
}

double mean_of(const std::vector<double>& v) {
  return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

constexpr double kWorst = -1e300;

struct Candidate {
  Eigen::VectorXd u;
  double value;
};

// Perturbations of the incumbent: half with sd, half with sd / 10, clamped to the cube.
Eigen::MatrixXd incumbent_perturbations(const Eigen::VectorXd& incumbent, std::size_t n, double sd, Rng& rng) {
  Eigen::MatrixXd P(static_cast<Eigen::Index>(n), incumbent.size());
  for (Eigen::Index i = 0; i < P.rows(); ++i) {
    const double s = (i % 2 == 0) ? sd : 0.1 * sd;
    for (Eigen::Index j = 0; j < P.cols(); ++j) P(i, j) = std::clamp(incumbent[j] + s * standard_normal(rng), 0.0, 1.0);
  }
  return P;
}

// Whether encoded points need snapping onto the space: discrete coordinates to round, or
// conditional parameters whose columns follow their parents (a real parent crossing a range
// condition's bound switches its children on or off), or a slice's held columns.
bool needs_snap(const Space& space) { return space.has_discrete() || space.conditional() || !space.held_columns().empty(); }

void snap_rows(const Space& space, Eigen::MatrixXd& U) {
  if (!needs_snap(space)) return;
  for (Eigen::Index i = 0; i < U.rows(); ++i) U.row(i) = space.snap(U.row(i).transpose()).transpose();
}

// Refinement runs in the whole cube and its result is dropped when it leaves the box: an ascent
// that leaves the box heads back to known ground, while the box's interior holds its own basin
// (measured: bounding L-BFGS to the box instead left 5 of 20 Hartmann-6 seeds stuck, not 0).
bool inside(const Eigen::VectorXd& u, const SearchBox* box) {
  return !box || (((u - box->lower).array() >= -1e-12).all() && ((box->upper - u).array() >= -1e-12).all());
}

struct LbfgsData {
  const AcquisitionEvaluator* acq;
  double best_value;
  Eigen::VectorXd best_u;
  const Space* space;  // with linear constraints: only points that meet them count as best
  const std::vector<std::pair<Eigen::Index, double>>* held;  // a slice's columns, or empty
};

// The local searches see a slice's held columns as constants: each point is evaluated with them
// in place and their gradient is zero, so the search moves only the free columns.
Eigen::RowVectorXd held_point(const double* x, unsigned n, const std::vector<std::pair<Eigen::Index, double>>& held) {
  Eigen::RowVectorXd u = Eigen::Map<const Eigen::RowVectorXd>(x, n);
  for (const auto& [column, value] : held) u[column] = value;
  return u;
}

void release_held(double* grad, const std::vector<std::pair<Eigen::Index, double>>& held) {
  if (grad)
    for (const auto& h : held) grad[h.first] = 0.0;
}

double lbfgs_objective(unsigned n, const double* x, double* grad, void* data) {
  auto* d = static_cast<LbfgsData*>(data);
  const Eigen::RowVectorXd u = held_point(x, n, *d->held);
  Eigen::RowVectorXd g;
  const double v = d->acq->value_and_gradient(u, g);
  if (!std::isfinite(v) || !g.allFinite()) {
    if (grad) std::fill(grad, grad + n, 0.0);
    return kWorst;
  }
  if (grad) std::copy(g.data(), g.data() + n, grad);
  release_held(grad, *d->held);
  if (v > d->best_value && (!d->space || d->space->meets_constraints(Eigen::VectorXd(u.transpose())))) {
    d->best_value = v;
    d->best_u = u.transpose();
  }
  return v;
}

struct ConstraintData {
  const Space* space;
  std::size_t k;
  bool upper;
};

double constraint_function(unsigned n, const double* x, double* grad, void* data) {
  const auto* d = static_cast<const ConstraintData*>(data);
  const auto& held = d->space->held_columns();
  const double g = d->space->relaxed_constraint(d->k, d->upper, held_point(x, n, held).data(), grad);
  release_held(grad, held);
  return g;
}

// L-BFGS in [0,1]^D from `start`; returns the best point evaluated (the start if none is better).
// With linear constraints, SLSQP with them (relaxed: integers unrounded) instead, and the best
// point evaluated is tracked only among those that meet them, so the result keeps to them.
Candidate refine(const AcquisitionEvaluator& acq, const Space& space, const Candidate& start, int max_evaluations) {
  const auto n = static_cast<unsigned>(start.u.size());
  LbfgsData data{&acq, start.value, start.u, space.constraints().empty() ? nullptr : &space, &space.held_columns()};
  nlopt::opt opt(data.space ? nlopt::LD_SLSQP : nlopt::LD_LBFGS, n);
  opt.set_lower_bounds(0.0);
  opt.set_upper_bounds(1.0);
  std::vector<ConstraintData> bounds;
  for (std::size_t k = 0; data.space && k < space.constraints().size(); ++k)
    for (const bool upper : {false, true})
      if (upper ? space.constraints()[k].max.has_value() : space.constraints()[k].min.has_value())
        bounds.push_back({&space, k, upper});
  for (ConstraintData& b : bounds) opt.add_inequality_constraint(constraint_function, &b, 0.0);
  opt.set_max_objective(lbfgs_objective, &data);
  opt.set_maxeval(max_evaluations);
  opt.set_ftol_rel(1e-9);
  opt.set_xtol_rel(1e-8);
  std::vector<double> x(start.u.data(), start.u.data() + n);
  double f = 0.0;
  try {
    opt.optimize(x, f);
  } catch (const std::exception&) {
    // Round-off limited or failed line search: keep the best point seen.
  }
  return {data.best_u, data.best_value};
}

// Categorical parameters with more choices than this list, as neighbours of a point, only the
// categories that occur among the evaluated or pending points, and one other at random.
constexpr std::size_t kManyChoices = 32;

// For each parameter (empty unless categorical with more than kManyChoices choices): which of
// its categories occur in the rows of `seen` (evaluated and pending points, encoded).
std::vector<std::vector<bool>> categories_seen(const Space& space, const Eigen::MatrixXd& seen) {
  std::vector<std::vector<bool>> out(space.size());
  for (std::size_t i = 0; i < space.size(); ++i) {
    const Parameter& par = space.parameters()[i];
    if (par.kind != Parameter::Kind::Categorical || par.choices.size() <= kManyChoices) continue;
    const auto o = static_cast<Eigen::Index>(space.offset(i));
    out[i].assign(par.choices.size(), false);
    for (Eigen::Index r = 0; r < seen.rows(); ++r)
      for (std::size_t c = 0; c < par.choices.size(); ++c)
        if (seen(r, o + static_cast<Eigen::Index>(c)) == 1.0) out[i][c] = true;
  }
  return out;
}

// Encoded neighbours of a snapped point: integers +-1, every other category. Categories that
// no evaluated or pending point has are interchangeable to the models: the overlap kernel gives
// each the same prediction (one-hot columns nearly so: their length scales follow only their
// common prior). So of a categorical with many choices only the seen ones and one unseen one,
// drawn at random, are scored: a 4000-choice parameter costs tens of predictions per round,
// not 4000.
std::vector<Eigen::VectorXd> neighbours(const Space& space, const Eigen::VectorXd& u,
                                        const std::vector<std::vector<bool>>& seen, Rng& rng) {
  std::vector<Eigen::VectorXd> out;
  const Point p = space.decode(u);
  for (std::size_t i = 0; i < space.size(); ++i) {
    const Parameter& par = space.parameters()[i];
    const auto o = static_cast<Eigen::Index>(space.offset(i));
    if (!p.count(par.name)) continue;  // inactive (a conditional parameter)
    if (par.kind == Parameter::Kind::Integer || (par.kind == Parameter::Kind::Real && par.step > 0)) {
      // The values one step below and above (integers: one apart unless a step is set).
      const double x = as_double(p.at(par.name)), spacing = par.step > 0 ? par.step : 1.0;
      const auto k = static_cast<std::uint64_t>(std::llround((x - par.low) / spacing));
      for (const std::uint64_t next : {k - 1, k + 1}) {
        if (next >= par.distinct_values()) continue;  // below the first (k - 1 wrapped around) or past the last
        Point q = p;
        q[par.name] = par.nth_value(next);
        // A parent's new value may switch its children off (they must leave the point) or on
        // (they need some value): encode() refuses either, and only column o is taken from it;
        // the caller's snap() then re-encodes the children as the new value decides.
        for (std::size_t j = i + 1; j < space.size(); ++j) {
          const Parameter& child = space.parameters()[j];
          if (child.conditions.empty()) continue;
          if (!space.active(j, q)) {
            q.erase(child.name);
          } else if (!q.count(child.name)) {
            q[child.name] = child.kind == Parameter::Kind::Categorical ? child.choices.front()
                            : child.kind == Parameter::Kind::Fixed     ? child.value
                            : child.kind == Parameter::Kind::Integer   ? Value(static_cast<std::int64_t>(child.low))
                                                                       : Value(child.low);
          }
        }
        Eigen::VectorXd nu = u;
        nu[o] = space.encode(q)[o];
        out.push_back(nu);
      }
    } else if (par.kind == Parameter::Kind::Categorical) {
      const auto k = static_cast<Eigen::Index>(par.choices.size());
      auto move_to = [&](Eigen::Index c) {
        Eigen::VectorXd nu = u;
        nu.segment(o, k).setZero();
        nu[o + c] = 1.0;
        out.push_back(nu);
      };
      const std::vector<bool>& known = seen[i];
      Eigen::Index current = 0;
      u.segment(o, k).maxCoeff(&current);
      std::vector<Eigen::Index> unseen;
      for (Eigen::Index c = 0; c < k; ++c) {
        if (c == current) continue;
        if (known.empty() || known[static_cast<std::size_t>(c)]) {
          move_to(c);
        } else {
          unseen.push_back(c);
        }
      }
      // From an unseen category the other unseen ones predict the same: nothing to gain.
      if (!unseen.empty() && known[static_cast<std::size_t>(current)])
        move_to(unseen[std::uniform_int_distribution<std::size_t>(0, unseen.size() - 1)(rng)]);
    }
  }
  // A new category of a parent switches its children on or off: they take their encodings.
  if (space.conditional())
    for (Eigen::VectorXd& nu : out) nu = space.snap(nu);
  if (!space.constraints().empty())
    out.erase(std::remove_if(out.begin(), out.end(), [&](const Eigen::VectorXd& nu) { return !space.meets_constraints(nu); }),
              out.end());
  return out;
}

Candidate neighbourhood_search(const AcquisitionEvaluator& acq, const Space& space, Candidate c, int rounds,
                               const std::vector<std::vector<bool>>& seen, Rng& rng) {
  for (int r = 0; r < rounds; ++r) {
    const auto nb = neighbours(space, c.u, seen, rng);
    if (nb.empty()) break;
    Eigen::MatrixXd U(static_cast<Eigen::Index>(nb.size()), c.u.size());
    for (std::size_t i = 0; i < nb.size(); ++i) U.row(static_cast<Eigen::Index>(i)) = nb[i].transpose();
    const Eigen::VectorXd v = acq.values(U);
    Eigen::Index best = 0;
    if (!(v.maxCoeff(&best) > c.value)) break;
    c = {nb[static_cast<std::size_t>(best)], v[best]};
  }
  return c;
}

std::vector<Eigen::Index> top_indices(const Eigen::VectorXd& v, Eigen::Index begin, Eigen::Index end, std::size_t k) {
  std::vector<Eigen::Index> idx(static_cast<std::size_t>(end - begin));
  std::iota(idx.begin(), idx.end(), begin);
  k = std::min(k, idx.size());
  std::partial_sort(idx.begin(), idx.begin() + static_cast<std::ptrdiff_t>(k), idx.end(),
                    [&](Eigen::Index a, Eigen::Index b) { return v[a] > v[b]; });
  idx.resize(k);
  return idx;
}

Eigen::MatrixXd unconstrained_candidate_set(const Space& space, const Eigen::VectorXd& incumbent, std::size_t n_sobol,
                                            std::size_t n_local, double sd, Rng& rng, const SearchBox* box);

// n scrambled Sobol points of the encoded cube, scaled into `box` if given.
Eigen::MatrixXd sobol_in_box(const Space& space, std::size_t n, Rng& rng, const SearchBox* box) {
  Eigen::MatrixXd S = quasi_random_design(n, space.encoded_dim(), rng);
  if (box) {
    const Eigen::RowVectorXd lo = box->lower.transpose(), width = (box->upper - box->lower).transpose();
    for (Eigen::Index i = 0; i < S.rows(); ++i) S.row(i) = lo + S.row(i).cwiseProduct(width);
  }
  return S;
}

// candidate_set() for a region too narrow for rejection: the Sobol rows' constrained columns
// come from a walk inside the region (and the box), then the perturbations that meet it.
Eigen::MatrixXd narrow_candidate_set(const Space& space, const Eigen::VectorXd& incumbent, std::size_t& n_sobol,
                                     std::size_t n_local, double sd, Rng& rng, const SearchBox* box) {
  const auto D = static_cast<Eigen::Index>(space.encoded_dim());
  const Eigen::VectorXd lower = box ? box->lower : Eigen::VectorXd::Zero(D), upper = box ? box->upper : Eigen::VectorXd::Ones(D);
  const Eigen::MatrixXd walked = space.draw_in_region(sobol_in_box(space, n_sobol, rng, box), rng, lower, upper);
  const Eigen::MatrixXd local = unconstrained_candidate_set(space, incumbent, 0, n_local, sd, rng, box);
  Eigen::MatrixXd C(walked.rows() + local.rows(), D);
  Eigen::Index rows = 0;
  for (Eigen::Index i = 0; i < walked.rows(); ++i) C.row(rows++) = space.snap_uniform(walked.row(i).transpose()).transpose();
  for (Eigen::Index i = 0; i < local.rows(); ++i)
    if (space.meets_constraints(Eigen::VectorXd(local.row(i).transpose()))) C.row(rows++) = local.row(i);
  n_sobol = static_cast<std::size_t>(walked.rows());
  return C.topRows(rows);
}

// Candidates: n_sobol scrambled Sobol points (in `box` if given), then n_local perturbations of
// the incumbent, snapped. With linear constraints the Sobol points are drawn 1/share as many
// (at most 20 times) and every row that breaks a constraint is dropped; `n_sobol` then says how
// many Sobol rows are left at the top. A region too narrow for rejection takes the Sobol rows'
// constrained columns from a walk inside it (Space::draw_in_region).
Eigen::MatrixXd candidate_set(const Space& space, const Eigen::VectorXd& incumbent, std::size_t& n_sobol,
                              std::size_t n_local, double sd, Rng& rng, const SearchBox* box = nullptr) {
  if (space.constraints().empty()) return unconstrained_candidate_set(space, incumbent, n_sobol, n_local, sd, rng, box);
  if (space.narrow_region()) return narrow_candidate_set(space, incumbent, n_sobol, n_local, sd, rng, box);
  const std::size_t drawn = space.draws_for(n_sobol);
  const Eigen::MatrixXd C = unconstrained_candidate_set(space, incumbent, drawn, n_local, sd, rng, box);
  std::vector<Eigen::Index> keep;
  std::size_t sobol_kept = 0;
  for (Eigen::Index i = 0; i < C.rows(); ++i) {
    if (static_cast<std::size_t>(i) < drawn && sobol_kept == n_sobol) continue;  // enough Sobol rows
    if (!space.meets_constraints(Eigen::VectorXd(C.row(i).transpose()))) continue;
    keep.push_back(i);
    sobol_kept += static_cast<std::size_t>(i) < drawn;
  }
  n_sobol = sobol_kept;
  return C(keep, Eigen::all);
}

Eigen::MatrixXd unconstrained_candidate_set(const Space& space, const Eigen::VectorXd& incumbent, std::size_t n_sobol,
                                            std::size_t n_local, double sd, Rng& rng, const SearchBox* box) {
  const auto D = static_cast<std::size_t>(space.encoded_dim());
  if (incumbent.size() == 0) n_local = 0;
  Eigen::MatrixXd C(static_cast<Eigen::Index>(n_sobol + n_local), static_cast<Eigen::Index>(D));
  C.topRows(static_cast<Eigen::Index>(n_sobol)) = sobol_in_box(space, n_sobol, rng, box);
  if (n_local > 0) C.bottomRows(static_cast<Eigen::Index>(n_local)) = incumbent_perturbations(incumbent, n_local, sd, rng);
  if (box) {  // perturbations clamped to the box
    const Eigen::RowVectorXd lo = box->lower.transpose(), width = (box->upper - box->lower).transpose();
    for (Eigen::Index i = static_cast<Eigen::Index>(n_sobol); i < C.rows(); ++i)
      C.row(i) = C.row(i).cwiseMax(lo).cwiseMin(lo + width);
  }
  snap_rows(space, C);
  return C;
}

}  // namespace

bool is_duplicate(const Eigen::VectorXd& u, const Eigen::MatrixXd& points, double tolerance) {
  for (Eigen::Index i = 0; i < points.rows(); ++i)
    if ((points.row(i).transpose() - u).cwiseAbs().maxCoeff() <= tolerance) return true;
  return false;
}

bool admissible(const Space& space, const Eigen::VectorXd& u, const Eigen::MatrixXd& avoid, double tolerance) {
  return !is_duplicate(u, avoid, tolerance) && space.meets_constraints(u);
}

namespace {
std::vector<SharedCovarianceModels> single_members(const std::vector<const GaussianProcess*>& models) {
  std::vector<SharedCovarianceModels> out;
  out.reserve(models.size());
  for (const GaussianProcess* m : models) out.emplace_back(*m);
  return out;
}
}  // namespace

AcquisitionEvaluator::AcquisitionEvaluator(const std::vector<const GaussianProcess*>& models, AcquisitionKind kind,
                                           std::vector<double> best, double beta, const Feasibility* failures)
    : AcquisitionEvaluator(single_members(models), kind, std::move(best), beta, failures) {}

AcquisitionEvaluator::AcquisitionEvaluator(std::vector<SharedCovarianceModels> models, AcquisitionKind kind,
                                           std::vector<double> best, double beta, const Feasibility* failures)
    : models_(std::move(models)), kind_(kind), best_(std::move(best)), beta_(beta), failures_(failures) {
  std::size_t members = 0;
  for (const auto& m : models_) members += m.members();
  if (members == 0 || members != best_.size())
    throw std::invalid_argument("AcquisitionEvaluator: need one incumbent per model and at least one model");
  if (kind_ == AcquisitionKind::Thompson) throw std::invalid_argument("AcquisitionEvaluator: use thompson_search()");
}

AcquisitionEvaluator AcquisitionEvaluator::feasibility_only(std::vector<SharedCovarianceModels> models,
                                                            AcquisitionKind kind, const Feasibility& feasibility) {
  std::size_t members = 0;
  for (const auto& m : models) members += m.members();
  // Thompson sampling has no evaluator of its own; the probability is the same for every kind.
  const AcquisitionKind as = kind == AcquisitionKind::Thompson ? AcquisitionKind::LogEI : kind;
  AcquisitionEvaluator acq(std::move(models), as, std::vector<double>(members, 0.0), 0.0, &feasibility);
  acq.feasibility_only_ = true;
  return acq;
}

bool AcquisitionEvaluator::log_form() const {
  return kind_ == AcquisitionKind::LogEI || kind_ == AcquisitionKind::NoisyEI || kind_ == AcquisitionKind::LogNEI ||
         kind_ == AcquisitionKind::LogPI;
}

Eigen::MatrixXd AcquisitionEvaluator::member_values(const Eigen::MatrixXd& U) const {
  // Blocks of a fixed number of rows: the n x block temporaries of predict() stay in cache and
  // are the same size each time, so the allocator reuses them instead of mapping (and
  // page-faulting) fresh n x rows matrices that grow with every observation.
  constexpr Eigen::Index kBlock = 256;
  Eigen::MatrixXd per_member(U.rows(), static_cast<Eigen::Index>(best_.size()));
  Eigen::Index column = 0;
  for (const SharedCovarianceModels& models : models_) {
    for (Eigen::Index start = 0; start < U.rows(); start += kBlock) {
      const Eigen::Index len = std::min(kBlock, U.rows() - start);
      const MemberPredictions p = models.predict(U.middleRows(start, len));
      for (Eigen::Index j = 0; j < p.means.cols(); ++j) {
        const double best = best_[static_cast<std::size_t>(column + j)];
        for (Eigen::Index i = 0; i < len; ++i)
          per_member(start + i, column + j) = acquisition_terms(kind_, p.means(i, j), p.variance[i], best, beta_).value;
      }
    }
    column += static_cast<Eigen::Index>(models.members());
  }
  return per_member;
}

Eigen::VectorXd AcquisitionEvaluator::values(const Eigen::MatrixXd& U) const {
  if (feasibility_only_) {
    const Eigen::VectorXd log_p = failures_->log_success(U);
    return log_form() || kind_ == AcquisitionKind::UCB ? log_p : Eigen::VectorXd(log_p.array().exp());
  }
  const Eigen::MatrixXd per_member = member_values(U);
  Eigen::VectorXd v;
  if (per_member.cols() == 1) {
    v = per_member.col(0);
  } else if (!log_form()) {
    v = per_member.rowwise().mean();
  } else {
    const Eigen::VectorXd mx = per_member.rowwise().maxCoeff();  // log-mean-exp
    v = mx.array() + ((per_member.colwise() - mx).array().exp().rowwise().sum() / static_cast<double>(per_member.cols())).log();
  }
  if (weighted()) {
    const Eigen::VectorXd log_p = failures_->log_success(U);
    if (kind_ == AcquisitionKind::UCB) {
      const double best = mean_of(best_);  // v is the models' mean; so is the incumbent
      for (Eigen::Index i = 0; i < v.size(); ++i) v[i] = log_optimistic_improvement(v[i] + best).value + log_p[i];
    } else if (log_form()) {
      v += log_p;
    } else {
      v.array() *= log_p.array().exp();
    }
  }
  return v;
}

double AcquisitionEvaluator::weigh(double value, Eigen::RowVectorXd& gradient, const Eigen::RowVectorXd& u) const {
  if (!weighted()) return value;
  Eigen::RowVectorXd g_log_p;
  const double log_p = failures_->log_success_and_gradient(u, g_log_p);
  if (kind_ == AcquisitionKind::UCB) {
    const LogSoftplus l = log_optimistic_improvement(value + mean_of(best_));
    gradient = l.slope * gradient + g_log_p;
    return l.value + log_p;
  }
  if (log_form()) {
    gradient += g_log_p;
    return value + log_p;
  }
  const double p = std::exp(log_p);  // d(p a) = p da + a p dlog p
  gradient = p * gradient + (value * p) * g_log_p;
  return value * p;
}

std::vector<double> AcquisitionEvaluator::member_values(const Eigen::RowVectorXd& u,
                                                        std::vector<Eigen::RowVectorXd>& gradients) const {
  std::vector<double> v;
  gradients.clear();
  for (const SharedCovarianceModels& models : models_) {
    const MemberPointPredictions p = models.predict_gradient(u);
    for (Eigen::Index j = 0; j < p.means.size(); ++j) {
      const AcqTerms t = acquisition_terms(kind_, p.means[j], p.variance, best_[v.size()], beta_);
      v.push_back(t.value);
      gradients.push_back(chain_gradient(t, p.mean_gradients.row(j), p.variance_gradient));
    }
  }
  return v;
}

double AcquisitionEvaluator::value_and_gradient(const Eigen::RowVectorXd& u, Eigen::RowVectorXd& gradient) const {
  if (feasibility_only_) {
    const double log_p = failures_->log_success_and_gradient(u, gradient);
    if (log_form() || kind_ == AcquisitionKind::UCB) return log_p;
    gradient *= std::exp(log_p);
    return std::exp(log_p);
  }
  std::vector<Eigen::RowVectorXd> g;
  const std::vector<double> v = member_values(u, g);
  const std::size_t M = v.size();
  if (M == 1) {
    gradient = g[0];
    return weigh(v[0], gradient, u);
  }
  gradient = Eigen::RowVectorXd::Zero(u.size());
  if (!log_form()) {
    double s = 0.0;
    for (std::size_t m = 0; m < M; ++m) {
      s += v[m] / static_cast<double>(M);
      gradient += g[m] / static_cast<double>(M);
    }
    return weigh(s, gradient, u);
  }
  const double mx = *std::max_element(v.begin(), v.end());
  double z = 0.0;
  for (std::size_t m = 0; m < M; ++m) z += std::exp(v[m] - mx);
  for (std::size_t m = 0; m < M; ++m) gradient += (std::exp(v[m] - mx) / z) * g[m];  // softmax weights
  return weigh(mx + std::log(z / static_cast<double>(M)), gradient, u);
}

SearchResult search_acquisition(const AcquisitionEvaluator& acq, const Space& space, const Eigen::MatrixXd& avoid,
                                const Eigen::VectorXd& incumbent, Rng& rng, const SearchOptions& o, const SearchBox* box) {
  std::size_t sobol_rows = o.candidates;
  const Eigen::MatrixXd C = candidate_set(space, incumbent, sobol_rows, o.incumbent_candidates, o.incumbent_sd, rng, box);
  const Eigen::VectorXd values = C.rows() > 0 ? acq.values(C) : Eigen::VectorXd();
  const auto n_sobol = static_cast<Eigen::Index>(sobol_rows);
  std::vector<Eigen::Index> starts = top_indices(values, 0, n_sobol, o.refine_starts);
  for (auto i : top_indices(values, n_sobol, C.rows(), o.incumbent_starts)) starts.push_back(i);

  std::vector<Candidate> ranked;
  const std::vector<std::vector<bool>> seen = categories_seen(space, avoid);
  for (auto i : starts) {
    const Candidate start{C.row(i).transpose(), values[i]};
    Candidate c = refine(acq, space, start, o.max_evaluations);
    if (needs_snap(space)) {
      c.u = space.snap(c.u);
      // Rounding may cross a linear constraint's bound: then the (snapped) start stands.
      if (!space.meets_constraints(c.u)) c = start;
      c.value = acq.values(c.u.transpose())[0];
      if (space.has_discrete()) c = neighbourhood_search(acq, space, c, o.neighbourhood_rounds, seen, rng);
    }
    ranked.push_back(c);
  }
  for (Eigen::Index i = 0; i < C.rows(); ++i) ranked.push_back({C.row(i).transpose(), values[i]});
  std::stable_sort(ranked.begin(), ranked.end(), [](const Candidate& a, const Candidate& b) {
    const double va = std::isfinite(a.value) ? a.value : kWorst, vb = std::isfinite(b.value) ? b.value : kWorst;
    return va > vb;
  });
  // Snapping may move discrete coordinates out of the box: then the box is a preference only.
  const SearchBox* keep_in = space.has_discrete() ? nullptr : box;
  for (const SearchBox* b : {keep_in, static_cast<const SearchBox*>(nullptr)})
    for (const auto& c : ranked)
      if (inside(c.u, b) && admissible(space, c.u, avoid, o.duplicate_tolerance)) return {c.u, c.value};
  // Every candidate was taken: try random points before giving up.
  const auto u = space.first_random_point(rng, 1000, [&](const Eigen::VectorXd& v) { return admissible(space, v, avoid, o.duplicate_tolerance); });
  if (u) return {*u, acq.values(u->transpose())[0]};
  throw std::runtime_error("acquisition search: every point tried was already evaluated or pending; "
                           "the search space looks exhausted");
}

SearchResult thompson_search(const GaussianProcess& model, const Space& space, const Eigen::MatrixXd& avoid,
                             const Eigen::VectorXd& incumbent, Rng& rng, const SearchOptions& o,
                             const Feasibility* failures) {
  std::size_t sobol_rows = o.thompson_candidates;
  const Eigen::MatrixXd C0 = candidate_set(space, incumbent, sobol_rows, o.thompson_candidates / 5, o.incumbent_sd, rng);
  std::vector<Eigen::Index> keep;
  for (Eigen::Index i = 0; i < C0.rows(); ++i)
    if (!is_duplicate(C0.row(i).transpose(), avoid, o.duplicate_tolerance)) keep.push_back(i);
  if (keep.empty())
    throw std::runtime_error("Thompson sampling: every candidate was already evaluated or pending");
  const Eigen::MatrixXd C = C0(keep, Eigen::all);
  Eigen::VectorXd sample = model.sample_posterior(C, 1, rng).col(0);
  if (failures) {
    const std::vector<bool> success = failures->sample_success(C, rng);
    if (std::find(success.begin(), success.end(), true) != success.end())
      for (Eigen::Index i = 0; i < C.rows(); ++i)
        if (!success[static_cast<std::size_t>(i)]) sample[i] = std::numeric_limits<double>::infinity();
  }
  Eigen::Index best = 0;
  sample.minCoeff(&best);
  return {C.row(best).transpose(), -sample[best]};
}

}  // namespace gpbo::bo
