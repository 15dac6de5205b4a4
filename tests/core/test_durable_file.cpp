#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <string>

#include "gpbo/core/durable_file.hpp"

using namespace gpbo;

TEST_CASE("durable files: atomic replace and durable append") {
  const auto dir = std::filesystem::temp_directory_path() / ("gpbo_durable_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "state.json").string();
  write_file_atomically(path, "first");
  write_file_atomically(path, "second");
  CHECK(read_file(path) == "second");
  CHECK(std::distance(std::filesystem::directory_iterator(dir), {}) == 1);  // no temp file left
  append_line_durably((dir / "log").string(), "a");
  append_line_durably((dir / "log").string(), "b");
  CHECK(read_file((dir / "log").string()) == "a\nb\n");
  CHECK_THROWS_WITH(read_file((dir / "missing").string()),
                    "cannot read " + (dir / "missing").string() + ": No such file or directory");
  // Failures are FileErrors naming the file the caller asked for, not the temporary beside it.
  const std::string nowhere = (dir / "no" / "state.json").string();
  CHECK_THROWS_AS(write_file_atomically(nowhere, "x"), FileError);
  CHECK_THROWS_WITH(write_file_atomically(nowhere, "x"), "cannot write " + nowhere + ": No such file or directory");
  CHECK_THROWS_AS(read_file((dir / "missing").string()), FileError);
  std::filesystem::remove_all(dir);
}
