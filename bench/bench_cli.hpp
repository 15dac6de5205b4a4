#pragma once
// Command-line parsing shared by the benchmark programs.
#include <optional>

#include <CLI/CLI.hpp>

namespace gpbo::bench {

/// Parses argv into `app`. Returns nothing to go on, 0 after --help, and 2 after a usage error
/// (CLI11's message printed), the exit status every gpbo program uses for usage errors; CLI11's
/// own codes (105, 109, 114...) mean nothing to a script.
inline std::optional<int> parse_command_line(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
    return std::nullopt;
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
}

}  // namespace gpbo::bench
