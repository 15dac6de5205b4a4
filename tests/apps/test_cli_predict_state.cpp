// End-to-end tests of `gpbo predict --state`: a tuning state's model queried at points of its
// space, checked against the truth and against the library's own Optimizer::predict.
#include <catch2/catch.hpp>

#include <cmath>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_test_util.hpp"
#include "tune/run_state.hpp"

using namespace cli_test;

namespace {

// The objective told through ask/tell: a smooth bowl, maximized, its optimum 0 at (0.3, 0.6).
double bowl(double x, double y) { return -((x - 0.3) * (x - 0.3) + (y - 0.6) * (y - 0.6)); }

// `rounds` batches of 4 asked and told, each result with the outcome constraint c = x when
// `constrained`, and where x > 0.6 told as `beyond` says when it is given (a failure or a penalty
// value); returns the state's path.
std::string told_state(const Scratch& s, int rounds, bool constrained, const nlohmann::json& beyond = nullptr) {
  const auto cfg = s.write("c.json", std::string(R"({"space": {"x": {"type": "real", "low": 0, "high": 1},
      "y": {"type": "real", "low": 0, "high": 1}}, "goal": "maximize", "budget": 40, "seed": 4)") +
                                         (constrained ? R"(, "constraints": [{"name": "c", "max": 0.5}]})" : "}"));
  const auto state = s.path("state.json");
  ask_tell_rounds(state, cfg, rounds, [&](const nlohmann::json& params) {
    const double x = params["x"], y = params["y"];
    if (!beyond.is_null() && x > 0.6) return beyond;
    nlohmann::json told = {{"value", bowl(x, y)}};
    if (constrained) told["constraints"] = {{"c", x}};
    return told;
  });
  return state;
}

}  // namespace

TEST_CASE("e2e: gpbo predict --state gives the model's median and 95% interval in the objective's units") {
  Scratch s("predict_state");
  const auto state = told_state(s, 5, false);
  // Columns in another order than the space's, an id column kept; the objective is maximized,
  // so the predictions must not come out negated (the optimizer minimizes internally).
  const auto points = s.write("points.csv", "y,x,id\n0.6,0.3,optimum\n0.1,0.9,corner\n0.5,0.5,middle\n0.0,0.0,origin\n");
  const auto r = sh(cli + " predict --state " + state + " --data " + points + " --keep id --out " + s.path("p.csv"));
  INFO(r.output);
  REQUIRE(r.status == 0);
  const auto rows = csv_records(s.path("p.csv"));
  REQUIRE(csv_rows(s.path("p.csv"))[0] == std::vector<std::string>{"id", "x", "y", "median", "lower95", "upper95"});
  REQUIRE(rows.size() == 4);
  const auto run = gpbo::tune::load_run_state(state);
  std::vector<gpbo::bo::Point> asked;
  for (const auto& row : rows) asked.push_back({{"x", std::stod(row.at("x"))}, {"y", std::stod(row.at("y"))}});
  const auto expected = run.optimizer.predict(asked);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& row = rows[i];
    INFO(row.at("id"));
    const double median = std::stod(row.at("median")), lo = std::stod(row.at("lower95")), hi = std::stod(row.at("upper95"));
    const double truth = bowl(std::stod(row.at("x")), std::stod(row.at("y")));
    // The library's numbers, written to full precision.
    CHECK(median == expected[i].median);
    CHECK(lo == expected[i].lower95);
    CHECK(hi == expected[i].upper95);
    // 20 evaluations of a bowl whose values span 0 to -0.85: the model knows it to a few
    // hundredths, also in a corner where no point was asked (0.024 off at (0.9, 0.1)).
    CHECK(lo <= truth);
    CHECK(truth <= hi);
    CHECK(std::abs(median - truth) < 0.05);
    CHECK(lo < median);
    CHECK(median < hi);
  }
}

TEST_CASE("e2e: gpbo predict --state adds p_success once an evaluation failed: where the objective is likely to fail") {
  // The bowl, failing (a crash, no value) where x > 0.6: p_success is the failure model's, as
  // Optimizer::success_probability gives it, high among successes and low among failures.
  Scratch s("predict_failures");
  const auto state = told_state(s, 5, false, {{"failed", "crashed"}});
  const auto points = s.write("points.csv", "x,y\n0.2,0.5\n0.95,0.5\n");
  const auto r = sh(cli + " predict --state " + state + " --data " + points + " --out " + s.path("p.csv"));
  INFO(r.output);
  REQUIRE(r.status == 0);
  REQUIRE(csv_rows(s.path("p.csv"))[0] == std::vector<std::string>{"x", "y", "median", "lower95", "upper95", "p_success"});
  const auto rows = csv_records(s.path("p.csv"));
  REQUIRE(rows.size() == 2);
  const auto run = gpbo::tune::load_run_state(state);
  const auto expected = run.optimizer.success_probability({{{"x", 0.2}, {"y", 0.5}}, {{"x", 0.95}, {"y", 0.5}}});
  CHECK(std::stod(rows[0].at("p_success")) == expected[0]);
  CHECK(std::stod(rows[1].at("p_success")) == expected[1]);
  CHECK(expected[0] > 0.9);
  CHECK(expected[1] < 0.05);
  // Penalty values (-1e30 for the maximized bowl) count as failures: the column was left out.
  Scratch t("predict_penalties");
  const auto penalized_state = told_state(t, 5, false, {{"value", -1e30}});
  const auto p = sh(cli + " predict --state " + penalized_state + " --data " + points + " --out " + t.path("p.csv"));
  INFO(p.output);
  REQUIRE(p.status == 0);
  CHECK(csv_rows(t.path("p.csv"))[0] == std::vector<std::string>{"x", "y", "median", "lower95", "upper95", "p_success"});
  CHECK(std::stod(csv_records(t.path("p.csv"))[1].at("p_success")) < 0.05);
  // Without a failure or a penalty the column is left out.
  Scratch u("predict_no_failures");
  const auto plain = sh(cli + " predict --state " + told_state(u, 3, false) + " --data " + points + " --out " + u.path("q.csv"));
  INFO(plain.output);
  REQUIRE(plain.status == 0);
  CHECK(csv_rows(u.path("q.csv"))[0] == std::vector<std::string>{"x", "y", "median", "lower95", "upper95"});
}

TEST_CASE("e2e: gpbo predict --state --slice gives the model along one parameter through the best result") {
  Scratch s("predict_slice");
  const auto state = told_state(s, 5, false);
  const auto r = sh(cli + " predict --state " + state + " --slice x --out " + s.path("slice.csv"));
  INFO(r.output);
  REQUIRE(r.status == 0);
  const auto rows = csv_records(s.path("slice.csv"));
  REQUIRE(rows.size() == 41);
  const auto run = gpbo::tune::load_run_state(state);
  const auto best = run.optimizer.best();
  REQUIRE(best);
  CHECK(std::stod(rows.front().at("x")) == 0.0);
  CHECK(std::stod(rows.back().at("x")) == 1.0);
  for (const auto& row : rows) {
    CHECK(std::stod(row.at("y")) == std::get<double>(best->point.at("y")));  // held at the best
    const double x = std::stod(row.at("x"));
    const auto expected = run.optimizer.predict({{{"x", x}, {"y", best->point.at("y")}}})[0];
    CHECK(std::stod(row.at("median")) == Approx(expected.median).epsilon(1e-9).margin(1e-12));
    const double truth = bowl(x, std::get<double>(best->point.at("y")));
    CHECK(std::stod(row.at("lower95")) <= truth + 1e-3);
    CHECK(truth - 1e-3 <= std::stod(row.at("upper95")));
  }
  expect_output(cli + " predict --state " + state + " --slice z", 2, "--slice z: not a parameter of the state's space that varies");
  expect_output(cli + " predict --state " + state, 2, "give --data (a CSV of points to predict at) or --slice PARAMETER");
  const auto cond = s.write("cond.json", R"({"space": {"opt": {"type": "categorical", "choices": ["a", "b"]},
      "m": {"type": "real", "low": 0, "high": 1, "when": {"opt": "b"}}}, "budget": 20})");
  REQUIRE(sh(cli + " ask --state " + s.path("cond_state.json") + " --config " + cond).status == 0);
  REQUIRE(sh("echo '{\"params\": {\"opt\": \"a\"}, \"value\": 0}' | " + cli + " tell --state " + s.path("cond_state.json")).status == 0);
  expect_output(cli + " predict --state " + s.path("cond_state.json") + " --slice m", 2,
                "--slice m: inactive at the best result (it needs opt = \"b\")");
}

TEST_CASE("e2e: gpbo predict --state adds p_feasible with outcome constraints; bad input is refused clearly") {
  Scratch s("predict_state_constraints");
  const auto state = told_state(s, 5, true);
  const auto points = s.write("points.csv", "x,y\n0.1,0.6\n0.9,0.6\n");
  const auto r = sh(cli + " predict --state " + state + " --data " + points);
  INFO(r.output);
  REQUIRE(r.status == 0);
  std::istringstream lines(r.output);
  std::string header, inside, outside;
  std::getline(lines, header);
  std::getline(lines, inside);
  std::getline(lines, outside);
  CHECK(header == "x,y,median,lower95,upper95,p_feasible");
  // c = x <= 0.5: certain at x = 0.1, impossible at x = 0.9.
  CHECK(std::stod(inside.substr(inside.rfind(',') + 1)) > 0.95);
  CHECK(std::stod(outside.substr(outside.rfind(',') + 1)) < 0.05);

  const auto expect_error = [&](const std::string& args, const std::string& message) { expect_output(cli + " predict " + args, 2, message); };
  const auto no_y = s.write("no_y.csv", "x\n0.5\n");
  expect_error("--state " + state + " --data " + no_y, no_y + ":1:1: no column 'y' (a parameter of the space)");
  const auto twice = s.write("twice.csv", "x,y,x\n0.1,0.5,0.9\n");
  expect_error("--state " + state + " --data " + twice, twice + ":1:3: duplicate column name 'x' (also column 1)");
  const auto outside_box = s.write("outside.csv", "x,y\n0.5,0.5\n1.5,0.5\n");
  expect_error("--state " + state + " --data " + outside_box, outside_box + ":3:1: parameter 'x': value 1.5 is outside [0, 1]");
  expect_error("--state " + state + " --data " + points + " --keep p_feasible", "would clash with the predictions' own");
  const auto no_rows = s.write("no_rows.csv", "x,y\n");  // an empty table: the header alone, as gpbo predict --model
  const auto empty = expect_output(cli + " predict --state " + state + " --data " + no_rows, 0,
                                   no_rows + " has no data rows: 0 rows predicted, the output is the header alone");
  CHECK(empty.output.find("x,y,median,lower95,upper95,p_feasible\n") != std::string::npos);
  expect_error("--state " + state + " --data " + points + " --latent", "--state excludes --latent");
  expect_error("--data " + points, "give --model (a gpbo fit model) or --state (a tuning state)");
  expect_error("--state " + s.dir.string() + " --data " + points, "is a directory; expected a state file");
  // Four results are no model: it comes with the first suggestion after the initial design.
  Scratch early("predict_state_early");
  const auto few = told_state(early, 1, false);
  expect_error("--state " + few + " --data " + points, "no model yet; the optimizer fits one for its first suggestion after the initial design (10 successful evaluations, "
                                                        "fewer where many fail), and this state has 4 successful of 4 evaluations and no such suggestion");
}
