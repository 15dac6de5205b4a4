#include "trace_plot.hpp"

#include <algorithm>
#include <boost/math/distributions/binomial.hpp>
#include <cmath>
#include <sstream>
#include <vector>

#include "gpbo/mcmc/diagnostics.hpp"
#include "tune/svg_plot.hpp"

namespace gpbo::cli {
namespace {

constexpr double kTraceWidth = 560, kRankWidth = 320, kRowHeight = 160, kTitleHeight = 58;
constexpr double kLeft = 64, kRight = 14, kTop = 24, kBottom = 26;  // inside a panel
constexpr Eigen::Index kMaxPoints = 500;
constexpr int kMaxBins = 20;
const char* const kColours[] = {"#1f5fa8", "#e08a1e", "#2a9d55", "#c0392b", "#8e44ad", "#7f8c8d"};

const char* colour(Eigen::Index chain) { return kColours[static_cast<std::size_t>(chain) % std::size(kColours)]; }

// A panel's plot area, and its name above it.
struct Area {
  double left, top, width, height;
};

Area panel_area(std::ostringstream& svg, const std::string& name, double x0, double y0, double panel_width) {
  const Area a{x0 + kLeft, y0 + kTop, panel_width - kLeft - kRight, kRowHeight - kTop - kBottom};
  svg << "<text x=\"" << a.left + a.width / 2 << "\" y=\"" << y0 + 16 << "\" text-anchor=\"middle\" font-weight=\"bold\">"
      << tune::svg_escape(name) << "</text>\n";
  return a;
}

// Labels of the horizontal axis at round values of [lo, hi], placed by sx.
template <class Scale>
void axis_labels(std::ostringstream& svg, const Area& a, double lo, double hi, const Scale& sx) {
  for (double t : tune::nice_ticks(lo, hi))
    if (t >= lo && std::floor(t) == t)
      svg << "<text x=\"" << sx(t) << "\" y=\"" << a.top + a.height + 15 << "\" text-anchor=\"middle\">" << t << "</text>\n";
}

// Every chain's draws (iterations x chains) against the kept iteration.
void trace_panel(std::ostringstream& svg, const std::string& name, const Eigen::MatrixXd& draws, double y0) {
  const Area a = panel_area(svg, name, 0, y0, kTraceWidth);
  std::vector<double> finite;
  for (Eigen::Index i = 0; i < draws.size(); ++i)
    if (std::isfinite(draws.data()[i])) finite.push_back(draws.data()[i]);
  const auto [lo, hi] = tune::value_range(finite);
  const auto n = static_cast<double>(std::max<Eigen::Index>(2, draws.rows()));
  const auto sx = [&](double i) { return a.left + a.width * (i - 1) / (n - 1); };  // i: 1-based iteration
  // Halved operands: no overflow when hi - lo passes DBL_MAX (halving is exact).
  const auto sy = [&](double v) { return a.top + a.height * ((0.5 * hi - 0.5 * std::clamp(v, lo, hi)) / (0.5 * hi - 0.5 * lo)); };
  std::vector<std::pair<double, double>> grid;
  for (double t : tune::nice_ticks(lo, hi)) grid.emplace_back(sy(t), t);
  tune::value_grid(svg, a.left, a.width, grid);
  axis_labels(svg, a, 1, n, sx);
  tune::plot_frame(svg, a.left, a.top, a.width, a.height);
  const Eigen::Index step = std::max<Eigen::Index>(1, (draws.rows() + kMaxPoints - 1) / kMaxPoints);
  for (Eigen::Index c = 0; c < draws.cols(); ++c) {
    std::ostringstream points;
    for (Eigen::Index i = 0; i < draws.rows(); i += step)
      if (std::isfinite(draws(i, c))) points << sx(static_cast<double>(i + 1)) << ',' << sy(draws(i, c)) << ' ';
    svg << "<polyline points=\"" << points.str() << "\" fill=\"none\" stroke=\"" << colour(c)
        << "\" stroke-width=\"0.8\" stroke-opacity=\"0.75\"/>\n";
  }
}

// Each chain's histogram of its draws' ranks among all draws (mcmc::rank_histogram) as a step
// line, over the band where a bin's count of a well-mixed chain falls 99 times in 100.
void rank_panel(std::ostringstream& svg, const std::string& name, const Eigen::MatrixXd& draws, double y0) {
  const Area a = panel_area(svg, "ranks of " + name, kTraceWidth, y0, kRankWidth);
  const Eigen::Index per_chain = draws.rows();
  if (per_chain < 2 || draws.array().isNaN().any()) {
    tune::plot_frame(svg, a.left, a.top, a.width, a.height);
    svg << "<text x=\"" << a.left + a.width / 2 << "\" y=\"" << a.top + a.height / 2 << "\" text-anchor=\"middle\" fill=\"#555\">"
        << (per_chain < 2 ? "too few draws" : "a draw is NaN") << "</text>\n";
    return;
  }
  const int bins = static_cast<int>(std::clamp<Eigen::Index>(per_chain / 10, 1, kMaxBins));
  const Eigen::MatrixXi counts = mcmc::rank_histogram(draws, bins);
  const boost::math::binomial_distribution<> count(static_cast<double>(per_chain), 1.0 / bins);
  const double band_lo = boost::math::quantile(count, 0.005), band_hi = boost::math::quantile(count, 0.995);
  const double hi = std::max<double>(band_hi, counts.maxCoeff()) * 1.05;
  const double total = static_cast<double>(draws.size());
  const auto sx = [&](double rank) { return a.left + a.width * rank / total; };
  const auto sy = [&](double v) { return a.top + a.height * (1 - v / hi); };
  std::vector<std::pair<double, double>> grid;
  for (double t : tune::nice_ticks(0, hi)) grid.emplace_back(sy(t), t);
  tune::value_grid(svg, a.left, a.width, grid);
  svg << "<rect x=\"" << a.left << "\" y=\"" << sy(band_hi) << "\" width=\"" << a.width << "\" height=\"" << sy(band_lo) - sy(band_hi)
      << "\" fill=\"#d8d8d8\" fill-opacity=\"0.6\"/>\n"
      << "<line x1=\"" << a.left << "\" x2=\"" << a.left + a.width << "\" y1=\"" << sy(static_cast<double>(per_chain) / bins)
      << "\" y2=\"" << sy(static_cast<double>(per_chain) / bins) << "\" stroke=\"#777\" stroke-dasharray=\"4 3\"/>\n";
  axis_labels(svg, a, 0, total, sx);
  tune::plot_frame(svg, a.left, a.top, a.width, a.height);
  for (Eigen::Index c = 0; c < counts.cols(); ++c) {
    std::ostringstream points;
    for (int b = 0; b < bins; ++b) {
      const double y = sy(counts(b, c));
      points << sx(total * b / bins) << ',' << y << ' ' << sx(total * (b + 1) / bins) << ',' << y << ' ';
    }
    svg << "<polyline points=\"" << points.str() << "\" fill=\"none\" stroke=\"" << colour(c) << "\" stroke-width=\"1.2\"/>\n";
  }
}

}  // namespace

std::string trace_svg(const mcmc::MultiChainResult& run, const std::string& title, std::size_t max_panels) {
  const auto columns = static_cast<std::size_t>(run.output_names.size());
  const std::size_t shown = std::min(columns + 1, std::max<std::size_t>(1, max_panels));  // lp__ first
  const double width = kTraceWidth + kRankWidth, height = kTitleHeight + kRowHeight * static_cast<double>(shown);
  std::ostringstream svg;
  svg.precision(6);
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height
      << "\" font-family=\"sans-serif\" font-size=\"11\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      << "<text x=\"" << width / 2 << "\" y=\"20\" text-anchor=\"middle\" font-size=\"15\">" << tune::svg_escape(title) << "</text>\n"
      << "<text x=\"" << width / 2 << "\" y=\"36\" text-anchor=\"middle\" fill=\"#555\">" << run.chains.size()
      << " chain(s), each in its colour; left: draws against the kept iteration";
  if (shown < columns + 1) svg << "; lp__ and the first " << shown - 1 << " of " << columns << " parameters";
  svg << "</text>\n<text x=\"" << width / 2 << "\" y=\"50\" text-anchor=\"middle\" fill=\"#555\">"
      << "right: each chain's count of draws per range of ranks among all draws, near the dashed line and in the grey "
         "99% band when the chains mix</text>\n";
  for (std::size_t k = 0; k < shown; ++k) {
    Eigen::MatrixXd draws;
    if (k == 0) {
      draws.resize(run.chains.empty() ? 0 : run.chains.front().lp.size(), static_cast<Eigen::Index>(run.chains.size()));
      for (std::size_t c = 0; c < run.chains.size(); ++c) draws.col(static_cast<Eigen::Index>(c)) = run.chains[c].lp;
    } else {
      draws = run.column(static_cast<int>(k - 1));
    }
    const std::string name = k == 0 ? "lp__" : run.output_names[k - 1];
    const double y0 = kTitleHeight + kRowHeight * static_cast<double>(k);
    trace_panel(svg, name, draws, y0);
    rank_panel(svg, name, draws, y0);
  }
  svg << "</svg>\n";
  return svg.str();
}

}  // namespace gpbo::cli
