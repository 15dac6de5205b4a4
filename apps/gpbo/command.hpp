#pragma once
// Subcommand registry of the gpbo CLI. Each *_command.cpp defines a function that adds its
// subcommand to the CLI11 app and registers it with GPBO_COMMAND, so adding a command never
// touches a shared file. Registration order does not matter: subcommands are listed by name.

#include <CLI/CLI.hpp>
#include <functional>
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

}  // namespace gpbo::cli

#define GPBO_CONCAT_INNER(a, b) a##b
#define GPBO_CONCAT(a, b) GPBO_CONCAT_INNER(a, b)
/// GPBO_COMMAND("fit", setup_fn) at namespace scope in a *_command.cpp.
#define GPBO_COMMAND(name, setup) \
  static const bool GPBO_CONCAT(gpbo_command_registered_, __LINE__) = ::gpbo::cli::register_command(name, setup)
