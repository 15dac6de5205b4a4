#pragma once
// Subcommand registry of the gpbo CLI. Each *_command.cpp defines a function that adds its
// subcommand to the CLI11 app and registers it with GPBO_COMMAND, so adding a command never
// touches a shared file. Registration order does not matter: subcommands are listed by name.

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <unistd.h>
#include <charconv>
#include <CLI/CLI.hpp>
#include <filesystem>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>

namespace gpbo::cli {

/// Adds one subcommand (options and callback) to the top-level app.
using CommandSetup = std::function<void(CLI::App& app)>;

/// Registers a subcommand setup; returns true so it can initialize a static.
bool register_command(const std::string& name, CommandSetup setup);

/// Thrown by commands for user errors (bad data, bad options): printed as "gpbo: <message>",
/// exit status 2 (1 is reserved for unexpected internal failures).
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Why a file cannot be created in `dir` ("" when it can): a probe file is made there and removed.
inline std::string unwritable_directory(const std::filesystem::path& dir) {
  std::string probe = (dir.empty() ? std::filesystem::path(".") : dir).string() + "/.gpbo-write-probe-XXXXXX";
  const int fd = ::mkstemp(probe.data());
  if (fd < 0) return "cannot create files in directory '" + (dir.empty() ? std::string(".") : dir.string()) + "': " + std::strerror(errno);
  ::close(fd);
  ::unlink(probe.c_str());
  return "";
}

/// An output file option: a file name in an existing directory where files can be created.
/// Checked before any work, so a long fit or sampling run is not lost to a typo in the path.
inline CLI::Validator output_file_validator() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        namespace fs = std::filesystem;
        std::error_code ec;
        if (s.empty()) return "expected a file name, got an empty one";
        if (fs::is_directory(s, ec)) return "'" + s + "' is a directory; expected a file name";
        if (fs::exists(s, ec) && !fs::is_regular_file(s, ec)) return "";  // a device or pipe: /dev/stdout
        const fs::path dir = fs::path(s).parent_path();
        if (!dir.empty() && fs::exists(dir, ec) && !fs::is_directory(dir, ec)) return "'" + dir.string() + "' is a file, not a directory";
        if (!dir.empty() && !fs::is_directory(dir, ec)) return "directory '" + dir.string() + "' does not exist";
        return unwritable_directory(dir);
      },
      "FILE");
}

/// A --state option: a directory is refused and, when it is a tune run's, its state file named
/// (gpbo tune prints "run directory: runs/x"; the state is runs/x/state.json).
inline CLI::Validator state_file_validator() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        std::error_code ec;
        if (!std::filesystem::is_directory(s, ec)) return "";
        const auto inside = std::filesystem::path(s) / "state.json";
        return "'" + s + "' is a directory; expected a state file" +
               (std::filesystem::is_regular_file(inside, ec) ? " such as " + inside.string() : std::string());
      },
      "FILE");
}

/// v without its name in --help ("--state TEXT:FILE"): for a second check of the same option,
/// which would otherwise show "TEXT:FILE:FILE".
inline CLI::Validator second_check(CLI::Validator v) {
  v.description("");
  return v;
}

/// An output directory option: created when missing, so only an existing non-directory is wrong.
inline CLI::Validator output_dir_validator() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        std::error_code ec;
        if (std::filesystem::exists(s, ec) && !std::filesystem::is_directory(s, ec))
          return "'" + s + "' exists and is not a directory";
        // A file on the way ("run.json/out") would stop create_directories with "Not a directory".
        for (auto up = std::filesystem::path(s).parent_path(); !up.empty() && up != up.root_path(); up = up.parent_path())
          if (std::filesystem::exists(up, ec) && !std::filesystem::is_directory(up, ec))
            return "'" + up.string() + "' is a file, so '" + s + "' cannot be made a directory";
        return "";
      },
      "DIR");
}

/// Accepts a whole number such as a seed or an id: decimal digits only (CLI11 would wrap "-1"
/// around to 2^64 - 1).
inline CLI::Validator whole_number_validator() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        std::uint64_t v = 0;
        const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);  // digits only, no sign
        if (!s.empty() && ec == std::errc() && end == s.data() + s.size()) return "";
        return "expected an integer from 0 to 18446744073709551615, got '" + s + "'";
      },
      "UINT");
}

/// Accepts a whole number in [lo, hi], and says so for anything else ("abc", "2.5", "-1"): CLI11's
/// Range would answer "Value abc not in range 1 to 100000000" for a value that is no number.
inline CLI::Validator whole_number_in(long long lo, long long hi) {
  return CLI::Validator(
      [lo, hi](std::string& s) -> std::string {
        long long v = 0;
        const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        if (!s.empty() && ec == std::errc() && end == s.data() + s.size() && v >= lo && v <= hi) return "";
        return "expected a whole number from " + std::to_string(lo) + " to " + std::to_string(hi) + ", got '" + s + "'";
      },
      "INT in [" + std::to_string(lo) + " - " + std::to_string(hi) + "]");
}

/// Accepts a number as strtod reads it, whole string ("" is refused: CLI11 would leave an
/// optional<double> unset for it, which then reads as a missing option). Subnormal values such
/// as 1e-320 are numbers (std::stod refused them as out of range); values beyond the double
/// range are not.
inline CLI::Validator number_validator() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        char* end = nullptr;
        errno = 0;
        const double v = std::strtod(s.c_str(), &end);
        if (s.empty() || end != s.c_str() + s.size()) return "expected a number, got '" + s + "'";
        if (errno == ERANGE && std::isinf(v)) return "expected a number within the double range, got '" + s + "'";
        if (errno == ERANGE && v == 0.0)  // 1e-400: as a tell's JSON line says, not silently 0
          return "expected a number within the double range (it would read as 0), got '" + s + "'";
        // strtod reads C's hexadecimal form ("0x10" is 16); configs, CSV and outputs do not.
        if (s.find_first_of("xX") != std::string::npos) return "expected a decimal number, got '" + s + "'";
        return "";
      },
      "NUMBER");
}

/// Adds an option holding a double exactly as strtod rounds its text, checked by number_validator.
/// CLI11 converts through long double and so rounds twice: a told 0.3000000014856746 was stored
/// one ulp off (3 of 200000 random values), unlike the same value told as a JSON line.
inline CLI::Option* add_number_option(CLI::App* cmd, const std::string& name, std::optional<double>& target,
                                      const std::string& description) {
  return cmd->add_option_function<std::string>(
                name, [&target](const std::string& text) { target = std::strtod(text.c_str(), nullptr); }, description)
      ->check(number_validator())
      ->type_name("FLOAT");
}

}  // namespace gpbo::cli

#define GPBO_CONCAT_INNER(a, b) a##b
#define GPBO_CONCAT(a, b) GPBO_CONCAT_INNER(a, b)
/// The columns gpbo predict writes after a model's inputs: names its inputs must not take, or
/// the predictions' header would name a column twice and not read back.
inline const std::vector<std::string> kModelPredictionColumns = {"mean", "sd", "lower95", "upper95"};

/// GPBO_COMMAND("fit", setup_fn) at namespace scope in a *_command.cpp.
#define GPBO_COMMAND(name, setup) \
  static const bool GPBO_CONCAT(gpbo_command_registered_, __LINE__) = ::gpbo::cli::register_command(name, setup)
