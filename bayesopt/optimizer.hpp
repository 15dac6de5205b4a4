#pragma once
// The ask/tell Bayesian optimizer.
//
//   Optimizer opt(space, options);
//   while (!opt.should_stop()) {
//     Suggestion s = opt.ask();                 // or ask(q) for a batch
//     opt.tell(s.id, objective(s.point));       // or tell_failure(s.id, "reason")
//   }
//   opt.best();
//
// - Suggestions carry ids; points asked but not told are pending. New suggestions account for
//   them with kriging-believer fantasies (each pending point is added to a copy of the GP with
//   its posterior mean as value, and that value counts for the incumbent EI and PI must beat),
//   and never repeat an evaluated, failed or pending point. Results are modeled in id
//   (suggestion) order, so a batch told in any order leads to the same next suggestions.
// - When the best value stops improving, every other suggestion searches the best other basin
//   (two of three once the stagnation lasts; bayesopt/basin_escape.hpp) so that a resolved local
//   optimum does not take the whole budget.
// - The first `initial_points` suggestions come from a scrambled Sobol design (or the chosen
//   design); points given with enqueue() come before everything else. Where design points
//   fail, further ones are drawn where success is likely, until `initial_points` succeeded or
//   twice that many were evaluated (with at least 3 successes). Observations of points
//   that were never asked may be told at any time (warm start from earlier runs).
// - NaN or infinite values are recorded as failures and never reach the GP. Where evaluations
//   failed, a second GP learns where the objective fails (bayesopt/failure_model.hpp) and the
//   EI/PI acquisitions are weighted by the probability of success (Thompson sampling draws the
//   outcomes too; UCB's optimistic improvement is weighted), so a failing region is not proposed
//   again and again. With outcome constraints (options().constraints), each result carries
//   constraint values; one GP per constraint learns them, the acquisition is weighted by the
//   probability that all hold (and, before any result met them, is that probability alone), and
//   only results that meet them count for best(), recommend() and the stopping rules. An unknown id, an id told twice, or a point outside the space is a clear
//   error (std::invalid_argument or SpaceError).
// - Values are in the user's units; Goal::Maximize is handled by negation inside.
// - save/load: bayesopt/optimizer_state.hpp (a reloaded optimizer suggests exactly the same).
//   A copy of an Optimizer is a save and load in memory: independent, with the same RNG state,
//   so it suggests what the original would (e.g. to try a what-if without touching the run).
// - Threads: an Optimizer is not thread-safe, and no call on one may overlap another: workers
//   in threads that share one hold a mutex around each call (ask, tell, best, ...). Its
//   suggestions depend only on the order of the calls, never on timing. Such workers ask with
//   ask(1), which returns nothing once told and pending evaluations fill the budget; ask() does
//   not look at the budget, and should_stop() counts told evaluations only.

#include "gpbo/core/eigen_abi.hpp"
#include <Eigen/Core>
#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "gpbo/bayesopt/failure_model.hpp"
#include "gpbo/bayesopt/outcome_constraints.hpp"
#include "gpbo/bayesopt/shared_covariance.hpp"
#include "gpbo/bayesopt/importance.hpp"
#include "gpbo/bayesopt/optimizer_options.hpp"
#include "gpbo/bayesopt/space.hpp"
#include "gpbo/bayesopt/surrogate.hpp"
#include "gpbo/core/random.hpp"

namespace gpbo::bo {

/// Pending: asked, no result yet. Ok / Failed: told. Abandoned: withdrawn without a result (its
/// worker died, the job was cancelled): neither an evaluation nor pending, and no information
/// for the models; its point is not suggested again by itself (enqueue() it for that).
enum class TrialStatus { Pending, Ok, Failed, Abandoned };
std::string to_string(TrialStatus status);

/// One suggested or told point and what became of it.
struct Trial {
  std::uint64_t id = 0;
  Point point;
  Eigen::VectorXd u;                 // encoded point
  TrialStatus status = TrialStatus::Pending;
  double value = 0.0;                // user units; meaningful when status == Ok
  std::vector<double> constraint_values;  // one per outcome constraint (options().constraints) when Ok
  double noise_sd = 0.0;             // known sd of the value's noise (user units) told with it; 0: none
  std::string reason;                // why it failed
  bool asked = true;                 // false for points told without being asked
};

/// The model's belief about the noise-free objective at one point, in the objective's units.
struct ObjectivePrediction {
  double median = 0.0;   ///< posterior median (one model without an output warp: its mean)
  double lower95 = 0.0;  ///< 2.5% posterior quantile
  double upper95 = 0.0;  ///< 97.5% posterior quantile
};

/// A value with the known standard deviation of its noise (objective units, >= 0): a mean of
/// repeated runs with its standard error, a cross-validation score with its spread (Ax's
/// (mean, sem)). The model then takes the value as that uncertain instead of learning one noise
/// level for all (bayesopt/surrogate.hpp).
struct Measurement {
  double value = 0.0;
  double sd = 0.0;
  /// An sd must lie below this ("below 1e100" in messages): its variance in the model's
  /// standardized units, sd^2 / scale^2, overflows beyond.
  static constexpr double kMaxSd = 1e100;
  /// Whether `s` is an sd tell() takes: a number >= 0 below kMaxSd (false for NaN).
  static constexpr bool valid_sd(double s) { return s >= 0.0 && s < kMaxSd; }
};

struct Suggestion {
  std::uint64_t id = 0;
  Point point;
};

/// Thrown by ask() when every point of a finite search space was already evaluated or is pending.
class SpaceExhausted : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Optimizer {
 public:
  /// Throws std::invalid_argument for an empty or all-fixed space, a slice (Space::slice(): its
  /// held values would not survive a save; use ask(fixed)) or invalid options
  /// (OptimizerOptions::validate()).
  explicit Optimizer(Space space, OptimizerOptions options = {});

  /// The next point to evaluate: an enqueued one first. Throws SpaceExhausted when no point is
  /// left to suggest and none is enqueued (stop_reason() is then "exhausted"): every point of a
  /// finite space was suggested, or 10,000 random draws of a continuous one found none beyond
  /// search.duplicate_tolerance of the others (a gap narrower than that may remain unfound; the
  /// optimizer does not look again). It does not look at the budget: loop on should_stop().
  Suggestion ask();
  /// q points at once, each accounting for the ones before it (and all other pending points);
  /// fewer when a finite space has fewer than q points left (enqueued ones count), or when
  /// stop.max_evaluations has fewer left (evaluations told and pending count); none once the
  /// budget is used up. It never throws SpaceExhausted.
  std::vector<Suggestion> ask(std::size_t q);
  /// The next point with the parameters named in `fixed` held at those values (Ax's fixed
  /// features, Optuna's partial enqueue_trial): the model's choice of the others, for a context
  /// the user sets (today's dataset size, the GPU at hand) or a value they want tried. The
  /// suggestion carries the values exactly as given, and is pending like any other. Enqueued
  /// points wait for a plain ask(). When `fixed` decides every active parameter, that point is
  /// suggested as given, even if evaluated before (as enqueue()). Throws SpaceError for a value
  /// Space::slice() refuses, and SpaceExhausted when no point with these values is left.
  Suggestion ask(const Point& fixed);
  /// q such points, each accounting for the ones before it; fewer when the budget or the
  /// points with these values run out (it never throws SpaceExhausted). When `fixed` decides
  /// every active parameter, one: the point as given (q copies of it were no batch).
  std::vector<Suggestion> ask(std::size_t q, const Point& fixed);
  /// The result of suggestion `id`. Non-finite values become failures. With outcome constraints
  /// (options().constraints) only a non-finite value may be told this way: a result needs its
  /// constraint values (std::invalid_argument otherwise).
  void tell(std::uint64_t id, double value);
  /// The result of suggestion `id` with one value per outcome constraint, in the options' order
  /// (std::invalid_argument for another count). A non-finite objective or constraint value makes
  /// it a failure.
  void tell(std::uint64_t id, double value, const std::vector<double>& constraint_values);
  /// The result of suggestion `id` with the sd of its noise (std::invalid_argument for a
  /// negative sd, NaN, or one of 1e100 or more, before anything changes), and its constraint
  /// values if any.
  void tell(std::uint64_t id, const Measurement& measurement, const std::vector<double>& constraint_values = {});
  /// Suggestion `id` could not be evaluated.
  void tell_failure(std::uint64_t id, const std::string& reason);
  /// Withdraws pending suggestion `id` without a result (Ax's abandon_trial, Optuna's stale
  /// trials): it stops counting against the budget and as a pending point, and teaches the
  /// failure model nothing, unlike tell_failure. Throws std::invalid_argument like tell().
  void abandon(std::uint64_t id);
  /// An observation of a point that was never asked (fixed parameters may be omitted); returns
  /// the id it is recorded under. It counts as an evaluation towards stop.max_evaluations but
  /// is never refused for it: telling 10 points past a budget of 20 leaves 30 evaluations.
  std::uint64_t tell(const Point& point, double value);
  /// The same with one value per outcome constraint.
  std::uint64_t tell(const Point& point, double value, const std::vector<double>& constraint_values);
  /// The same with the sd of the value's noise.
  std::uint64_t tell(const Point& point, const Measurement& measurement, const std::vector<double>& constraint_values = {});
  /// A point that was never asked and could not be evaluated (e.g. an earlier run's failure):
  /// the failure model learns from it. Returns the id it is recorded under.
  std::uint64_t tell_failure(const Point& point, const std::string& reason);
  /// A point to suggest before any other (user-given starting point); validated now. It is
  /// suggested as given, even if evaluated before; enqueued twice, it is suggested once. A
  /// partial point (an active parameter left out; Optuna's partial enqueue_trial) is asked in its
  /// turn as ask(fixed) with its values, the others chosen then; when no point with them is
  /// left by then, a plain suggestion takes its place. Its values are checked as Space::slice
  /// checks them.
  void enqueue(const Point& point);

  /// The best successful trial that meets the outcome constraints, if any (by observed value).
  [[nodiscard]] std::optional<Trial> best() const;
  /// What stop.target reads: best() among the values the model takes. With outliers: detect,
  /// values flagged outliers (outliers()) are left out, and before the first model, which judges
  /// them, there is none (a glitched 0 met a target of 0.1 at the fifth evaluation and ended the
  /// run). Otherwise best().
  [[nodiscard]] std::optional<Trial> best_unflagged() const;
  /// Whether `t` succeeded and meets every outcome constraint (always, for a success, when there
  /// are none).
  [[nodiscard]] bool feasible(const Trial& t) const;
  /// The successful trial with the best posterior mean: for noisy objectives a better answer
  /// than best(), whose value is biased by the noise that made it look good. Reuses the
  /// surrogate's hyperparameters as of the last suggestion (no refit and no random numbers, so
  /// calling it never changes later suggestions), conditioned on every successful trial.
  /// Only trials that meet the outcome constraints are candidates. Before the first model-based
  /// suggestion it is best().
  [[nodiscard]] std::optional<Trial> recommend() const;
  /// Ids of the trials whose values the model flagged as outliers (SurrogateOptions::outliers
  /// = detect): at the last refit, and among those told since, as recommend() sees them. In id
  /// order; empty with the option off or before the first model. Changes nothing.
  [[nodiscard]] std::vector<std::uint64_t> outliers() const;
  /// The posterior of the noise-free objective at `points` (fixed parameters may be omitted;
  /// a point outside the space is a SpaceError), like BoTorch's posterior(X) or limbo's query():
  /// the surrogate of the last model-based suggestion conditioned on every successful trial,
  /// as recommend() uses it. Quantiles map exactly through the output warp, so the interval is
  /// asymmetric where one was fitted; in mcmc mode they are the quantiles of the mixture over
  /// hyperparameter samples (normal_mixture.hpp). Changes nothing. Throws std::logic_error before the first
  /// model-based suggestion.
  [[nodiscard]] std::vector<ObjectivePrediction> predict(const std::vector<Point>& points) const;
  /// The probability that every outcome constraint holds at `points` (fixed parameters may be
  /// omitted; a point outside the space is a SpaceError), by the constraints' models fitted to
  /// every successful result: the factor the acquisition is weighted by. 1 everywhere without
  /// constraints; std::logic_error with constraints and fewer than 2 successful results.
  /// Deterministic; changes nothing.
  [[nodiscard]] std::vector<double> feasibility(const std::vector<Point>& points) const;
  /// The probability that an evaluation at each of `points` succeeds (fixed parameters may be
  /// omitted; a point outside the space is a SpaceError), by the failure model the acquisition
  /// is weighted by (failure_model.hpp), fitted to every finished trial: where the objective is
  /// likely to crash, time out or give no value. 1 everywhere while no evaluation has failed
  /// (any_failed()). Deterministic; changes nothing.
  [[nodiscard]] std::vector<double> success_probability(const std::vector<Point>& points) const;
  /// Whether an evaluation counts as failed for the suggestions: one failed, or returned a
  /// penalty value (a value far beyond the others, as 1e30 for "crashed"; see penalties.hpp).
  [[nodiscard]] bool any_failed() const;
  /// Which parameters matter, by the model predict() uses: Sobol' indices of its posterior mean
  /// over the space (sobol_indices in importance.hpp, from `samples` pairs of points), in the
  /// space's order, fixed parameters left out. On the model's scale, after the output warp: for
  /// an objective spanning decades, roughly the shares of its logarithm. Deterministic (its own
  /// random stream); changes nothing. Every index is 0 when the mean does not vary (all values
  /// observed alike). Throws std::logic_error before the first model-based suggestion.
  [[nodiscard]] std::vector<ParameterImportance> importance(std::size_t samples = 1024) const;
  /// Every trial, in id order (ids are 0, 1, 2, ...).
  [[nodiscard]] const std::vector<Trial>& history() const { return trials_; }
  [[nodiscard]] std::vector<std::uint64_t> pending() const;
  /// Completed evaluations (successes and failures).
  [[nodiscard]] std::size_t evaluations() const;
  /// Points of a finite space (Space::cardinality()) that ask() can still suggest by itself:
  /// neither evaluated, pending nor abandoned (an abandoned point comes back only through
  /// enqueue()); nullopt for a space with a real parameter.
  [[nodiscard]] std::optional<std::uint64_t> points_left() const;
  /// Which stopping rule holds, if any ("budget", "target", "patience", "time", or
  /// "exhausted": points_left() is 0, or an ask() found no point of a continuous space
  /// beyond search.duplicate_tolerance of the others, as ask() says; and no point is enqueued).
  [[nodiscard]] std::optional<std::string> stop_reason() const;
  [[nodiscard]] bool should_stop() const { return stop_reason().has_value(); }
  /// The id of the last result that counted as an improvement for stop.patience: a feasible
  /// value better than the one before it that counted by more than stop.min_improvement (the
  /// first feasible value counts), values flagged outliers (outliers()) left out; none before a
  /// feasible result. With min_improvement 0 and no outliers it is best()'s id.
  [[nodiscard]] std::optional<std::uint64_t> last_improvement() const;
  /// Seconds of wall time this optimizer has been alive, summed over its sessions: time before a
  /// save counts, time the state spent on disk until a load does not.
  [[nodiscard]] double elapsed_seconds() const;
  /// Why the last model-based suggestion fell back to a random point ("" when it did not).
  [[nodiscard]] const std::string& last_warning() const { return last_warning_; }

  [[nodiscard]] const Space& space() const { return space_; }
  [[nodiscard]] const OptimizerOptions& options() const { return options_; }
  /// Replaces the stopping rules, as a resumed run with another budget does; they are part of
  /// the saved state. Throws std::invalid_argument for invalid rules (nothing changes then).
  void set_stopping_rules(const StoppingRules& rules);
  [[nodiscard]] const Surrogate& surrogate() const { return surrogate_; }

 private:
  friend struct OptimizerStateAccess;  // optimizer_state.cpp reads and restores the members

  [[nodiscard]] double internal(double value) const { return options_.goal == Goal::Minimize ? value : -value; }
  /// The next point of `slice` (a slice of space_): ask(fixed) with the slice made once.
  Suggestion ask_in(const Space& slice);
  /// Where suggestions are searched: the slice of an ask(fixed), else the whole space.
  [[nodiscard]] const Space& search_space() const { return slice_ ? *slice_ : space_; }
  /// No point of a finite space is left and no whole point is enqueued (a partial one has no
  /// point left to complete it either).
  [[nodiscard]] bool exhausted() const;
  /// last_improvement()'s position in ok_order_, the values of `flagged` (outliers(), ids in
  /// order) left out.
  [[nodiscard]] std::optional<std::size_t> last_improvement_position(const std::vector<std::uint64_t>& flagged) const;
  /// best() without the trials in `flagged` (ids in order).
  [[nodiscard]] std::optional<Trial> best_except(const std::vector<std::uint64_t>& flagged) const;
  /// best_unflagged() for `flagged` = outliers(): one conditioning of the model serves both the
  /// target and patience in stop_reason().
  [[nodiscard]] std::optional<Trial> best_unflagged(const std::vector<std::uint64_t>& flagged) const;
  /// The budget's room for a batch of q (told and pending evaluations count).
  [[nodiscard]] std::size_t batch_room(std::size_t q) const;
  [[nodiscard]] Eigen::MatrixXd all_points() const;
  /// The rows of the user's `points`, completed and encoded (SpaceError for one outside the space).
  [[nodiscard]] Eigen::MatrixXd encoded_points(const std::vector<Point>& points) const;
  /// A new pending trial for a point that was never asked (validated against the space).
  Trial& add_unasked(const Point& point);
  /// Where penalty values begin among the successful trials' (penalties.hpp, e.g. 1e30 beside
  /// values of 0-300; infinity when there are none): they count as failures for the failure
  /// model and stay out of the objective's GP. Computed once per suggestion and passed on.
  [[nodiscard]] double penalty_from() const;
  /// Ids of the successful trials below `penalty_from`, in id order.
  [[nodiscard]] std::vector<std::uint64_t> modeled(double penalty_from) const;
  /// The surrogate's models as of the last suggestion, conditioned on every successful trial
  /// told since; `ids` receives their rows' trial ids, `outliers` (if given) whether each row's
  /// value was flagged an outlier (SurrogateOptions::outliers). Empty before the first model.
  [[nodiscard]] std::vector<GaussianProcess> conditioned_models(std::vector<std::uint64_t>& ids,
                                                                std::vector<bool>* outliers = nullptr) const;
  /// Encoded points (rows) and internal values (to minimize) of trials `ids`.
  /// The rows, internal values and (when given) the known noise variances of trials `ids`;
  /// `noise_variances` stays empty when none of them was told with an sd.
  void observations(const std::vector<std::uint64_t>& ids, Eigen::MatrixXd& X, Eigen::VectorXd& y,
                    Eigen::VectorXd* noise_variances = nullptr) const;
  [[nodiscard]] Trial& pending_trial(std::uint64_t id);
  Eigen::VectorXd next_point();
  Eigen::VectorXd design_point(const Eigen::MatrixXd& avoid, double penalty_from);
  Eigen::VectorXd likely_success_point(const Eigen::MatrixXd& avoid, const FailureModel& fm);
  Eigen::VectorXd random_point(const Eigen::MatrixXd& avoid);
  /// Whether the next suggestion still comes from the initial design (`n_modeled`: values the GP holds).
  [[nodiscard]] bool in_initial_design(std::size_t n_modeled) const;
  Eigen::VectorXd model_point(const Eigen::MatrixXd& avoid, const std::vector<std::uint64_t>& ids, double penalty_from);
  /// Where evaluations failed, as learned from every finished trial (nothing if none failed);
  /// `points` = all_points(). Refitted only when a trial finished since the last call, so the
  /// suggestions of one batch share one fit.
  const FailureModel* failure_model(const Eigen::MatrixXd& points, double penalty_from);
  /// The failure model of the finished trials (nothing if none failed). With `finished`: nothing
  /// as well when their count equals *finished (the caller's fit is current), which it updates.
  [[nodiscard]] std::optional<FailureModel> fit_failure_model(const Eigen::MatrixXd& points, double penalty_from,
                                                              std::size_t* finished = nullptr) const;
  /// The trials with an outcome (rows: their ids) and whether each counts as failed: a failure,
  /// or a value at or past `penalty_from` (a penalty the objective returned for one).
  void finished_outcomes(double penalty_from, std::vector<Eigen::Index>& rows, std::vector<bool>& failed) const;
  /// Each model's incumbent in standardized units, before the margin: the best observed value,
  /// or the smallest posterior mean at the observed points for noisy_ei.
  [[nodiscard]] std::vector<double> incumbents(const std::vector<GaussianProcess>& models, const Eigen::MatrixXd& X,
                                               const Eigen::VectorXd& y, const std::vector<bool>& feasible) const;
  /// Where the search's local starts centre: the best observation that meets the outcome
  /// constraints, or, while none does, the one most likely to by `cm`.
  [[nodiscard]] Eigen::VectorXd incumbent_point(const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                                                const std::vector<bool>& feasible, const ConstraintModels* cm) const;
  /// log_nei: each model's noise-free fantasies (noisy_ei.hpp; search.nei_samples in all), with
  /// their incumbents appended to `best`.
  std::vector<SharedCovarianceModels> noisy_ei_models(const std::vector<GaussianProcess>& models,
                                                      std::vector<double>& best, const std::vector<bool>& feasible);
  /// The region to search instead of the incumbent's basin, when the search stagnates (boxes
  /// sized by `model`'s length scales).
  [[nodiscard]] std::optional<EscapeRegion> escape_region(const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                                                          const std::vector<bool>& feasible,
                                                          const GaussianProcess& model) const;
  void record_result(Trial& t, double value, const std::vector<double>& constraint_values, double noise_sd = 0.0);
  /// The outcome constraints' models, fitted to every successful trial (nothing without
  /// constraints). Refitted only when a trial succeeded since the last call.
  const ConstraintModels* constraint_models();
  /// A fit of the constraints' models to every successful trial (nothing without constraints or
  /// with fewer than 2 successes): what constraint_models() caches, and what feasibility() uses.
  [[nodiscard]] std::optional<ConstraintModels> fit_constraint_models() const;
  /// Which of trials `ids` meet the outcome constraints.
  [[nodiscard]] std::vector<bool> feasible_flags(const std::vector<std::uint64_t>& ids) const;
  /// `feasible` (one flag per row of the surrogate's data) without the rows flagged outliers at
  /// its last refit, unless that leaves none: the rows that may serve as the incumbent.
  [[nodiscard]] std::vector<bool> trusted(std::vector<bool> feasible) const;

  Space space_;
  OptimizerOptions options_;
  /// options_.search as the searches use it: in a finite space duplicates are exact matches
  /// (its encodings are exact), so no duplicate_tolerance hides distinct points of a fine grid.
  SearchOptions search_;
  Rng rng_;
  std::vector<Trial> trials_;
  std::vector<std::uint64_t> ok_order_;  // successful trials by id (suggestion order), however they were told
  Eigen::MatrixXd design_;
  std::size_t design_cursor_ = 0;
  // An ask() found no admissible point of the whole space (not a slice's) in its random draws:
  // a continuous space used up by search.duplicate_tolerance. Points only ever join the avoided
  // set, so it stays (a should_stop() loop ends instead of spinning on empty batches).
  bool used_up_ = false;
  /// Enqueued points: encoded, and as the user gave them (suggested with these exact values;
  /// decoding u would give 3.1415900000000008 for 3.14159). A partial point has no u: its
  /// values are held when it is asked.
  struct Queued {
    Eigen::VectorXd u;
    Point point;
    [[nodiscard]] bool partial() const { return u.size() == 0; }
  };
  std::deque<Queued> queue_;
  /// The slice an ask(fixed) searches, while it runs (never saved: it belongs to one call).
  const Space* slice_ = nullptr;
  Surrogate surrogate_;
  double elapsed_before_ = 0.0;
  std::chrono::steady_clock::time_point start_;
  std::string last_warning_;
  // failure_model()'s last fit and how many trials had finished then. Trials only ever finish,
  // so the count names the set; a reloaded optimizer refits the same model on first use.
  std::optional<FailureModel> failures_;
  std::size_t failures_finished_ = 0;
  // constraint_models()'s last fit and how many trials had succeeded then (same reasoning).
  std::optional<ConstraintModels> constraint_models_;
  std::size_t constraint_models_ok_ = 0;
  // The trials in the surrogate's data, in order. A value found to be a penalty only once more
  // values arrived leaves it (the surrogate then refits from scratch), so this is saved too.
  std::vector<std::uint64_t> surrogate_ids_;
};

}  // namespace gpbo::bo
