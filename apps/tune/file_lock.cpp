#include "tune/file_lock.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <system_error>
#include <thread>

namespace gpbo::tune {
namespace {

[[noreturn]] void fail(const std::string& what, const std::string& path) {
  throw FileError(what + " " + path + ": " + std::strerror(errno));
}

// Sets a lock of `type` on bytes [start, start + len) of the lock file. Without waiting,
// returns false when another process holds a conflicting lock.
bool set_lock(int fd, short type, off_t start, off_t len, bool wait, const std::string& path) {
  struct flock lock {};
  lock.l_type = type;
  lock.l_whence = SEEK_SET;
  lock.l_start = start;
  lock.l_len = len;
  while (::fcntl(fd, wait ? F_SETLKW : F_SETLK, &lock) != 0) {
    if (errno == EINTR) continue;
    if (!wait && (errno == EAGAIN || errno == EACCES)) return false;
    fail("cannot lock", path);
  }
  return true;
}

// The pid of a process holding a lock that conflicts with `type` on [start, start + len), or 0.
long holder_of(int fd, short type, off_t start, off_t len) {
  struct flock lock {};
  lock.l_type = type;
  lock.l_whence = SEEK_SET;
  lock.l_start = start;
  lock.l_len = len;
  if (::fcntl(fd, F_GETLK, &lock) != 0 || lock.l_type == F_UNLCK || lock.l_pid <= 0) return 0;
  return lock.l_pid;
}

// Takes the update lock (byte 1), waiting in the queue of updates; after two seconds of waiting
// tells `on_long_wait` who holds it.
void wait_for_update_lock(int fd, const std::string& lock_path, const std::function<void(const std::string&)>& on_long_wait) {
  if (set_lock(fd, F_WRLCK, 1, 1, false, lock_path)) return;
  if (!on_long_wait) {
    set_lock(fd, F_WRLCK, 1, 1, true, lock_path);
    return;
  }
  std::mutex mutex;
  std::condition_variable locked;
  bool done = false;
  const auto notice_after_two_seconds = [&] {
    try {
      std::unique_lock<std::mutex> guard(mutex);
      if (locked.wait_for(guard, std::chrono::seconds(2), [&] { return done; })) return;
      const long pid = holder_of(fd, F_WRLCK, 1, 1);  // now: the lock may have changed hands
      on_long_wait("waiting for " + lock_path + ", held by " + (pid > 0 ? "pid " + std::to_string(pid) : "another process") +
                   " (another gpbo ask or tell; a stopped one holds it until it continues)");
    } catch (...) {  // a notice is not worth terminating the process for
    }
  };
  std::thread notice;
  try {
    notice = std::thread(notice_after_two_seconds);
  } catch (const std::system_error&) {  // no thread to spare: wait without the notice
    set_lock(fd, F_WRLCK, 1, 1, true, lock_path);
    return;
  }
  const auto finish = [&] {
    {
      const std::lock_guard<std::mutex> guard(mutex);
      done = true;
    }
    locked.notify_one();
    notice.join();
  };
  try {
    set_lock(fd, F_WRLCK, 1, 1, true, lock_path);
  } catch (...) {
    finish();
    throw;
  }
  finish();
}

// Beside the file a name stands for: processes naming one state through a symbolic link and
// through its own path (or a linked directory) must take the same lock.
std::string lock_path_of(const std::string& path) {
  std::error_code ec;
  const std::filesystem::path resolved = std::filesystem::weakly_canonical(path, ec);
  return (ec || resolved.empty() ? path : resolved.string()) + ".lock";
}

}  // namespace

std::optional<long> run_lock_holder(const std::string& path) {
  const std::string lock_path = lock_path_of(path);
  const int fd = ::open(lock_path.c_str(), O_RDONLY | O_CLOEXEC);  // no lock file: no run (nothing created)
  if (fd < 0) return std::nullopt;
  struct flock lock {};
  lock.l_type = F_WRLCK;  // what a Run would take on byte 0: the answer is the lock in its way
  lock.l_whence = SEEK_SET;
  lock.l_start = 0;
  lock.l_len = 1;
  const bool asked = ::fcntl(fd, F_GETLK, &lock) == 0;
  ::close(fd);
  // Updates read-lock byte 0; only a Run write-locks it.
  if (!asked || lock.l_type != F_WRLCK) return std::nullopt;
  return lock.l_pid > 0 ? lock.l_pid : 0;
}

FileLock::FileLock(const std::string& path, LockKind kind, const std::function<void(const std::string&)>& on_long_wait) {
  const std::string lock_path = lock_path_of(path);
  fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) fail("cannot open lock file", lock_path);
  try {
    const bool run = kind == LockKind::Run;
    const short type = run ? F_WRLCK : F_RDLCK;
    const off_t len = run ? 2 : 1;
    if (!set_lock(fd_, type, 0, len, false, lock_path)) {
      const long pid = holder_of(fd_, type, 0, len);
      throw LockBusy(lock_path + " is locked by another process" + (pid > 0 ? " (pid " + std::to_string(pid) + ")" : ""), pid);
    }
    if (!run) wait_for_update_lock(fd_, lock_path, on_long_wait);
  } catch (...) {
    ::close(fd_);
    throw;
  }
}

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the fcntl lock
}

}  // namespace gpbo::tune
