#include "gpbo/mcmc/nuts.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "gpbo/mcmc/chain_recorder.hpp"
#include "gpbo/mcmc/euclidean_warmup.hpp"
#include "gpbo/mcmc/hamiltonian.hpp"

namespace gpbo::mcmc {
namespace {

constexpr double kNegInf = -std::numeric_limits<double>::infinity();

double log_sum_exp(double a, double b) {
  if (a == kNegInf) return b;
  if (b == kNegInf) return a;
  return a > b ? a + std::log1p(std::exp(b - a)) : b + std::log1p(std::exp(a - b));
}

// Generalized no-U-turn criterion between the two ends of a trajectory with summed momentum rho.
bool no_u_turn(const Eigen::VectorXd& p_sharp_minus, const Eigen::VectorXd& p_sharp_plus, const Eigen::VectorXd& rho) {
  return p_sharp_plus.dot(rho) > 0.0 && p_sharp_minus.dot(rho) > 0.0;
}

struct Transition {
  double accept_stat = 0.0, energy = 0.0;
  int depth = 0, n_leapfrog = 0;
  bool divergent = false;
};

// The trajectory builder with all work vectors allocated once per chain: one frame per tree depth
// holds the locals of build_tree at that depth (children at depth k - 1 reuse frame k - 1).
class NutsTree {
 public:
  NutsTree(Hamiltonian& hamiltonian, int dimension, int max_depth, double max_error)
      : ham_(hamiltonian), max_depth_(max_depth), max_error_(max_error), frames_(static_cast<std::size_t>(max_depth) + 1) {
    for (auto* v : {&p_sharp_fwd_bck_, &p_sharp_fwd_fwd_, &p_sharp_bck_fwd_, &p_sharp_bck_bck_, &p_fwd_fwd_, &p_fwd_bck_,
                    &p_bck_fwd_, &p_bck_bck_, &rho_, &rho_fwd_, &rho_bck_, &rho_ext_})
      v->resize(dimension);
    for (auto& f : frames_)
      for (auto* v : {&f.p_init_end, &f.p_sharp_init_end, &f.rho_init, &f.p_final_beg, &f.p_sharp_final_beg,
                      &f.rho_final, &f.rho_ext})
        v->resize(dimension);
  }

  // One NUTS iteration from z (whose lp and grad are current); z becomes the new state.
  Transition transition(PhasePoint& z, double eps, Rng& rng);

 private:
  struct Frame {
    Eigen::VectorXd p_init_end, p_sharp_init_end, rho_init, p_final_beg, p_sharp_final_beg, rho_final, rho_ext;
    PhasePoint z_propose_final;
  };

  bool build_tree(int depth, PhasePoint& z_propose, Eigen::VectorXd& p_sharp_beg, Eigen::VectorXd& p_sharp_end,
                  Eigen::VectorXd& rho, Eigen::VectorXd& p_beg, Eigen::VectorXd& p_end, double h0, double step,
                  double& log_sum_weight, Rng& rng);

  Hamiltonian& ham_;
  int max_depth_;
  double max_error_;
  std::vector<Frame> frames_;
  PhasePoint z_, z_fwd_, z_bck_, z_sample_, z_propose_;
  Eigen::VectorXd p_sharp_fwd_bck_, p_sharp_fwd_fwd_, p_sharp_bck_fwd_, p_sharp_bck_bck_;
  Eigen::VectorXd p_fwd_fwd_, p_fwd_bck_, p_bck_fwd_, p_bck_bck_, rho_, rho_fwd_, rho_bck_, rho_ext_;
  int n_leapfrog_ = 0;
  double sum_metro_prob_ = 0.0;
  bool divergent_ = false;
};

bool NutsTree::build_tree(int depth, PhasePoint& z_propose, Eigen::VectorXd& p_sharp_beg, Eigen::VectorXd& p_sharp_end,
                          Eigen::VectorXd& rho, Eigen::VectorXd& p_beg, Eigen::VectorXd& p_end, double h0, double step,
                          double& log_sum_weight, Rng& rng) {
  if (depth == 0) {
    ham_.leapfrog(z_, step);
    ++n_leapfrog_;
    ham_.metric().velocity(z_.p, p_sharp_beg);
    double h = -z_.lp + 0.5 * z_.p.dot(p_sharp_beg);  // H = U + p' M^-1 p / 2, reusing M^-1 p
    if (!std::isfinite(z_.lp) || std::isnan(h)) h = std::numeric_limits<double>::infinity();
    if (h - h0 > max_error_) divergent_ = true;
    log_sum_weight = log_sum_exp(log_sum_weight, h0 - h);
    sum_metro_prob_ += h0 - h > 0.0 ? 1.0 : std::exp(h0 - h);
    z_propose = z_;
    p_sharp_end = p_sharp_beg;
    rho += z_.p;
    p_beg = z_.p;
    p_end = p_beg;
    return !divergent_;
  }
  Frame& f = frames_[static_cast<std::size_t>(depth)];
  // Initial subtree.
  double lsw_init = kNegInf;
  f.rho_init.setZero();
  if (!build_tree(depth - 1, z_propose, p_sharp_beg, f.p_sharp_init_end, f.rho_init, p_beg, f.p_init_end, h0, step,
                  lsw_init, rng))
    return false;
  // Final subtree.
  f.z_propose_final = z_;
  double lsw_final = kNegInf;
  f.rho_final.setZero();
  if (!build_tree(depth - 1, f.z_propose_final, f.p_sharp_final_beg, p_sharp_end, f.rho_final, f.p_final_beg, p_end,
                  h0, step, lsw_final, rng))
    return false;
  // Multinomial sample from the merged subtree.
  const double lsw_subtree = log_sum_exp(lsw_init, lsw_final);
  log_sum_weight = log_sum_exp(log_sum_weight, lsw_subtree);
  if (lsw_final > lsw_subtree || uniform01(rng) < std::exp(lsw_final - lsw_subtree)) z_propose = f.z_propose_final;
  // No-U-turn across the merged subtree and across the seams of its halves.
  f.rho_ext = f.rho_init + f.rho_final;  // rho of the subtree
  rho += f.rho_ext;
  bool persist = no_u_turn(p_sharp_beg, p_sharp_end, f.rho_ext);
  f.rho_ext = f.rho_init + f.p_final_beg;
  persist = persist && no_u_turn(p_sharp_beg, f.p_sharp_final_beg, f.rho_ext);
  f.rho_ext = f.rho_final + f.p_init_end;
  persist = persist && no_u_turn(f.p_sharp_init_end, p_sharp_end, f.rho_ext);
  return persist;
}

Transition NutsTree::transition(PhasePoint& z, double eps, Rng& rng) {
  ham_.metric().sample_momentum(rng, z.p);
  const double h0 = ham_.energy(z);
  z_fwd_ = z;
  z_bck_ = z;
  z_sample_ = z;
  z_propose_ = z;
  ham_.metric().velocity(z.p, p_sharp_fwd_bck_);
  p_sharp_fwd_fwd_ = p_sharp_bck_fwd_ = p_sharp_bck_bck_ = p_sharp_fwd_bck_;
  p_fwd_fwd_ = p_fwd_bck_ = p_bck_fwd_ = p_bck_bck_ = z.p;
  rho_ = z.p;
  double log_sum_weight = 0.0;
  n_leapfrog_ = 0;
  sum_metro_prob_ = 0.0;
  divergent_ = false;
  int depth = 0;
  while (depth < max_depth_) {
    rho_fwd_.setZero();
    rho_bck_.setZero();
    double lsw_subtree = kNegInf;
    bool valid = false;
    if (uniform01(rng) > 0.5) {
      // The old trajectory becomes the backward part; its forward end is the seam.
      rho_bck_ = rho_;
      p_bck_fwd_ = p_fwd_fwd_;
      p_sharp_bck_fwd_ = p_sharp_fwd_fwd_;
      z_ = z_fwd_;
      valid = build_tree(depth, z_propose_, p_sharp_fwd_bck_, p_sharp_fwd_fwd_, rho_fwd_, p_fwd_bck_, p_fwd_fwd_, h0, eps,
                         lsw_subtree, rng);
      z_fwd_ = z_;
    } else {
      // The old trajectory becomes the forward part; its backward end is the seam.
      rho_fwd_ = rho_;
      p_fwd_bck_ = p_bck_bck_;
      p_sharp_fwd_bck_ = p_sharp_bck_bck_;
      z_ = z_bck_;
      valid = build_tree(depth, z_propose_, p_sharp_bck_fwd_, p_sharp_bck_bck_, rho_bck_, p_bck_fwd_, p_bck_bck_, h0, -eps,
                         lsw_subtree, rng);
      z_bck_ = z_;
    }
    if (!valid) break;
    ++depth;
    // Biased progressive sampling: prefer the new subtree.
    if (lsw_subtree > log_sum_weight || uniform01(rng) < std::exp(lsw_subtree - log_sum_weight)) z_sample_ = z_propose_;
    log_sum_weight = log_sum_exp(log_sum_weight, lsw_subtree);
    rho_ = rho_bck_ + rho_fwd_;
    bool persist = no_u_turn(p_sharp_bck_bck_, p_sharp_fwd_fwd_, rho_);
    rho_ext_ = rho_bck_ + p_fwd_bck_;
    persist = persist && no_u_turn(p_sharp_bck_bck_, p_sharp_fwd_bck_, rho_ext_);
    rho_ext_ = rho_fwd_ + p_bck_fwd_;
    persist = persist && no_u_turn(p_sharp_bck_fwd_, p_sharp_fwd_fwd_, rho_ext_);
    if (!persist) break;
  }
  z = z_sample_;
  Transition t;
  t.depth = depth;
  t.n_leapfrog = n_leapfrog_;
  t.divergent = divergent_;
  t.accept_stat = n_leapfrog_ > 0 ? sum_metro_prob_ / n_leapfrog_ : 0.0;
  t.energy = ham_.energy(z);
  return t;
}

// The diagnostics CmdStan writes for NUTS, of one transition taken with step size eps.
IterationInfo iteration_info(const Transition& t, double eps) {
  IterationInfo info;
  info.accept_stat = t.accept_stat;
  info.stepsize = eps;
  info.treedepth = t.depth;
  info.n_leapfrog = t.n_leapfrog;
  info.divergent = t.divergent;
  info.energy = t.energy;
  return info;
}

}  // namespace

ChainResult Nuts::run(const LogDensity& model, const Eigen::VectorXd& initial, Rng& rng, const SamplerOptions& options,
                      const IterationCallback& progress) const {
  validate(options);
  check_dimension(model, "nuts");
  const int d = model.dimension();
  if (initial.size() != d)
    throw std::invalid_argument("nuts: initial point has size " + std::to_string(initial.size()) +
                                ", model dimension is " + std::to_string(d));
  // Constructed first: its clock times warmup from here, the initial step-size search included.
  ChainRecorder recorder(model, options, name(), initial,
                         {.accept_stat = true, .stepsize = true, .hamiltonian = true, .int_time = false, .treedepth = true});
  EuclideanMetric metric = EuclideanMetric::initial(options, d, "nuts");
  Hamiltonian ham(model, metric);
  PhasePoint z;
  z.q = initial;
  ham.evaluate(z);
  if (!std::isfinite(z.lp))  // evaluate() makes a point with a non-finite gradient -inf
    throw std::invalid_argument("nuts: non-finite log density or gradient at the initial point");

  const bool adapt = adapts(options);
  double eps = options.stepsize;
  EuclideanWarmup warmup(options, d, eps);  // mu from the user's step size, before the initial search
  if (adapt) eps = ham.init_stepsize(z, eps, rng);

  NutsTree tree(ham, d, options.max_treedepth, options.max_energy_error);
  const int total = options.warmup + options.draws;
  for (int it = 0; it < total; ++it) {
    if (it == options.warmup) recorder.begin_sampling(ham.gradient_evaluations());
    const Transition t = tree.transition(z, eps, rng);
    if (it >= options.warmup) {
      const int s = it - options.warmup;
      recorder.result().diagnostics.all.add(t.divergent, t.depth >= options.max_treedepth, t.energy);
      if (recorder.kept(s)) recorder.record(s / options.thin, z.q, z.lp, iteration_info(t, eps));
    } else {
      if (recorder.kept_warmup(it)) recorder.record_warmup(it / options.thin, z.q, z.lp, iteration_info(t, eps));
      if (adapt) eps = warmup.update(it, t.accept_stat, z, ham, metric, rng);
    }
    if (progress) progress(it + 1, total);
  }
  ChainResult result = recorder.finish(ham.gradient_evaluations(), 0);
  result.metric = options.metric;
  result.nonfinite_gradients = ham.nonfinite_gradients();
  result.first_nonfinite_gradient = ham.first_nonfinite_gradient();
  result.stepsize = eps;
  result.inverse_metric = metric.inverse();
  return result;
}

}  // namespace gpbo::mcmc
