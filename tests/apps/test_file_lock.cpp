#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>

#include "tune/file_lock.hpp"

using namespace gpbo;
using namespace gpbo::tune;

TEST_CASE("file locks: a lock serializes read-modify-write across processes") {
  const auto dir = std::filesystem::temp_directory_path() / ("gpbo_lock_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "counter").string();
  write_file_atomically(path, "0");
  const int processes = 4, increments = 25;
  for (int p = 0; p < processes; ++p) {
    if (fork() == 0) {
      for (int i = 0; i < increments; ++i) {
        FileLock lock(path);
        const int v = std::stoi(read_file(path));
        write_file_atomically(path, std::to_string(v + 1));
      }
      _exit(0);
    }
  }
  for (int p = 0; p < processes; ++p) wait(nullptr);
  CHECK(read_file(path) == std::to_string(processes * increments));
  std::filesystem::remove_all(dir);
}

namespace {

// A child process that takes a lock of `kind`, says so on a pipe, and holds it until the parent
// closes the other pipe.
struct LockHolder {
  pid_t pid = -1;
  int release_fd = -1;
  LockHolder(const std::string& path, LockKind kind) {
    int ready[2], release[2];
    REQUIRE(pipe(ready) == 0);
    REQUIRE(pipe(release) == 0);
    pid = fork();
    if (pid == 0) {
      close(ready[0]);
      close(release[1]);
      FileLock lock(path, kind);
      (void)!write(ready[1], "x", 1);
      char c;
      (void)!read(release[0], &c, 1);  // returns when the parent closes its end
      _exit(0);
    }
    close(ready[1]);
    close(release[0]);
    char c;
    REQUIRE(read(ready[0], &c, 1) == 1);
    close(ready[0]);
    release_fd = release[1];
  }
  void release() {
    if (release_fd >= 0) close(release_fd);
    release_fd = -1;
    waitpid(pid, nullptr, 0);
  }
  ~LockHolder() { release(); }
};

}  // namespace

TEST_CASE("file locks: a run lock excludes every other lock at once; updates wait only for updates") {
  const auto dir = std::filesystem::temp_directory_path() / ("gpbo_runlock_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "state.json").string();
  {
    LockHolder run(path, LockKind::Run);
    for (const auto kind : {LockKind::Run, LockKind::Update}) {
      try {
        FileLock second(path, kind);
        FAIL("a second lock was granted while a run held the state");
      } catch (const LockBusy& e) {
        CHECK(e.holder == run.pid);
        CHECK(std::string(e.what()) == path + ".lock is locked by another process (pid " + std::to_string(run.pid) + ")");
      }
    }
    // The state itself is replaced by rename at every save; the lock file stays put.
    write_file_atomically(path, "saved");
    CHECK_THROWS_AS(FileLock(path, LockKind::Run), LockBusy);
    // A symbolic link to the state takes the same lock (it had its own: workers naming the
    // state both ways lost each other's results).
    const auto link = dir / "link.json";
    std::filesystem::create_symlink(path, link);
    CHECK_THROWS_AS(FileLock(link.string(), LockKind::Update), LockBusy);
    std::filesystem::remove(link);
  }
  {
    LockHolder update(path, LockKind::Update);
    CHECK_THROWS_AS(FileLock(path, LockKind::Run), LockBusy);
    update.release();
    const FileLock run(path, LockKind::Run);  // free again once the update is done
  }
  {
    // An update waits for another update to end (here 0.3 s), rather than failing.
    LockHolder update(path, LockKind::Update);
    const auto start = std::chrono::steady_clock::now();
    std::thread releaser([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      update.release();
    });
    {
      const FileLock again(path, LockKind::Update);
      CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(250));
    }
    releaser.join();
  }
  std::filesystem::remove_all(dir);
}
