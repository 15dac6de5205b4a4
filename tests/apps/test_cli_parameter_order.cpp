// End to end: the parameters keep the order the config lists them in (JSON objects are read
// sorted), in every place people read them, and through --resume.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <regex>
#include <string>

#include "cli_test_util.hpp"
#include "gpbo/core/durable_file.hpp"
#include "gpbo/core/json_text.hpp"

using namespace cli_test;

namespace {
// Whether `names` occur in `text` in this order, each after the one before.
bool in_order(const std::string& text, const std::vector<std::string>& names) {
  std::size_t at = 0;
  for (const auto& n : names) {
    at = text.find(n, at);
    if (at == std::string::npos) return false;
  }
  return true;
}
}  // namespace

TEST_CASE("e2e: parameters keep the config's order in eval lines, the summary, results.csv, config.json and ask") {
  Scratch s("parameter_order");
  s.write_script("f.sh", "#!/bin/sh\nawk -v z=\"$1\" -v a=\"$2\" -v m=\"$3\" 'BEGIN{print (z-0.3)^2 + (a-2)^2/10 + (m==\"q\")}'\n");
  const auto cfg = s.write("c.json", R"({"name": "order", "space": {
      "zeta": {"type": "real", "low": 0, "high": 1},
      "alpha": {"type": "integer", "low": 1, "high": 4},
      "mid": {"type": "categorical", "choices": ["p", "q"]}},
    "objective": {"command": ["./f.sh", "{zeta}", "{alpha}", "{mid}"]}, "budget": 6, "seed": 2})");
  const auto r = sh("cd " + s.dir.string() + " && " + cli + " tune c.json --out run");
  INFO(r.output);
  REQUIRE(r.status == 0);
  CHECK(std::regex_search(r.output, std::regex(R"(eval 0 \[zeta=[-0-9.e]+, alpha=[0-9]+, mid=[pq]\])")));
  CHECK(in_order(r.output.substr(r.output.find("best value")), {"\n  zeta ", "\n  alpha ", "\n  mid "}));
  const auto rows = csv_rows(s.path("run/results.csv"));
  REQUIRE(rows.size() == 7);
  CHECK(std::vector<std::string>(rows[0].begin(), rows[0].begin() + 4) == std::vector<std::string>{"id", "zeta", "alpha", "mid"});
  // The run's copy of the config reads as its author wrote it.
  gpbo::JsonKeyOrder order;
  (void)gpbo::parse_json_text(gpbo::read_file(s.path("run/config.json")), "config.json", &order);
  CHECK(order["/space"] == std::vector<std::string>{"zeta", "alpha", "mid"});
  CHECK(std::vector<std::string>(order[""].begin(), order[""].begin() + 4) == std::vector<std::string>{"name", "space", "objective", "budget"});

  // Resumed from that copy with a larger budget: the state's order holds.
  const auto more = sh("cd " + s.dir.string() + " && " + cli + " tune run/config.json --out run --resume --budget 8");
  INFO(more.output);
  REQUIRE(more.status == 0);
  CHECK(std::regex_search(more.output, std::regex(R"(eval 7 \[zeta=[-0-9.e]+, alpha=[0-9]+, mid=[pq]\])")));
  CHECK(csv_rows(s.path("run/results.csv"))[0] == rows[0]);

  // gpbo ask prints each suggestion's parameters in the config's order; gpbo show its best.
  const auto asked = sh(cli + " ask --state " + s.path("ask.json") + " --config " + cfg + " -n 2");
  INFO(asked.output);
  REQUIRE(asked.status == 0);
  CHECK(std::regex_search(asked.output, std::regex(R"(^\{"id":0,"params":\{"zeta":[-0-9.e]+,"alpha":[0-9]+,"mid":"[pq]"\}\}\n)")));
  REQUIRE(sh("printf '{\"id\":0,\"value\":1}\\n{\"id\":1,\"value\":2}\\n' | " + cli + " tell --state " + s.path("ask.json")).status == 0);
  const auto shown = sh(cli + " show --state " + s.path("ask.json"));
  INFO(shown.output);
  CHECK(in_order(shown.output.substr(shown.output.find("best value")), {"\n  zeta ", "\n  alpha ", "\n  mid "}));
}
