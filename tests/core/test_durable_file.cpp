#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

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

TEST_CASE("durable files: threads writing one file, permissions kept, directories and stale temporaries") {
  namespace fs = std::filesystem;
  const auto dir = fs::temp_directory_path() / ("gpbo_durable_threads_" + std::to_string(getpid()));
  fs::create_directories(dir);
  const std::string path = (dir / "state.json").string();
  // Every thread's temporary used to be path.tmp.PID: one renamed another's away ("cannot rename").
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        try {
          write_file_atomically(path, "writer " + std::to_string(t));
        } catch (const FileError&) {
          ++failures;
        }
      }
    });
  for (auto& t : threads) t.join();
  CHECK(failures == 0);
  CHECK(read_file(path).rfind("writer ", 0) == 0);
  CHECK(std::distance(fs::directory_iterator(dir), {}) == 1);
  // A private file stays private when it is replaced.
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write);
  write_file_atomically(path, "again");
  CHECK((fs::status(path).permissions() & fs::perms::all) == (fs::perms::owner_read | fs::perms::owner_write));
  // A directory is no file to read (an ifstream read it as empty).
  CHECK_THROWS_WITH(read_file(dir.string()), "cannot read " + dir.string() + ": it is a directory");
  // Temporaries of dead writers go, in both namings; a live process's stay.
  const pid_t dead = [] {
    const pid_t child = fork();
    if (child == 0) _exit(0);
    int status = 0;
    waitpid(child, &status, 0);
    return child;
  }();
  for (const std::string& suffix : {std::to_string(dead), std::to_string(dead) + ".7", std::to_string(getpid()) + ".3"})
    write_file_atomically(path + ".tmp." + suffix, "x");
  CHECK(remove_stale_temporaries(path) == 2);
  CHECK(fs::exists(path + ".tmp." + std::to_string(getpid()) + ".3"));
  fs::remove_all(dir);
}
