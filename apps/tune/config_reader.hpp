#pragma once
// Reading a tune config (tune_config.cpp, command_config.cpp): the reader every part uses, whose
// errors name the file and the JSON path, and helpers the parts share. Internal to gpbo_tune.

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "gpbo/bayesopt/space.hpp"
#include "gpbo/core/did_you_mean.hpp"
#include "gpbo/core/json_text.hpp"
#include "gpbo/core/number_text.hpp"
#include "gpbo/core/text_list.hpp"
#include "tune/tune_config.hpp"

namespace gpbo::tune::detail {

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
      msg += hint.empty() ? " (known keys: " + join_text(known) + ")" : " (did you mean \"" + hint + "\"?)";
      fail(path + "/" + key, msg);
    }
  }

  std::string string_at(const json& obj, const std::string& key, const std::string& path,
                        const std::vector<std::string>& allowed = {}) const {
    const auto& v = obj.at(key);
    if (!v.is_string()) fail(path + "/" + key, allowed.empty() ? "expected a string" : "expected one of " + join_text(allowed));
    const auto s = v.get<std::string>();
    if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), s) == allowed.end()) {
      const auto hint = did_you_mean(s, allowed);
      fail(path + "/" + key, "expected one of " + join_text(allowed) + ", got \"" + s + "\"" +
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

  // The shortest text that reads back as x: a fixed noise sd is kept in the config as text, and
  // six digits changed 0.123456789 to 0.123457.
  static std::string fmt(double x) { return shortest_text(x); }

 private:
  std::string file_;
};

/// Whether the space has a parameter called `name`.
inline bool has_parameter(const bo::Space& space, const std::string& name) {
  const auto& ps = space.parameters();
  return std::any_of(ps.begin(), ps.end(), [&](const bo::Parameter& p) { return p.name == name; });
}

/// The "objective" section's command, its environment, working directory and result reader.
CommandSpec read_command(const Reader& r, const json& j, const std::string& path, const bo::Space& space,
                         const std::string& base_dir);

}  // namespace gpbo::tune::detail
