#include "tune/parameter_plot.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "tune/svg_plot.hpp"

namespace gpbo::tune {
namespace {

constexpr double kPanelWidth = 300, kPanelHeight = 230, kTitleHeight = 66, kColumns = 3;
constexpr double kLeft = 62, kRight = 14, kTop = 26, kBottom = 34;  // inside a panel
constexpr std::size_t kMaxLabelledChoices = 12;

// Where a parameter's values go along its axis, in [0, 1], and the axis's labelled ticks.
struct Axis {
  const bo::Parameter& p;
  [[nodiscard]] bool log() const { return p.scale == bo::Scale::Log; }
  [[nodiscard]] bool categorical() const { return p.kind == bo::Parameter::Kind::Categorical; }
  // An integer's values sit half a step inside the ends, as a category sits in its slot.
  [[nodiscard]] double low() const { return p.kind == bo::Parameter::Kind::Integer && !log() ? p.low - 0.5 : p.low; }
  [[nodiscard]] double high() const { return p.kind == bo::Parameter::Kind::Integer && !log() ? p.high + 0.5 : p.high; }

  [[nodiscard]] double position(const bo::Value& v) const {
    if (categorical()) {
      const auto k = static_cast<double>(p.choices.size());
      for (std::size_t c = 0; c < p.choices.size(); ++c)
        if (bo::to_string(p.choices[c]) == bo::to_string(v)) return (static_cast<double>(c) + 0.5) / k;
      return 0.5;
    }
    const double x = bo::as_double(v);
    if (log()) return (std::log(x) - std::log(low())) / (std::log(high()) - std::log(low()));
    return high() > low() ? (x - low()) / (high() - low()) : 0.5;
  }

  // Evaluations at one category or integer would hide each other: each is moved sideways by a
  // fixed share of its slot (the golden-ratio sequence of its number spreads them evenly).
  [[nodiscard]] double jitter(std::size_t i) const {
    if (!categorical() && p.kind != bo::Parameter::Kind::Integer) return 0.0;
    const double slot = categorical() ? 1.0 / static_cast<double>(p.choices.size())
                                      : (log() ? 0.0 : 1.0 / (high() - low()));
    const double u = std::fmod(0.6180339887498949 * static_cast<double>(i + 1), 1.0) - 0.5;
    return (categorical() ? 0.5 : 0.3) * slot * u;
  }

  // (position, label) pairs.
  [[nodiscard]] std::vector<std::pair<double, std::string>> ticks() const {
    std::vector<std::pair<double, std::string>> out;
    if (categorical()) {  // a label per slot while they fit
      if (p.choices.size() > kMaxLabelledChoices) return {{0.5, std::to_string(p.choices.size()) + " choices"}};
      for (const auto& c : p.choices) out.emplace_back(position(c), bo::to_string(c));
      return out;
    }
    std::ostringstream label;
    label.precision(4);
    for (double t : log() ? log_ticks(low(), high()) : nice_ticks(p.low, p.high)) {
      if (p.kind == bo::Parameter::Kind::Integer && t != std::round(t)) continue;
      label.str("");
      label << t;
      out.emplace_back(position(t), label.str());
    }
    return out;
  }
};

// Light blue to dark blue along the evaluations: where the search went later stands out.
std::string order_colour(std::size_t i, std::size_t n) {
  const double f = n > 1 ? static_cast<double>(i) / static_cast<double>(n - 1) : 1.0;
  const auto mix = [&](int a, int b) { return static_cast<int>(std::lround(a + f * (b - a))); };
  std::ostringstream c;
  c << "rgb(" << mix(174, 8) << ',' << mix(205, 48) << ',' << mix(235, 107) << ')';
  return c.str();
}

// The value axis, shared by the panels: linear, or logarithmic where every value is positive and
// they span more than two decades (a few failures-by-penalty or infeasible designs at 40 would
// flatten results of 0.01 onto the axis).
struct ValueAxis {
  double lo, hi;
  bool log;
  static ValueAxis of(const std::vector<double>& values) {
    const auto [lo, hi] = value_range(values);
    const bool log = !values.empty() && lo > 0 && hi / lo > 100 && std::isfinite(hi / lo);
    // 4% of room at each end: the highest and lowest points (the best circled) were cut by the frame.
    const double a = log ? std::log10(lo) : lo, b = log ? std::log10(hi) : hi, pad = 0.08 * (0.5 * b - 0.5 * a);
    if (!std::isfinite(a - pad) || !std::isfinite(b + pad)) return {a, b, log};  // values near +-DBL_MAX
    return {a - pad, b + pad, log};
  }
  [[nodiscard]] double coordinate(double v) const { return log ? std::log10(v) : v; }
  // The same kept inside the axis (a model's band may reach beyond the observed values, and
  // below 0 on a log axis).
  [[nodiscard]] double clamped(double v) const {
    if (log && !(v > 0)) return lo;
    return std::clamp(coordinate(v), lo, hi);
  }
  // Ticks as (coordinate, value) pairs: decades on a log axis (round exponents when it spans
  // fewer than two), round values otherwise.
  [[nodiscard]] std::vector<std::pair<double, double>> ticks() const {
    std::vector<std::pair<double, double>> out;
    if (log)
      for (double v : log_ticks(std::pow(10.0, lo), std::pow(10.0, hi))) out.emplace_back(std::log10(v), v);
    else
      for (double v : nice_ticks(lo, hi)) out.emplace_back(v, v);
    return out;
  }
};

void panel(std::ostringstream& svg, const bo::Parameter& p, double x0, double y0, const std::vector<PlottedResult>& results,
           const ValueAxis& values, const ModelSlice* slice) {
  const Axis axis{p};
  const double pw = kPanelWidth - kLeft - kRight, ph = kPanelHeight - kTop - kBottom;
  const double left = x0 + kLeft, top = y0 + kTop;
  const auto sx = [&](double position) { return left + pw * std::clamp(position, 0.0, 1.0); };
  // Halved operands: no overflow when hi - lo passes DBL_MAX (halving is exact).
  const double lo = values.lo, hi = values.hi;
  const auto sc = [&](double c) { return top + ph * ((0.5 * hi - 0.5 * c) / (0.5 * hi - 0.5 * lo)); };
  const auto sy = [&](double v) { return sc(values.coordinate(v)); };
  svg << "<text x=\"" << left + pw / 2 << "\" y=\"" << y0 + 17 << "\" text-anchor=\"middle\" font-weight=\"bold\">"
      << svg_escape(p.name) << (axis.log() ? " (log)" : "") << "</text>\n";
  std::vector<std::pair<double, double>> grid;
  for (const auto& [c, v] : values.ticks()) grid.emplace_back(sc(c), v);
  value_grid(svg, left, pw, grid);
  for (const auto& [position, label] : axis.ticks())
    svg << "<text x=\"" << sx(position) << "\" y=\"" << top + ph + 15 << "\" text-anchor=\"middle\">" << svg_escape(label)
        << "</text>\n";
  plot_frame(svg, left, top, pw, ph);
  if (slice && !slice->at.empty()) {  // under the dots
    const auto y = [&](double v) { return sc(values.clamped(v)); };
    if (axis.categorical()) {
      for (std::size_t i = 0; i < slice->at.size(); ++i) {
        const double x = sx(axis.position(slice->at[i]));
        const bo::ObjectivePrediction& q = slice->prediction[i];
        svg << "<line x1=\"" << x << "\" x2=\"" << x << "\" y1=\"" << y(q.lower95) << "\" y2=\"" << y(q.upper95)
            << "\" stroke=\"#1f5fa8\" stroke-opacity=\"0.35\" stroke-width=\"6\"/><line x1=\"" << x - 12 << "\" x2=\"" << x + 12
            << "\" y1=\"" << y(q.median) << "\" y2=\"" << y(q.median) << "\" stroke=\"#1f5fa8\" stroke-width=\"2\"/>\n";
      }
    } else {
      std::ostringstream band, line;
      for (std::size_t i = 0; i < slice->at.size(); ++i) {
        const double x = sx(axis.position(slice->at[i]));
        band << (i == 0 ? "M" : " L") << x << "," << y(slice->prediction[i].upper95);
        line << (i == 0 ? "M" : " L") << x << "," << y(slice->prediction[i].median);
      }
      for (std::size_t i = slice->at.size(); i-- > 0;)
        band << " L" << sx(axis.position(slice->at[i])) << "," << y(slice->prediction[i].lower95);
      svg << "<path d=\"" << band.str() << " Z\" fill=\"#1f5fa8\" fill-opacity=\"0.13\" stroke=\"none\"/>\n<path d=\""
          << line.str() << "\" fill=\"none\" stroke=\"#1f5fa8\" stroke-width=\"1.5\"/>\n";
    }
  }
  const PlottedResult* best = nullptr;
  double best_x = 0.0;
  for (std::size_t i = 0; i < results.size(); ++i) {
    const PlottedResult& r = results[i];
    const auto v = r.point.find(p.name);
    if (v == r.point.end()) continue;  // inactive in this evaluation
    const double cx = sx(axis.position(v->second) + axis.jitter(i)), cy = sy(r.value);
    if (!r.feasible)
      svg << "<circle cx=\"" << cx << "\" cy=\"" << cy << "\" r=\"3\" fill=\"none\" stroke=\"#e08a1e\"/>\n";
    else
      svg << "<circle cx=\"" << cx << "\" cy=\"" << cy << "\" r=\"3\" fill=\"" << order_colour(i, results.size())
          << "\" fill-opacity=\"0.85\"/>\n";
    if (r.best) best_x = cx, best = &r;
  }
  if (best)
    svg << "<circle cx=\"" << best_x << "\" cy=\"" << sy(best->value)
        << "\" r=\"6\" fill=\"none\" stroke=\"#d33\" stroke-width=\"1.5\"/>\n";
}

const ModelSlice* slice_of(const std::vector<ModelSlice>& slices, const std::string& name) {
  for (const ModelSlice& s : slices)
    if (s.parameter == name) return &s;
  return nullptr;
}

}  // namespace

std::string parameters_svg(const bo::Space& space, const std::vector<PlottedResult>& results, bool minimize,
                           const std::string& title, const std::vector<ModelSlice>& slices) {
  std::vector<const bo::Parameter*> shown;
  for (const auto& p : space.parameters())
    if (p.kind != bo::Parameter::Kind::Fixed) shown.push_back(&p);
  std::vector<double> values;
  for (const auto& r : results) values.push_back(r.value);
  const ValueAxis axis = ValueAxis::of(values);
  const auto columns = static_cast<std::size_t>(std::min<double>(kColumns, std::max<std::size_t>(1, shown.size())));
  const std::size_t rows = (shown.size() + columns - 1) / columns;
  const double width = kPanelWidth * static_cast<double>(columns), height = kTitleHeight + kPanelHeight * static_cast<double>(rows);
  std::ostringstream svg;
  svg.precision(6);
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height
      << "\" font-family=\"sans-serif\" font-size=\"11\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      << "<text x=\"" << width / 2 << "\" y=\"20\" text-anchor=\"middle\" font-size=\"15\">" << svg_escape(title) << "</text>\n"
      << "<text x=\"" << width / 2 << "\" y=\"38\" text-anchor=\"middle\" fill=\"#555\">value (" << (minimize ? "minimize" : "maximize")
      << (axis.log ? ", log scale" : "") << ") against each parameter; later evaluations darker, the best circled in red</text>\n";
  std::string legend = slices.empty() ? "" : "the line: the model through the best, in its 95% band";
  if (std::any_of(results.begin(), results.end(), [](const PlottedResult& r) { return !r.feasible; }))
    legend += (legend.empty() ? "" : "; ") + std::string("orange rings break a constraint");
  if (!legend.empty()) svg << "<text x=\"" << width / 2 << "\" y=\"54\" text-anchor=\"middle\" fill=\"#555\">" << legend << "</text>\n";
  for (std::size_t k = 0; k < shown.size(); ++k)
    panel(svg, *shown[k], kPanelWidth * static_cast<double>(k % columns), kTitleHeight + kPanelHeight * static_cast<double>(k / columns),
          results, axis, slice_of(slices, shown[k]->name));
  svg << "</svg>\n";
  return svg.str();
}

}  // namespace gpbo::tune
