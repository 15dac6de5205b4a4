#include <catch2/catch.hpp>

#include <cstdlib>
#include <limits>
#include <string>

#include "gpbo/core/number_text.hpp"

using gpbo::count_text;
using gpbo::shortest_text;

TEST_CASE("number_text: shortest_text reads back exactly") {
  for (const double v : {0.1, 1.0 / 3.0, 1e300, 5e-324, -2.5, 123456789.0}) CHECK(std::strtod(shortest_text(v).c_str(), nullptr) == v);  // stod refuses subnormals
  CHECK(shortest_text(0.1) == "0.1");
  CHECK(shortest_text(std::numeric_limits<double>::infinity()) == "inf");
}

TEST_CASE("number_text: count_text says 1 thing, 0 things, 3 things") {
  CHECK(count_text(1, "evaluation") == "1 evaluation");
  CHECK(count_text(0, "evaluation") == "0 evaluations");
  CHECK(count_text(3, "result") == "3 results");
  CHECK(count_text(21, "start point") == "21 start points");
}
