#include "tune/svg_plot.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace gpbo::tune {

std::vector<double> nice_ticks(double lo, double hi) {
  const double span = hi - lo;
  if (!std::isfinite(span) || !(span > 0)) return {lo, hi};
  const double raw = span / 5;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  const double step = raw / mag < 1.5 ? mag : raw / mag < 3.5 ? 2 * mag : raw / mag < 7.5 ? 5 * mag : 10 * mag;
  std::vector<double> ticks;
  // t - hi, not hi + margin: near DBL_MAX the margin would overflow to inf and never end the loop.
  for (double t = std::ceil(lo / step) * step; std::isfinite(t) && t - hi <= 1e-9 * span; t += step)
    ticks.push_back(std::abs(t) < 1e-12 * step ? 0 : t);
  return ticks;
}

std::string svg_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    else out += c;
  }
  return out;
}

void value_grid(std::ostream& svg, double left, double width, const std::vector<std::pair<double, double>>& ticks) {
  for (const auto& [y, value] : ticks)
    svg << "<line x1=\"" << left << "\" x2=\"" << left + width << "\" y1=\"" << y << "\" y2=\"" << y
        << "\" stroke=\"#e4e4e4\"/><text x=\"" << left - 5 << "\" y=\"" << y + 4 << "\" text-anchor=\"end\">" << value
        << "</text>\n";
}

void plot_frame(std::ostream& svg, double left, double top, double width, double height) {
  svg << "<rect x=\"" << left << "\" y=\"" << top << "\" width=\"" << width << "\" height=\"" << height
      << "\" fill=\"none\" stroke=\"#444\"/>\n";
}

std::pair<double, double> value_range(const std::vector<double>& values) {
  double lo = values.empty() ? 0 : *std::min_element(values.begin(), values.end());
  double hi = values.empty() ? 1 : *std::max_element(values.begin(), values.end());
  const double size = std::max(std::abs(lo), std::abs(hi));
  if (!(hi - lo > 1e-12 * size)) {
    const double pad = size > 0 ? 0.5 * size : 0.5, top = std::numeric_limits<double>::max();
    lo = std::max(lo - pad, -top);  // values at +-DBL_MAX: padded within the doubles, not to inf
    hi = std::min(hi + pad, top);
  }
  return {lo, hi};
}

}  // namespace gpbo::tune
