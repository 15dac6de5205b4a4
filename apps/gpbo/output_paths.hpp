#pragma once
// Output files that would destroy a command's own files: an output naming an input (a slip like
// `gpbo fit --data train.csv --out train.csv`), or two outputs naming one file (a summary over
// the draws). Checked before any work, so nothing is lost.

#include <string>
#include <vector>

namespace gpbo::cli {

/// A file named on the command line: its option ("--data") and path; for an output, what it
/// receives ("the model"), and the option's value when the path is made from it (--out x.csv
/// writes chain 1's draws to x_1.csv), for the message.
struct NamedFile {
  std::string option;
  std::string path;
  std::string contents;
  std::string given;
};

/// Throws UsageError when an output is an input, or two outputs are one file ("the model (--out
/// x.csv) would overwrite the --data file x.csv"). Empty paths, and outputs that are devices or
/// pipes (/dev/stdout), are not checked. Paths that name one file through symbolic or hard links
/// count as one.
void refuse_clobbering(const std::vector<NamedFile>& outputs, const std::vector<NamedFile>& inputs);

}  // namespace gpbo::cli
