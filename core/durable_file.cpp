#include "gpbo/core/durable_file.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace gpbo {
namespace {

[[noreturn]] void fail(const std::string& what, const std::string& path) {
  throw FileError(what + " " + path + ": " + std::strerror(errno));
}

void write_all(int fd, const std::string& data, const std::string& path) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("cannot write", path);
    done += static_cast<std::size_t>(n);
  }
}

void fsync_directory_of(const std::string& path) {
  auto dir = std::filesystem::path(path).parent_path();
  if (dir.empty()) dir = ".";
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

// The descriptor a /dev/stdout-like name stands for (/dev/stdout, /dev/stderr, /dev/fd/N,
// /proc/self/fd/N), or -1: such a name is written through that descriptor, as a shell's
// redirection would, so nothing printed before is overwritten and nothing is renamed away.
int named_descriptor(const std::string& path) {
  if (path == "/dev/stdout") return 1;
  if (path == "/dev/stderr") return 2;
  for (const std::string prefix : {"/dev/fd/", "/proc/self/fd/"}) {
    if (path.size() <= prefix.size() || path.compare(0, prefix.size(), prefix) != 0) continue;
    const std::string digits = path.substr(prefix.size());
    if (digits.size() > 6 || digits.find_first_not_of("0123456789") != std::string::npos) return -1;
    return std::stoi(digits);
  }
  return -1;
}

}  // namespace

bool names_a_descriptor(const std::string& path) { return named_descriptor(path) >= 0; }

namespace {

// Devices, pipes and sockets are written through: a rename would replace them by a regular file
// (as root, `--out /dev/null` deleted the device).
bool write_through(const std::string& path, const std::string& content) {
  if (const int fd = named_descriptor(path); fd >= 0) {
    write_all(fd, content, path);
    return true;
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)) return false;
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) fail("cannot write", path);
  try {
    write_all(fd, content, path);
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::close(fd);
  return true;
}

// `path` with the symbolic links that name it followed, to the file they point to (existing or
// not); `path` itself when it is no link (or a chain of more than 40).
std::string resolve_links(const std::string& path) {
  namespace fs = std::filesystem;
  fs::path p(path);
  std::error_code ec;
  for (int depth = 0; depth < 40 && fs::is_symlink(p, ec); ++depth) {
    const fs::path target = fs::read_symlink(p, ec);
    if (ec) return path;
    p = target.is_absolute() ? target : (p.parent_path() / target).lexically_normal();
  }
  return fs::is_symlink(p, ec) ? path : p.string();
}

}  // namespace

namespace {

// The first half of an atomic replace: `content` in a temporary beside the file `requested`
// names (through its symbolic links), fsynced. Returns {temp, path}; temp is empty when the
// path was a device or descriptor, written through at once.
std::pair<std::string, std::string> stage(const std::string& requested, const std::string& content) {
  if (write_through(requested, content)) return {};
  // A symbolic link stays one: the file it points to is replaced (or made, for a dangling link,
  // as a shell's redirection would).
  const std::string path = resolve_links(requested);
  // Refused here, not at the rename: a set's later file failing there left earlier ones replaced.
  if (struct stat st {}; ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
    errno = EISDIR;
    fail("cannot write", path);
  }
  // PID and a per-process count: two threads writing the same file each rename their own
  // temporary (with the PID alone, one renamed the other's away and failed).
  static std::atomic<unsigned long> writes{0};
  const std::string temp = path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(writes++);
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail("cannot write", path);  // the temporary beside it could not be created
  try {
    // A file replaced keeps its permissions (a 0600 state stays private).
    if (struct stat old {}; ::stat(path.c_str(), &old) == 0 && ::fchmod(fd, old.st_mode & 07777) != 0)
      fail("cannot set the permissions of", temp);
    write_all(fd, content, temp);
    if (::fsync(fd) != 0) fail("cannot fsync", temp);
  } catch (...) {
    ::close(fd);
    ::unlink(temp.c_str());
    throw;
  }
  ::close(fd);
  return {temp, path};
}

// The second half: the temporary renamed onto its file.
void rename_into_place(const std::string& temp, const std::string& path) {
  if (temp.empty()) return;
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    ::unlink(temp.c_str());
    fail("cannot rename temp file onto", path);
  }
  fsync_directory_of(path);
}

}  // namespace

void write_file_atomically(const std::string& requested, const std::string& content) {
  const auto [temp, path] = stage(requested, content);
  rename_into_place(temp, path);
}

AtomicFileSet::~AtomicFileSet() {
  for (const auto& [temp, path] : staged_)
    if (!temp.empty()) ::unlink(temp.c_str());
}

void AtomicFileSet::add(const std::string& path, const std::string& content) { staged_.push_back(stage(path, content)); }

void AtomicFileSet::commit() {
  // Each entry leaves the set before its rename: renamed or, on failure, removed, it is no
  // longer the destructor's to remove.
  std::vector<std::pair<std::string, std::string>> staged;
  staged.swap(staged_);
  for (std::size_t i = 0; i < staged.size(); ++i) {
    try {
      rename_into_place(staged[i].first, staged[i].second);
    } catch (...) {
      staged_.assign(staged.begin() + static_cast<std::ptrdiff_t>(i) + 1, staged.end());
      throw;
    }
  }
}

int remove_stale_temporaries(const std::string& path) {
  namespace fs = std::filesystem;
  const fs::path file(path);
  const fs::path dir = file.has_parent_path() ? file.parent_path() : fs::path(".");
  const std::string prefix = file.filename().string() + ".tmp.";
  int removed = 0;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) continue;
    // "PID.COUNT" (or "PID", as written before 2026-12-04)
    std::string digits = name.substr(prefix.size());
    if (const auto dot = digits.find('.'); dot != std::string::npos) {
      const std::string count = digits.substr(dot + 1);
      if (count.empty() || count.find_first_not_of("0123456789") != std::string::npos) continue;
      digits.resize(dot);
    }
    if (digits.empty() || digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos) continue;
    const pid_t pid = static_cast<pid_t>(std::stol(digits));
    if (pid == ::getpid() || !(::kill(pid, 0) != 0 && errno == ESRCH)) continue;  // its writer may still run
    if (std::error_code rm; fs::remove(it->path(), rm)) ++removed;
  }
  return removed;
}

void append_line_durably(const std::string& path, const std::string& line) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) fail("cannot open", path);
  try {
    write_all(fd, line + "\n", path);
    ::fsync(fd);
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::close(fd);
}

std::string read_file(const std::string& path) {
  // An ifstream opens a directory and reads nothing from it: say what it is.
  if (struct stat st {}; ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
    throw FileError("cannot read " + path + ": it is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw FileError("cannot read " + path + ": " + std::strerror(errno));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace gpbo
