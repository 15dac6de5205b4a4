#include <catch2/catch.hpp>

#include <array>
#include <string>
#include <vector>

#include "gpbo/core/number_text.hpp"
#include "gpbo/core/text_list.hpp"

using gpbo::join_text;

TEST_CASE("text_list: join_text lists strings, or anything through a function") {
  CHECK(join_text(std::vector<std::string>{}) == "");
  CHECK(join_text(std::vector<std::string>{"lr"}) == "lr");
  CHECK(join_text(std::vector<std::string>{"lr", "layers", "dropout"}) == "lr, layers, dropout");
  CHECK(join_text(std::vector<std::string>{"a", "b"}, " | ") == "a | b");
  // An empty item keeps its place (the list is not "b" alone).
  CHECK(join_text(std::vector<std::string>{"", "b"}) == ", b");
  const std::array<int, 3> ids{4, 12, 25};
  CHECK(join_text(ids, [](int id) { return std::to_string(id); }) == "4, 12, 25");
  CHECK(join_text(ids, [](int id) { return "#" + std::to_string(id); }, " ") == "#4 #12 #25");
}

TEST_CASE("number_text: noun_for is count_text's noun without the count") {
  CHECK(gpbo::noun_for(1, "line") == "line");
  CHECK(gpbo::noun_for(0, "line") == "lines");
  CHECK(gpbo::noun_for(2, "target") == "targets");
}
