#include "tune/stdout_readers.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "gpbo/core/json_text.hpp"

namespace gpbo::tune {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Characters that glue to a number, so that it is part of a word and no number of its own:
// ASCII letters, digits, '.', '_', signs, and every byte of a non-ASCII character.
bool is_word_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) || c == '.' || c == '_' || c == '+' || c == '-' || u >= 0x80;
}

// ':' and '/' between two digits glue too: a time (12:30:05) or a fraction (3/10) is no score.
bool joins_digits(const std::string& s, std::size_t i) {
  return (s[i] == ':' || s[i] == '/') && i > 0 && i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i - 1])) &&
         std::isdigit(static_cast<unsigned char>(s[i + 1]));
}

// A word that is a time of day: digits, then ':' and digits ("12:00:00", "3:04PM").
bool is_time(const std::string& word) {
  const std::size_t colon = word.find(':');
  return colon != std::string::npos && colon > 0 && std::isdigit(static_cast<unsigned char>(word[colon - 1])) &&
         colon + 1 < word.size() && std::isdigit(static_cast<unsigned char>(word[colon + 1]));
}

// The last word of `line` that is a whole number ("loss=-1.5e-3" has "-1.5e-3"; "0x10", "12abc",
// "v1.2.3", "2024-01-01" and "x-1" have none). A full stop ending a word is not part of it.
std::optional<std::string> last_standalone_number(const std::string& line) {
  // NaN in any case (C's %G prints NAN: skipped, "loss NAN" recorded the step count as the
  // score); INF in capitals with a sign here, alone below (it may be a log level).
  static const std::regex number = result_regex(
      R"([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|[-+]?(?:[nN][aA][nN]|inf|Inf|infinity|Infinity|INFINITY)|[-+]INF)");
  std::optional<std::string> last;
  std::string previous;  // the word before this one
  for (std::size_t i = 0; i < line.size();) {
    if (!is_word_char(line[i])) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < line.size() && (is_word_char(line[end]) || joins_digits(line, end))) ++end;
    std::string word = line.substr(i, end - i);
    if (word.size() > 1 && word.back() == '.') word.pop_back();
    // INF alone is C's %G of an infinite loss, unless it is a log level: "[INF]", or right after
    // a time (Serilog's "[12:00:00 INF]", zerolog's "3:04PM INF").
    const bool bracketed = i > 0 && line[i - 1] == '[' && end < line.size() && line[end] == ']';
    const bool level = word == "INF" && (bracketed || is_time(previous));
    if (std::regex_match(word, number) || (word == "INF" && !level)) last = word;
    previous = word;
    i = end;
  }
  return last;
}

// The number `s` spells, or nullopt with `why` saying what it is instead: "not a number", or
// beyond double range (1e400 is not infinite, and 1e-400 would read as 0: a config or a tell
// refuses them as well).
std::optional<double> parse_number(const std::string& s, std::string& why) {
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(s.c_str(), &end);
  if (end == s.c_str() || *end != '\0') {
    why = "not a number";
    return std::nullopt;
  }
  if (errno == ERANGE && (std::isinf(v) || v == 0.0)) {
    why = std::string("beyond the range of a double") + (v == 0.0 ? " (it would read as 0)" : "");
    return std::nullopt;
  }
  return v;
}

// "name: 420" or "name = 420" (blank space allowed around the name and the separator): the word
// after the separator, up to blank space, ',' or ';'; nothing when the line is not of that form.
std::optional<std::string> named_value_text(const std::string& line, const std::string& name) {
  std::size_t i = line.find_first_not_of(" \t");
  if (i == std::string::npos || line.compare(i, name.size(), name) != 0) return std::nullopt;
  i = line.find_first_not_of(" \t", i + name.size());
  if (i == std::string::npos || (line[i] != ':' && line[i] != '=')) return std::nullopt;
  const std::size_t begin = std::min(line.size(), line.find_first_not_of(" \t", i + 1));
  const std::size_t end = std::min(line.size(), line.find_first_of(" \t\r,;", begin));
  return line.substr(begin, end - begin);
}

// Whether `line` reports the quantity `name`: a JSON object with that key, or "name: value".
bool reports(const std::string& line, const std::string& name) {
  if (named_value_text(line, name)) return true;
  if (line.find('{') == std::string::npos || json_nests_deeper_than(line)) return false;
  const auto j = nlohmann::json::parse(line, nullptr, false);
  return !j.is_discarded() && j.is_object() && j.contains(name);
}

// The JSON object one line of output holds, or a discarded value (also for a line nested
// deeper than gpbo reads: a 200000-deep one crashed the run).
nlohmann::json json_object_line(const std::string& line) {
  if (line.find('{') == std::string::npos || json_nests_deeper_than(line)) return nlohmann::json(nlohmann::json::value_t::discarded);
  auto j = nlohmann::json::parse(line, nullptr, false);
  if (!j.is_object()) return nlohmann::json(nlohmann::json::value_t::discarded);
  return j;
}

// Why an object line that holds a wanted key cannot be read: a key given twice (which value was
// meant?), as configs and tell input refuse it; "" when it can. Only such lines pay for the
// strict second parse.
std::string duplicate_key(const std::string& line) {
  try {
    parse_json_text(line, "the JSON line");
  } catch (const JsonTextError& e) {
    return e.what();
  }
  return "";
}

// Why line `number` of stdout, which looks like a JSON object with `key` but did not parse,
// cannot be read; nothing for a line of other text. Python's json.dumps writes NaN for a
// diverged loss: the line was passed over for an earlier one, or "no JSON object with key".
// Only a line that starts as an object counts: a log line quoting one ("INFO metrics {...}") is
// text, as the readers always took it.
std::optional<std::string> unreadable_json_with(const std::string& line, std::size_t number, const std::string& key) {
  std::size_t first = line.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0;  // a byte-order mark, which the parser skips too
  first = line.find_first_not_of(" \t\r\n", first);
  if (first == std::string::npos || line[first] != '{' || line.find("\"" + key + "\"") == std::string::npos || json_nests_deeper_than(line))
    return std::nullopt;
  try {
    parse_json_text(line, "stdout line " + std::to_string(number));
  } catch (const JsonTextError& e) {
    std::string what = e.what();  // "stdout line 3:1:10: ..." reads as line 1 of something
    const std::string source = "stdout line " + std::to_string(number);
    if (what.rfind(source + ":1:", 0) == 0) what.replace(0, source.size() + 3, source + ", column ");
    return what;
  }
  return std::nullopt;
}

}  // namespace

std::regex result_regex(const std::string& pattern) {
#ifdef __GLIBCXX__
  return std::regex(pattern, std::regex::ECMAScript | std::regex_constants::__polynomial);
#else
  return std::regex(pattern, std::regex::ECMAScript);
#endif
}

std::optional<double> read_result(const ResultReader& reader, const std::string& stdout_text, std::string& why,
                                  const std::vector<std::string>& named) {
  const auto lines = lines_of(stdout_text);
  const std::regex user_re = reader.kind == ResultReader::Kind::Regex ? result_regex(reader.pattern) : std::regex();
  bool skipped_long = false;
  for (auto line = lines.rbegin(); line != lines.rend(); ++line) {
    if (reader.kind == ResultReader::Kind::JsonKey) {
      const auto j = json_object_line(*line);
      if (j.is_discarded())
        if (auto bad = unreadable_json_with(*line, static_cast<std::size_t>(lines.rend() - line), reader.key)) {
          why = std::move(*bad);
          return std::nullopt;
        }
      if (j.is_discarded() || !j.contains(reader.key)) continue;
      if (why = duplicate_key(*line); !why.empty()) return std::nullopt;
      if (j[reader.key].is_number()) return j[reader.key].get<double>();
      why = "key '" + reader.key + "' in the JSON line is not a number";
      return std::nullopt;
    }
    std::optional<std::string> last;
    if (reader.kind == ResultReader::Kind::LastNumber &&
        std::any_of(named.begin(), named.end(), [&](const std::string& name) { return reports(*line, name); }))
      continue;
    if (reader.kind == ResultReader::Kind::LastNumber) {
      last = last_standalone_number(*line);
    } else if (line->size() > kMaxRegexLine) {
      skipped_long = true;
      continue;
    } else {
      for (auto it = std::sregex_iterator(line->begin(), line->end(), user_re); it != std::sregex_iterator(); ++it)
        last = it->size() > 1 && (*it)[1].matched ? (*it)[1].str() : it->str();
    }
    if (!last) continue;
    last->erase(last->find_last_not_of(" \t\r") + 1);  // "loss=(.*)" of "loss=0.5 ": strtod skips only leading blanks
    std::string problem;
    if (auto v = parse_number(*last, problem)) return v;
    why = "matched text '" + *last + "' is " + problem;
    if (reader.kind == ResultReader::Kind::Regex && user_re.mark_count() == 0)
      why += " (the pattern has no group: put the number's part in parentheses, as in loss=(\\S+))";
    return std::nullopt;
  }
  switch (reader.kind) {
    case ResultReader::Kind::LastNumber: why = "no number found on stdout"; break;
    case ResultReader::Kind::Regex:
      why = "no line of stdout matches /" + reader.pattern + "/" +
            (skipped_long ? " (lines over " + std::to_string(kMaxRegexLine) + " characters are not searched)" : "");
      break;
    case ResultReader::Kind::JsonKey: why = "no JSON object with key '" + reader.key + "' found on stdout"; break;
  }
  return std::nullopt;
}

std::optional<double> read_named_value(const std::string& name, const std::string& stdout_text, std::string& why) {
  const std::string how = "; print a line '" + name + ": VALUE' or a JSON line {\"" + name + "\": VALUE}";
  const auto lines = lines_of(stdout_text);
  // A JSON line wins over text lines wherever it stands: a program that prints JSON means it.
  for (auto line = lines.rbegin(); line != lines.rend(); ++line) {
    const auto j = json_object_line(*line);
    if (j.is_discarded())
      if (auto bad = unreadable_json_with(*line, static_cast<std::size_t>(lines.rend() - line), name)) {
        why = "'" + name + "': " + *bad;
        return std::nullopt;
      }
    if (j.is_discarded() || !j.contains(name)) continue;
    if (why = duplicate_key(*line); !why.empty()) return std::nullopt;
    if (j[name].is_number()) return j[name].get<double>();
    why = "'" + name + "' in the JSON line is " + j[name].dump() + ", not a number" + how;
    return std::nullopt;
  }
  for (auto line = lines.rbegin(); line != lines.rend(); ++line) {
    const auto text = named_value_text(*line, name);
    if (!text) continue;
    std::string problem;
    if (auto v = parse_number(*text, problem)) return v;
    why = "'" + name + "' is '" + *text + "', " + problem + how;
    return std::nullopt;
  }
  why = "'" + name + "' is not on stdout" + how;
  return std::nullopt;
}

}  // namespace gpbo::tune
