#pragma once
// Helpers for end-to-end tests that run the real gpbo binary (path in GPBO_CLI).
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace cli_test {

namespace fs = std::filesystem;

struct Result {
  int status;
  std::string output;
};

// The longest any one command may run. None takes more than a few seconds, even under the
// sanitizers; a hung one fails its test with its name instead of stalling the whole test binary
// until ctest kills it (which would leave the command's processes running).
inline constexpr int command_time_limit_s = 120;

struct LimitedResult {
  Result result;
  bool timed_out = false;
};

// Runs a shell command (stderr merged into the output) under coreutils' timeout, which signals
// the command's whole process group at the limit (SIGTERM, then SIGKILL 10 s later; gpbo's reaper
// then ends the objectives it started).
inline LimitedResult sh_limited(const std::string& command, int limit_s) {
  std::string quoted = "'";
  for (const char c : command) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  quoted += "'";
  const std::string limited = "timeout -k 10 " + std::to_string(limit_s) + " sh -c " + quoted + " 2>&1";
  const auto start = std::chrono::steady_clock::now();
  std::string output;
  FILE* pipe = popen(limited.c_str(), "r");
  REQUIRE(pipe);
  std::array<char, 4096> buf;
  while (const auto n = fread(buf.data(), 1, buf.size(), pipe)) output.append(buf.data(), n);
  const int raw = pclose(pipe);
  const int status = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
  return {{status, output}, std::chrono::steady_clock::now() - start >= std::chrono::seconds(limit_s)};
}

// Runs a shell command (stderr merged into the output) and returns its exit status and output;
// a command still running after command_time_limit_s is ended and fails the test.
inline Result sh(const std::string& command) {
  const LimitedResult r = sh_limited(command, command_time_limit_s);
  if (r.timed_out)
    FAIL_CHECK("timed out after " << command_time_limit_s << " s (exit " << r.result.status << "): " << command);
  return r.result;
}

// Runs a command and checks its exit status and that its output holds `text`.
inline Result expect_output(const std::string& command, int status, const std::string& text) {
  const Result r = sh(command);
  INFO(command << "\n" << r.output);
  CHECK(r.status == status);
  CHECK(r.output.find(text) != std::string::npos);
  return r;
}

// `rounds` batches of 4 asked (`gpbo ask -n 4`, the config given each time) and told as JSON
// lines on stdin: `result(params)` gives each line's members besides the id, e.g. {"value": 1.5}.
inline void ask_tell_rounds(const std::string& state, const std::string& config, int rounds,
                            const std::function<nlohmann::json(const nlohmann::json& params)>& result) {
  for (int round = 0; round < rounds; ++round) {
    const auto asked = sh(GPBO_CLI + std::string(" ask --state ") + state + " --config " + config + " -n 4");
    REQUIRE(asked.status == 0);
    std::istringstream lines(asked.output);
    std::string results;
    for (std::string line; std::getline(lines, line);) {
      const auto j = nlohmann::json::parse(line);
      nlohmann::json told = result(j["params"]);
      told["id"] = j["id"];
      results += told.dump() + "\n";
    }
    const auto told = sh("printf '%s' '" + results + "' | " + GPBO_CLI + " tell --state " + state);
    INFO(told.output);
    REQUIRE(told.status == 0);
  }
}

// A CSV file's rows split at commas (for files without quoted fields).
inline std::vector<std::vector<std::string>> csv_rows(const std::string& path) {
  std::vector<std::vector<std::string>> rows;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> cells;
    std::stringstream s(line);
    for (std::string c; std::getline(s, c, ',');) cells.push_back(c);
    rows.push_back(cells);
  }
  return rows;
}

// results.csv's rows as maps from column to cell.
inline std::vector<std::map<std::string, std::string>> csv_records(const std::string& path) {
  const auto rows = csv_rows(path);
  std::vector<std::map<std::string, std::string>> out;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    std::map<std::string, std::string> r;
    for (std::size_t c = 0; c < rows[0].size(); ++c) r[rows[0][c]] = c < rows[i].size() ? rows[i][c] : "";
    out.push_back(r);
  }
  return out;
}

// A scratch directory, removed at the end of the test.
struct Scratch {
  fs::path dir;
  explicit Scratch(const std::string& name)
      : dir(fs::temp_directory_path() / ("gpbo_e2e_" + name + "_" + std::to_string(getpid()))) {
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  ~Scratch() { fs::remove_all(dir); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(dir / name) << text;
    return (dir / name).string();
  }
  [[nodiscard]] std::string path(const std::string& name) const { return (dir / name).string(); }
  /// write(), then make the file executable (an objective script).
  std::string write_script(const std::string& name, const std::string& text) const {
    const auto p = write(name, text);
    fs::permissions(p, fs::perms::owner_all);
    return p;
  }
};

inline const std::string cli = GPBO_CLI;

// Configs and runs shared by the tune and ask/tell tests.
inline std::string objective_config(const Scratch& s, const std::string& extra) {
  s.write("objective.sh", "#!/bin/sh\nsleep 0.05\nawk -v x=\"$1\" -v y=\"$2\" 'BEGIN{print \"loss\", (x-0.3)^2 + (y-0.6)^2}'\n");
  fs::permissions(s.dir / "objective.sh", fs::perms::owner_all);
  return s.write("c.json", R"({"space": {"x": {"type": "real", "low": 0, "high": 1}, "y": {"type": "real", "low": 0, "high": 1}},
    "objective": {"command": ["./objective.sh", "{x}", "{y}"], "timeout_s": 20}, )" + extra + "}");
}

// Branin with a target that seed 1 meets well inside the budget of 40.
inline std::string branin_with_target(const Scratch& s) {
  return s.write("c.json", R"({"objective": {"builtin": "branin"}, "budget": 40, "stop": {"target": 0.45}, "seed": 1})");
}

// `gpbo tune CONFIG --out <scratch>/run ARGS --quiet`.
inline Result tune_into_run(const Scratch& s, const std::string& cfg, const std::string& args = "") {
  return sh(cli + " tune " + cfg + " --out " + s.path("run") + " " + args + " --quiet");
}

// `gpbo tune CONFIG --out <scratch>/OUT ARGS --quiet` for an example of configs/, run from there
// as the README runs it.
inline Result tune_example(const Scratch& s, const std::string& config, const std::string& out, const std::string& args = "") {
  return sh("cd " + std::string(GPBO_SOURCE_DIR) + "/configs && " + cli + " tune " + config + " --out " + s.path(out) + " " +
            args + " --quiet");
}

// An ask/tell config: one real x in [0, 1], budget 5.
// The number printed after `key` in `text`, e.g. after "rmse " in "test targets present: rmse 1.05, ...".
inline double number_after(const std::string& text, const std::string& key) {
  const auto at = text.find(key);
  REQUIRE(at != std::string::npos);
  return std::stod(text.substr(at + key.size()));
}

inline std::string write_unit_interval_config(const Scratch& s) {
  return s.write("c.json", R"({"space": {"x": {"type": "real", "low": 0, "high": 1}}, "budget": 5})");
}

}  // namespace cli_test
