// gpbo fit: fit a GP to a CSV table and save the model.
#include <cmath>
#include <cstdio>
#include <iostream>

#include "command.hpp"
#include "core/csv.hpp"
#include "kernels/kernel_parser.hpp"
#include "model_file.hpp"

namespace gpbo::cli {
namespace {

struct FitArgs {
  std::string data, target = "y", kernel = "matern52", out = "model.json";
  int restarts = 4;
  std::uint64_t seed = 0;
  unsigned threads = 0;
  std::string noise = "learn";
};

GpOptions gp_options(const FitArgs& a) {
  GpOptions o;
  if (a.noise == "learn") return o;
  char* end = nullptr;
  const double v = std::strtod(a.noise.c_str(), &end);
  if (end == a.noise.c_str() || *end != '\0' || !(v > 0))
    throw UsageError("--noise: expected 'learn' or a positive variance (standardized units), got '" + a.noise + "'");
  o.noise.learn = false;
  o.noise.variance = v;
  return o;
}

void print_summary(const ModelFile& m, const FitResult& r) {
  const auto& gp = m.gp;
  std::printf("fitted %s ~ %s on %ld points, %ld inputs (%d restarts, best start %d, %d likelihood evaluations)\n",
              m.target.c_str(), gp.kernel().to_string().c_str(), static_cast<long>(gp.size()),
              static_cast<long>(gp.input_dim()), static_cast<int>(r.start_objectives.size()) - 1, r.best_start,
              r.evaluations);
  std::printf("log marginal likelihood %.6g (standardized targets), log posterior %.6g\n",
              r.log_marginal_likelihood, r.log_posterior);
  std::printf("%-28s %14s\n", "hyperparameter", "value");
  for (const auto& h : gp.hyperparameters())
    std::printf("%-28s %14.6g%s\n", h.name.c_str(), h.log_scale ? std::exp(h.value) : h.value, h.fixed ? "  (fixed)" : "");
  if (gp.size() >= 2) {
    const auto loo = gp.loo();
    const Eigen::VectorXd err = gp.y() - loo.mean;
    const double rmse = std::sqrt(err.squaredNorm() / static_cast<double>(gp.size()));
    const double nlpd = (0.5 * (2 * M_PI * loo.variance.array()).log() + 0.5 * err.array().square() / loo.variance.array()).mean();
    std::printf("leave-one-out: rmse %.6g, mean negative log predictive density %.6g\n", rmse, nlpd);
  }
}

void run_fit(const FitArgs& a) {
  const auto table = read_csv(a.data);
  if (table.values.rows() == 0) throw UsageError(a.data + ": no data rows to fit");
  const Eigen::MatrixXd X = table.columns_except(a.target);
  if (X.cols() == 0) throw UsageError(a.data + ": no input columns besides the target '" + a.target + "'");
  KernelPtr kernel;
  try {
    kernel = parse_kernel(a.kernel, static_cast<int>(X.cols()));
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("--kernel: ") + e.what());
  }
  GaussianProcess gp(std::move(kernel), gp_options(a));
  gp.set_data(X, table.column(a.target));
  FitOptions fo;
  fo.restarts = a.restarts;
  fo.seed = a.seed;
  fo.threads = a.threads;
  const auto result = gp.fit(fo);
  const ModelFile m{table.names_except(a.target), a.target, std::move(gp)};
  save_model_file(m, a.out);
  print_summary(m, result);
  std::printf("model saved to %s\n", a.out.c_str());
}

void setup(CLI::App& app) {
  auto args = std::make_shared<FitArgs>();
  auto* cmd = app.add_subcommand("fit", "Fit a Gaussian process to a CSV table and save the model as JSON");
  cmd->add_option("--data", args->data, "CSV with a header row: input columns and the target")->required()->check(CLI::ExistingFile);
  cmd->add_option("--target", args->target, "name of the target column")->capture_default_str();
  cmd->add_option("--kernel", args->kernel, "kernel, e.g. \"matern52\", \"se + linear\", \"matern52 * periodic\"")->capture_default_str();
  cmd->add_option("--noise", args->noise, "'learn', or a fixed noise variance in standardized units")->capture_default_str();
  cmd->add_option("--restarts", args->restarts, "random restarts of the hyperparameter search")->capture_default_str()->check(CLI::Range(0, 1000));
  cmd->add_option("--seed", args->seed, "random seed")->capture_default_str();
  cmd->add_option("--threads", args->threads, "threads for the restarts (0 = all cores); results do not depend on it");
  cmd->add_option("--out", args->out, "where to save the model")->capture_default_str();
  cmd->callback([args] { run_fit(*args); });
}

GPBO_COMMAND("fit", setup);

}  // namespace
}  // namespace gpbo::cli
