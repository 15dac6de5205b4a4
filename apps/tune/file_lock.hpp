#pragma once
// Inter-process locks for run directories and state files.

#include <functional>
#include <optional>
#include <string>

#include "gpbo/core/durable_file.hpp"

namespace gpbo::tune {

/// Another process holds a FileLock; `holder` is its pid when the system tells (0 otherwise,
/// e.g. for a lock held from another NFS client).
class LockBusy : public FileError {
 public:
  LockBusy(const std::string& what, long holder) : FileError(what), holder(holder) {}
  long holder;
};

/// How a FileLock shares a state with other processes.
enum class LockKind {
  Run,     // `gpbo tune`: excludes every other lock for a whole run; throws LockBusy at once if any is held
  Update,  // `gpbo ask`/`tell`: waits for other updates, throws LockBusy at once while a Run holds it
};

/// An advisory lock (fcntl, which also works on NFS) on `path + ".lock"` (path with its links
/// resolved), held for the object's lifetime. The lock file is not `path` itself, which every save replaces by a rename: a lock
/// on it would stay with the old file. Byte 0 of the lock file is write-locked by a Run and
/// read-locked (without waiting) by each Update; byte 1 is write-locked by both, which queues
/// Updates behind each other. So concurrent `gpbo ask`/`gpbo tell` processes never lose an update
/// to a shared state file, and never wait for a `gpbo tune` run that may last for days.
/// (fcntl locks belong to the process: do not open the lock file elsewhere in the same process.)
class FileLock {
 public:
  /// `on_long_wait`, if given, is called once (from another thread) when an Update has waited
  /// two seconds for another, with a sentence naming the lock file and its holder's pid: a
  /// stopped process (Ctrl-Z) holds the lock until it continues, and waiters looked hung.
  explicit FileLock(const std::string& path, LockKind kind = LockKind::Update,
                    const std::function<void(const std::string&)>& on_long_wait = {});
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_ = -1;
};

/// Whether a `gpbo tune` run (a LockKind::Run lock) holds the lock of `path`, without taking
/// or creating anything: its pid (0 when the system does not tell), or nullopt when none does.
std::optional<long> run_lock_holder(const std::string& path);

}  // namespace gpbo::tune
