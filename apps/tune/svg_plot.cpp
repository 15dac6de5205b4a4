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

std::vector<double> log_ticks(double lo, double hi) {
  if (!(lo > 0) || !(hi > lo) || !std::isfinite(hi)) return nice_ticks(lo, hi);
  const auto with = [&](std::vector<double> mantissas) {
    std::vector<double> out;
    for (double e = std::floor(std::log10(lo)); e <= std::ceil(std::log10(hi)); ++e)
      for (const double m : mantissas)
        // m / 10^-e, not m * 10^e: 3 * 0.1 is 0.30000000000000004, 3 / 10 is 0.3.
        if (const double t = e < 0 ? m / std::pow(10.0, -e) : m * std::pow(10.0, e); t >= lo * (1 - 1e-12) && t <= hi * (1 + 1e-12))
          out.push_back(t);
    return out;
  };
  for (const auto& mantissas : {std::vector<double>{1}, {1, 2, 5}, {1, 1.5, 2, 3, 5, 7}})
    if (auto ticks = with(mantissas); ticks.size() >= 2 && ticks.size() <= 8) return ticks;
  return nice_ticks(lo, hi);
}

std::string svg_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    // XML allows no control character but tab and line breaks, not even as a reference: a
    // category holding \u0001 made the whole plot unreadable.
    else if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') out += "\xEF\xBF\xBD";  // U+FFFD
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
