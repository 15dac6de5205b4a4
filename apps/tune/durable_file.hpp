#pragma once
// Crash-safe file writes and inter-process locks for run directories and state files.

#include <stdexcept>
#include <string>

namespace gpbo::tune {

/// A file could not be created, written, read or locked; what() names the file and the reason.
class FileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Replaces `path` with `content` so that readers (and a crash at any moment) see either the old
/// or the new file, never a partial one: write a temp file beside it, fsync, rename, fsync dir.
void write_file_atomically(const std::string& path, const std::string& content);

/// Appends one line and fsyncs (for results.csv and the log: a crash loses at most that line).
void append_line_durably(const std::string& path, const std::string& line);

/// Reads a whole file; throws FileError naming the path when it cannot.
std::string read_file(const std::string& path);

/// An exclusive advisory lock (fcntl, which also works on NFS) on `path + ".lock"`, held for the
/// object's lifetime. Blocks until the lock is free. Used so concurrent `gpbo ask`/`gpbo tell`
/// processes never lose an update to a shared state file.
class FileLock {
 public:
  explicit FileLock(const std::string& path);
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace gpbo::tune
