#pragma once
// Kernels to and from JSON (nlohmann::json): structure, hyperparameter values, bounds, priors,
// fixed flags and active dimensions. The only JSON code of the kernels/ module.
//
// Format (what kernel_to_json writes; log-space numbers so values round-trip exactly):
//   leaf:     {"type": "matern52", "input_dim": 3, "ard": true, "active_dims": [0, 2],
//              "lengthscale": [HP, HP]}            ARD: one HP per active dimension
//             {"type": "rq", "input_dim": 3, "ard": false, "lengthscale": HP, "alpha": HP}
//             "ard" only for se/matern*/rq; "has_offset": true|false only for linear;
//             "active_dims" only when not all columns are used.
//   HP:       {"log_value": u, "log_bounds": [lo, hi], "prior": "gamma(2, 0.5)", "fixed": false}
//             ("prior" omitted when there is none).
//   scale:    {"type": "scale", "outputscale": HP, "base": KERNEL}
//   sum/product: {"type": "sum"|"product", "children": [KERNEL, KERNEL, ...]}
// kernel_from_json also accepts, for hand-written configs: a kernel string such as
// "matern52 + white" (kernel_parser.hpp) in place of a KERNEL object; in an HP, "value" (theta)
// instead of "log_value" and "bounds" (theta) instead of "log_bounds", any key may be left out
// (defaults kept), and a plain number means {"value": number}; for ARD length scales a single
// HP applies to every entry. Leaves may omit "input_dim" when the caller passes one.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "gpbo/kernels/kernel.hpp"

namespace gpbo {

[[nodiscard]] nlohmann::json kernel_to_json(const Kernel& kernel);

/// Reads a kernel. `input_dim` (0 = unknown) is used by leaves without "input_dim" and by kernel
/// strings; `path` is the JSON pointer of `j` in its document, used in error messages. Errors
/// throw std::invalid_argument naming the JSON path and what was expected, e.g.
/// "/kernel/children/1/lengthscale/0/log_value: expected a number, got string".
[[nodiscard]] KernelPtr kernel_from_json(const nlohmann::json& j, int input_dim = 0, const std::string& path = "");

/// Where `j` gave each hyperparameter of `kernel` (read from it by kernel_from_json, path as
/// there) its value, in Kernel::hyperparameters() order: the JSON path of the number
/// (".../lengthscale/0/log_value", ".../value", or the hyperparameter's own path for a plain
/// number), or "" where `j` gave none and the kernel's default stands (a kernel string, a key or
/// value left out).
[[nodiscard]] std::vector<std::string> kernel_value_paths(const nlohmann::json& j, const Kernel& kernel,
                                                          const std::string& path = "");

}  // namespace gpbo
