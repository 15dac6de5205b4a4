#include "gpbo/kernels/kernel_factory.hpp"

#include <algorithm>
#include <stdexcept>

#include "gpbo/core/text_list.hpp"
#include "gpbo/kernels/constant.hpp"
#include "gpbo/kernels/linear.hpp"
#include "gpbo/kernels/matern.hpp"
#include "gpbo/kernels/periodic.hpp"
#include "gpbo/kernels/rational_quadratic.hpp"
#include "gpbo/kernels/squared_exponential.hpp"
#include "gpbo/kernels/white.hpp"

namespace gpbo {
namespace {

bool is_stationary(const std::string& name) {
  return name == "se" || name == "rbf" || name == "rq" || name.rfind("matern", 0) == 0;
}

// The kernel named n, before any length-scale grouping.
KernelPtr make_basic(const std::string& n, int input_dim, bool ard, bool offset, const std::vector<int>& dims) {
  if (n == "se" || n == "rbf") return std::make_unique<SquaredExponentialKernel>(input_dim, ard, dims);
  if (n == "matern12") return std::make_unique<MaternKernel>(MaternKernel::Nu::Half, input_dim, ard, dims);
  if (n == "matern32") return std::make_unique<MaternKernel>(MaternKernel::Nu::ThreeHalves, input_dim, ard, dims);
  if (n == "matern52") return std::make_unique<MaternKernel>(MaternKernel::Nu::FiveHalves, input_dim, ard, dims);
  if (n == "rq") return std::make_unique<RationalQuadraticKernel>(input_dim, ard, dims);
  if (n == "periodic") return std::make_unique<PeriodicKernel>(input_dim, dims);
  if (n == "linear") return std::make_unique<LinearKernel>(input_dim, offset, dims);
  if (n == "white") return std::make_unique<WhiteKernel>(input_dim, 1.0, dims);
  auto constant = std::make_unique<ConstantKernel>(input_dim);
  constant->set_active_dims(dims);  // accepted (and validated) so every to_string() parses back
  return constant;
}

}  // namespace

const std::vector<std::string>& leaf_kernel_names() {
  static const std::vector<std::string> names = {"se",       "rbf",    "matern12", "matern32", "matern52",
                                                 "rq",       "periodic", "linear", "constant", "white"};
  return names;
}

bool is_leaf_kernel_name(const std::string& name) {
  const auto& n = leaf_kernel_names();
  return std::find(n.begin(), n.end(), name) != n.end();
}

std::vector<std::string> leaf_kernel_options(const std::string& name) {
  if (is_stationary(name)) return {"iso", "ard"};
  if (name == "linear") return {"offset"};
  return {};
}

KernelPtr make_leaf_kernel(const LeafSpec& spec, int input_dim) {
  if (!is_leaf_kernel_name(spec.name)) {
    throw std::invalid_argument("unknown kernel '" + spec.name + "'; known kernels: " + join_text(leaf_kernel_names()));
  }
  const auto allowed = leaf_kernel_options(spec.name);
  bool ard = true, offset = false;
  for (const auto& o : spec.options) {
    if (std::find(allowed.begin(), allowed.end(), o) == allowed.end()) {
      throw std::invalid_argument("kernel '" + spec.name + "' has no option '" + o + "'" +
                                  (allowed.empty() ? std::string("; it takes no options") : "; options: " + join_text(allowed)));
    }
    if (o == "iso") ard = false;
    if (o == "ard") ard = true;
    if (o == "offset") offset = true;
  }
  KernelPtr k = make_basic(spec.name, input_dim, ard, offset, spec.active_dims);
  if (!spec.dim_groups.empty()) {
    auto* stationary = dynamic_cast<StationaryKernel*>(k.get());
    if (!stationary) throw std::invalid_argument("kernel '" + spec.name + "' has no length scales to group (';' in its active dimensions)");
    if (!ard) throw std::invalid_argument("kernel '" + spec.name + "': length-scale groups (';') need ARD length scales, not 'iso'");
    stationary->set_lengthscale_groups(spec.dim_groups);
  }
  return k;
}

}  // namespace gpbo
