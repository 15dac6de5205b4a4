#include <catch2/catch.hpp>

#include <sys/stat.h>
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
  fs::remove_all(dir);  // a crashed run of a process with the same pid may have left files
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

TEST_CASE("durable files: links stay links, pipes and devices are written through") {
  namespace fs = std::filesystem;
  const auto dir = fs::temp_directory_path() / ("gpbo_durable_links_" + std::to_string(getpid()));
  fs::create_directories(dir);
  // A link to a regular file: the file it names is replaced, the link kept.
  const fs::path target = dir / "target.csv", link = dir / "link.csv";
  write_file_atomically(target.string(), "old");
  fs::create_symlink(target, link);
  write_file_atomically(link.string(), "new");
  CHECK(fs::is_symlink(link));
  CHECK(read_file(target.string()) == "new");
  // A dangling link makes the file it names, as a shell's redirection does, and stays a link.
  const fs::path dangling = dir / "dangling.csv";
  fs::create_symlink("made.csv", dangling);
  write_file_atomically(dangling.string(), "made");
  CHECK(fs::is_symlink(dangling));
  CHECK(read_file((dir / "made.csv").string()) == "made");
  fs::remove(dangling);
  fs::remove(dir / "made.csv");
  // A link to a device (`--out` naming /dev/null through a link) was replaced by a regular file.
  const fs::path to_null = dir / "null_link";
  fs::create_symlink("/dev/null", to_null);
  write_file_atomically(to_null.string(), "discarded");
  CHECK(fs::is_symlink(to_null));
  CHECK(fs::is_character_file("/dev/null"));
  // A named pipe: its reader gets the content (a rename replaced the pipe and the reader hung).
  const fs::path fifo = dir / "pipe";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  std::string received;
  std::thread reader([&] { received = read_file(fifo.string()); });
  write_file_atomically(fifo.string(), "through the pipe");
  reader.join();
  CHECK(received == "through the pipe");
  CHECK(fs::is_fifo(fifo));
  CHECK(std::distance(fs::directory_iterator(dir), {}) == 4);  // no temporaries left
  fs::remove_all(dir);
}

TEST_CASE("durable files: a set of files is replaced all or none") {
  namespace fs = std::filesystem;
  const auto dir = fs::temp_directory_path() / ("gpbo_durable_set_" + std::to_string(getpid()));
  fs::create_directories(dir);
  const std::string a = (dir / "a.csv").string(), b = (dir / "b.csv").string();
  write_file_atomically(a, "old a");
  write_file_atomically(b, "old b");
  {
    AtomicFileSet set;
    set.add(a, "new a");
    CHECK(read_file(a) == "old a");  // staged, not yet in place
    set.add(b, "new b");
    set.commit();
  }
  CHECK(read_file(a) == "new a");
  CHECK(read_file(b) == "new b");
  // A later file that cannot be written: the earlier one stays as it was, no temporary is left.
  const std::string nowhere = (dir / "no" / "c.csv").string();
  {
    AtomicFileSet set;
    set.add(a, "newer a");
    CHECK_THROWS_WITH(set.add(nowhere, "c"), "cannot write " + nowhere + ": No such file or directory");
  }
  CHECK(read_file(a) == "new a");
  CHECK(std::distance(fs::directory_iterator(dir), {}) == 2);
  // A directory in a later file's place is refused when staged (at the rename, the earlier file
  // had been replaced already).
  const std::string folder = (dir / "folder").string();
  fs::create_directory(folder);
  {
    AtomicFileSet set;
    set.add(a, "newer a");
    CHECK_THROWS_WITH(set.add(folder, "c"), "cannot write " + folder + ": Is a directory");
  }
  CHECK(read_file(a) == "new a");
  CHECK_THROWS_WITH(write_file_atomically(folder, "c"), "cannot write " + folder + ": Is a directory");
  CHECK(std::distance(fs::directory_iterator(dir), {}) == 3);
  // A rename that fails in commit() (a directory made in b's place after add): a is replaced, the
  // third file keeps its content, and no temporary is left.
  const std::string c = (dir / "c.csv").string();
  write_file_atomically(c, "old c");
  {
    AtomicFileSet set;
    set.add(a, "a again");
    set.add(b, "b again");
    set.add(c, "c again");
    fs::remove(b);
    fs::create_directory(b);
    CHECK_THROWS_WITH(set.commit(), Catch::StartsWith("cannot rename temp file onto " + b));
  }
  CHECK(read_file(a) == "a again");
  CHECK(read_file(c) == "old c");
  CHECK(std::distance(fs::directory_iterator(dir), {}) == 4);  // a, b (a directory), c, folder
  // Committing an empty set does nothing.
  AtomicFileSet empty;
  empty.commit();
  fs::remove_all(dir);
}
