// gpbo: command-line front end. Subcommands live in *_command.cpp and register themselves.
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <new>
#include <optional>
#include <string>
#include <vector>

#include "command.hpp"
#include "gpbo/core/allocator.hpp"
#include "gpbo/core/csv.hpp"
#include "gpbo/core/did_you_mean.hpp"
#include "gpbo/core/durable_file.hpp"
#include "gpbo/core/text_list.hpp"
#include "tune/run_state.hpp"

namespace gpbo::cli {
namespace {
std::map<std::string, CommandSetup>& registry() {
  static std::map<std::string, CommandSetup> commands;
  return commands;
}
}  // namespace

bool register_command(const std::string& name, CommandSetup setup) {
  registry().emplace(name, std::move(setup));
  return true;
}

namespace {

// "gpbo fit: unknown option '--targt' (did you mean '--target'?)" for the first --word the
// command does not know; nothing when every --word is known.
std::optional<std::string> unknown_option_message(CLI::App& app, int argc, char** argv) {
  if (argc < 2 || !registry().count(argv[1])) return std::nullopt;
  CLI::App* command = app.get_subcommand(argv[1]);
  std::vector<std::string> known;
  for (const CLI::Option* option : command->get_options())
    for (const auto& name : option->get_lnames()) known.push_back("--" + name);
  for (int i = 2; i < argc; ++i) {
    std::string word = argv[i];
    if (word.rfind("--", 0) != 0 || word.size() == 2) continue;
    word = word.substr(0, word.find('='));
    if (std::find(known.begin(), known.end(), word) != known.end()) continue;
    const std::string hint = did_you_mean(word, known);
    return "gpbo " + command->get_name() + ": unknown option '" + word + "'" +
           (hint.empty() ? "" : " (did you mean '" + hint + "'?)") + "; see gpbo " + command->get_name() + " --help";
  }
  return std::nullopt;
}

}  // namespace
}  // namespace gpbo::cli

using gpbo::cli::unknown_option_message;

int main(int argc, char** argv) {
  gpbo::retain_freed_memory();  // see core/allocator.hpp: fewer page faults
  CLI::App app{"gpbo: Gaussian processes, Bayesian optimization and MCMC sampling"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "gpbo 0.1.0");
  std::vector<std::string> names;
  for (auto& [name, setup] : gpbo::cli::registry()) {
    setup(app);
    names.push_back(name);
  }
  const std::string commands = gpbo::join_text(names);
  // CLI11 would answer "gpbo bogus" with "A subcommand is required" and exit 106.
  if (argc == 1) {
    app.name(argv[0]);  // parse() would set it; without it the usage line lacks the program
    std::cerr << app.help() << "gpbo: give a command: " << commands << '\n';
    return 2;
  }
  const std::string first = argv[1];
  if (first == "help") {
    std::cout << app.help();
    return 0;
  }
  if (first.front() != '-' && !gpbo::cli::registry().count(first)) {
    std::vector<std::string> names;
    for (const auto& [name, setup] : gpbo::cli::registry()) names.push_back(name);
    const std::string hint = gpbo::did_you_mean(first, names);
    std::cerr << "gpbo: unknown command '" << first << "'" << (hint.empty() ? "" : " (did you mean '" + hint + "'?)")
              << "; commands: " << commands << " (gpbo --help)\n";
    return 2;
  }
  // Every error names the command it comes from: "gpbo tune: ...", "gpbo sample: ...".
  const std::string prefix = std::string("gpbo") + (gpbo::cli::registry().count(first) ? " " + first : "") + ": ";
  // Bad input, named by the command: exit status 2.
  const auto user_error = [&](const std::exception& e) {
    std::cerr << prefix << e.what() << '\n';
    return 2;
  };
  try {
    app.parse(argc, argv);
  } catch (const CLI::RuntimeError& e) {  // a command's own exit status (e.g. 4: nothing to ask)
    return e.get_exit_code();
  } catch (const CLI::ParseError& e) {
    // --help and --version exit 0; every usage error exits 2, like the errors below.
    if (e.get_exit_code() == 0) return app.exit(e);
    // A misspelled option is the likely cause of whatever CLI11 reports ("The following arguments
    // were not expected: y --targt", or "config: File does not exist: 3" for --budgt 3 CONFIG).
    if (const auto message = unknown_option_message(app, argc, argv)) {
      std::cerr << *message << '\n';
      return 2;
    }
    // CLI11's own message ("--out: directory 'x' does not exist"), in gpbo's form.
    std::cerr << prefix << e.what() << "; see " << prefix.substr(0, prefix.size() - 2) << " --help\n";
    return 2;
  } catch (const gpbo::cli::UsageError& e) {
    return user_error(e);
  } catch (const gpbo::tune::StateFileError& e) {
    return user_error(e);
  } catch (const gpbo::FileError& e) {
    return user_error(e);
  } catch (const std::filesystem::filesystem_error& e) {
    std::cerr << prefix << e.code().message() << ": " << e.path1().string() << '\n';
    return 2;
  } catch (const gpbo::CsvError& e) {
    return user_error(e);
  } catch (const std::invalid_argument& e) {  // also tune::ConfigError
    return user_error(e);
  } catch (const std::bad_alloc&) {
    std::cerr << prefix << "out of memory; ask for less (fewer rows, points or draws, a larger thin)\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << prefix << "internal error: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
