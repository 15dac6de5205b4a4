#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "gpbo/core/csv.hpp"
#include "tune/warm_start.hpp"

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

std::string write(const std::string& name, const std::string& text) {
  const auto path = (std::filesystem::temp_directory_path() / ("gpbo_ws_" + std::to_string(::getpid()) + name)).string();
  std::ofstream(path) << text;
  return path;
}

std::string error_of(const std::string& text) {
  const auto path = write("bad.csv", text);
  try {
    (void)read_warm_start(path, mixed_space());
  } catch (const CsvError& e) {
    std::filesystem::remove(path);
    return std::string(e.what()).substr(path.size());
  }
  std::filesystem::remove(path);
  return "(no error)";
}
}  // namespace

TEST_CASE("warm start: the ok rows of a results.csv, with the space's types") {
  const auto path = write("results.csv",
                          "id,layers,lr,opt,value,status,seconds,start_time,reason\n"
                          "0,3,0.001,adam,0.52,ok,1.5,2026-12-03T10:00:00Z,\n"
                          "1,8,0.05,sgd,,failed,0.1,2026-12-03T10:00:02Z,exit status 1\n"
                          "2,1,0.0001,\"sgd\",0.61,ok,1.2,2026-12-03T10:00:03Z,\n");
  const auto rows = read_warm_start(path, mixed_space());
  std::filesystem::remove(path);
  REQUIRE(rows.size() == 2);  // the failed row is left out
  CHECK(rows[0].first.at("lr") == bo::Value(0.001));
  CHECK(rows[0].first.at("layers") == bo::Value(std::int64_t{3}));
  CHECK(rows[0].first.at("opt") == bo::Value(std::string("adam")));
  CHECK(rows[1].second == 0.61);
  // Any CSV with the parameters and a value will do (no status column: every row counts).
  const auto plain = write("plain.csv", "lr;layers;opt;value\n0,01;2;sgd;1,5\n");
  CHECK(read_warm_start(plain, mixed_space()).at(0).second == 1.5);  // semicolons and decimal commas
  std::filesystem::remove(plain);
}

TEST_CASE("warm start: rows it cannot use name file, line and column") {
  CHECK(error_of("lr,layers,value\n0.01,2,1\n") == ":1:1: no column 'opt' (a parameter of the space)");
  CHECK(error_of("lr,layers,opt\n0.01,2,adam\n") == ":1:1: no column 'value' (the observed values)");
  CHECK(error_of("lr,layers,opt,value\n0.01,2,rmsprop,1\n") == ":2:3: 'rmsprop' is not one of the choices of opt");
  CHECK(error_of("lr,layers,opt,value\n0.01,two,adam,1\n") == ":2:2: expected a number for layers, got 'two'");
  CHECK(error_of("lr,layers,opt,value\n0.01,2,adam,\n") == ":2:4: expected a finite value, got ''");
  CHECK(error_of("lr,layers,opt,value\n0.5,2,adam,1\n").rfind(":2:1: parameter 'lr'", 0) == 0);  // outside [1e-4, 0.1]
  CHECK(error_of("lr,layers,opt,value\n0.01,2,adam\n") == ":2:1: 3 fields where the header has 4");
}
