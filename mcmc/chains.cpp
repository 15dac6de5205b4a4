#include "gpbo/mcmc/chains.hpp"

#include <time.h>

#include <atomic>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "gpbo/core/finite_values.hpp"
#include "gpbo/core/number_text.hpp"
#include "gpbo/core/parallel.hpp"
#include "gpbo/mcmc/chain_recorder.hpp"
#include "gpbo/mcmc/sampler_registry.hpp"

namespace gpbo::mcmc {

long long MultiChainResult::gradient_evaluations() const {
  long long total = 0;
  for (const auto& c : chains) total += c.gradient_evaluations;
  return total;
}

double MultiChainResult::chain_seconds_sum() const {
  double total = 0.0;
  for (const auto& c : chains) total += c.warmup_seconds + c.sampling_seconds;
  return total;
}

double MultiChainResult::chain_cpu_seconds_sum() const {
  double total = 0.0;
  for (const auto& c : chains) total += c.cpu_seconds;
  return total;
}

long long MultiChainResult::divergences() const {
  long long total = 0;
  for (const auto& c : chains) total += divergent_iterations(c);
  return total;
}

void MultiChainResult::check_rectangular() const {
  for (std::size_t c = 0; c < chains.size(); ++c) {
    const auto& ch = chains[c];
    if (ch.draws.rows() != chains.front().draws.rows() || ch.draws.cols() != chains.front().draws.cols() ||
        ch.lp.size() != ch.draws.rows())
      throw std::invalid_argument("chain " + std::to_string(c + 1) + " has " + std::to_string(ch.draws.rows()) + " x " +
                                  std::to_string(ch.draws.cols()) + " draws and " + std::to_string(ch.lp.size()) +
                                  " lp values, chain 1 " + std::to_string(chains.front().draws.rows()) + " x " +
                                  std::to_string(chains.front().draws.cols()) +
                                  ": diagnostics need chains of equal length");
  }
}

Eigen::MatrixXd MultiChainResult::column(int j) const {
  if (chains.empty()) return {};
  check_rectangular();
  if (j < 0 || j >= chains.front().draws.cols())
    throw std::out_of_range("MultiChainResult::column: index " + std::to_string(j) + " of " +
                            std::to_string(chains.front().draws.cols()) + " output columns");
  Eigen::MatrixXd out(chains.front().draws.rows(), static_cast<Eigen::Index>(chains.size()));
  for (std::size_t c = 0; c < chains.size(); ++c) out.col(static_cast<Eigen::Index>(c)) = chains[c].draws.col(j);
  return out;
}

namespace {
// The log density at theta, and whether it (and with need_gradient its gradient) is finite.
bool usable_point(const LogDensity& model, const Eigen::VectorXd& theta, bool need_gradient) {
  if (!need_gradient) return std::isfinite(sampled_log_density(model, theta));
  Eigen::VectorXd grad;
  const double lp = sampled_log_density_gradient(model, theta, grad);
  if (!std::isfinite(lp)) return false;  // outside the support, grad may be left as it was
  check_gradient_size(model, grad);
  return grad.allFinite();
}
}  // namespace

Eigen::VectorXd random_initial_point(const LogDensity& model, Rng& rng, double radius, int max_tries,
                                     bool need_gradient) {
  const int d = model.dimension();
  Eigen::VectorXd theta(d);
  if (radius == 0.0) {  // CmdStan's init=0: every chain at the origin, nothing to retry
    theta.setZero();
    if (usable_point(model, theta, need_gradient)) return theta;
    throw InitializationError("model '" + model.name() + "': the initial point 0 (init radius 0) has no finite log density" +
                              (need_gradient ? " and gradient" : "") + "; give a positive radius or initial points");
  }
  for (int attempt = 0; attempt < max_tries; ++attempt) {
    for (int i = 0; i < d; ++i) theta(i) = uniform(rng, -radius, radius);
    if (usable_point(model, theta, need_gradient)) return theta;
  }
  std::ostringstream os;  // radius as written ("2", not std::to_string's "2.000000")
  os << "model '" << model.name() << "': no initial point with finite log density" << (need_gradient ? " and gradient" : "")
     << " in " << max_tries << " draws from uniform(-" << radius << ", " << radius << ")";
  throw InitializationError(os.str());
}

namespace {
double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

Eigen::VectorXd user_initial_point(const LogDensity& model, const Eigen::VectorXd& init, int chain, bool need_gradient) {
  if (init.size() != model.dimension())
    throw std::invalid_argument("initial point for chain " + std::to_string(chain + 1) + " has size " +
                                std::to_string(init.size()) + ", model dimension is " +
                                std::to_string(model.dimension()));
  if (const auto bad = first_non_finite(init))  // the point itself, not its density, is what to fix
    throw std::invalid_argument("initial point for chain " + std::to_string(chain + 1) + " has a non-finite coordinate (" +
                                std::to_string(bad->row) + ": " + std::to_string(bad->value) + ")");
  if (!usable_point(model, init, need_gradient))
    throw std::invalid_argument("initial point for chain " + std::to_string(chain + 1) + " has a non-finite log density" +
                                (need_gradient ? " or gradient" : ""));
  return init;
}
}  // namespace

namespace {
// Thrown from the progress callback of a chain when another chain has failed: the run stops
// now, not when every other chain has finished (hours, for a long run), and the first genuine
// error is the one reported.
struct ChainCancelled {};
}  // namespace

MultiChainResult run_chains(const LogDensity& model, const Sampler& sampler, const ChainOptions& options) {
  validate(options.sampler);
  check_dimension(model, "run_chains");
  if (options.chains < 1) throw std::invalid_argument("chains must be >= 1");
  if (!(options.init_radius >= 0.0 && std::isfinite(options.init_radius)))
    throw std::invalid_argument("init_radius must be finite and >= 0 (0: every chain starts at 0), got " +
                                shortest_text(options.init_radius));
  const auto n_inits = static_cast<int>(options.inits.size());
  if (n_inits > 1 && n_inits != options.chains)
    throw std::invalid_argument("got " + std::to_string(n_inits) + " initial points for " +
                                std::to_string(options.chains) + " chains (give 0, 1 or one per chain)");
  // User inits are checked here, in chain order, before any thread starts: a bad shared init
  // is then reported for chain 1 on every run, not for whichever thread got there first.
  // A shared init is checked once, as chain 1's.
  std::vector<Eigen::VectorXd> inits;
  for (int chain = 0; chain < n_inits; ++chain)
    inits.push_back(user_initial_point(model, options.inits[static_cast<std::size_t>(chain)], chain, sampler.uses_gradient()));
  MultiChainResult result;
  result.model = model.name();
  result.output_names = model.output_names();
  result.max_treedepth = options.sampler.max_treedepth;
  result.approximate_gradient = model.approximate_gradient();
  result.adapted = adapts(options.sampler);
  result.chains.resize(static_cast<std::size_t>(options.chains));
  std::atomic<bool> failed{false};  // read by every chain's progress callback
  const auto run_chain = [&](std::size_t index) {
    const int chain = static_cast<int>(index);
    Rng rng = make_rng(options.sampler.seed, index);
    const bool gradient = sampler.uses_gradient();
    int done = -1;  // iterations completed; -1 while the initial point is chosen
    // A model that throws (not domain_error: see sampled_log_density) stops the run; say where.
    const auto where = [&] {
      if (done < 0) return "chain " + std::to_string(chain + 1) + ", initialization: ";
      // Sampling iterations count from 1 as --draws counts them (it said 149 of 100 draws).
      const bool warmup = done < options.sampler.warmup;
      return "chain " + std::to_string(chain + 1) + ", " + (warmup ? "warmup" : "sampling") + " iteration " +
             std::to_string((warmup ? done : done - options.sampler.warmup) + 1) + ": ";
    };
    ChainResult r;
    double cpu_start = 0.0;
    try {
      const Eigen::VectorXd init =
          n_inits == 0 ? random_initial_point(model, rng, options.init_radius, 100, gradient)
                       : inits[n_inits == 1 ? 0 : index];
      done = 0;
      const IterationCallback progress = [&options, &done, &failed, chain](int it, int total) {
        done = it;
        if (failed.load(std::memory_order_relaxed)) throw ChainCancelled{};
        if (options.progress) options.progress(chain, it, total);
      };
      cpu_start = thread_cpu_seconds();
      r = sampler.run(model, init, rng, options.sampler, progress);
    } catch (const ModelEvaluationError& e) {
      throw ModelEvaluationError(where() + e.what());
    } catch (const InitializationError&) {
      throw;  // names the model and the draws tried
    } catch (const std::runtime_error& e) {  // a sampler's own failure (step size search): say where
      throw std::runtime_error("model '" + model.name() + "', " + where() + e.what());
    }
    r.cpu_seconds = thread_cpu_seconds() - cpu_start;
    r.chain = chain;
    result.chains[index] = std::move(r);
  };
  // parallel_for rethrows the first genuine error and starts no chain after it; a cancelled
  // chain ends quietly, so its ChainCancelled never competes with that error.
  parallel_for(static_cast<std::size_t>(options.chains), options.threads, [&](std::size_t index) {
    try {
      run_chain(index);
    } catch (const ChainCancelled&) {
    } catch (...) {
      failed.store(true);
      throw;
    }
  });
  return result;
}

MultiChainResult run_chains(const LogDensity& model, const std::string& sampler_name, const ChainOptions& options) {
  const auto sampler = make_sampler(sampler_name);
  return run_chains(model, *sampler, options);
}

}  // namespace gpbo::mcmc
