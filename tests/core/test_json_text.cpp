#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>

#include "gpbo/core/json_text.hpp"

using gpbo::JsonTextError;
using gpbo::parse_json_text;

TEST_CASE("json_text: valid JSON parses as usual") {
  const auto j = parse_json_text(R"({"a": [1, {"b": 2.5}], "c": {"a": 3}})", "x.json");
  CHECK(j["a"][1]["b"] == 2.5);
  CHECK(j["c"]["a"] == 3);  // the same key in different objects is fine
  CHECK(parse_json_text("[1e308, -1e308, 5e-324]", "x.json")[0] == 1e308);
}

TEST_CASE("json_text: syntax errors give file, line and column without the library's tag") {
  CHECK_THROWS_WITH(parse_json_text("{\n  \"a\": 1,\n  \"b\": tru\n}", "c.json"),
                    Catch::StartsWith("c.json:3:") && Catch::Contains("invalid JSON: ") &&
                        !Catch::Contains("json.exception"));
  CHECK_THROWS_WITH(parse_json_text("{\"a\": 1", "c.json"), Catch::StartsWith("c.json:1:") && Catch::Contains("end of input"));
  CHECK_THROWS_AS(parse_json_text("", "c.json"), JsonTextError);
  // The parser quotes its last token whole: a truncated state's long token is cut.
  const std::string truncated = "{\"a\": \"" + std::string(3000, '1');
  CHECK_THROWS_WITH(parse_json_text(truncated, "s.json"), Catch::Contains("...' (cut)") && !Catch::Contains(std::string(200, '1')));
  // A comment in a hand-written config: the error says JSON has none.
  CHECK_THROWS_WITH(parse_json_text("{\"a\": 1, // note\n}", "c.json"),
                    Catch::StartsWith("c.json:1:") && Catch::EndsWith("(JSON has no comments)"));
  CHECK_THROWS_WITH(parse_json_text("{\"a\": /* note */ 1}", "c.json"), Catch::EndsWith("(JSON has no comments)"));
  CHECK_THROWS_WITH(parse_json_text("{\"a\": 1 /}", "c.json"), !Catch::Contains("comments"));
  // NaN and Infinity, as Python's json.dumps writes them: named, wherever the parser stopped in them.
  for (const std::string word : {"NaN", "Infinity", "-Infinity"})
    CHECK_THROWS_WITH(parse_json_text("{\"a\": " + word + "}", "c.json"),
                      Catch::EndsWith("(JSON numbers are finite: no " + word + "; Python's json.dumps writes it unless allow_nan=False)"));
  CHECK_THROWS_WITH(parse_json_text("[1, nan]", "c.json"), Catch::EndsWith("(JSON numbers are finite: no nan)"));
  // Not inside a string (an unclosed one), nor for a key.
  for (const std::string text : {"{\"failed\": \"NaN", "{\"NaN", "{NaN: 1}", "{\"a\": \"Infinity\t\"}"})
    CHECK_THROWS_WITH(parse_json_text(text, "c.json"), !Catch::Contains("finite"));
  CHECK_THROWS_WITH(parse_json_text("{\"a\": Nope}", "c.json"), !Catch::Contains("finite"));
}

TEST_CASE("json_text: nesting beyond 512 levels is an error at its position, not a crash") {
  // A config nested 200000 deep crashed gpbo (exit 139) when it was copied after parsing.
  const std::string deep = "{\"zz\": " + std::string(200000, '[') + std::string(200000, ']') + "}";
  CHECK_THROWS_WITH(parse_json_text(deep, "c.json"), "c.json:1:519: arrays and objects nested deeper than 512 levels");
  // Brackets inside strings do not count; 512 levels parse.
  CHECK(parse_json_text("{\"a\": \"" + std::string(1000, '[') + "\"}", "s").at("a").get<std::string>().size() == 1000);
  CHECK_NOTHROW(parse_json_text(std::string(512, '[') + std::string(512, ']'), "ok"));
}

TEST_CASE("json_text: numbers beyond a double are errors at their position") {
  CHECK_THROWS_WITH(parse_json_text("{\n \"high\": 1e999}", "c.json"),
                    "c.json:2:10: number 1e999 is out of the range of a double");
  CHECK_THROWS_AS(parse_json_text("[-2e400]", "c.json"), JsonTextError);
  // The same text inside a string earlier on is not the number.
  CHECK_THROWS_WITH(parse_json_text(R"({"a": "1e999", "b": 1e999})", "c.json"),
                    "c.json:1:21: number 1e999 is out of the range of a double");
}

TEST_CASE("json_text: a nonzero number below the smallest double is an error, not 0") {
  // The parser read 1e-999 as 0: a bound or a value nobody wrote.
  CHECK_THROWS_WITH(parse_json_text("{\"low\": 1e-999,\n \"x\": \"1e-999\"}", "c.json"),
                    "c.json:1:9: number 1e-999 is too small for a double (it would read as 0)");
  CHECK_THROWS_WITH(parse_json_text(R"({"s": "-5e-400", "v": [1, -5E-400]})", "c.json"),
                    "c.json:1:27: number -5E-400 is too small for a double (it would read as 0)");
  CHECK_THROWS_AS(parse_json_text("[0." + std::string(400, '0') + "1]", "c.json"), JsonTextError);
  // Zeros written as such, subnormal numbers and ordinary small ones are read as they are.
  const auto ok = parse_json_text(R"([0e-999, -0.0e-5, 0.000, 1e-310, 2.5e-300, 1e5, -3])", "ok");
  CHECK(ok[0].get<double>() == 0.0);
  CHECK(ok[3].get<double>() == 1e-310);
  CHECK(ok[4].get<double>() == 2.5e-300);
  CHECK(ok[6].get<double>() == -3.0);
}

TEST_CASE("json_text: a key given twice in one object is an error naming the object") {
  CHECK_THROWS_WITH(parse_json_text(R"({"space": {"a": 1, "b": 2, "a": 3}})", "c.json"),
                    "c.json: key \"a\" appears twice in the object at /space");
  CHECK_THROWS_WITH(parse_json_text(R"({"x": 1, "x": 1})", "c.json"), "c.json: key \"x\" appears twice in the object at /");
  CHECK_THROWS_WITH(parse_json_text(R"({"l": [{"k": 1, "k": 2}]})", "c.json"),
                    "c.json: key \"k\" appears twice in the object at /l/0");
  // Array elements are counted, containers and values alike.
  CHECK_THROWS_WITH(parse_json_text(R"([1, [2], {"a": 1}, {"x": 1, "x": 2}])", "c.json"),
                    "c.json: key \"x\" appears twice in the object at /3");
  CHECK_THROWS_WITH(parse_json_text(R"({"l": [[], [{"k": [0, 1]}, {"k": 1, "k": 2}]]})", "c.json"),
                    "c.json: key \"k\" appears twice in the object at /l/1/1");
}

TEST_CASE("json_text: json_integer_in reads integers in a range without wrapping around") {
  using gpbo::json_integer_in;
  CHECK(json_integer_in(nlohmann::json::parse("7"), 1, 10) == 7);
  CHECK(json_integer_in(nlohmann::json::parse("-3"), -5, 0) == -3);
  CHECK_FALSE(json_integer_in(nlohmann::json::parse("11"), 1, 10));
  CHECK_FALSE(json_integer_in(nlohmann::json::parse("2.5"), 1, 10));
  // JSON Schema's integers include 2.0 and 1e3; doubles past 2^53 are not exact, so not integers.
  CHECK(json_integer_in(nlohmann::json::parse("2.0"), 1, 10) == 2);
  CHECK(json_integer_in(nlohmann::json::parse("1e3"), 1, 1000) == 1000);
  CHECK(json_integer_in(nlohmann::json::parse("-0.0"), 0, 1) == 0);
  CHECK_FALSE(json_integer_in(nlohmann::json::parse("11.0"), 1, 10));
  CHECK_FALSE(json_integer_in(nlohmann::json::parse("1e300"), 0, std::numeric_limits<std::int64_t>::max()));
  CHECK_FALSE(json_integer_in(nlohmann::json::parse("9007199254740994.0"), 0, std::numeric_limits<std::int64_t>::max()));
  CHECK_FALSE(json_integer_in(nlohmann::json::parse("\"3\""), 1, 10));
  // 2^64 - 1 is -1 to get<int64_t>(); here it is out of every int64 range.
  const auto huge = nlohmann::json::parse("18446744073709551615");
  CHECK_FALSE(json_integer_in(huge, -10, 10));
  CHECK_FALSE(json_integer_in(huge, std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max()));
  CHECK(json_integer_in(nlohmann::json::parse("9223372036854775807"), 0, std::numeric_limits<std::int64_t>::max()) ==
        std::numeric_limits<std::int64_t>::max());
}

TEST_CASE("json_text: valid_utf8 keeps valid text and replaces invalid bytes") {
  using gpbo::valid_utf8;
  CHECK(valid_utf8("plain") == "plain");
  CHECK(valid_utf8("progress \u2588\u2588 50%") == "progress \u2588\u2588 50%");  // a tqdm bar
  CHECK(valid_utf8("oom \xff") == "oom \ufffd");
  CHECK(valid_utf8("\x96\x88 cut in a character") == "\ufffd\ufffd cut in a character");
  CHECK(nlohmann::json(valid_utf8("a\xc3")).dump() == "\"a\ufffd\"");
}

TEST_CASE("json_text: the keys' order in the text is recorded for every object and written back") {
  gpbo::JsonKeyOrder order;
  const std::string text = R"({"z": 1, "space": {"lr": {"type": "real"}, "a/b": 2, "dropout": {}}, "list": [{"y": 1, "x": 2}], "b": {}})";
  const auto j = parse_json_text(text, "c.json", &order);
  CHECK(order[""] == std::vector<std::string>{"z", "space", "list", "b"});
  CHECK(order["/space"] == std::vector<std::string>{"lr", "a/b", "dropout"});
  CHECK(order["/space/lr"] == std::vector<std::string>{"type"});
  CHECK(order["/list/0"] == std::vector<std::string>{"y", "x"});
  CHECK(order["/b"].empty());
  CHECK(order.count("/space/a~1b") == 0);  // a number, not an object
  // The text's order back, and keys it lacks (added later, say by a command-line option) after.
  auto more = j;
  more["budget"] = 5;
  more["space"]["beta"] = 0.5;
  CHECK(gpbo::in_text_order(more, order).dump() ==
        R"({"z":1,"space":{"lr":{"type":"real"},"a/b":2,"dropout":{},"beta":0.5},"list":[{"y":1,"x":2}],"b":{},"budget":5})");
  CHECK(gpbo::in_text_order(more, {}).dump() == more.dump());  // without an order: sorted, as nlohmann::json
  // Numbers come back exactly.
  const nlohmann::json numbers = {{"x", 0.1}, {"y", 1e-320}, {"z", -0.0}, {"n", 18446744073709551615ULL}};
  CHECK(nlohmann::json::parse(gpbo::in_text_order(numbers, {}).dump()) == numbers);
}

TEST_CASE("json_text: a NUL byte is an error at its position, whatever follows it") {
  // The parser took a NUL for the end of the input: "{...}\0garbage" was accepted, and a NUL
  // inside a value read as "unexpected end of input".
  using namespace std::string_literals;
  CHECK_THROWS_WITH(parse_json_text("{\"a\": 1}\0garbage"s, "s.json"), "s.json:1:9: a NUL byte: not a JSON text file");
  CHECK_THROWS_WITH(parse_json_text("{\n  \"a\": \"x\0y\"\n}"s, "s.json"), "s.json:2:10: a NUL byte: not a JSON text file");
}
