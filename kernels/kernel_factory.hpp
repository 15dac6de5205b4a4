#pragma once
// Creating basic kernels by name, shared by the string parser and the JSON reader.
// Names: se (alias rbf), matern12, matern32, matern52, rq, periodic, linear, constant, white.
// Options: "iso" (one shared length scale) or "ard" (default: one per active dimension) for
// se/matern*/rq; "offset" for linear. New kernels have their default hyperparameter values
// (1.0 for every theta). Length-scale groups: "se[0,1;2,3]" in the string form, nested
// "active_dims" arrays in JSON.

#include <string>
#include <vector>

#include "gpbo/kernels/kernel.hpp"

namespace gpbo {

struct LeafSpec {
  std::string name;
  std::vector<std::string> options;
  std::vector<int> active_dims;  // empty = all columns
  /// Non-empty: active_dims split into groups that share one length scale (stationary ARD
  /// kernels only; StationaryKernel::set_lengthscale_groups).
  std::vector<std::vector<int>> dim_groups;
};

/// The known basic kernel names, in a stable order (for error messages).
[[nodiscard]] const std::vector<std::string>& leaf_kernel_names();
/// True if `name` is one of leaf_kernel_names().
[[nodiscard]] bool is_leaf_kernel_name(const std::string& name);
/// The options the kernel `name` accepts (empty if none).
[[nodiscard]] std::vector<std::string> leaf_kernel_options(const std::string& name);
/// A new basic kernel for inputs with input_dim columns. Throws std::invalid_argument for an
/// unknown name or option, or bad active dimensions.
[[nodiscard]] KernelPtr make_leaf_kernel(const LeafSpec& spec, int input_dim);

}  // namespace gpbo
