#include "tune/model_slice.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

namespace gpbo::tune {

std::vector<bo::Value> slice_values(const bo::Parameter& p, std::size_t k) {
  using K = bo::Parameter::Kind;
  std::vector<bo::Value> out;
  if (p.kind == K::Fixed) return {p.value};
  const std::uint64_t distinct = p.distinct_values();  // 0 for a continuous real
  if (p.kind == K::Categorical && distinct > k) return {};  // too many to draw a bar each
  if (p.kind == K::Categorical || (distinct > 0 && distinct <= k)) {
    for (std::uint64_t i = 0; i < distinct; ++i) out.push_back(p.nth_value(i));
    return out;
  }
  for (std::size_t i = 0; i < k; ++i) {
    const double f = k > 1 ? static_cast<double>(i) / static_cast<double>(k - 1) : 0.5;
    if (distinct > 0) {  // many integers or grid values: k of them, evenly spread by rank
      auto rank = static_cast<std::uint64_t>(std::llround(f * static_cast<double>(distinct - 1)));
      if (p.kind == K::Integer && p.scale == bo::Scale::Log)  // spread on the log axis the plot draws
        rank = static_cast<std::uint64_t>(std::clamp(std::round(std::exp(std::log(p.low) + f * (std::log(p.high) - std::log(p.low))) - p.low),
                                                     0.0, static_cast<double>(distinct - 1)));  // exp(log(1e15)) is 1e15 - 1.1
      const bo::Value v = p.nth_value(rank);
      if (out.empty() || bo::to_string(out.back()) != bo::to_string(v)) out.push_back(v);
      continue;
    }
    const double x = p.scale == bo::Scale::Log ? std::exp(std::log(p.low) + f * (std::log(p.high) - std::log(p.low)))
                                               : p.low + f * (p.high - p.low);
    out.emplace_back(i == 0 ? p.low : i + 1 == k ? p.high : std::clamp(x, p.low, p.high));  // the ends exactly
  }
  return out;
}

namespace {

// `through` with p at v, where that is a point of the space: children that v switches off are
// left out; a value that switches on a child `through` has no value for is no point (nothing).
std::optional<bo::Point> moved(const bo::Space& space, const bo::Point& through, const bo::Parameter& p, const bo::Value& v) {
  bo::Point q = through;
  q[p.name] = v;
  for (std::size_t i = 0; i < space.size(); ++i) {
    const bo::Parameter& r = space.parameters()[i];
    if (!space.active(i, q)) {  // parents come first: their values are settled by now
      q.erase(r.name);
      continue;
    }
    if (!q.count(r.name) && r.kind != bo::Parameter::Kind::Fixed) return std::nullopt;
  }
  if (!space.meets_constraints(q)) return std::nullopt;
  return q;
}

}  // namespace

std::vector<bo::Point> slice_points(const bo::Space& space, const bo::Point& through, const bo::Parameter& p, std::size_t k) {
  std::vector<bo::Point> points;
  for (const bo::Value& v : slice_values(p, k))
    if (auto q = moved(space, through, p, v)) points.push_back(std::move(*q));
  return points;
}

std::vector<ModelSlice> model_slices(const bo::Optimizer& optimizer, const bo::Point& through, std::size_t k) {
  const bo::Space& space = optimizer.space();
  if (optimizer.surrogate().models().empty()) return {};
  std::vector<ModelSlice> slices;
  std::vector<bo::Point> points;
  for (const bo::Parameter& p : space.parameters()) {
    if (p.kind == bo::Parameter::Kind::Fixed || !through.count(p.name)) continue;  // fixed, or inactive at `through`
    ModelSlice s{p.name, {}, {}};
    for (bo::Point& q : slice_points(space, through, p, k)) {
      s.at.push_back(q.at(p.name));
      points.push_back(std::move(q));
    }
    slices.push_back(std::move(s));
  }
  const std::vector<bo::ObjectivePrediction> predicted = optimizer.predict(points);
  std::size_t next = 0;
  for (ModelSlice& s : slices)
    for (std::size_t i = 0; i < s.at.size(); ++i) s.prediction.push_back(predicted[next++]);
  return slices;
}

}  // namespace gpbo::tune
