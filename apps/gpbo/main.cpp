// gpbo: command-line front end. Subcommands live in *_command.cpp and register themselves.
#include <iostream>
#include <map>

#include "command.hpp"
#include "core/allocator.hpp"
#include "core/csv.hpp"
#include "tune/run_state.hpp"
#include "tune/tune_config.hpp"

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

}  // namespace gpbo::cli

int main(int argc, char** argv) {
  gpbo::retain_freed_memory();  // see core/allocator.hpp: fewer page faults
  CLI::App app{"gpbo: Gaussian processes, Bayesian optimization and MCMC sampling"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "gpbo 0.1.0");
  for (auto& [name, setup] : gpbo::cli::registry()) setup(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const gpbo::cli::UsageError& e) {
    std::cerr << "gpbo: " << e.what() << '\n';
    return 2;
  } catch (const gpbo::tune::ConfigError& e) {
    std::cerr << "gpbo: " << e.what() << '\n';
    return 2;
  } catch (const gpbo::tune::StateFileError& e) {
    std::cerr << "gpbo: " << e.what() << '\n';
    return 2;
  } catch (const gpbo::CsvError& e) {
    std::cerr << "gpbo: " << e.what() << '\n';
    return 2;
  } catch (const std::invalid_argument& e) {
    std::cerr << "gpbo: " << e.what() << '\n';
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "gpbo: internal error: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
