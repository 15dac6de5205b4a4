#pragma once
// One evaluation of a tuning run's objective: its command (command_objective.hpp), or a built-in
// test function with optional seeded noise; either with its outcome-constraint values.

#include <cstdint>

#include "gpbo/bayesopt/space.hpp"
#include "tune/command_objective.hpp"
#include "tune/tune_config.hpp"

namespace gpbo::tune {

/// Evaluates `point` as evaluation `id` in worker slot `worker`. The command sees its evaluation
/// id as {id} and in GPBO_EVAL_ID (for per-evaluation folders), and its worker slot, 0 to
/// workers - 1, in GPBO_WORKER (one GPU per worker, say). A built-in's constraint value that is
/// not finite (tension_spring's shear stress where x0 = x1) makes the evaluation Failed.
CommandOutcome evaluate(const TuneConfig& config, std::uint64_t id, int worker, const bo::Point& point);

}  // namespace gpbo::tune
