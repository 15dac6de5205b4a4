#include "trace_plot.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <vector>

#include "tune/svg_plot.hpp"

namespace gpbo::cli {
namespace {

constexpr double kPanelWidth = 440, kPanelHeight = 180, kTitleHeight = 44, kColumns = 2;
constexpr double kLeft = 64, kRight = 14, kTop = 24, kBottom = 26;  // inside a panel
constexpr Eigen::Index kMaxPoints = 500;
const char* const kColours[] = {"#1f5fa8", "#e08a1e", "#2a9d55", "#c0392b", "#8e44ad", "#7f8c8d"};

// One panel: draws (iterations x chains) of `name`.
void panel(std::ostringstream& svg, const std::string& name, const Eigen::MatrixXd& draws, double x0, double y0) {
  const double pw = kPanelWidth - kLeft - kRight, ph = kPanelHeight - kTop - kBottom;
  const double left = x0 + kLeft, top = y0 + kTop;
  std::vector<double> finite;
  for (Eigen::Index i = 0; i < draws.size(); ++i)
    if (std::isfinite(draws.data()[i])) finite.push_back(draws.data()[i]);
  const auto [lo, hi] = tune::value_range(finite);
  const auto n = static_cast<double>(std::max<Eigen::Index>(2, draws.rows()));
  const auto sx = [&](double i) { return left + pw * i / (n - 1); };
  // Halved operands: no overflow when hi - lo passes DBL_MAX (halving is exact).
  const auto sy = [&](double v) { return top + ph * ((0.5 * hi - 0.5 * std::clamp(v, lo, hi)) / (0.5 * hi - 0.5 * lo)); };
  svg << "<text x=\"" << left + pw / 2 << "\" y=\"" << y0 + 16 << "\" text-anchor=\"middle\" font-weight=\"bold\">"
      << tune::svg_escape(name) << "</text>\n";
  std::vector<std::pair<double, double>> grid;
  for (double t : tune::nice_ticks(lo, hi)) grid.emplace_back(sy(t), t);
  tune::value_grid(svg, left, pw, grid);
  for (double t : tune::nice_ticks(1, n))
    if (t >= 1 && std::floor(t) == t)
      svg << "<text x=\"" << sx(t - 1) << "\" y=\"" << top + ph + 15 << "\" text-anchor=\"middle\">" << t << "</text>\n";
  tune::plot_frame(svg, left, top, pw, ph);
  const Eigen::Index step = std::max<Eigen::Index>(1, (draws.rows() + kMaxPoints - 1) / kMaxPoints);
  for (Eigen::Index c = 0; c < draws.cols(); ++c) {
    std::ostringstream points;
    for (Eigen::Index i = 0; i < draws.rows(); i += step)
      if (std::isfinite(draws(i, c))) points << sx(static_cast<double>(i)) << ',' << sy(draws(i, c)) << ' ';
    svg << "<polyline points=\"" << points.str() << "\" fill=\"none\" stroke=\"" << kColours[c % std::size(kColours)]
        << "\" stroke-width=\"0.8\" stroke-opacity=\"0.75\"/>\n";
  }
}

}  // namespace

std::string trace_svg(const mcmc::MultiChainResult& run, const std::string& title, std::size_t max_panels) {
  const auto columns = static_cast<std::size_t>(run.output_names.size());
  const std::size_t shown = std::min(columns + 1, std::max<std::size_t>(1, max_panels));  // lp__ first
  const auto per_row = static_cast<std::size_t>(kColumns);
  const std::size_t rows = (shown + per_row - 1) / per_row;
  const double width = kPanelWidth * kColumns, height = kTitleHeight + kPanelHeight * static_cast<double>(rows);
  std::ostringstream svg;
  svg.precision(6);
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height
      << "\" font-family=\"sans-serif\" font-size=\"11\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      << "<text x=\"" << width / 2 << "\" y=\"20\" text-anchor=\"middle\" font-size=\"15\">" << tune::svg_escape(title) << "</text>\n"
      << "<text x=\"" << width / 2 << "\" y=\"36\" text-anchor=\"middle\" fill=\"#555\">" << run.chains.size()
      << " chain(s), each in its colour, against the kept iteration";
  if (shown < columns + 1) svg << "; lp__ and the first " << shown - 1 << " of " << columns << " parameters";
  svg << "</text>\n";
  for (std::size_t k = 0; k < shown; ++k) {
    Eigen::MatrixXd draws;
    if (k == 0) {
      draws.resize(run.chains.empty() ? 0 : run.chains.front().lp.size(), static_cast<Eigen::Index>(run.chains.size()));
      for (std::size_t c = 0; c < run.chains.size(); ++c) draws.col(static_cast<Eigen::Index>(c)) = run.chains[c].lp;
    } else {
      draws = run.column(static_cast<int>(k - 1));
    }
    panel(svg, k == 0 ? "lp__" : run.output_names[k - 1], draws, kPanelWidth * static_cast<double>(k % per_row),
          kTitleHeight + kPanelHeight * static_cast<double>(k / per_row));
  }
  svg << "</svg>\n";
  return svg.str();
}

}  // namespace gpbo::cli
