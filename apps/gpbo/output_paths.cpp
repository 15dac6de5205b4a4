#include "output_paths.hpp"

#include <filesystem>
#include <system_error>

#include "command.hpp"

namespace gpbo::cli {

namespace fs = std::filesystem;

namespace {

// Whether writing `path` could replace a regular file (not a device, pipe or directory).
bool may_replace_a_file(const std::string& path) {
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  return !fs::exists(status) || fs::is_regular_file(status);
}

// One file under two names: the same path once symbolic links and "." / ".." are resolved, or
// (both existing) the same inode.
bool same_file(const std::string& a, const std::string& b) {
  std::error_code ec_a, ec_b;
  const fs::path ca = fs::weakly_canonical(fs::absolute(a), ec_a), cb = fs::weakly_canonical(fs::absolute(b), ec_b);
  if (!ec_a && !ec_b && ca == cb) return true;
  std::error_code ec;
  return fs::exists(a, ec) && fs::exists(b, ec) && fs::equivalent(a, b, ec) && !ec;
}

}  // namespace

void refuse_clobbering(const std::vector<NamedFile>& outputs, const std::vector<NamedFile>& inputs) {
  const auto described = [](const NamedFile& f) {
    return f.contents + " (" + f.option + " " + (f.given.empty() ? f.path : f.given + ", written to " + f.path) + ")";
  };
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    const NamedFile& out = outputs[i];
    if (out.path.empty() || !may_replace_a_file(out.path)) continue;
    for (const NamedFile& in : inputs)
      if (!in.path.empty() && same_file(out.path, in.path))
        throw UsageError(described(out) + " would overwrite the " + in.option + " file " + in.path);
    for (std::size_t k = 0; k < i; ++k)
      if (!outputs[k].path.empty() && same_file(out.path, outputs[k].path))
        throw UsageError(described(out) + " would overwrite " + described(outputs[k]) + ": they name one file");
  }
}

}  // namespace gpbo::cli
