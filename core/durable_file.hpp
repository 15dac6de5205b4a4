#pragma once
// Crash-safe file writes: state files, models and logs that a crash or a full disk never leaves
// half-written.

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace gpbo {

/// A file could not be created, written, read or locked; what() names the file and the reason.
class FileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Replaces `path` with `content` so that readers (and a crash at any moment) see either the old
/// or the new file, never a partial one: write a temp file beside it, fsync, rename, fsync dir.
/// A symbolic link stays one (the file it points to is replaced); a device, pipe or socket, and
/// /dev/stdout, /dev/stderr, /dev/fd/N, are written through instead.
void write_file_atomically(const std::string& path, const std::string& content);

/// Several files replaced together, as write_file_atomically replaces one: add() writes each
/// content to a temporary beside its file (a directory in the way, a full disk or a missing
/// folder fail there), commit() renames them all into place. Destroyed before commit() (an
/// error writing a later file), it removes its temporaries and every file stays as it was, so
/// readers never see some files of a new run beside others of an old one; only a rename that
/// fails within commit() (a directory made in a file's place after add()) leaves the earlier
/// ones replaced (the later ones as they were, no temporary left). The disk holds the old and new files together until commit(). Devices and
/// descriptors are written through at add().
class AtomicFileSet {
 public:
  AtomicFileSet() = default;
  AtomicFileSet(const AtomicFileSet&) = delete;
  AtomicFileSet& operator=(const AtomicFileSet&) = delete;
  ~AtomicFileSet();
  void add(const std::string& path, const std::string& content);
  void commit();

 private:
  std::vector<std::pair<std::string, std::string>> staged_;  // {temporary, file}
};

/// Whether `path` names an open descriptor (/dev/stdout, /dev/stderr, /dev/fd/N,
/// /proc/self/fd/N): write_file_atomically writes through it, so it replaces no file.
bool names_a_descriptor(const std::string& path);

/// Removes the temporaries write_file_atomically(path, ...) left behind when its process was
/// killed mid-write (`path.tmp.PID` of processes no longer running). Returns how many.
int remove_stale_temporaries(const std::string& path);

/// Appends one line and fsyncs (for results.csv and the log: a crash loses at most that line).
void append_line_durably(const std::string& path, const std::string& line);

/// Reads a whole file; throws FileError naming the path when it cannot.
std::string read_file(const std::string& path);

}  // namespace gpbo
