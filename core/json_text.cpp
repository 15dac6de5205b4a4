#include "gpbo/core/json_text.hpp"

#include <cmath>
#include <cstdlib>
#include <limits>
#include <optional>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

namespace gpbo {
namespace {

using nlohmann::json;

// "SOURCE:LINE:COLUMN" of a 0-based byte offset into text.
std::string location(const std::string& text, const std::string& source, std::size_t offset) {
  offset = std::min(offset, text.size());
  std::size_t line = 1, line_start = 0;
  for (std::size_t i = 0; i < offset; ++i)
    if (text[i] == '\n') ++line, line_start = i + 1;
  return source + ":" + std::to_string(line) + ":" + std::to_string(offset - line_start + 1);
}

// The parser's explanation without its "[json.exception...] parse error at line L, column C: " tag.
std::string explanation(const std::string& what) {
  const auto tag = what.find("parse error");
  const auto colon = tag == std::string::npos ? std::string::npos : what.find(": ", tag);
  std::string out = colon == std::string::npos ? what : what.substr(colon + 2);
  // "last read: '...'" quotes the whole token: a truncated state's array of 600 numbers, 2.6 kB.
  constexpr std::string_view kLastRead = "last read: '";
  if (const auto at = out.find(kLastRead); at != std::string::npos && out.size() - at > kLastRead.size() + 62)
    out = out.substr(0, at + kLastRead.size() + 60) + "...' (cut)";
  return out;
}

// One open object or array while parsing, to find duplicated keys and say where they are.
struct Frame {
  bool object = true;
  std::set<std::string> keys;
  std::vector<std::string> keys_in_order;  // kept only when the caller asks for the order
  std::string last_key;
  long index = -1;  // arrays: the element being read
};

// The JSON pointer of the innermost open container ("" for the root).
std::string pointer_of(const std::vector<Frame>& frames) {
  std::string path;
  for (std::size_t i = 0; i + 1 < frames.size(); ++i)
    path += "/" + (frames[i].object ? json_pointer_token(frames[i].last_key) : std::to_string(frames[i].index));
  return path;
}

std::string path_of(const std::vector<Frame>& frames) {
  const std::string path = pointer_of(frames);
  return path.empty() ? "/" : path;
}

// Where `literal` first occurs in `text` as a token, outside string literals ("1e999" in a
// string is no number); npos when it does not.
std::size_t find_token_outside_strings(const std::string& text, const std::string& literal) {
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (in_string) {
      if (text[i] == '\\') ++i;
      else if (text[i] == '"') in_string = false;
      continue;
    }
    if (text[i] == '"') in_string = true;
    else if (text.compare(i, literal.size(), literal) == 0) return i;
  }
  return std::string::npos;
}

// The first number token of valid JSON `text` that is not zero but reads as 0 (1e-999, below
// the smallest double), outside string literals, with its offset. The parser takes it as 0
// silently, as a bound or a value nobody wrote.
std::optional<std::pair<std::size_t, std::string>> find_number_read_as_zero(const std::string& text) {
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    if (c != '-' && !(c >= '0' && c <= '9')) continue;  // outside strings only numbers hold these
    const std::size_t end = text.find_first_not_of("+-0123456789.eE", i);
    const std::string token = text.substr(i, end == std::string::npos ? std::string::npos : end - i);
    const std::size_t exponent = token.find_first_of("eE");
    const std::string mantissa = token.substr(0, exponent);
    // Only a negative exponent or a long run of zeros can take a nonzero number below 1e-324.
    const bool may_underflow = (exponent != std::string::npos && token.find('-', exponent) != std::string::npos) ||
                               token.size() > 300;
    if (may_underflow && mantissa.find_first_of("123456789") != std::string::npos && std::strtod(token.c_str(), nullptr) == 0.0)
      return std::pair{i, token};
    i += token.size() - 1;
  }
  return std::nullopt;
}

// Where the text's arrays and objects first nest deeper than `limit`, outside string literals;
// npos when they do not.
std::size_t find_nesting_beyond(const std::string& text, std::size_t limit) {
  bool in_string = false;
  std::size_t depth = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) return i;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::string::npos;
}

// Whether offset `at` of `text` lies outside its string literals (as far as they go).
bool outside_strings(const std::string& text, std::size_t at) {
  bool in_string = false;
  for (std::size_t i = 0; i < at && i < text.size(); ++i) {
    if (in_string && text[i] == '\\') ++i;
    else if (text[i] == '"') in_string = !in_string;
  }
  return !in_string;
}

// Python's json.dumps writes NaN, Infinity and -Infinity, which are no JSON: say so when the
// parser stopped in such a word where a value goes (it only reports "invalid literal"); nan and
// inf, as C and other tools print them, get the first half.
std::string non_finite_hint(const std::string& text, std::size_t at) {
  const auto word_char = [&](std::size_t i) { return std::isalpha(static_cast<unsigned char>(text[i])) || text[i] == '-'; };
  std::size_t begin = std::min(at, text.size());
  while (begin > 0 && word_char(begin - 1)) --begin;
  std::size_t end = begin;
  while (end < text.size() && word_char(end)) ++end;
  std::size_t before = begin;  // a value follows ':', '[' or ','; a key ({NaN: 1}) is another error
  while (before > 0 && std::isspace(static_cast<unsigned char>(text[before - 1]))) --before;
  if (before == 0 || std::string(":[,").find(text[before - 1]) == std::string::npos || !outside_strings(text, begin)) return "";
  const std::string word = text.substr(begin, end - begin);
  const bool python = word == "NaN" || word == "Infinity" || word == "-Infinity";
  if (!python && word != "nan" && word != "inf" && word != "-inf") return "";
  return std::string(" (JSON numbers are finite: no ") + word + (python ? "; Python's json.dumps writes it unless allow_nan=False)" : ")");
}

}  // namespace

bool json_nests_deeper_than(const std::string& text, std::size_t limit) { return find_nesting_beyond(text, limit) != std::string::npos; }

json parse_json_text(const std::string& text, const std::string& source, JsonKeyOrder* key_order) {
  // The parser stops at a NUL as at the end of the input: what followed was ignored, and one
  // inside a value read as "unexpected end of input".
  if (const std::size_t at = text.find('\0'); at != std::string::npos)
    throw JsonTextError(location(text, source, at) + ": a NUL byte: not a JSON text file");
  if (const std::size_t at = find_nesting_beyond(text, kMaxJsonNesting); at != std::string::npos)
    throw JsonTextError(location(text, source, at) + ": arrays and objects nested deeper than " +
                        std::to_string(kMaxJsonNesting) + " levels");
  std::vector<Frame> frames;
  std::string duplicate;
  const json::parser_callback_t check_keys = [&](int, json::parse_event_t event, json& parsed) {
    // A container or a value starting inside an array is its next element.
    const auto next_element = [&] {
      if (!frames.empty() && !frames.back().object) ++frames.back().index;
    };
    switch (event) {
      case json::parse_event_t::object_start: next_element(); frames.push_back({}); break;
      case json::parse_event_t::array_start: next_element(); frames.emplace_back().object = false; break;
      case json::parse_event_t::object_end:
        if (key_order) (*key_order)[pointer_of(frames)] = std::move(frames.back().keys_in_order);
        frames.pop_back();
        break;
      case json::parse_event_t::array_end: frames.pop_back(); break;
      case json::parse_event_t::key: {
        Frame& f = frames.back();
        f.last_key = parsed.get<std::string>();
        if (key_order) f.keys_in_order.push_back(f.last_key);
        if (!f.keys.insert(f.last_key).second && duplicate.empty())
          duplicate = source + ": key \"" + f.last_key + "\" appears twice in the object at " + path_of(frames);
        break;
      }
      case json::parse_event_t::value: next_element(); break;
    }
    return true;
  };
  json j;
  try {
    j = json::parse(text, check_keys);
  } catch (const json::parse_error& e) {
    const std::size_t at = e.byte > 0 ? e.byte - 1 : 0;
    // "// note" or "/* */" in a hand-written config: say why, the parser only sees a bad '/'.
    const bool comment = at < text.size() && text[at] == '/' && (at + 1 < text.size()) && (text[at + 1] == '/' || text[at + 1] == '*');
    throw JsonTextError(location(text, source, at) + ": invalid JSON: " + explanation(e.what()) +
                        (comment ? " (JSON has no comments)" : "") + non_finite_hint(text, at));
  } catch (const json::out_of_range& e) {  // 406: a number too large for a double, e.g. 1e999
    const std::string what = e.what();
    const auto open = what.find('\''), close = what.rfind('\'');
    const std::string literal = open < close ? what.substr(open + 1, close - open - 1) : "";
    const auto at = literal.empty() ? std::string::npos : find_token_outside_strings(text, literal);
    const std::string where = at == std::string::npos ? source : location(text, source, at);
    throw JsonTextError(where + ": number " + literal + " is out of the range of a double");
  }
  if (!duplicate.empty()) throw JsonTextError(duplicate);
  if (const auto zero = find_number_read_as_zero(text))
    throw JsonTextError(location(text, source, zero->first) + ": number " + zero->second +
                        " is too small for a double (it would read as 0)");
  return j;
}

std::string valid_utf8(const std::string& text) {
  // nlohmann's writer already knows UTF-8: let it replace what is invalid, then read the result.
  const std::string quoted = json(text).dump(-1, ' ', false, json::error_handler_t::replace);
  return json::parse(quoted).get<std::string>();
}

std::optional<std::int64_t> json_integer_in(const nlohmann::json& j, std::int64_t lo, std::int64_t hi) {
  if (j.is_number_float()) {  // 2.0 is an integer to JSON Schema; only exact ones (|x| <= 2^53) count
    constexpr double kExact = 9007199254740992.0;
    const double x = j.get<double>();
    if (!(std::abs(x) <= kExact) || x != std::trunc(x)) return std::nullopt;
    const auto v = static_cast<std::int64_t>(x);
    if (v < lo || v > hi) return std::nullopt;
    return v;
  }
  if (!j.is_number_integer()) return std::nullopt;
  if (j.is_number_unsigned() && j.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
    return std::nullopt;
  const auto v = j.get<std::int64_t>();
  if (v < lo || v > hi) return std::nullopt;
  return v;
}

namespace {
nlohmann::ordered_json in_text_order_at(const json& j, const JsonKeyOrder& order, const std::string& pointer) {
  if (j.is_array()) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < j.size(); ++i) out.push_back(in_text_order_at(j[i], order, pointer + "/" + std::to_string(i)));
    return out;
  }
  if (!j.is_object()) return nlohmann::ordered_json::parse(j.dump());  // exact: dump writes doubles round-trip
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  const auto add = [&](const std::string& key) {
    if (j.contains(key) && !out.contains(key)) out[key] = in_text_order_at(j[key], order, pointer + "/" + json_pointer_token(key));
  };
  if (const auto it = order.find(pointer); it != order.end())
    for (const auto& key : it->second) add(key);
  for (const auto& item : j.items()) add(item.key());
  return out;
}
}  // namespace

nlohmann::ordered_json in_text_order(const json& j, const JsonKeyOrder& order) { return in_text_order_at(j, order, ""); }

std::string json_pointer_token(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

std::string got_json(const nlohmann::json& j) {
  std::string text = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  return ", got " + text;
}

bool is_format(const nlohmann::json& j, const std::string& format) {
  if (!j.is_object()) return false;
  const auto it = j.find("format");
  return it != j.end() && it->is_string() && it->get<std::string>() == format;
}

}  // namespace gpbo
