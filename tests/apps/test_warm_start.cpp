#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "gpbo/core/csv.hpp"
#include "gpbo/bayesopt/optimizer.hpp"
#include "tune/point_columns.hpp"
#include "tune/warm_start.hpp"
#include "../temp_path.hpp"

using namespace gpbo;
using namespace gpbo::tune;

namespace {
bo::Space mixed_space() {
  bo::Space s;
  s.add(bo::Parameter::real("lr", 1e-4, 1e-1, bo::Scale::Log))
      .add(bo::Parameter::integer("layers", 1, 8))
      .add(bo::Parameter::categorical("opt", {bo::Value(std::string("adam")), bo::Value(std::string("sgd"))}))
      .add(bo::Parameter::fixed("epochs", std::int64_t{10}));
  return s;
}

// The files write() made, removed when the test binary exits (81 were left in /tmp).
struct WrittenFiles {
  std::set<std::string> paths;
  ~WrittenFiles() {
    for (const auto& p : paths) std::remove(p.c_str());
  }
} written;

std::string write(const std::string& name, const std::string& text) {
  const auto path = gpbo::test::temp_path("ws_" + name);
  std::ofstream(path) << text;
  written.paths.insert(path);
  return path;
}

std::string error_of(const std::string& text, const std::vector<bo::OutcomeConstraint>& constraints = {}) {
  const auto path = write("bad.csv", text);
  try {
    (void)read_warm_start(path, mixed_space(), constraints);
  } catch (const CsvError& e) {
    std::filesystem::remove(path);
    return std::string(e.what()).substr(path.size());
  }
  std::filesystem::remove(path);
  return "(no error)";
}
}  // namespace

TEST_CASE("warm start: a results.csv's rows, with the space's types, failures kept as failures") {
  const auto path = write("results.csv",
                          "id,layers,lr,opt,value,status,seconds,start_time,reason\n"
                          "0,3,0.001,adam,0.52,ok,1.5,2026-12-03T10:00:00Z,\n"
                          "1,8,0.05,sgd,,failed,0.1,2026-12-03T10:00:02Z,exit status 1\n"
                          "2,1,0.0001,\"sgd\",0.61,ok,1.2,2026-12-03T10:00:03Z,\n"
                          "3,2,0.01,adam,,timeout,60,2026-12-03T10:00:04Z,\n"
                          "4,2,0.02,adam,,running,,2026-12-03T10:00:05Z,\n");  // gpbo show --csv: skipped
  const auto rows = read_warm_start(path, mixed_space());
  std::filesystem::remove(path);
  REQUIRE(rows.size() == 4);
  CHECK(rows[0].point.at("lr") == bo::Value(0.001));
  CHECK(rows[0].point.at("layers") == bo::Value(std::int64_t{3}));
  CHECK(rows[0].point.at("opt") == bo::Value(std::string("adam")));
  CHECK(rows[0].value == 0.52);
  CHECK_FALSE(rows[1].value.has_value());
  CHECK(rows[1].failure == "exit status 1");
  CHECK(rows[1].point.at("layers") == bo::Value(std::int64_t{8}));
  CHECK(rows[2].value == 0.61);
  CHECK(rows[3].failure == "timeout");
  // Any CSV with the parameters and a value will do (no status column: every row counts).
  const auto plain = write("plain.csv", "lr;layers;opt;value\n0,01;2;sgd;1,5\n");
  CHECK(read_warm_start(plain, mixed_space()).at(0).value == 1.5);  // semicolons and decimal commas
  std::filesystem::remove(plain);
}

TEST_CASE("warm start: told failures reach the optimizer as failures, and count as evaluations") {
  const auto path = write("told.csv",
                          "lr,layers,opt,value,status,reason\n"
                          "0.001,3,adam,0.52,ok,\n"
                          "0.05,8,sgd,,crashed,signal 9\n");
  bo::OptimizerOptions o;
  o.seed = 1;
  bo::Optimizer opt(mixed_space(), o);
  for (const auto& row : read_warm_start(path, mixed_space()))
    row.value ? (void)opt.tell(row.point, *row.value) : (void)opt.tell_failure(row.point, row.failure);
  std::filesystem::remove(path);
  REQUIRE(opt.history().size() == 2);
  CHECK(opt.history()[1].status == bo::TrialStatus::Failed);
  CHECK(opt.history()[1].reason == "signal 9");
  CHECK_FALSE(opt.history()[1].asked);
  CHECK(opt.evaluations() == 2);
  CHECK(opt.best()->value == 0.52);
}

TEST_CASE("warm start: rows it cannot use name file, line and column") {
  CHECK(error_of("lr,layers,value\n0.01,2,1\n") == ":1:1: no column 'opt' (a parameter of the space)");
  CHECK(error_of("lr,layers,opt\n0.01,2,adam\n") == ":1:1: no column 'value' (the observed values)");
  // A column twice: which copy holds the data would be a guess (the first was taken, silently).
  CHECK(error_of("lr,layers,opt,value,lr\n0.01,2,adam,1,0.05\n") == ":1:5: duplicate column name 'lr' (also column 1)");
  CHECK(error_of("lr,layers,opt,value,value\n0.01,2,adam,1,2\n") == ":1:5: duplicate column name 'value' (also column 4)");
  CHECK(error_of("lr,layers,opt,value,status,status\n0.01,2,adam,1,ok,ok\n") == ":1:6: duplicate column name 'status' (also column 5)");
  CHECK(error_of("lr,layers,opt,value,note,note\n0.01,2,adam,1,a,b\n") == "(no error)");  // columns it does not read may repeat
  CHECK(error_of("lr,layers,opt,value\n0.01,2,rmsprop,1\n") == ":2:3: 'rmsprop' is not one of the choices of opt");
  CHECK(error_of("lr,layers,opt,value\n0.01,two,adam,1\n") == ":2:2: expected a number for layers, got 'two'");
  CHECK(error_of("lr,layers,opt,value\n0.01,2,adam,\n") == ":2:4: expected a finite value, got ''");
  CHECK(error_of("lr,layers,opt,value\n0.5,2,adam,1\n").rfind(":2:1: parameter 'lr'", 0) == 0);  // outside [1e-4, 0.1]
  CHECK(error_of("lr,layers,opt,value\n0.01,2,adam\n") == ":2:1: 3 fields where the header has 4");
  CHECK(error_of("lr,layers,opt,value,status\n0.01,2,adam,1,done\n") ==
        ":2:5: unknown status 'done'; expected ok, failed, crashed, timeout or bad_output (or running, pending: skipped)");
  CHECK(error_of("lr,layers,opt,value,status\n0.01,2,adam,,ok\n") == ":2:4: expected a finite value, got ''");
}

TEST_CASE("warm start: an inactive conditional parameter's cell is empty, an active one's is not") {
  bo::Space s = mixed_space();
  s.add(bo::Parameter::real("momentum", 0.0, 0.99).when("opt", {bo::Value(std::string("sgd"))}));
  const auto path = write("conditional.csv", "lr,layers,opt,momentum,value\n0.01,2,adam,,1.5\n0.01,2,sgd,0.9,1.2\n");
  const auto rows = read_warm_start(path, s, {});
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].point.count("momentum") == 0);
  CHECK(std::get<double>(rows[1].point.at("momentum")) == 0.9);
  const auto error = [&](const std::string& text) {
    const auto bad = write("conditional_bad.csv", text);
    try {
      (void)read_warm_start(bad, s, {});
    } catch (const CsvError& e) {
      return std::string(e.what()).substr(bad.size());
    }
    return std::string("(no error)");
  };
  CHECK(error("lr,layers,opt,momentum,value\n0.01,2,adam,0.5,1\n") ==
        ":2:4: parameter 'momentum' is inactive in this row (it needs opt = \"sgd\"), so its cell must be empty; got '0.5'");
  CHECK(error("lr,layers,opt,momentum,value\n0.01,2,sgd,,1\n") == ":2:4: expected a number for momentum, got ''");
  std::filesystem::remove(path);
}

TEST_CASE("warm start: outcome constraints' columns are read with each success; a missing column is an error") {
  const std::vector<bo::OutcomeConstraint> constraints = {{"mem", std::nullopt, 512.0}, {"acc", 0.9, std::nullopt}};
  const auto path = write("constrained.csv",
                          "id,layers,lr,opt,value,mem,acc,feasible,status,seconds,start_time,reason\n"
                          "0,3,0.001,adam,0.52,420,0.95,true,ok,1.5,2026-12-03T10:00:00Z,\n"
                          "1,8,0.05,sgd,,,,,failed,0.1,2026-12-03T10:00:02Z,exit status 1\n"
                          "2,1,0.0001,sgd,0.61,600,0.91,false,ok,1.2,2026-12-03T10:00:03Z,\n");
  const auto rows = read_warm_start(path, mixed_space(), constraints);
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].constraint_values == std::vector<double>{420, 0.95});
  CHECK(rows[1].constraint_values.empty());  // a failure has none
  CHECK(rows[2].constraint_values == std::vector<double>{600, 0.91});
  CHECK(read_warm_start(path, mixed_space()).at(0).constraint_values.empty());  // a run without constraints ignores them
  std::filesystem::remove(path);
  CHECK(error_of("lr,layers,opt,value,mem\n0.01,2,adam,1,300\n", constraints) == ":1:1: no column 'acc' (the values of the constraint 0.9 <= acc)");
  CHECK(error_of("lr,layers,opt,value,mem,acc\n0.01,2,adam,1,300,0.95\n0.01,3,adam,1,,0.95\n", constraints) ==
        ":3:5: expected a finite value of the constraint mem, got ''");
}

TEST_CASE("warm start: a value_sd column gives each value's noise sd; empty cells know none; a bad one names its cell") {
  const auto path = write("sd.csv",
                          "id,layers,lr,opt,value,value_sd,status,seconds,start_time,reason\n"
                          "0,3,0.001,adam,0.52,0.013,ok,1.5,2026-12-03T10:00:00Z,\n"
                          "1,8,0.05,sgd,,,failed,0.1,2026-12-03T10:00:02Z,exit status 1\n"
                          "2,1,0.0001,sgd,0.61,,ok,1.2,2026-12-03T10:00:03Z,\n");
  const auto rows = read_warm_start(path, mixed_space());
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].sd == 0.013);
  CHECK(rows[1].sd == 0);
  CHECK(rows[2].sd == 0);
  std::filesystem::remove(path);
  CHECK(read_warm_start(write("plain.csv", "lr,layers,opt,value\n0.01,2,adam,1\n"), mixed_space()).at(0).sd == 0);
  std::filesystem::remove(write("plain.csv", ""));
  CHECK(error_of("lr,layers,opt,value,value_sd\n0.01,2,adam,1,0.1\n0.01,3,adam,1,-0.1\n") ==
        ":3:5: expected the value's noise sd, a number >= 0 (or an empty cell), got '-0.1'");
  CHECK(error_of("lr,layers,opt,value,value_sd\n0.01,2,adam,1,small\n") ==
        ":2:5: expected the value's noise sd, a number >= 0 (or an empty cell), got 'small'");
}

TEST_CASE("read_points: parameter columns by name in any order, other columns ignored, errors located") {
  bo::Space s = mixed_space();
  s.add(bo::Parameter::real("momentum", 0.0, 0.99).when("opt", {bo::Value(std::string("sgd"))}));
  // Columns out of order, an id and a note beside them, the fixed epochs left out.
  const std::string text = "note,opt,id,momentum,layers,lr\nfirst,adam,7,,3,0.01\n\"a, b\",sgd,8,0.9,8,1e-4\n";
  const auto points = read_points(text, "p.csv", s);
  REQUIRE(points.size() == 2);
  CHECK(points[0] == bo::Point{{"lr", 0.01}, {"layers", std::int64_t{3}}, {"opt", std::string("adam")}});
  CHECK(points[1] == bo::Point{{"lr", 1e-4}, {"layers", std::int64_t{8}}, {"opt", std::string("sgd")}, {"momentum", 0.9}});
  // A semicolon file (a spreadsheet with decimal commas) reads the same.
  CHECK(read_points("opt;momentum;layers;lr\nadam;;3;0,01\n", "p.csv", s)[0] == points[0]);

  const std::pair<std::string, std::string> bad[] = {
      {"opt,momentum,lr\nadam,,0.01\n", "p.csv:1:1: no column 'layers' (a parameter of the space)"},
      {"opt,momentum,layers,lr\nadam,,3,0.01\nnadam,,3,0.01\n", "p.csv:3:1: 'nadam' is not one of the choices of opt"},
      {"opt,momentum,layers,lr\nadam,,three,0.01\n", "p.csv:2:3: expected a number for layers, got 'three'"},
      {"opt,momentum,layers,lr\nadam,0.5,3,0.01\n",
       "p.csv:2:2: parameter 'momentum' is inactive in this row (it needs opt = \"sgd\"), so its cell must be empty; got '0.5'"},
      {"opt,momentum,layers,lr\nadam,,3,0.01,9\n", "p.csv:2:1: 5 fields where the header has 4"},
      {"", "p.csv: empty file; expected a header row with the parameters"}};
  for (const auto& [csv, message] : bad) {
    INFO(csv);
    CHECK_THROWS_WITH(read_points(csv, "p.csv", s), message);
  }
  // The cell's own column (every value out of its box was reported at column 1).
  CHECK_THROWS_WITH(read_points("opt,momentum,layers,lr\nadam,,3,2\n", "p.csv", s),
                    Catch::Contains("p.csv:2:4: parameter 'lr'") && Catch::Contains("outside"));
  CHECK_THROWS_WITH(read_points("opt,momentum,layers,lr\nadam,,30,0.01\n", "p.csv", s),
                    Catch::StartsWith("p.csv:2:3: parameter 'layers'"));
  // A fixed parameter's column may hold its value (as results.csv writes it, or written another
  // way) or nothing; another value is outside the space (it was replaced without a word).
  CHECK(read_points("opt,momentum,layers,lr,epochs\nadam,,3,0.01,10\nadam,,3,0.01,10.0\nadam,,3,0.01,\n", "p.csv", s) ==
        std::vector<bo::Point>(3, points[0]));
  CHECK_THROWS_AS(read_points("opt,momentum,layers,lr,epochs\nadam,,3,0.01,12\n", "p.csv", s), PointOutsideSpace);
  CHECK_THROWS_WITH(read_points("opt,momentum,layers,lr,epochs\nadam,,3,0.01,12\n", "p.csv", s),
                    "p.csv:2:5: parameter 'epochs' is fixed at 10 in this space; got '12'");
  // A conditional fixed one: empty where it is inactive, as any conditional parameter.
  s.add(bo::Parameter::fixed("damping", 0.5).when("opt", {bo::Value(std::string("sgd"))}));
  CHECK(read_points("opt,momentum,layers,lr,damping\nsgd,0.9,8,1e-4,0.5\nadam,,3,0.01,\n", "p.csv", s).size() == 2);
  CHECK_THROWS_WITH(read_points("opt,momentum,layers,lr,damping\nadam,,3,0.01,0.5\n", "p.csv", s),
                    "p.csv:2:5: parameter 'damping' is inactive in this row (it needs opt = \"sgd\"), so its cell must be "
                    "empty; got '0.5'");
  CHECK_THROWS_WITH(read_points("opt,momentum,layers,lr,damping\nsgd,0.9,8,1e-4,0.7\n", "p.csv", s),
                    "p.csv:2:5: parameter 'damping' is fixed at 0.5 in this space; got '0.7'");
}

TEST_CASE("warm start: an integer's digits are read exactly, beyond 2^53 too") {
  // As doubles, 9007199254740993 and 9007199254740991.5 both became 2^53, inside [0, 2^53].
  bo::Space wide;
  wide.add(bo::Parameter::integer("k", 0, 9007199254740992.0));
  const auto path = write("wide.csv", "k,value\n9007199254740992,1\n+9007199254740991,2\n9007199254740993,3\n99999999999999999999,4\n");
  WarmStartSkips skips;
  const auto rows = read_warm_start(path, wide, {}, &skips);
  REQUIRE(rows.size() == 2);
  CHECK(std::get<std::int64_t>(rows[0].point.at("k")) == 9007199254740992);
  CHECK(std::get<std::int64_t>(rows[1].point.at("k")) == 9007199254740991);
  CHECK(skips.rows == 2);
  CHECK(skips.first.substr(path.size()) == ":4:1: parameter 'k': value 9007199254740993 is outside [0, 9007199254740992]");
  const auto fraction = write("fraction.csv", "k,value\n9007199254740991.5,1\n");
  CHECK_THROWS_WITH(read_warm_start(fraction, wide), Catch::EndsWith(":2:1: '9007199254740991.5' for k is too large to read exactly in this form: write the integer's digits"));
  CHECK(std::get<std::int64_t>(read_warm_start(write("short.csv", "k,value\n3.0,1\n"), wide).at(0).point.at("k")) == 3);
  CHECK_THROWS_WITH(read_warm_start(write("signs.csv", "k,value\n+-5,1\n"), wide), Catch::Contains(":2:1: expected a number for k"));
  // Far outside the range in any form: skipped as outside, not an error.
  WarmStartSkips far;
  CHECK(read_warm_start(write("far.csv", "layers,lr,opt,value\n1e20,0.01,adam,1\n3,0.01,adam,2\n"), mixed_space(), {}, &far).size() == 1);
  CHECK(far.rows == 1);
}

TEST_CASE("warm start: with skips, rows outside the space are counted and left out; malformed rows are still errors") {
  // A first run over lr in [1e-4, 0.1], then the space narrowed: its rows beyond the new range
  // were refused, so the narrowed run could not start from the first one's results.
  const auto path = write("narrowed.csv", "lr,layers,opt,value\n0.01,2,adam,1\n0.5,2,adam,2\n0.02,3,sgd,3\n0.9,1,sgd,4\n");
  WarmStartSkips skips;
  const auto rows = read_warm_start(path, mixed_space(), {}, &skips);
  REQUIRE(rows.size() == 2);
  CHECK(*rows[1].value == 3.0);
  CHECK(skips.rows == 2);
  CHECK(skips.first.substr(path.size()).rfind(":3:1: parameter 'lr'", 0) == 0);
  CHECK_THROWS_AS(read_warm_start(path, mixed_space()), PointOutsideSpace);  // without skips: an error
  const auto bad = write("malformed.csv", "lr,layers,opt,value\n0.5,2,adam,1\n0.01,two,adam,1\n");
  CHECK_THROWS_WITH(read_warm_start(bad, mixed_space(), {}, &skips), Catch::Contains(":3:2: expected a number for layers"));
  const auto none = write("none_inside.csv", "lr,layers,opt,value\n0.5,2,adam,1\n0.9,1,sgd,4\n");
  WarmStartSkips fresh;
  CHECK_THROWS_WITH(read_warm_start(none, mixed_space(), {}, &fresh),
                    Catch::Contains(":2:1: parameter 'lr'") && Catch::EndsWith("(and every other row of the file lies outside the space too)"));
  // A choice the new space dropped is outside it too (it was an error while ranges were skipped).
  const auto pruned = write("pruned.csv", "lr,layers,opt,value\n0.01,2,rmsprop,1\n0.02,3,sgd,3\n");
  WarmStartSkips dropped;
  REQUIRE(read_warm_start(pruned, mixed_space(), {}, &dropped).size() == 1);
  CHECK(dropped.rows == 1);
  CHECK(dropped.first.substr(pruned.size()) == ":2:3: 'rmsprop' is not one of the choices of opt");
  CHECK_THROWS_AS(read_warm_start(pruned, mixed_space()), PointOutsideSpace);
  // But an empty cell or a choice in other letter case is a mistake in the file: an error.
  const auto typo = write("typo.csv", "lr,layers,opt,value\n0.01,2,adam,1\n0.02,3,SGD,3\n");
  CHECK_THROWS_WITH(read_warm_start(typo, mixed_space(), {}, &dropped),
                    Catch::EndsWith(":3:3: 'SGD' is not one of the choices of opt (did you mean 'sgd'?)"));
  const auto empty = write("empty.csv", "lr,layers,opt,value\n0.01,2,adam,1\n0.02,3,,3\n");
  CHECK_THROWS_WITH(read_warm_start(empty, mixed_space(), {}, &dropped),
                    Catch::EndsWith(":3:3: empty cell; expected one of the choices of opt"));
  std::filesystem::remove(typo);
  std::filesystem::remove(empty);
  // Numeric choices match by value, however the file writes them (pandas writes 32 as 32.0).
  bo::Space numeric;
  numeric.add(bo::Parameter::categorical("bs", {bo::Value(std::int64_t{16}), bo::Value(std::int64_t{32})}))
      .add(bo::Parameter::categorical("rate", {bo::Value(0.1), bo::Value(0.25)}));
  const auto written = write("numeric.csv", "bs,rate,value\n32.0,.25,1\n1.6e1,0.10,2\n");
  WarmStartSkips none_skipped;
  const auto read = read_warm_start(written, numeric, {}, &none_skipped);
  REQUIRE(read.size() == 2);
  CHECK(none_skipped.rows == 0);
  CHECK(read[0].point.at("bs") == bo::Value(std::int64_t{32}));
  CHECK(read[0].point.at("rate") == bo::Value(0.25));
  CHECK(read[1].point.at("bs") == bo::Value(std::int64_t{16}));
  std::filesystem::remove(written);
  std::filesystem::remove(pruned);
  std::filesystem::remove(none);
  std::filesystem::remove(path);
  std::filesystem::remove(bad);
}
