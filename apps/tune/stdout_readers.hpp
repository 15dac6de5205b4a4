#pragma once
// Reading an objective command's results from its standard output: the score, as the config's
// ResultReader says, and the values of outcome constraints, by name.

#include <cstddef>
#include <optional>
#include <regex>
#include <string>
#include <vector>

namespace gpbo::tune {

/// How to find the score in the command's standard output.
struct ResultReader {
  enum class Kind { LastNumber, Regex, JsonKey };
  Kind kind = Kind::LastNumber;
  std::string pattern;  // Regex: first capture group (or whole match) is the number
  std::string key;      // JsonKey: key of a JSON object printed on a line of its own (last one wins)
};

/// A result pattern compiled as every reader runs it: ECMAScript syntax matched in polynomial
/// time (libstdc++'s breadth-first matcher). The default backtracking one took exponential time
/// on "(a*)*b" against a line of a's and recursed once per character matched, so a 20000-digit
/// match overflowed the stack. One difference from ECMAScript's rule: of alternatives that
/// match at the same place the longest wins, not the first ("(\d+|\d+\.\d+)" reads 3.5 from
/// "loss 3.5", as a person would). Throws std::regex_error, back-references included (which
/// polynomial matching cannot do).
std::regex result_regex(const std::string& pattern);

/// Lines longer than this are not searched by a result pattern: a search tries every start, so
/// its time grows with the square of the line (".*loss=(\S+)" took 1.7 s on 8000 characters).
inline constexpr std::size_t kMaxRegexLine = 4096;

/// Reads the score from captured stdout; nullopt with `why` set when none can be found. Lines
/// that report one of the `named` quantities (outcome constraints, the score's noise sd) as
/// read_named_value() finds them hold no score for the last-number reader: "memory_mb: 420"
/// printed after the loss is the memory, not the loss.
std::optional<double> read_result(const ResultReader& reader, const std::string& stdout_text, std::string& why,
                                  const std::vector<std::string>& named = {});

/// The value of the quantity `name` (an outcome constraint's) on stdout: from the last line that
/// is a JSON object with the key `name` ({"loss": 0.3, "memory_mb": 420}), or else from the last
/// line of the form "name: 420" or "name = 420" (the name at the start of the line; the value is
/// the word after the ':' or '='). Nullopt with `why` set when there is none or it is no number:
/// "'name' is not on stdout; print a line ...", saying how to print it. The value may be
/// non-finite ("name: nan").
std::optional<double> read_named_value(const std::string& name, const std::string& stdout_text, std::string& why);

}  // namespace gpbo::tune
