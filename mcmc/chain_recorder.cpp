#include "gpbo/mcmc/chain_recorder.hpp"

#include <cmath>
#include <stdexcept>
#include <utility>

namespace gpbo::mcmc {
namespace {

void allocate_diagnostics(SamplerDiagnostics& d, Eigen::Index rows, DiagnosticColumns columns) {
  if (columns.accept_stat) d.accept_stat.resize(rows);
  if (columns.stepsize) d.stepsize.resize(rows);
  if (columns.int_time) d.int_time.resize(rows);
  if (columns.treedepth) d.treedepth.resize(rows);
  if (columns.hamiltonian) {
    d.n_leapfrog.resize(rows);
    d.divergent.resize(rows);
    d.energy.resize(rows);
  }
}

void write_diagnostics(SamplerDiagnostics& d, Eigen::Index row, const IterationInfo& info, DiagnosticColumns columns) {
  if (columns.accept_stat) d.accept_stat(row) = info.accept_stat;
  if (columns.stepsize) d.stepsize(row) = info.stepsize;
  if (columns.int_time) d.int_time(row) = info.int_time;
  if (columns.treedepth) d.treedepth(row) = info.treedepth;
  if (columns.hamiltonian) {
    d.n_leapfrog(row) = info.n_leapfrog;
    d.divergent(row) = info.divergent ? 1 : 0;
    d.energy(row) = info.energy;
  }
}

}  // namespace

ChainRecorder::ChainRecorder(const LogDensity& model, const SamplerOptions& options, std::string sampler,
                             const Eigen::VectorXd& initial, DiagnosticColumns columns, int rows_per_iteration)
    : model_(model), thin_(options.thin), columns_(columns), warmup_rows_(kept_warmup_draws(options)),
      start_(Clock::now()), sampling_start_(start_) {
  const Eigen::Index rows = static_cast<Eigen::Index>(kept_draws(options)) * rows_per_iteration;
  result_.sampler = std::move(sampler);
  result_.initial = initial;
  result_.draws.resize(rows, model.output_dimension());
  result_.unconstrained_draws.resize(rows, model.dimension());
  result_.lp.resize(rows);
  allocate_diagnostics(result_.diagnostics, rows, columns_);
  const Eigen::Index warmup = static_cast<Eigen::Index>(warmup_rows_) * rows_per_iteration;
  if (warmup == 0) return;
  result_.warmup.draws.resize(warmup, model.output_dimension());
  result_.warmup.lp.resize(warmup);
  allocate_diagnostics(result_.warmup.diagnostics, warmup, columns_);
}

void ChainRecorder::begin_sampling(long long gradient_evaluations_so_far) {
  sampling_start_ = Clock::now();
  sampling_ = true;
  warmup_gradients_ = gradient_evaluations_so_far;
}

void ChainRecorder::record(int row, const Eigen::VectorXd& q, double lp, const IterationInfo& info) {
  checked_outputs(model_, q, out_, result_.draws.cols());
  result_.draws.row(row) = out_.transpose();
  result_.unconstrained_draws.row(row) = q.transpose();
  result_.lp(row) = lp;
  write_diagnostics(result_.diagnostics, row, info, columns_);
}

void ChainRecorder::record_warmup(int row, const Eigen::VectorXd& q, double lp, const IterationInfo& info) {
  checked_outputs(model_, q, out_, result_.warmup.draws.cols());
  result_.warmup.draws.row(row) = out_.transpose();
  result_.warmup.lp(row) = lp;
  write_diagnostics(result_.warmup.diagnostics, row, info, columns_);
}

ChainResult ChainRecorder::finish(long long gradient_evaluations, long long density_evaluations) {
  const auto end = Clock::now();
  if (!sampling_) sampling_start_ = end;
  result_.warmup_seconds = std::chrono::duration<double>(sampling_start_ - start_).count();
  result_.sampling_seconds = std::chrono::duration<double>(end - sampling_start_).count();
  result_.gradient_evaluations = gradient_evaluations;
  result_.sampling_gradient_evaluations = gradient_evaluations - warmup_gradients_;
  result_.density_evaluations = density_evaluations;
  return std::move(result_);
}

double checked_initial_log_density(const LogDensity& model, const Eigen::VectorXd& initial, const std::string& who) {
  check_dimension(model, who);
  if (initial.size() != model.dimension())
    throw std::invalid_argument(who + ": initial point has size " + std::to_string(initial.size()) +
                                ", model dimension is " + std::to_string(model.dimension()));
  const double lp = sampled_log_density(model, initial);
  if (!std::isfinite(lp)) throw std::invalid_argument(who + ": non-finite log density at the initial point");
  return lp;
}

void check_dimension(const LogDensity& model, const std::string& who) {
  if (model.dimension() < 1)
    throw std::invalid_argument(who + ": model '" + model.name() + "' has dimension " + std::to_string(model.dimension()) +
                                "; a sampler needs at least one parameter");
}

}  // namespace gpbo::mcmc
