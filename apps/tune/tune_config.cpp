#include "tune/tune_config.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <fstream>
#include <limits>
#include <regex>
#include <set>

#include "gpbo/bayesopt/optimizer_state.hpp"
#include "gpbo/bayesopt/space_json.hpp"
#include "gpbo/bayesopt/test_functions.hpp"
#include "gpbo/core/did_you_mean.hpp"
#include "gpbo/core/json_text.hpp"
#include "tune/run_state.hpp"
#include "tune/warm_start.hpp"

namespace gpbo::tune {
namespace {

using nlohmann::json;

// Reads one config document; every error names the file and the JSON path.
class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const std::string& path, const std::string& what) const {
    throw ConfigError(file_ + ": " + (path.empty() ? "/" : path) + ": " + what);
  }

  void check_keys(const json& obj, const std::string& path, const std::vector<std::string>& known) const {
    if (!obj.is_object()) fail(path, "expected an object");
    for (const auto& [key, value] : obj.items()) {
      if (std::find(known.begin(), known.end(), key) != known.end()) continue;
      std::string msg = "unknown key \"" + key + "\"";
      const auto hint = did_you_mean(key, known);
      msg += hint.empty() ? " (known keys: " + join(known) + ")" : " (did you mean \"" + hint + "\"?)";
      fail(path + "/" + key, msg);
    }
  }

  std::string string_at(const json& obj, const std::string& key, const std::string& path,
                        const std::vector<std::string>& allowed = {}) const {
    const auto& v = obj.at(key);
    if (!v.is_string()) fail(path + "/" + key, allowed.empty() ? "expected a string" : "expected one of " + join(allowed));
    const auto s = v.get<std::string>();
    if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), s) == allowed.end()) {
      const auto hint = did_you_mean(s, allowed);
      fail(path + "/" + key, "expected one of " + join(allowed) + ", got \"" + s + "\"" +
                                 (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)"));
    }
    return s;
  }

  double number_at(const json& obj, const std::string& key, const std::string& path, double min_exclusive) const {
    const auto& v = obj.at(key);
    if (!v.is_number()) fail(path + "/" + key, "expected a number");
    const double x = v.get<double>();
    if (!(x > min_exclusive)) fail(path + "/" + key, "expected a number > " + fmt(min_exclusive) + ", got " + fmt(x));
    return x;
  }

  int int_at(const json& obj, const std::string& key, const std::string& path, int min, int kMax = 100000000) const {
    const auto& v = obj.at(key);
    if (!v.is_number()) fail(path + "/" + key, "expected an integer" + got_json(v));
    if (const auto x = json_integer_in(v, min, kMax)) return static_cast<int>(*x);
    if (json_integer_in(v, std::numeric_limits<std::int64_t>::min(), min - 1))
      fail(path + "/" + key, "expected an integer >= " + std::to_string(min) + ", got " + v.dump());
    fail(path + "/" + key, "expected an integer from " + std::to_string(min) + " to " + std::to_string(kMax) + ", got " + v.dump());
  }

  static std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
    return out;
  }
  static std::string fmt(double x) {
    std::ostringstream s;
    s << x;
    return s.str();
  }

 private:
  std::string file_;
};

StopRules read_stop(const Reader& r, const json& j, const std::string& path) {
  r.check_keys(j, path, {"target", "patience", "max_time_s"});
  StopRules s;
  if (j.contains("target")) {
    if (!j["target"].is_number()) r.fail(path + "/target", "expected a number");
    s.target = j["target"].get<double>();
  }
  if (j.contains("patience")) s.patience = r.int_at(j, "patience", path, 1);
  if (j.contains("max_time_s")) s.max_time_s = r.number_at(j, "max_time_s", path, 0);
  return s;
}

OptimizerSettings read_optimizer(const Reader& r, const json& j, const std::string& path) {
  r.check_keys(j, path, {"preset", "acquisition", "xi", "hyperparameters", "noise", "initial_points", "initial_design", "escape",
                         "short_range", "outliers"});
  OptimizerSettings o;
  if (j.contains("preset")) o.preset = r.string_at(j, "preset", path, {"default", "fast"});
  if (j.contains("acquisition"))
    o.acquisition = r.string_at(j, "acquisition", path, {"log_ei", "ei", "log_pi", "ucb", "thompson", "noisy_ei", "log_nei"});
  if (j.contains("xi")) {
    const auto& v = j["xi"];
    if (!v.is_number() || !(v.get<double>() >= 0.0))
      r.fail(path + "/xi", "expected an improvement margin >= 0 (in standard deviations of the values)");
    o.xi = v.get<double>();
    // Said, as other settings that would do nothing are (a margin would be silently ignored).
    if (o.acquisition == "ucb" || o.acquisition == "thompson")
      r.fail(path + "/xi", "\"" + o.acquisition + "\" takes no improvement margin (xi is for the EI and PI forms); leave xi out");
  }
  if (j.contains("hyperparameters")) o.hyperparameters = r.string_at(j, "hyperparameters", path, {"map", "mcmc"});
  if (j.contains("noise")) {
    const auto& n = j["noise"];
    if (n.is_number()) {
      o.noise = Reader::fmt(r.number_at(j, "noise", path, 0));
    } else if (n.is_string() && (n == "auto" || n == "none")) {
      o.noise = n.get<std::string>();
    } else {
      // A number is allowed too: say so, which string_at's list of names would not.
      const auto hint = n.is_string() ? did_you_mean(n.get<std::string>(), {"auto", "none"}) : std::string();
      r.fail(path + "/noise", "expected \"auto\", \"none\" or a noise standard deviation > 0 (objective units), got " +
                                  n.dump() + (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)"));
    }
  }
  if (j.contains("initial_points")) o.initial_points = r.int_at(j, "initial_points", path, 1);
  if (j.contains("initial_design")) o.initial_design = r.string_at(j, "initial_design", path, {"sobol", "lhs", "random"});
  if (j.contains("escape")) {
    if (!j["escape"].is_boolean()) r.fail(path + "/escape", "expected true or false");
    o.escape = j["escape"].get<bool>();
  }
  if (j.contains("short_range")) {
    const auto short_range = bo::short_range_from_json(j["short_range"]);
    if (!short_range) r.fail(path + "/short_range", "expected \"auto\", true or false");
    o.short_range = *short_range;
  }
  if (j.contains("outliers")) o.outliers = r.string_at(j, "outliers", path, {"off", "detect"}) == "detect";
  return o;
}

// The first character a regular expression matches literally that no number's text holds
// (digits, '.', signs, exponent 'e'), or '\0': escapes, bracket expressions, repeats and other
// operators are skipped, since they may match the digits.
char literal_outside_numbers(const std::string& pattern) {
  const std::string number_chars = "0123456789.+-eE", operators = "^$.*+?()|";
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\') {
      ++i;  // \d, \S, \. and the like
    } else if (c == '[') {  // to the closing ']' (one right after '[' or "[^" is literal)
      std::size_t k = i + 1;
      if (k < pattern.size() && pattern[k] == '^') ++k;
      if (k < pattern.size() && pattern[k] == ']') ++k;
      while (k < pattern.size() && pattern[k] != ']') k += pattern[k] == '\\' ? 2 : 1;
      i = k;
    } else if (c == '{') {  // a repeat count {m,n}
      while (i < pattern.size() && pattern[i] != '}') ++i;
    } else if (pattern.compare(i, 3, "(?=") == 0 || pattern.compare(i, 3, "(?!") == 0) {
      // a lookahead checks text beside the match without taking it: to its closing ')'
      for (int depth = 0; i < pattern.size(); ++i) {
        if (pattern[i] == '\\') ++i;
        else if (pattern[i] == '(') ++depth;
        else if (pattern[i] == ')' && --depth == 0) break;
      }
    } else if (operators.find(c) == std::string::npos && number_chars.find(c) == std::string::npos) {
      return c;
    }
  }
  return '\0';
}

ResultReader read_result_reader(const Reader& r, const json& j, const std::string& path) {
  r.check_keys(j, path, {"type", "pattern", "key", "sd"});
  const auto type = j.contains("type") ? r.string_at(j, "type", path, {"last_number", "regex", "json_key"}) : "last_number";
  ResultReader reader;
  if (type != "json_key" && j.contains("key")) r.fail(path + "/key", "only used with \"type\": \"json_key\"");
  if (type == "last_number" && j.contains("pattern")) r.fail(path + "/pattern", "only used with \"type\": \"regex\"");
  if (type == "regex") {
    if (!j.contains("pattern")) r.fail(path, "missing key \"pattern\" (a regular expression; its first group is the score)");
    reader.kind = ResultReader::Kind::Regex;
    reader.pattern = r.string_at(j, "pattern", path);
    try {
      std::regex check(reader.pattern);
      // Without a group the whole match is the score: a literal no number holds (as the
      // "loss " of "loss [0-9.]+") fails every evaluation, which only a run would show.
      if (const char c = literal_outside_numbers(reader.pattern); check.mark_count() == 0 && c != '\0')
        r.fail(path + "/pattern", "the pattern has no group, so its whole match is the score, but it matches '" +
                                      std::string(1, c) + "', which no number holds: put the number's part in parentheses, " +
                                      "as in loss=(\\S+)");
    } catch (const std::regex_error& e) {
      r.fail(path + "/pattern", std::string("invalid regular expression: ") + e.what());
    }
  } else if (type == "json_key") {
    if (!j.contains("key")) r.fail(path, "missing key \"key\" (the JSON key holding the score)");
    if (j.contains("pattern")) r.fail(path + "/pattern", "only used with \"type\": \"regex\"");
    reader.kind = ResultReader::Kind::JsonKey;
    reader.key = r.string_at(j, "key", path);
  }
  return reader;
}

bool has_parameter(const bo::Space& space, const std::string& name) {
  const auto& ps = space.parameters();
  return std::any_of(ps.begin(), ps.end(), [&](const bo::Parameter& p) { return p.name == name; });
}

// "sd": the name under which the command prints the score's noise sd ("loss_sd: 0.004" or a JSON
// line {"loss_sd": 0.004}); never a parameter's, and not the score's own key.
std::string read_sd_name(const Reader& r, const json& result, const ResultReader& reader, const bo::Space& space,
                         const std::string& path) {
  const std::string name = r.string_at(result, "sd", path);
  if (name.empty() || name.find_first_of(" \t\n:=") != std::string::npos)
    r.fail(path + "/sd", "expected the name the command prints the sd under (as \"loss_sd\" in \"loss_sd: 0.004\"), "
                         "without blanks, ':' or '='");
  if (reader.kind == ResultReader::Kind::JsonKey && name == reader.key)
    r.fail(path + "/sd", "\"" + name + "\" is the score's key; the sd needs a key of its own");
  if (has_parameter(space, name)) r.fail(path + "/sd", "\"" + name + "\" is a parameter's name; name the sd's line otherwise");
  return name;
}

// Whether execvpe would find an executable `name` on PATH (glibc searches the PATH of gpbo itself,
// not the one a config's env gives the command; an empty entry is the command's working directory).
bool on_path(const std::string& name, const std::string& working_directory) {
  const char* env = std::getenv("PATH");
  std::stringstream dirs(env ? env : "/usr/local/bin:/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    const auto candidate = std::filesystem::path(dir.empty() ? working_directory : dir) / name;
    if (std::filesystem::is_regular_file(candidate) && ::access(candidate.c_str(), X_OK) == 0) return true;
  }
  return false;
}

CommandSpec read_command(const Reader& r, const json& j, const std::string& path, const bo::Space& space,
                         const std::string& base_dir) {
  CommandSpec c;
  const auto& argv = j.at("command");
  if (!argv.is_array() || argv.empty()) r.fail(path + "/command", "expected a non-empty array of strings (program and arguments)");
  for (std::size_t i = 0; i < argv.size(); ++i) {
    if (!argv[i].is_string()) r.fail(path + "/command/" + std::to_string(i), "expected a string");
    c.argv.push_back(argv[i].get<std::string>());
    if (c.argv.back().find('\0') != std::string::npos)  // exec would cut the argument there, silently
      r.fail(path + "/command/" + std::to_string(i), "a NUL character cannot reach a program (it would cut the argument short)");
  }
  const std::vector<std::string> specials = {"params_file", "id"};  // besides the parameters
  std::vector<std::string> names = specials;
  std::vector<std::string> parameters;
  for (const auto& p : space.parameters()) {
    names.push_back(p.name);
    parameters.push_back(p.name);
    // "{x y}" would silently reach the program as it is: say so before any run.
    if (is_placeholder_name(p.name)) continue;
    for (const auto& arg : c.argv)
      if (arg.find("{" + p.name + "}") != std::string::npos)
        r.fail(path + "/command", "{" + p.name + "} cannot be a placeholder: placeholder names use letters, digits, '_', '.' and '-' "
                                  "and do not start with a digit; rename the parameter, or read the parameters from {params_file}");
  }
  for (const auto& ph : placeholders_in(c.argv)) {
    if (std::find(names.begin(), names.end(), ph) != names.end()) continue;
    const auto hint = did_you_mean(ph, names);
    r.fail(path + "/command", "placeholder {" + ph + "} names no parameter" +
                                  (hint.empty() ? " (parameters: " + Reader::join(parameters) + "; also {params_file} and {id})"
                                                : " (did you mean {" + hint + "}?)"));
  }
  // Where a conditional parameter is inactive its whole argument is left out (expand_argv), so
  // it must not carry another placeholder that would go missing with it.
  for (std::size_t i = 0; i < c.argv.size(); ++i) {
    const auto here = placeholders_in({c.argv[i]});
    for (const auto& p : space.parameters())
      if (!p.conditions.empty() && here.size() > 1 && std::find(here.begin(), here.end(), p.name) != here.end())
        r.fail(path + "/command/" + std::to_string(i), "\"" + c.argv[i] + "\" holds the conditional parameter {" + p.name +
                                                           "} and other placeholders; where " + p.name +
                                                           " is inactive the whole argument is left out, so give {" + p.name +
                                                           "} an argument of its own (as \"--" + p.name + "={" + p.name + "}\")");
    // ["--momentum", "{momentum}"] (argparse's habit): where momentum is inactive only "{momentum}"
    // goes, and the flag reaches the program without its value, failing that whole branch.
    if (i == 0 || here.size() != 1 || c.argv[i] != "{" + here.front() + "}") continue;
    const std::string& flag = c.argv[i - 1];
    const auto p = std::find_if(space.parameters().begin(), space.parameters().end(),
                                [&](const bo::Parameter& q) { return q.name == here.front(); });
    if (p != space.parameters().end() && !p->conditions.empty() && flag.size() > 1 && flag[0] == '-' &&
        placeholders_in({flag}).empty())
      r.fail(path + "/command/" + std::to_string(i),
             "the conditional parameter {" + p->name + "} follows the flag \"" + flag + "\" as an argument of its own; where " +
                 p->name + " is inactive only \"{" + p->name + "}\" is left out and \"" + flag +
                 "\" would reach the program without a value: write \"" + flag + "={" + p->name + "}\" as one argument");
  }
  if (j.contains("cwd")) c.working_directory = r.string_at(j, "cwd", path);
  std::filesystem::path wd = c.working_directory.empty() ? std::filesystem::path(base_dir) : std::filesystem::path(c.working_directory);
  if (wd.is_relative()) wd = std::filesystem::path(base_dir) / wd;
  if (!std::filesystem::is_directory(wd)) r.fail(path + (j.contains("cwd") ? "/cwd" : ""), "working directory " + wd.string() + " does not exist");
  c.working_directory = std::filesystem::absolute(wd).lexically_normal().string();
  if (j.contains("env")) {
    if (!j["env"].is_object()) r.fail(path + "/env", "expected an object of NAME: \"value\" strings");
    for (const auto& [k, v] : j["env"].items()) {
      // setenv would take "A=B" as A with "B=..." prepended, and drop "" silently.
      if (k.empty() || k.find_first_of("=") != std::string::npos || k.find('\0') != std::string::npos)
        r.fail(path + "/env/" + json_pointer_token(k), "an environment variable's name must be non-empty, without '=' or NUL");
      if (!v.is_string()) r.fail(path + "/env/" + json_pointer_token(k), "expected a string");
      if (v.get<std::string>().find('\0') != std::string::npos)
        r.fail(path + "/env/" + json_pointer_token(k), "a NUL character cannot reach a program (it would cut the value short)");
      c.env[k] = v.get<std::string>();
    }
  }
  if (j.contains("timeout_s")) c.timeout_s = r.number_at(j, "timeout_s", path, 0);
  if (j.contains("params")) c.params_on_stdin = r.string_at(j, "params", path, {"argv", "stdin"}) == "stdin";
  if (j.contains("result")) {
    c.reader = read_result_reader(r, j["result"], path + "/result");
    if (j["result"].contains("sd")) c.sd_name = read_sd_name(r, j["result"], c.reader, space, path + "/result");
  }
  // A program given as a relative path is resolved against the working directory, so the
  // config works from any current directory.
  // A program named by a path is checked now, not found out at the first evaluation (where every
  // evaluation would fail); a bare name is looked up on PATH when the command runs.
  const std::filesystem::path program(c.argv.front());
  if (program.has_parent_path() && program.string().find('{') == std::string::npos) {
    // "./train.sh" as ".../dir/train.sh" in messages, not ".../dir/./train.sh"; a path through
    // ".." is kept as written (a symbolic link before it leads elsewhere than the text says).
    const bool through_parent = std::any_of(program.begin(), program.end(), [](const auto& part) { return part == ".."; });
    const auto tidy = through_parent ? program : program.lexically_normal();
    const auto resolved = program.is_relative() ? std::filesystem::path(c.working_directory) / tidy : tidy;
    if (!std::filesystem::exists(resolved)) r.fail(path + "/command/0", "program " + resolved.string() + " does not exist");
    if (std::filesystem::is_directory(resolved)) r.fail(path + "/command/0", "program " + resolved.string() + " is a directory");
    if (::access(resolved.c_str(), X_OK) != 0)
      r.fail(path + "/command/0", "program " + resolved.string() + " is not executable (chmod +x it, or name its "
                                  "interpreter first, e.g. [\"python3\", \"" + program.string() + "\", ...])");
    c.argv.front() = resolved.string();
  } else if (!program.has_parent_path() && program.string().find('{') == std::string::npos &&
             !on_path(program.string(), c.working_directory)) {
    const bool here = std::filesystem::exists(std::filesystem::path(c.working_directory) / program);
    r.fail(path + "/command/0", "program \"" + program.string() + "\" is not found on PATH" +
                                    (here ? "; for the file in the working directory write \"./" + program.string() + "\"" : ""));
  }
  // A tuned parameter the program never receives is tuned on noise: say so before any run.
  const auto used = placeholders_in(c.argv);
  const auto uses = [&](const std::string& name) { return std::find(used.begin(), used.end(), name) != used.end(); };
  if (!c.params_on_stdin && !uses("params_file"))
    for (const auto& p : space.parameters())
      if (p.kind != bo::Parameter::Kind::Fixed && !uses(p.name))
        r.fail(path + "/command", "parameter \"" + p.name + "\" reaches the program nowhere: add {" + p.name +
                                      "} to the command, pass {params_file}, or set \"params\": \"stdin\"");
  return c;
}

// "constraints": [{"name": "memory_mb", "max": 512}, ...], read as the optimizer's options JSON
// reads it. Each name becomes a results.csv column, so it may not be a parameter's or a column's.
std::vector<bo::OutcomeConstraint> read_constraints(const Reader& r, const json& j, const bo::Space& space,
                                                    const std::string& file) {
  std::vector<bo::OutcomeConstraint> constraints;
  try {
    constraints = bo::options_from_json(json{{"constraints", j}}, "").constraints;
  } catch (const bo::StateError& e) {
    throw ConfigError(file + ": " + e.what());
  }
  for (std::size_t k = 0; k < constraints.size(); ++k) {
    const std::string& name = constraints[k].name;
    const std::string path = "/constraints/" + std::to_string(k) + "/name";
    if (has_parameter(space, name))
      r.fail(path, "\"" + name + "\" is a parameter's name; a constraint needs a results.csv column of its own");
    const bool column = name == kFeasibleColumn || name == kValueSdColumn ||
                        std::find(kResultsColumns.begin(), kResultsColumns.end(), name) != kResultsColumns.end();
    if (column) r.fail(path, "the name \"" + name + "\" is taken by a results.csv column; rename the constraint");
  }
  if (!constraints.empty() && has_parameter(space, std::string(kFeasibleColumn)))
    r.fail("/space/" + std::string(kFeasibleColumn), "with constraints, the name \"feasible\" is taken by a results.csv "
                                                      "column; rename the parameter");
  return constraints;
}

// A built-in objective's own constraints; it reports no others.
std::vector<bo::OutcomeConstraint> builtin_constraints(const Reader& r, const json& j, const bo::TestFunction& f) {
  if (!j.contains("constraints")) return f.constraints;
  if (f.constraints.empty())
    r.fail("/constraints", "the built-in " + f.name + " reports no constraint values; outcome constraints need a "
                           "command objective (or gpbo ask/tell)");
  std::string own;
  for (const auto& c : f.constraints) own += (own.empty() ? "" : ", ") + c.describe();
  r.fail("/constraints", "the built-in " + f.name + " brings its own constraints (" + own + "); remove \"constraints\"");
}

// A built-in objective: its name, and the domain and outcome constraints it brings.
void read_builtin(const Reader& r, const json& j, const json& o, TuneConfig& c) {
  c.objective.builtin = r.string_at(o, "builtin", "/objective");
  std::optional<bo::TestFunction> f;
  try {
    f = bo::test_function(c.objective.builtin);
  } catch (const std::invalid_argument& e) {
    r.fail("/objective/builtin", e.what());
  }
  c.space = f->space();
  c.constraints = builtin_constraints(r, j, *f);
  if (j.contains("space")) r.fail("/space", "a built-in objective defines its own space (its domain); remove \"space\"");
  for (const char* key : {"cwd", "env", "timeout_s", "params", "result"})  // they would be ignored
    if (o.contains(key)) r.fail(std::string("/objective/") + key, std::string("only a command objective takes ") + key);
}

// The config's "space": at least one parameter that is not fixed, none named like a results.csv
// column or a placeholder.
bo::Space read_space(const Reader& r, const json& j, const std::string& file, const std::vector<std::string>& order) {
  bo::Space space;
  try {
    space = bo::space_from_json(j, "/space", order);
  } catch (const bo::SpaceError& e) {
    throw ConfigError(file + ": " + e.what());
  }
  if (space.size() == 0) r.fail("/space", "expected at least one parameter");
  if (std::all_of(space.parameters().begin(), space.parameters().end(),
                  [](const bo::Parameter& p) { return p.kind == bo::Parameter::Kind::Fixed; }))
    r.fail("/space", "every parameter is fixed: nothing to tune (give at least one a range or choices)");
  // results.csv has one column per parameter beside these; a parameter of the same name
  // would make two columns with one header.
  for (const std::string_view name : kResultsColumns)
    if (const std::string reserved(name); j.contains(reserved))
      r.fail("/space/" + reserved, "the name \"" + reserved + "\" is taken by a results.csv column; rename the parameter");
  if (const std::string sd_column(kValueSdColumn); j.contains(sd_column))
    r.fail("/space/" + sd_column, "the name \"" + sd_column + "\" is taken by a results.csv column (the values' noise sd); rename the parameter");
  if (j.contains("params_file"))  // {params_file} would get the file's path, not the value
    r.fail("/space/params_file", "the name \"params_file\" is taken by the {params_file} placeholder; rename the parameter");
  return space;
}

// Any 64-bit unsigned integer.
std::uint64_t read_seed(const Reader& r, const json& seed) {
  if (seed.is_number_unsigned() || json_integer_in(seed, 0, std::numeric_limits<std::int64_t>::max()))
    return seed.get<std::uint64_t>();
  if (seed.is_number_float() && seed.get<double>() >= 0.0 && seed.get<double>() == std::floor(seed.get<double>()))
    r.fail("/seed", "expected an integer from 0 to " + std::to_string(std::numeric_limits<std::uint64_t>::max()) +
                        ", got " + seed.dump());
  r.fail("/seed", "expected a non-negative integer");
}

}  // namespace

void check_overridable_keys(const json& j, const std::string& file) {
  const Reader r(file);
  if (!j.is_object()) r.fail("", "expected an object");
  if (j.contains("budget")) r.int_at(j, "budget", "", 1);
  if (j.contains("workers")) r.int_at(j, "workers", "", 1, kMaxWorkers);
  if (j.contains("seed")) read_seed(r, j["seed"]);
}

TuneConfig tune_config_from_json(const json& j, const std::string& file, const std::string& base_dir,
                                 ObjectiveRequirement requirement, const std::vector<std::string>& space_order) {
  const Reader r(file);
  r.check_keys(j, "", {"$schema", "name", "space", "parameter_constraints", "start_points", "warm_start", "goal", "budget",
                       "stop", "constraints", "optimizer", "objective", "workers", "synchronous", "seed"});
  TuneConfig c;
  c.source = j;
  c.file = file;
  c.name = j.contains("name") ? r.string_at(j, "name", "") : std::filesystem::path(file).stem().string();
  if (!j.contains("objective") && requirement == ObjectiveRequirement::Required)
    r.fail("", "missing key \"objective\" (a built-in function or a command)");
  c.has_objective = j.contains("objective");
  const json& o = c.has_objective ? j["objective"] : json::object();
  r.check_keys(o, "/objective", {"builtin", "noise_sd", "report_sd", "command", "cwd", "env", "timeout_s", "params", "result"});
  if (c.has_objective && o.contains("builtin") == o.contains("command"))
    r.fail("/objective", "expected exactly one of \"builtin\" (a test function name) or \"command\" (an argv array)");
  if (o.contains("builtin")) {
    read_builtin(r, j, o, c);
  } else {
    if (!j.contains("space")) r.fail("", "missing key \"space\" (the parameters to tune)");
    c.space = read_space(r, j["space"], file, space_order);
  }
  if (j.contains("parameter_constraints")) {
    try {
      bo::add_constraints_from_json(c.space, j["parameter_constraints"], "/parameter_constraints");
    } catch (const bo::SpaceError& e) {
      throw ConfigError(file + ": " + e.what());
    }
  }
  if (j.contains("start_points")) {
    const json& points = j["start_points"];
    if (!points.is_array()) r.fail("/start_points", "expected an array of points, each an object of parameter values");
    for (std::size_t i = 0; i < points.size(); ++i) {
      const std::string where = "/start_points/" + std::to_string(i);
      // A point may leave parameters out: the optimizer chooses them when it comes to it.
      try {
        const bo::Point given = bo::values_from_json(points[i], c.space, where);
        if (c.space.is_complete(c.space.complete(given))) {
          c.start_points.push_back(bo::point_from_json(points[i], c.space, where));
        } else {
          try {
            c.start_points.push_back(c.space.slice(given).held());
          } catch (const bo::SpaceError& e) {
            r.fail(where, e.what());
          }
        }
      } catch (const bo::SpaceError& e) {
        throw ConfigError(file + ": " + e.what());
      }
      // The optimizer suggests a point enqueued twice once: say so rather than drop it unseen.
      const auto whole = [&](const bo::Point& p) { return c.space.is_complete(c.space.complete(p)); };
      const auto same = [&](const bo::Point& a, const bo::Point& b) {
        if (whole(a) != whole(b)) return false;
        return whole(a) ? c.space.encode(a) == c.space.encode(b) : a == b;
      };
      for (std::size_t k = 0; k < i; ++k)
        if (same(c.start_points[k], c.start_points.back()))
          r.fail(where, "the same point as /start_points/" + std::to_string(k) + " (each start point is evaluated once)");
    }
  }
  if (j.contains("warm_start")) {  // read when a run starts: a resumed run has its observations
    const auto file_name = r.string_at(j, "warm_start", "");
    c.warm_start = (std::filesystem::path(base_dir) / file_name).lexically_normal().string();
  }
  if (j.contains("goal")) c.minimize = r.string_at(j, "goal", "", {"minimize", "maximize"}) == "minimize";
  if (j.contains("budget")) c.budget = r.int_at(j, "budget", "", 1);
  if (j.contains("stop")) c.stop = read_stop(r, j["stop"], "/stop");
  if (j.contains("optimizer")) c.optimizer = read_optimizer(r, j["optimizer"], "/optimizer");
  if (j.contains("workers")) c.workers = r.int_at(j, "workers", "", 1, kMaxWorkers);
  if (j.contains("synchronous")) {
    if (!j["synchronous"].is_boolean()) r.fail("/synchronous", "expected true or false");
    c.synchronous = j["synchronous"].get<bool>();
  }
  if (j.contains("seed")) c.seed = read_seed(r, j["seed"]);
  if (o.contains("noise_sd")) {
    if (!o.contains("builtin")) r.fail("/objective/noise_sd", "only a built-in objective takes noise_sd");
    c.objective.noise_sd = r.number_at(o, "noise_sd", "/objective", 0);
  }
  if (o.contains("report_sd")) {
    if (!o["report_sd"].is_boolean()) r.fail("/objective/report_sd", "expected true or false");
    c.objective.report_sd = o["report_sd"].get<bool>();
    if (c.objective.report_sd && c.objective.noise_sd <= 0)
      r.fail("/objective/report_sd", o.contains("builtin") ? "a built-in reports the sd of the noise it adds: give it \"noise_sd\" > 0"
                                                          : "only a built-in objective takes report_sd (a command names its sd's line in \"result\": {\"sd\": \"loss_sd\"})");
  }
  if (j.contains("constraints") && !o.contains("builtin")) c.constraints = read_constraints(r, j["constraints"], c.space, file);
  if (o.contains("command")) {
    c.objective.command = read_command(r, o, "/objective", c.space, base_dir);
    for (const auto& constraint : c.constraints) {
      c.objective.command->constraint_names.push_back(constraint.name);
      if (constraint.name == c.objective.command->sd_name)
        r.fail("/objective/result/sd", "\"" + constraint.name + "\" is a constraint's name; the sd needs a name of its own");
    }
  }
  const bool explicit_initial = j.contains("optimizer") && j["optimizer"].contains("initial_points");
  if (explicit_initial && c.optimizer.initial_points > c.budget)
    r.fail("/optimizer/initial_points", "expected at most the budget (" + std::to_string(c.budget) + ")");
  c.optimizer.initial_points = std::min(c.optimizer.initial_points, c.budget);  // the default yields to small budgets
  return c;
}

TuneConfig load_tune_config(const std::string& path, ObjectiveRequirement requirement) {
  std::ifstream in(path);
  if (!in) throw ConfigError(path + ": cannot open config file");
  json j;
  JsonKeyOrder order;
  try {
    j = parse_json_text(std::string(std::istreambuf_iterator<char>(in), {}), path, &order);
  } catch (const JsonTextError& e) {
    throw ConfigError(e.what());
  }
  auto base = std::filesystem::absolute(path).parent_path().string();
  return tune_config_from_json(j, path, base, requirement, order["/space"]);
}

bo::Optimizer new_optimizer(const TuneConfig& config) {
  bo::Optimizer optimizer(config.space, optimizer_options(config));
  if (!config.warm_start.empty()) {
    try {
      for (const auto& row : read_warm_start(config.warm_start, config.space, config.constraints)) {
        if (row.value)
          optimizer.tell(row.point, bo::Measurement{*row.value, row.sd}, row.constraint_values);
        else
          optimizer.tell_failure(row.point, "warm start: " + row.failure);
      }
    } catch (const std::exception& e) {  // CsvError, FileError
      throw ConfigError(config.file + ": /warm_start: " + std::string(e.what()));
    }
  }
  for (const auto& point : config.start_points) optimizer.enqueue(point);
  return optimizer;
}

bo::OptimizerOptions optimizer_options(const TuneConfig& c) {
  const auto& s = c.optimizer;
  auto o = bo::OptimizerOptions::preset(s.hyperparameters == "mcmc" ? "mcmc" : s.preset);
  o.goal = c.minimize ? bo::Goal::Minimize : bo::Goal::Maximize;
  o.seed = c.seed;
  o.initial_points = static_cast<std::size_t>(s.initial_points);
  o.escape.enabled = s.escape;
  o.surrogate.short_range = s.short_range;
  o.surrogate.outliers = s.outliers ? bo::OutlierMode::Detect : bo::OutlierMode::Off;
  o.initial_design = s.initial_design == "lhs"      ? bo::DesignKind::LatinHypercube
                     : s.initial_design == "random" ? bo::DesignKind::Uniform
                                                    : bo::DesignKind::Sobol;
  o.acquisition = bo::parse_acquisition_kind(s.acquisition);
  o.xi = s.xi;
  if (s.noise == "auto" || s.noise == "none") {
    o.surrogate.noise = bo::parse_noise_mode(s.noise);
  } else {
    o.surrogate.noise = bo::NoiseMode::Fixed;
    o.surrogate.noise_sd = std::stod(s.noise);
  }
  o.stop.max_evaluations = static_cast<std::size_t>(c.budget);
  o.stop.target = c.stop.target;
  o.stop.patience = c.stop.patience ? static_cast<std::size_t>(*c.stop.patience) : 0;
  o.stop.max_seconds = c.stop.max_time_s.value_or(0.0);
  o.constraints = c.constraints;
  return o;
}

}  // namespace gpbo::tune
