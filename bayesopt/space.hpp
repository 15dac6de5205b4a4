#pragma once
// Search spaces: the parameters a user tunes, and their exact mapping to the GP's unit cube.
//
// Conventions
// - A user-facing Point maps parameter names to values (double, integer or string).
// - The encoded form (what the GP sees) is a vector in [0, 1]^encoded_dim():
//     real     1 column, (x - low) / (high - low), or the same in log(x) for log scale;
//     integer  1 column, like real, decoded to the integer with the nearest encoding (on a log
//              scale k and k + 1 meet at sqrt(k (k + 1))), clamped into [low, high];
//     with a step (real or integer, linear scale) 1 column, like real, decoded to the nearest
//              value of the grid low, low + step, ..., high;
//     categorical  one column per choice (one-hot); decoded as the arg-max column;
//     fixed    no column; always decodes to its value.
// - Conditional parameters (Parameter::when) are active only where their parents take given
//   values (a momentum only for optimizer = sgd). A point leaves an inactive parameter out; its
//   columns hold a constant (kInactiveEncoding for reals and integers, 1/k in each of a
//   categorical's k columns), so points of different branches differ only through the parent's
//   columns and the GP never sees a made-up value. Parents come before their children.
// - snap() projects any vector of the cube onto the encodings of valid points, so a suggestion
//   decoded with decode() is always inside the space and re-encodes to the same vector.
// - Linear constraints (LinearConstraint) cut the box further: "batch + 16 accum <= 512". A point
//   that breaks one is not in the space (validate() says which); snap() does not repair that:
//   who proposes points checks meets_constraints() (the optimizer never suggests such a point).
// - A slice (slice()) holds some parameters at given values, as Optimizer::ask(fixed) searches:
//   same encoding, with snap() moving any vector into the slice.

#include "gpbo/core/eigen_abi.hpp"
#include <Eigen/Core>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "gpbo/core/random.hpp"

namespace gpbo::bo {

/// A parameter value as the user sees it.
using Value = std::variant<double, std::int64_t, std::string>;
/// A user-facing point: parameter name -> value.
using Point = std::map<std::string, Value>;

/// Thrown for an invalid space definition or a point that does not belong to the space.
class SpaceError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// "0.5", "3", "relu": a value in human-readable form (for messages and CSV output).
std::string to_string(const Value& v);
/// Numeric value of a double or integer (throws SpaceError for strings).
double as_double(const Value& v);

/// A point's value by parameter name as T: double (a real's value, or an integer's converted),
/// std::int64_t (an integer's) or std::string (a categorical's text choice). Throws SpaceError
/// naming the parameter when the point lacks it (an inactive conditional parameter, a misspelt
/// name) or holds another type: `value_as<double>(s.point, "lr")` instead of std::get.
template <class T>
T value_as(const Point&, const std::string&) {  // only the three below: a compile error, not a link error
  static_assert(sizeof(T) == 0, "value_as<T>: T must be double, std::int64_t or std::string, the types a Point holds");
  return T{};
}
template <>
double value_as<double>(const Point& p, const std::string& name);
template <>
std::int64_t value_as<std::int64_t>(const Point& p, const std::string& name);
template <>
std::string value_as<std::string>(const Point& p, const std::string& name);

enum class Scale { Linear, Log };

/// Encoded column of an inactive real or integer parameter.
inline constexpr double kInactiveEncoding = 0.5;

/// When a conditional parameter is active: its parent is active and takes one of `values`, or,
/// for a range (no values), a number in [min, max] (either bound may be left open): "the units
/// of layer 3 only where layers >= 3", "momentum only where lr <= 0.01".
struct Condition {
  std::string parent;
  std::vector<Value> values;
  std::optional<double> min, max;  // a range condition; then values is empty

  [[nodiscard]] bool is_range() const { return min.has_value() || max.has_value(); }
  /// Whether the parent's value v meets it.
  [[nodiscard]] bool holds(const Value& v) const;
};

/// One dimension of a search space.
struct Parameter {
  enum class Kind { Real, Integer, Categorical, Fixed };
  std::string name;
  Kind kind = Kind::Real;
  double low = 0.0, high = 1.0;  // real and integer bounds (inclusive)
  Scale scale = Scale::Linear;
  /// Grid spacing of a real or integer parameter on a linear scale: its values are low,
  /// low + step, ..., high, and high - low must be a multiple of it. 0 = none (a real is
  /// continuous, an integer takes every integer).
  double step = 0.0;
  std::vector<Value> choices;    // categorical
  Value value;                   // fixed
  /// All must hold for the parameter to be active; empty = always active. Parents must be added
  /// to the space before this one: categorical, integer or fixed ones for listed values, real,
  /// integer or numeric fixed ones for a range.
  std::vector<Condition> conditions;

  static Parameter real(std::string name, double low, double high, Scale scale = Scale::Linear);
  static Parameter integer(std::string name, std::int64_t low, std::int64_t high, Scale scale = Scale::Linear);
  static Parameter categorical(std::string name, std::vector<Value> choices);
  static Parameter fixed(std::string name, Value value);

  /// Adds a condition: active only where `parent` takes one of `values` (and is active itself).
  Parameter& when(std::string parent, std::vector<Value> values);
  /// Adds a range condition: active only where `parent` (a number) lies in [min, max].
  Parameter& when_in_range(std::string parent, std::optional<double> min, std::optional<double> max);
  /// Sets step (Optuna's step, Hyperopt's quniform): Parameter::real("dropout", 0, 0.5).with_step(0.1).
  Parameter& with_step(double step);

  /// Number of values an integer, stepped real, categorical (its choices) or fixed (1) parameter
  /// takes; 0 for a continuous real.
  [[nodiscard]] std::uint64_t distinct_values() const;
  /// The k-th of them in increasing order (choices in their order), 0 <= k < distinct_values().
  /// A stepped real's values are printed-number clean: 0.3, not 0.30000000000000004.
  [[nodiscard]] Value nth_value(std::uint64_t k) const;

  /// Columns this parameter occupies in the encoded vector.
  [[nodiscard]] std::size_t width() const;
};

/// A linear constraint on numeric parameters in their own units: min <= sum_k c_k x_k <= max
/// (either bound may be open), as Ax's parameter constraints. The parameters must be real or
/// integer and always active (no conditions); a log scale is allowed (the constraint is then
/// curved on the model's cube, which is fine: points are checked in the user's units).
struct LinearConstraint {
  std::vector<std::pair<std::string, double>> terms;  // parameter name, coefficient (finite, nonzero)
  std::optional<double> min, max;

  /// "x0 + 2 x1 <= 10", "0.5 <= a - b", "1 <= a + b <= 2": for messages.
  [[nodiscard]] std::string describe() const;
  /// Whether `sum` meets the bounds, with `slack` to spare beyond them.
  [[nodiscard]] bool holds(double sum, double slack = 0.0) const;
};

/// "optimizer = \"sgd\" and layers in [2, 3]": when p is active, for messages ("" without
/// conditions).
std::string describe_conditions(const Parameter& p);

/// "layers = 4, opt = sgd": some parameters' values, for messages (a slice's held values).
std::string describe_values(const Point& values);

/// A number read from a file (JSON, CSV) as parameter p holds it: an integral double becomes an
/// integer for an integer parameter (|x| <= 2^53, where doubles are exact); anything else as is.
Value as_parameter_value(const Parameter& p, Value v);

/// Throws SpaceError (naming p) unless v is a value p can take: a finite number in its bounds,
/// an integer, on its grid, one of its choices or its fixed value. Space::validate() checks
/// every parameter so, then the conditions and linear constraints.
void check_parameter_value(const Parameter& p, const Value& v);

/// An ordered list of parameters with unique names and the encode/decode maps.
class Space {
 public:
  Space() = default;
  explicit Space(std::vector<Parameter> params);

  /// Appends a parameter; throws SpaceError for a duplicate name or an invalid definition (a
  /// condition whose parent is not in the space yet, is real, or does not have the values).
  Space& add(Parameter p);
  /// Adds a linear constraint on parameters already in the space; throws SpaceError for an
  /// unknown, categorical, fixed or conditional parameter, a bad coefficient or bound, or a
  /// constraint (or set of them) that no point of the box meets.
  Space& add_constraint(LinearConstraint c);
  [[nodiscard]] const std::vector<LinearConstraint>& constraints() const { return constraints_; }
  /// The width of the band constraint k's sum is held in, by it and every constraint on the
  /// same sum (proportional coefficients of either sign), in k's units: infinity where one side
  /// is open. A thin band is walked along, not only across (Space::draw_in_region()).
  [[nodiscard]] double band_width(std::size_t k) const { return band_widths_.at(k); }
  /// Whether a point's values meet every linear constraint as validate() checks them: a
  /// relative 1e-12 of the terms' magnitude absorbs the round-off of a sum added up in another
  /// order (a told point is not refused for that).
  [[nodiscard]] bool meets_constraints(const Point& p) const;
  /// Whether the point decode(u) stands for (integers and grids rounded as decode() does) meets
  /// every linear constraint exactly, with the terms added in their order: what the optimizer
  /// suggests holds without any slack.
  [[nodiscard]] bool meets_constraints(const Eigen::VectorXd& u) const;
  /// The continuous relaxation of constraint k's bound `upper` (max if true, else min) as a
  /// function of the cube, g(u) <= 0 where it holds: sum c x(u) - max, or min - sum c x(u), with
  /// integers and grids unrounded. Its gradient in u goes to `gradient` (size encoded_dim()) if
  /// not null. For NLopt's constrained local search.
  [[nodiscard]] double relaxed_constraint(std::size_t k, bool upper, const double* u, double* gradient) const;
  /// The share of the box's points (drawn as snap_uniform() draws them) that meet the linear
  /// constraints, estimated from 1024 spread points when they are added: 1 without constraints.
  /// Random candidates are drawn 1/share times as many, to keep as many inside.
  [[nodiscard]] double feasible_share() const { return feasible_share_; }
  /// How many uniform draws of the box to make for about n that meet the linear constraints:
  /// n / feasible_share(), the share taken as at least 1/20 (n without constraints).
  [[nodiscard]] std::size_t draws_for(std::size_t n) const;
  /// Whether the linear constraints leave under 1/20 of the box (feasible_share()), too little
  /// for drawing by rejection: random points are then drawn by draw_in_region().
  [[nodiscard]] bool narrow_region() const { return !constraints_.empty() && feasible_share_ < 0.05; }
  /// X's rows (points of the cube inside [lower, upper]) with the columns of the constrained
  /// parameters replaced by successive states of a hit-and-run walk over the region (uniform on
  /// it in the long run; a slice's held columns are held), the other columns kept. Only rows
  /// whose snap_uniform() meets the constraints are returned, unsnapped: none when no point of
  /// the region is found inside [lower, upper]. With `spread` (a design), each row walks a
  /// burn-in from its own projection onto the region instead: rows drawn apart, not a walk's
  /// neighbouring states (which clustered in a thin region).
  [[nodiscard]] Eigen::MatrixXd draw_in_region(Eigen::MatrixXd X, Rng& rng, const Eigen::VectorXd& lower,
                                               const Eigen::VectorXd& upper, bool spread = false) const;
  /// n uniform random points of the space, rows snapped by snap_uniform(): a uniform design's
  /// rows, their constrained columns from draw_in_region() when the region is narrow (then
  /// possibly fewer rows, only those that meet the constraints). Rows of a wide region may
  /// break the constraints: the caller checks them.
  [[nodiscard]] Eigen::MatrixXd random_points(std::size_t n, Rng& rng) const;
  /// The first random point (as random_points() draws them) that `accept` takes: up to `tries`
  /// drawn one at a time, or one batch of 1000 from the walk when the region is narrow (a walk
  /// pays its burn-in per call). None when no point drawn is taken.
  [[nodiscard]] std::optional<Eigen::VectorXd> first_random_point(Rng& rng, std::size_t tries,
                                                                  const std::function<bool(const Eigen::VectorXd&)>& accept) const;

  [[nodiscard]] const std::vector<Parameter>& parameters() const { return params_; }
  [[nodiscard]] std::size_t size() const { return params_.size(); }
  [[nodiscard]] const Parameter& parameter(const std::string& name) const;
  /// Number of GP input columns.
  [[nodiscard]] std::size_t encoded_dim() const { return dim_; }
  /// First encoded column of parameter i.
  /// Throws SpaceError when i is not a parameter's index.
  [[nodiscard]] std::size_t offset(std::size_t i) const;
  /// True if some parameter has conditions.
  [[nodiscard]] bool conditional() const;
  /// Whether parameter i is active in `point`, which holds the values of its parents (a
  /// parent's absence means that parent is inactive).
  [[nodiscard]] bool active(std::size_t i, const Point& point) const;
  /// The same for the parameter named `name` (space.active("momentum", point)); throws SpaceError
  /// for an unknown name, with a "did you mean".
  [[nodiscard]] bool active(const std::string& name, const Point& point) const;
  /// True if some parameter is integer or categorical.
  [[nodiscard]] bool has_discrete() const;
  /// Number of distinct points when no parameter is real (integers, categories and fixed
  /// values only) and that number is below 2^53; nullopt otherwise. With linear constraints,
  /// the points that meet them, counted when the box holds at most 2^16 points; nullopt beyond.
  [[nodiscard]] std::optional<std::uint64_t> cardinality() const;
  /// Encoding of point number `index` (0 <= index < cardinality()) of a finite space, in
  /// mixed-radix order (the last parameter varies fastest).
  [[nodiscard]] Eigen::VectorXd encoded_point(std::uint64_t index) const;

  /// Throws SpaceError naming the parameter if p is not a point of this space (missing or
  /// unknown names, wrong types, out of bounds, non-integer integers, unknown categories, a value
  /// for an inactive parameter), or the linear constraint it breaks. Fixed parameters may be
  /// omitted.
  void validate(const Point& p) const;
  /// Encodes a point of the box (validated first, but not against the linear constraints: a
  /// prediction may be asked anywhere) into the unit cube.
  [[nodiscard]] Eigen::VectorXd encode(const Point& p) const;
  /// Decodes any vector of [0, 1]^encoded_dim() (values outside are clamped; NaN is a
  /// SpaceError) into a valid point, inactive parameters left out. The cube's faces decode to
  /// the bounds exactly.
  [[nodiscard]] Point decode(const Eigen::VectorXd& u) const;
  /// encode(decode(u)): the nearest encoding of a valid point.
  [[nodiscard]] Eigen::VectorXd snap(const Eigen::VectorXd& u) const;
  /// The valid point a uniform draw u of the cube stands for, encoded: like snap(), but each
  /// integer gets an equal share of its coordinate (snap's rounding gives the two end values
  /// half a share each), so that space-filling designs and random points draw integers evenly
  /// (log-uniformly on a log scale).
  [[nodiscard]] Eigen::VectorXd snap_uniform(const Eigen::VectorXd& u) const;
  /// The slice of this space where the parameters named in `values` take those values (Ax's
  /// fixed features, Optuna's partial enqueue_trial): what Optimizer::ask(fixed) searches. The
  /// encoding keeps its layout, so the slice's points are this space's points: snap() and
  /// snap_uniform() move any vector into the slice, meets_constraints(u) is false outside it,
  /// and a finite slice counts and lists only its own points. Throws SpaceError for an unknown
  /// parameter, a value outside its parameter's range or choices, a fixed parameter given another
  /// value, a conditional parameter whose parents are not held at values that make it active, or
  /// a slice that no point of the linear constraints' region reaches.
  [[nodiscard]] Space slice(const Point& values) const;
  /// Whether `p` (completed: fixed parameters filled in) has a value for every parameter that is
  /// active where it is: otherwise it is a partial point, whose missing values a slice leaves
  /// free (Optimizer::enqueue).
  [[nodiscard]] bool is_complete(const Point& p) const;
  /// The values the slice holds, in their parameters' types (empty for a whole space).
  [[nodiscard]] const Point& held() const { return held_; }
  /// Whether the held values decide every active parameter: the slice is one point.
  [[nodiscard]] bool single_point() const { return single_point_; }
  /// The encoded columns the held values fix, and their contents.
  [[nodiscard]] const std::vector<std::pair<Eigen::Index, double>>& held_columns() const { return held_columns_; }
  /// A point given by a user, with every fixed parameter filled in and every value in its
  /// parameter's type, as suggestions carry them: a real given as 0 becomes 0.0, an integer
  /// given as 4.0 becomes 4, a number matching a choice becomes that choice. Values that are not
  /// valid are left for validate() to report.
  [[nodiscard]] Point complete(const Point& p) const;

 private:
  std::vector<Parameter> params_;
  std::vector<std::size_t> offsets_;
  std::size_t dim_ = 0;
  std::vector<LinearConstraint> constraints_;
  /// Per constraint, the indices of its terms' parameters.
  std::vector<std::vector<std::size_t>> constraint_params_;
  /// Per constraint, band_width().
  std::vector<double> band_widths_;
  /// Per constraint, the range of its sum over the box: sum |c| (high - low).
  std::vector<double> sum_ranges_;
  /// With constraints on a finite box of at most 2^16 points: the box indices of the points that
  /// meet them (what cardinality() counts and encoded_point() lists); empty otherwise.
  std::optional<std::vector<std::uint64_t>> feasible_points_;
  double feasible_share_ = 1.0;
  /// A slice's held values and the encoded columns they fix (empty for a whole space).
  Point held_;
  std::vector<std::pair<Eigen::Index, double>> held_columns_;
  bool single_point_ = false;
  /// Writes the held columns into u.
  void hold(Eigen::VectorXd& u) const;
  /// Whether a slice holds encoded column `column` (a handful of columns at most: a scan).
  [[nodiscard]] bool column_held(Eigen::Index column) const;
  /// Whether the box's points are listed: with constraints or a slice (feasible_points_).
  [[nodiscard]] bool listed() const { return !constraints_.empty() || !held_columns_.empty(); }
  /// Number of points of the box, ignoring the linear constraints (cardinality() without them).
  [[nodiscard]] std::optional<std::uint64_t> box_cardinality() const;
  /// The box's point number `index` (encoded_point() without the constraints).
  [[nodiscard]] Eigen::VectorXd box_point(std::uint64_t index) const;
  /// Recomputes feasible_points_ after a change of the parameters or constraints.
  void list_feasible_points();
  /// validate() without the linear constraints, and the constraints alone.
  void validate_box(const Point& p) const;
  void check_constraints(const Point& p) const;
  /// Constraint k's sum with each term's parameter valued by value(i) (i its index), the terms
  /// added in their order; `magnitude`, if given, gets sum |c_k x_k|.
  template <typename ValueOf>
  [[nodiscard]] double constraint_sum(std::size_t k, ValueOf&& value, double* magnitude = nullptr) const;
  /// Column u of parameter i as snap_uniform() moves it (integers and grids to their values).
  [[nodiscard]] double uniform_column(std::size_t i, double u) const;
  /// The column whose uniform_column() gives the value nearest to relaxed column u (what
  /// relaxed_constraint() reads there): u itself for a real.
  [[nodiscard]] double uniform_cell(std::size_t i, double u) const;
  /// The columns of the constrained parameters that a walk in the region moves (held ones left out).
  [[nodiscard]] std::vector<Eigen::Index> region_columns() const;
  /// The constraints whose band is thin: under a share of its sum's range (random directions
  /// only cross such a band).
  [[nodiscard]] std::vector<std::size_t> thin_constraints() const;
  /// Which of `columns` are an integer's or grid value's in one of the `thin` constraints: steps
  /// along a band hold them (a real moves by any amount, an integer by one at least, out of a
  /// thin band).
  [[nodiscard]] std::vector<bool> discrete_in_bands(const std::vector<std::size_t>& thin,
                                                    const std::vector<Eigen::Index>& columns) const;
  /// Whether snap_uniform(u) would meet every linear constraint (only its constrained columns read).
  [[nodiscard]] bool region_holds(const Eigen::VectorXd& u) const;
  /// A point of [lower, upper] that meets the constraints: a start's constrained columns
  /// projected onto the relaxed constraints (aiming past rounding's reach on the second try, and
  /// with the integers and grid values held at the first try's rounding on the third). When no
  /// start gives one, a second sweep holds one integer or grid value a value up or down from that
  /// rounding (those nearest a start's first try first, at most as many projections as the first
  /// sweep's three tries a start; a hold whose reals cannot reach a bound is not projected).
  [[nodiscard]] std::optional<Eigen::VectorXd> find_region_point(const Eigen::MatrixXd& starts, const Eigen::VectorXd& lower,
                                                                 const Eigen::VectorXd& upper) const;
  /// What find_region_point() projects each start with (its columns, bounds and margins), and its tries.
  struct RegionProjection;
  /// Whether no point meets the constraints: none listed, or none of the spread points that
  /// estimate the share does and no projection finds one.
  [[nodiscard]] bool region_empty() const;
  /// The value of numeric parameter i (real or integer) that decode() reads from column value u.
  [[nodiscard]] double column_value(std::size_t i, double u) const;
  /// The same, or a slice's held value of i as given (what decode() gives it).
  [[nodiscard]] double held_or_column_value(std::size_t i, double u) const;
  /// The same unrounded (integers and grids as reals), with its derivative in u in `slope`.
  [[nodiscard]] double relaxed_column_value(std::size_t i, double u, double& slope) const;
  /// Indices of the parameters that some condition names, in order.
  [[nodiscard]] std::vector<std::size_t> parents() const;
  /// Calls f(parent values) for each distinct assignment of the parents (inactive ones left
  /// out), in mixed-radix order (the last parent fastest). False if there are more than 2^20.
  template <typename F>
  bool for_each_parent_assignment(F&& f) const;
  /// Distinct completions of an assignment of the parents (0 when an active real makes them
  /// infinite; nullopt beyond 2^53).
  [[nodiscard]] std::optional<std::uint64_t> completions(const Point& parent_values) const;
};

}  // namespace gpbo::bo
