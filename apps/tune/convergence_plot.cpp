#include "tune/convergence_plot.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "tune/svg_plot.hpp"

namespace gpbo::tune {
namespace {

constexpr double kWidth = 720, kHeight = 420, kLeft = 80, kRight = 20, kTop = 40, kBottom = 50;

}  // namespace

std::string convergence_svg(const std::vector<std::optional<double>>& values, bool minimize, const std::string& title,
                            const std::vector<bool>& infeasible, const std::vector<std::uint64_t>& ids) {
  std::vector<double> finite;
  for (const auto& v : values)
    if (v) finite.push_back(*v);
  auto [lo, hi] = value_range(finite);
  // 4% of room at each end: the first and the best value sat half-cut on the frame.
  if (const double pad = 0.08 * (0.5 * hi - 0.5 * lo); std::isfinite(lo - pad) && std::isfinite(hi + pad)) {
    lo -= pad;
    hi += pad;
  }
  // x is the evaluation's id, as results.csv, the log and `gpbo show` number it (0 first).
  const auto id_of = [&](std::size_t i) { return i < ids.size() ? static_cast<double>(ids[i]) : static_cast<double>(i); };
  const double first = values.empty() ? 0.0 : id_of(0), last = values.empty() ? 0.0 : id_of(values.size() - 1);
  const double pw = kWidth - kLeft - kRight, ph = kHeight - kTop - kBottom;
  auto sx = [&](double id) { return kLeft + pw * (id - first) / std::max(1.0, last - first); };
  // Halved operands: no overflow when hi - lo passes DBL_MAX (halving is exact).
  auto sy = [&](double v) { return kTop + ph * ((0.5 * hi - 0.5 * v) / (0.5 * hi - 0.5 * lo)); };

  std::ostringstream svg;
  svg.precision(6);
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << kWidth << "\" height=\"" << kHeight
      << "\" font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      << "<text x=\"" << kWidth / 2 << "\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">" << svg_escape(title) << "</text>\n";
  for (double t : nice_ticks(lo, hi))
    svg << "<line x1=\"" << kLeft << "\" x2=\"" << kWidth - kRight << "\" y1=\"" << sy(t) << "\" y2=\"" << sy(t)
        << "\" stroke=\"#ddd\"/><text x=\"" << kLeft - 6 << "\" y=\"" << sy(t) + 4 << "\" text-anchor=\"end\">" << t << "</text>\n";
  for (double t : nice_ticks(first, std::max(first + 1.0, last)))
    if (t >= first && t <= std::max(first + 1.0, last) && std::floor(t) == t)
      svg << "<text x=\"" << sx(t) << "\" y=\"" << kHeight - kBottom + 16 << "\" text-anchor=\"middle\">" << t << "</text>\n";
  svg << "<rect x=\"" << kLeft << "\" y=\"" << kTop << "\" width=\"" << pw << "\" height=\"" << ph
      << "\" fill=\"none\" stroke=\"#444\"/>\n"
      << "<text x=\"" << kLeft + pw / 2 << "\" y=\"" << kHeight - 12 << "\" text-anchor=\"middle\">evaluation id</text>\n"
      << "<text transform=\"translate(18," << kTop + ph / 2 << ") rotate(-90)\" text-anchor=\"middle\">value ("
      << (minimize ? "minimize" : "maximize") << ")</text>\n";
  std::ostringstream path;
  std::optional<double> best;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double x = sx(id_of(i));
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
    svg << "<path d=\"" << path.str() << " L" << sx(std::max(first + 1.0, last)) << "," << sy(*best)
        << "\" fill=\"none\" stroke=\"#1f5fa8\" stroke-width=\"2\"/>\n";
  if (std::find(infeasible.begin(), infeasible.end(), true) != infeasible.end())  // what the rings mean
    svg << "<circle cx=\"" << kWidth - kRight - 130 << "\" cy=\"" << kTop - 8 << "\" r=\"2.5\" fill=\"none\" stroke=\"#e08a1e\"/>"
        << "<text x=\"" << kWidth - kRight - 122 << "\" y=\"" << kTop - 4 << "\">breaks a constraint</text>\n";
  svg << "</svg>\n";
  return svg.str();
}

}  // namespace gpbo::tune
