// Scratch files and environment for tests. A file named with this process's id under the
// system's temp directory is never shared with another test binary (ctest -j2) or another run
// of the same one; a fixed name in the working directory was (test_gp failed 31 of 600 runs of
// two copies at once).
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

namespace gpbo::test {

/// <temp dir>/gpbo_test_<pid>_<name>.
inline std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("gpbo_test_" + std::to_string(::getpid()) + "_" + name)).string();
}

/// Sets an environment variable for a scope and restores it after, also when a check throws
/// (a TMPDIR left pointing at a removed directory broke every later test of the binary).
class ScopedEnv {
 public:
  ScopedEnv(std::string name, const std::string& value) : name_(std::move(name)) {
    if (const char* old = std::getenv(name_.c_str())) old_ = old;
    setenv(name_.c_str(), value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (old_) setenv(name_.c_str(), old_->c_str(), 1);
    else unsetenv(name_.c_str());
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::string name_;
  std::optional<std::string> old_;
};

}  // namespace gpbo::test
