#include "output_paths.hpp"

#include <sys/stat.h>

#include <filesystem>
#include <map>
#include <system_error>
#include <utility>

#include "command.hpp"
#include "gpbo/core/durable_file.hpp"

namespace gpbo::cli {

namespace fs = std::filesystem;

namespace {

// Whether writing `path` could replace a regular file: not a descriptor such as /dev/stdout
// (written through, whatever it is redirected to), a device, a pipe or a directory.
bool may_replace_a_file(const std::string& path) {
  if (names_a_descriptor(path)) return false;
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  return !fs::exists(status) || fs::is_regular_file(status);
}

// What makes two names one file: the path once symbolic links and "." / ".." are resolved, and
// for an existing file its device and inode (hard links). Each path is resolved once, so a
// sample of 100000 chains checks its files in linear time.
struct FileIdentity {
  std::string resolved;
  std::optional<std::pair<dev_t, ino_t>> inode;
};

FileIdentity identity_of(const std::string& path) {
  std::error_code ec;
  const fs::path resolved = fs::weakly_canonical(fs::absolute(path), ec);
  FileIdentity id{ec ? fs::absolute(path).lexically_normal().string() : resolved.string(), std::nullopt};
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) id.inode = std::pair{st.st_dev, st.st_ino};
  return id;
}

// The files seen so far, by resolved path and by inode.
class SeenFiles {
 public:
  void add(const FileIdentity& id, const NamedFile* file) {
    by_path_.emplace(id.resolved, file);
    if (id.inode) by_inode_.emplace(*id.inode, file);
  }
  [[nodiscard]] const NamedFile* find(const FileIdentity& id) const {
    if (const auto it = by_path_.find(id.resolved); it != by_path_.end()) return it->second;
    if (id.inode)
      if (const auto it = by_inode_.find(*id.inode); it != by_inode_.end()) return it->second;
    return nullptr;
  }

 private:
  std::map<std::string, const NamedFile*> by_path_;
  std::map<std::pair<dev_t, ino_t>, const NamedFile*> by_inode_;
};

}  // namespace

void refuse_clobbering(const std::vector<NamedFile>& outputs, const std::vector<NamedFile>& inputs) {
  const auto described = [](const NamedFile& f) {
    return f.contents + " (" + f.option + " " + (f.given.empty() ? f.path : f.given + ", written to " + f.path) + ")";
  };
  SeenFiles read, written;
  for (const NamedFile& in : inputs)
    if (!in.path.empty()) read.add(identity_of(in.path), &in);
  for (const NamedFile& out : outputs) {
    if (out.path.empty() || !may_replace_a_file(out.path)) continue;
    const FileIdentity id = identity_of(out.path);
    if (const NamedFile* in = read.find(id))
      throw UsageError(described(out) + " would overwrite the " + in->option + " file " + in->path);
    if (const NamedFile* other = written.find(id))
      throw UsageError(described(out) + " would overwrite " + described(*other) + ": they name one file");
    written.add(id, &out);
  }
}

}  // namespace gpbo::cli
