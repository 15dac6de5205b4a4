#include "tune/warm_start.hpp"

#include <cmath>
#include <optional>

#include "gpbo/core/csv.hpp"
#include "gpbo/core/csv_records.hpp"
#include "gpbo/core/durable_file.hpp"
#include "tune/command_objective.hpp"
#include "tune/point_columns.hpp"
#include "tune/run_state.hpp"

namespace gpbo::tune {
namespace {

// results.csv's statuses of evaluations that gave no value.
bool is_failure_status(const std::string& status) {
  using S = CommandOutcome::Status;
  for (const S s : {S::Failed, S::Crashed, S::TimedOut, S::BadOutput})
    if (status == to_string(s)) return true;
  return false;
}

}  // namespace

std::vector<WarmStartRow> read_warm_start(const std::string& path, const bo::Space& space,
                                          const std::vector<bo::OutcomeConstraint>& constraints, WarmStartSkips* skips) {
  const std::string text = read_file(path);
  const char delimiter = detect_csv_delimiter(text);
  CsvRecordReader reader(text, path, delimiter);
  CsvRecord header;
  if (!reader.next(header)) throw CsvError(path + ": empty file; expected a header row with the parameters and value");
  constexpr std::size_t kNone = std::string::npos;
  const auto column = [&](const std::string& name) { return find_csv_column(header, name, path); };
  const auto need = [&](const std::string& name, const std::string& what) {
    const std::size_t c = column(name);
    if (c == kNone) throw CsvError(csv_location(path, 1, 1) + ": no column '" + name + "' (" + what + ")");
    return c;
  };
  const std::size_t value_column = need("value", "the observed values");
  const PointColumns point_columns(header, space, path, delimiter);
  std::vector<std::size_t> constraint_columns;
  for (const auto& c : constraints) constraint_columns.push_back(need(c.name, "the values of the constraint " + c.describe()));
  const std::size_t status_column = column("status"), reason_column = column("reason"), sd_column = column(std::string(kValueSdColumn));
  const bool has_status = status_column != kNone;

  std::vector<WarmStartRow> out;
  for (CsvRecord row; reader.next(row);) {
    const auto where = [&](std::size_t c) { return point_columns.location(row, c); };
    point_columns.check_width(row);
    WarmStartRow parsed;
    const std::string status = has_status ? row.fields[status_column] : "ok";
    if (status == kRunningStatus || status == bo::to_string(bo::TrialStatus::Pending) ||
        status == bo::to_string(bo::TrialStatus::Abandoned))
      continue;  // rows of gpbo show --csv without an outcome
    if (status == "ok") {
      parsed.value = csv_number(row.fields[value_column], delimiter == ';');
      if (!parsed.value)
        throw CsvError(where(value_column) + ": expected a finite value, got " + quoted_field(row.fields[value_column]));
      for (std::size_t k = 0; k < constraints.size(); ++k) {
        const std::size_t c = constraint_columns[k];
        const auto v = csv_number(row.fields[c], delimiter == ';');
        if (!v)
          throw CsvError(where(c) + ": expected a finite value of the constraint " + constraints[k].name + ", got " + quoted_field(row.fields[c]));
        parsed.constraint_values.push_back(*v);
      }
      if (sd_column != kNone && !row.fields[sd_column].empty()) {
        const std::size_t c = sd_column;
        const auto sd = csv_number(row.fields[c], delimiter == ';');
        if (!sd || *sd < 0)
          throw CsvError(where(c) + ": expected the value's noise sd, a number >= 0 (or an empty cell), got " + quoted_field(row.fields[c]));
        parsed.sd = *sd;
      }
    } else if (is_failure_status(status)) {
      const std::string reason = reason_column == kNone ? "" : row.fields[reason_column];
      parsed.failure = reason.empty() ? status : reason;  // results.csv's reasons name the status
    } else {
      throw CsvError(where(status_column) + ": unknown status '" + status +
                     "'; expected ok, failed, crashed, timeout or bad_output (or running, pending: skipped)");
    }
    try {
      parsed.point = point_columns.read(row);
    } catch (const PointOutsideSpace& e) {
      if (!skips) throw;
      if (skips->rows++ == 0) skips->first = e.what();
      continue;
    }
    out.push_back(std::move(parsed));
  }
  // None left: another space's file, or values in other units, more likely than a narrowing.
  if (skips && out.empty() && skips->rows > 0)
    throw CsvError(skips->first + " (and every other row of the file lies outside the space too)");
  return out;
}

}  // namespace gpbo::tune
