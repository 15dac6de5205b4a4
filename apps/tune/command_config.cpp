// Reading the "objective" section's command (config_reader.hpp): its arguments and their
// placeholders, environment, working directory and how its output gives the score.
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <sstream>

#include "gpbo/core/text_list.hpp"
#include "tune/config_reader.hpp"

namespace gpbo::tune::detail {
namespace {

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

constexpr std::size_t kMaxPatternLength = 1000;

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
      if (reader.pattern.empty()) r.fail(path + "/pattern", "expected a regular expression, got an empty one (it matches every line)");
      // libstdc++ compiles a pattern by recursion, a level per term: 100,000 characters overflowed
      // the stack (a segmentation fault). A score's pattern is a line's worth.
      // Characters, as a user counts them: UTF-8 continuation bytes do not start one.
      const auto characters = std::count_if(reader.pattern.begin(), reader.pattern.end(),
                                            [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
      if (static_cast<std::size_t>(characters) > kMaxPatternLength)
        r.fail(path + "/pattern", "expected a regular expression of at most " + std::to_string(kMaxPatternLength) +
                                      " characters, got " + std::to_string(characters));
      const std::regex check = result_regex(reader.pattern);
      // Without a group the whole match is the score: a literal no number holds (as the
      // "loss " of "loss [0-9.]+") fails every evaluation, which only a run would show.
      if (const char c = literal_outside_numbers(reader.pattern); check.mark_count() == 0 && c != '\0')
        r.fail(path + "/pattern", "the pattern has no group, so its whole match is the score, but it matches '" +
                                      std::string(1, c) + "', which no number holds: put the number's part in parentheses, " +
                                      "as in loss=(\\S+)");
    } catch (const std::regex_error& e) {
      if (e.code() == std::regex_constants::error_complexity)  // libstdc++'s words for a back-reference
        r.fail(path + "/pattern", "back-references (\\1) are not supported: patterns run in time linear in each line");
      r.fail(path + "/pattern", std::string("invalid regular expression: ") + e.what());
    }
  } else if (type == "json_key") {
    if (!j.contains("key")) r.fail(path, "missing key \"key\" (the JSON key holding the score)");
    if (j.contains("pattern")) r.fail(path + "/pattern", "only used with \"type\": \"regex\"");
    reader.kind = ResultReader::Kind::JsonKey;
    reader.key = r.string_at(j, "key", path);
    if (reader.key.empty()) r.fail(path + "/key", "expected the JSON key holding the score, got an empty one");
  }
  return reader;
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

}  // namespace

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
                                  (hint.empty() ? " (parameters: " + join_text(parameters) + "; also {params_file} and {id})"
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

}  // namespace gpbo::tune::detail
