#pragma once
// What the run directory's SVG plots share: tick values, text escaping and the value axis's
// range. Plain SVG text, no dependencies.

#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace gpbo::tune {

/// About five round tick values spanning [lo, hi]; just the ends when hi - lo overflows (values
/// across the whole double range, e.g. a DBL_MAX penalty and a negative value).
std::vector<double> nice_ticks(double lo, double hi);

/// Round tick values for a logarithmic axis over [lo, hi] (0 < lo < hi): the decades, or 1, 2, 5
/// times them when fewer than two decades fit, or 1, 1.5, 2, 3, 5, 7 times them, or linear round
/// values on a range too narrow for those (never 25.12, 39.81, 63.1).
std::vector<double> log_ticks(double lo, double hi);

/// Text made safe inside an SVG element (<, > and & escaped; control characters XML refuses
/// replaced by U+FFFD).
std::string svg_escape(const std::string& s);

/// A plot area's light grid line and label at each (pixel y, value) tick of its value axis, left
/// of [left, left + width].
void value_grid(std::ostream& svg, double left, double width, const std::vector<std::pair<double, double>>& ticks);

/// The plot area's frame.
void plot_frame(std::ostream& svg, double left, double top, double width, double height);

/// The range a value axis shows for `values` (finite): their min and max, widened around a
/// constant (half its size, or 0.5 around 0) so that it is not a point. Flat only relative to
/// the values' own size: scores of 1e-16 spread over 1e-16 are not a constant.
std::pair<double, double> value_range(const std::vector<double>& values);

}  // namespace gpbo::tune
