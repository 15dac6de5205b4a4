#include "gpbo/mcmc/cmdstan_csv.hpp"

#include <algorithm>
#include <charconv>
#include <ostream>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "gpbo/core/number_text.hpp"

namespace gpbo::mcmc {
namespace {

void put(std::ostream& out, double v) { out << shortest_text(v); }


void write_header(std::ostream& out, const MultiChainResult& run, int chain, const SamplerOptions& o) {
  const auto& c = run.chains[static_cast<std::size_t>(chain)];
  const bool hmc = c.sampler == "nuts" || c.sampler == "hmc";
  out << "# model = " << run.model << "\n# method = sample\n#   sample\n";
  // CmdStan readers (cmdstanpy, ArviZ) expect ceil(num_samples / thin) rows. An ensemble chain
  // holds every walker's draws, walker-major, so there the count is the rows it writes.
  const long long rows = c.draws.rows(), thin = std::max(1, o.thin), per_walker = (o.draws + thin - 1) / thin;
  const bool walkers = c.sampler == "ensemble" && per_walker > 0 && rows != per_walker;
  out << "#     num_samples = " << (walkers ? rows * thin : static_cast<long long>(o.draws));
  if (walkers) out << "\n#     walkers = " << rows / per_walker << " (rows walker-major)";
  // Likewise the warmup rows, when saved: a reader that counted ceil(10 / thin) of them took 190
  // of 20 walkers' warmup rows for draws. Unsaved, it is the iterations, as CmdStan writes it.
  const bool warmup_walkers = walkers && o.save_warmup;
  const long long warmup_rows = (warmup_walkers ? rows / per_walker : 1) * ((o.warmup + thin - 1) / thin);
  out << "\n#     num_warmup = " << (warmup_walkers ? warmup_rows * thin : static_cast<long long>(o.warmup))
      << "\n#     save_warmup = " << (o.save_warmup ? 1 : 0) << "\n#     thin = " << o.thin << "\n#     adapt\n#       engaged = " << (adapts(o) ? 1 : 0)
      << '\n';
  if (hmc)
    out << "#       gamma = 0.05\n#       delta = " << o.adapt_delta
        << "\n#       kappa = 0.75\n#       t0 = 10\n#       init_buffer = 75\n#       term_buffer = 50\n"
           "#       window = 25\n";
  if (hmc) {
    out << "#     algorithm = hmc\n#       hmc\n#         engine = " << (c.sampler == "hmc" ? "static" : "nuts") << '\n';
    if (c.sampler == "nuts") out << "#           nuts\n#             max_depth = " << o.max_treedepth << '\n';
    if (c.sampler == "hmc") out << "#           static\n#             int_time = " << o.integration_time << '\n';
    out << "#         metric = " << metric_name(o.metric) << "\n#         stepsize = " << o.stepsize
        << "\n#         stepsize_jitter = 0\n";
  } else {
    out << "#     algorithm = " << c.sampler << '\n';
  }
  out << "# id = " << chain + 1 << "\n# random\n#   seed = " << o.seed << "\n# gradient_evaluations = "
      << c.gradient_evaluations << '\n';
}

// The step size and metric HMC sampled with, as CmdStan writes them (other samplers have none:
// an ensemble chain's stepsize is its stretch scale).
void write_adaptation(std::ostream& out, const ChainResult& c, const SamplerOptions& o) {
  if (c.stepsize <= 0.0 || (c.sampler != "nuts" && c.sampler != "hmc")) return;
  if (adapts(o)) out << "# Adaptation terminated\n";  // without warmup the step size is the one given
  out << "# Step size = ";
  put(out, c.stepsize);
  out << '\n';
  const auto& m = c.inverse_metric;
  if (m.size() == 0) {
    if (o.metric == Metric::unit) out << "# No free parameters for unit metric\n";  // CmdStan's unit_e line
    return;
  }
  out << (m.cols() == 1 ? "# Diagonal elements of inverse mass matrix:\n" : "# Elements of inverse mass matrix:\n");
  const Eigen::Index rows = m.cols() == 1 ? 1 : m.rows();
  for (Eigen::Index i = 0; i < rows; ++i) {
    out << "# ";
    const Eigen::Index n = m.cols() == 1 ? m.rows() : m.cols();
    for (Eigen::Index j = 0; j < n; ++j) {
      if (j > 0) out << ", ";
      put(out, m.cols() == 1 ? m(j, 0) : m(i, j));
    }
    out << '\n';
  }
}

// One CSV row per row of draws: lp__, the diagnostics the sampler filled, the outputs.
void write_rows(std::ostream& out, const Eigen::MatrixXd& draws, const Eigen::VectorXd& lp, const SamplerDiagnostics& d) {
  for (Eigen::Index i = 0; i < draws.rows(); ++i) {
    put(out, lp(i));
    auto opt = [&](const auto& v) {
      if (v.size() == 0) return;
      out << ',';
      put(out, static_cast<double>(v(i)));
    };
    opt(d.accept_stat);
    opt(d.stepsize);
    opt(d.int_time);
    opt(d.treedepth);
    opt(d.n_leapfrog);
    opt(d.divergent);
    opt(d.energy);
    for (Eigen::Index j = 0; j < draws.cols(); ++j) {
      out << ',';
      put(out, draws(i, j));
    }
    out << '\n';
  }
}

}  // namespace

std::vector<std::string> cmdstan_columns(const MultiChainResult& run, int chain) {
  const auto& c = run.chains[static_cast<std::size_t>(chain)];
  const auto& d = c.diagnostics;
  const auto& w = c.warmup.diagnostics;  // the same columns; the only rows when there are no draws
  std::vector<std::string> cols{"lp__"};
  const auto add = [&](const auto& sampling, const auto& warmup, const char* name) {
    if (sampling.size() > 0 || warmup.size() > 0) cols.push_back(name);
  };
  add(d.accept_stat, w.accept_stat, "accept_stat__");
  add(d.stepsize, w.stepsize, "stepsize__");
  add(d.int_time, w.int_time, "int_time__");
  add(d.treedepth, w.treedepth, "treedepth__");
  add(d.n_leapfrog, w.n_leapfrog, "n_leapfrog__");
  add(d.divergent, w.divergent, "divergent__");
  add(d.energy, w.energy, "energy__");
  cols.insert(cols.end(), run.output_names.begin(), run.output_names.end());
  return cols;
}

void write_cmdstan_csv(std::ostream& out, const MultiChainResult& run, int chain, const SamplerOptions& options) {
  if (chain < 0 || chain >= static_cast<int>(run.chains.size())) throw std::out_of_range("write_cmdstan_csv: bad chain");
  const auto& c = run.chains[static_cast<std::size_t>(chain)];
  write_header(out, run, chain, options);
  const auto cols = cmdstan_columns(run, chain);
  for (std::size_t j = 0; j < cols.size(); ++j) out << (j ? "," : "") << cols[j];
  out << '\n';
  write_rows(out, c.warmup.draws, c.warmup.lp, c.warmup.diagnostics);  // CmdStan's save_warmup: before the adaptation
  write_adaptation(out, c, options);
  write_rows(out, c.draws, c.lp, c.diagnostics);
  out << "# \n#  Elapsed Time: " << c.warmup_seconds << " seconds (Warm-up)\n#                " << c.sampling_seconds
      << " seconds (Sampling)\n#                " << c.warmup_seconds + c.sampling_seconds << " seconds (Total)\n# \n";
}

namespace {

// {stem, extension} of a path; the extension (with its dot) is empty when the file name has none.
// A leading dot is part of the name (".draws" is a stem, as "draws" is), not an extension.
std::pair<std::string, std::string> split_extension(const std::string& path) {
  const auto slash = path.find_last_of('/');
  const auto name_start = slash == std::string::npos ? 0 : slash + 1;
  const auto dot = path.find_last_of('.');
  if (dot == std::string::npos || dot <= name_start) return {path, ""};
  return {path.substr(0, dot), path.substr(dot)};
}

}  // namespace

std::string chain_file_path(const std::string& path, int chain, int chains) {
  if (chains <= 1) return path;
  const auto [stem, ext] = split_extension(path);
  return stem + "_" + std::to_string(chain + 1) + (ext.empty() ? ".csv" : ext);
}

std::string chain_metric_path(const std::string& path, int chain, int chains) {
  return split_extension(chain_file_path(path, chain, chains)).first + "_metric.json";
}

std::vector<std::string> stage_cmdstan_csv_files(AtomicFileSet& files, const std::string& path, const MultiChainResult& run,
                                                 const SamplerOptions& options) {
  std::vector<std::string> written;
  const int chains = static_cast<int>(run.chains.size());
  for (int c = 0; c < chains; ++c) {
    std::ostringstream text;
    write_cmdstan_csv(text, run, c, options);
    written.push_back(chain_file_path(path, c, chains));
    files.add(written.back(), text.str());
  }
  return written;
}

std::vector<std::string> write_cmdstan_csv_files(const std::string& path, const MultiChainResult& run,
                                                 const SamplerOptions& options) {
  AtomicFileSet files;
  std::vector<std::string> written = stage_cmdstan_csv_files(files, path, run, options);
  files.commit();
  return written;
}

}  // namespace gpbo::mcmc
