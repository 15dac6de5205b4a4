#pragma once
// The model's slice along one parameter through a point (Ax's slice plot): the noise-free
// objective's median and 95% interval as that parameter moves over its range and the others
// keep the point's values. parameters.svg draws it through the best result, over the dots of
// every evaluation.

#include <string>
#include <vector>

#include "gpbo/bayesopt/optimizer.hpp"

namespace gpbo::tune {

struct ModelSlice {
  std::string parameter;
  std::vector<bo::Value> at;                         // the parameter's values, in increasing order (choices in theirs)
  std::vector<bo::ObjectivePrediction> prediction;  // one per value, in the objective's units
};

/// The values a slice visits: `k` spread over a real parameter's range (log-spaced on a log
/// scale, on its grid with a step), every integer when there are at most `k` of them (else `k`
/// spread ones), every category (none when there are more than `k`).
std::vector<bo::Value> slice_values(const bo::Parameter& p, std::size_t k);

/// The points of the slice along `p` through `through` (a point of the space), one per value
/// of slice_values(p, k) that makes a point of the space: in a conditional space, children a
/// value switches off are left out, and a value that switches on a child without a value at
/// `through` is skipped; points that break a linear constraint are skipped too.
std::vector<bo::Point> slice_points(const bo::Space& space, const bo::Point& through, const bo::Parameter& p, std::size_t k);

/// The model's slices through `through` (a point of the space) along every parameter that is
/// not fixed and is active there, in the space's order, from one Optimizer::predict call (their
/// points as slice_points makes them). Nothing before the first model.
std::vector<ModelSlice> model_slices(const bo::Optimizer& optimizer, const bo::Point& through, std::size_t k = 41);

}  // namespace gpbo::tune
