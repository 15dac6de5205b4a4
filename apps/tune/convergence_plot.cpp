#include "tune/convergence_plot.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace gpbo::tune {
namespace {

constexpr double kWidth = 720, kHeight = 420, kLeft = 80, kRight = 20, kTop = 40, kBottom = 50;

// About five round tick values spanning [lo, hi]; just the ends when hi - lo overflows (values
// across the whole double range, e.g. a DBL_MAX penalty and a negative value).
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

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    else out += c;
  }
  return out;
}

}  // namespace

std::string convergence_svg(const std::vector<std::optional<double>>& values, bool minimize, const std::string& title,
                            const std::vector<bool>& infeasible) {
  std::vector<double> finite;
  for (const auto& v : values)
    if (v) finite.push_back(*v);
  double lo = finite.empty() ? 0 : *std::min_element(finite.begin(), finite.end());
  double hi = finite.empty() ? 1 : *std::max_element(finite.begin(), finite.end());
  // Flat only relative to the values' own size: scores of 1e-16 (or 1e-300) spread over 1e-16
  // are not a constant. A constant gets a band of half its size (or 0.5 around 0).
  const double size = std::max(std::abs(lo), std::abs(hi));
  if (!(hi - lo > 1e-12 * size)) {
    const double pad = size > 0 ? 0.5 * size : 0.5;
    lo -= pad;
    hi += pad;
  }
  const double n = std::max<double>(1, static_cast<double>(values.size()));
  const double pw = kWidth - kLeft - kRight, ph = kHeight - kTop - kBottom;
  auto sx = [&](double i) { return kLeft + pw * (i - 1) / std::max(1.0, n - 1); };
  // Halved operands: no overflow when hi - lo passes DBL_MAX (halving is exact).
  auto sy = [&](double v) { return kTop + ph * ((0.5 * hi - 0.5 * v) / (0.5 * hi - 0.5 * lo)); };

  std::ostringstream svg;
  svg.precision(6);
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << kWidth << "\" height=\"" << kHeight
      << "\" font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      << "<text x=\"" << kWidth / 2 << "\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">" << escape(title) << "</text>\n";
  for (double t : nice_ticks(lo, hi))
    svg << "<line x1=\"" << kLeft << "\" x2=\"" << kWidth - kRight << "\" y1=\"" << sy(t) << "\" y2=\"" << sy(t)
        << "\" stroke=\"#ddd\"/><text x=\"" << kLeft - 6 << "\" y=\"" << sy(t) + 4 << "\" text-anchor=\"end\">" << t << "</text>\n";
  for (double t : nice_ticks(1, std::max(2.0, n)))
    if (t >= 1 && std::floor(t) == t)
      svg << "<text x=\"" << sx(t) << "\" y=\"" << kHeight - kBottom + 16 << "\" text-anchor=\"middle\">" << t << "</text>\n";
  svg << "<rect x=\"" << kLeft << "\" y=\"" << kTop << "\" width=\"" << pw << "\" height=\"" << ph
      << "\" fill=\"none\" stroke=\"#444\"/>\n"
      << "<text x=\"" << kLeft + pw / 2 << "\" y=\"" << kHeight - 12 << "\" text-anchor=\"middle\">evaluation</text>\n"
      << "<text transform=\"translate(18," << kTop + ph / 2 << ") rotate(-90)\" text-anchor=\"middle\">value ("
      << (minimize ? "minimize" : "maximize") << ")</text>\n";
  std::ostringstream path;
  std::optional<double> best;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double x = sx(static_cast<double>(i + 1));
    if (!values[i]) {
      svg << "<line x1=\"" << x << "\" x2=\"" << x << "\" y1=\"" << kTop + ph - 8 << "\" y2=\"" << kTop + ph
          << "\" stroke=\"#d33\"/>\n";
      continue;
    }
    if (i < infeasible.size() && infeasible[i]) {  // no candidate for the best: a ring, off the line
      svg << "<circle cx=\"" << x << "\" cy=\"" << sy(*values[i]) << "\" r=\"2.5\" fill=\"none\" stroke=\"#e08a1e\"/>\n";
      continue;
    }
    svg << "<circle cx=\"" << x << "\" cy=\"" << sy(*values[i]) << "\" r=\"2.5\" fill=\"#9ab\"/>\n";
    const bool improved = !best || (minimize ? *values[i] < *best : *values[i] > *best);
    if (best) path << " L" << x << "," << sy(*best);
    if (improved) best = values[i];
    path << (path.tellp() == 0 ? "M" : " L") << x << "," << sy(*best);
  }
  if (best)
    svg << "<path d=\"" << path.str() << " L" << sx(n) << "," << sy(*best)
        << "\" fill=\"none\" stroke=\"#1f5fa8\" stroke-width=\"2\"/>\n";
  if (std::find(infeasible.begin(), infeasible.end(), true) != infeasible.end())  // what the rings mean
    svg << "<circle cx=\"" << kWidth - kRight - 130 << "\" cy=\"" << kTop - 8 << "\" r=\"2.5\" fill=\"none\" stroke=\"#e08a1e\"/>"
        << "<text x=\"" << kWidth - kRight - 122 << "\" y=\"" << kTop - 4 << "\">breaks a constraint</text>\n";
  svg << "</svg>\n";
  return svg.str();
}

}  // namespace gpbo::tune
