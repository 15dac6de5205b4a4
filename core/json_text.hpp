#pragma once
// Strict JSON parsing for files people write by hand (configs) and files gpbo writes (states,
// models): every error names the source, the 1-based line and column where the text went wrong
// and what was wrong, in the same "FILE:LINE:COLUMN: message" form as CSV errors.

#include <nlohmann/json.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace gpbo {

/// Malformed JSON text; what() reads "SOURCE:LINE:COLUMN: message" (or "SOURCE: message" when
/// the error has no single position, e.g. a duplicated key, which names the object's JSON path).
class JsonTextError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// The keys of each object of a document in the order the text writes them (nlohmann::json
/// keeps an object's keys sorted), by the object's JSON pointer ("" for the root, "/space").
using JsonKeyOrder = std::map<std::string, std::vector<std::string>>;

/// Parses `text` (`source` names it in messages). Beyond syntax errors it refuses numbers
/// outside the range of a double (1e999; 1e-999, which would read as 0) and a key given twice
/// in one object, which plain JSON parsers accept silently (the last value winning). With
/// `key_order`, also records every object's keys in the text's order.
nlohmann::json parse_json_text(const std::string& text, const std::string& source, JsonKeyOrder* key_order = nullptr);

/// How deep arrays and objects may nest in JSON text gpbo reads (configs use 4 or 5 levels,
/// states 6): copying or printing a value recurses once a level, so text nested 150000 deep
/// crashed the program after parsing.
inline constexpr std::size_t kMaxJsonNesting = 512;

/// Whether the text's arrays and objects (outside string literals) nest deeper than `limit`.
bool json_nests_deeper_than(const std::string& text, std::size_t limit = kMaxJsonNesting);

/// j with each object's keys in `order` (as parse_json_text recorded them for the text j came
/// from), keys the order lacks after them, sorted: a document written back as its author wrote it.
nlohmann::ordered_json in_text_order(const nlohmann::json& j, const JsonKeyOrder& order);

/// `text` with every byte sequence that is not valid UTF-8 replaced by U+FFFD. Text from outside
/// (a program's output, a reason typed in a shell) must pass through it before it goes into JSON,
/// whose writer throws on invalid UTF-8.
std::string valid_utf8(const std::string& text);

/// The integer j holds if it is one in [lo, hi], else nothing. Unlike get<std::int64_t>(), an
/// unsigned value above 2^63 - 1 does not wrap around to a negative number. As in JSON Schema, a
/// number with a zero fraction (2.0, 1e3) is an integer, up to 2^53 where doubles stay exact.
std::optional<std::int64_t> json_integer_in(const nlohmann::json& j, std::int64_t lo, std::int64_t hi);

/// A key as one token of a JSON path (RFC 6901): '~' as "~0", '/' as "~1".
std::string json_pointer_token(const std::string& key);

/// ", got VALUE" for messages about a value of the wrong kind: j as JSON text ("10" with its
/// quotes for a string), cut to about 40 characters.
std::string got_json(const nlohmann::json& j);

/// Whether j is an object whose "format" is the string `format` (a format of another type, as in
/// a damaged file, is no match rather than a type error).
bool is_format(const nlohmann::json& j, const std::string& format);

}  // namespace gpbo
