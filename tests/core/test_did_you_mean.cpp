#include <catch2/catch.hpp>

#include "gpbo/core/did_you_mean.hpp"

using gpbo::did_you_mean;
using gpbo::edit_distance;

TEST_CASE("edit_distance counts single-character edits and swaps of neighbours") {
  CHECK(edit_distance("", "") == 0);
  CHECK(edit_distance("abc", "") == 3);
  CHECK(edit_distance("kitten", "sitting") == 3);
  CHECK(edit_distance("budget", "budegt") == 1);
  CHECK(edit_distance("matern25", "matern52") == 1);
  CHECK(edit_distance("matern25", "matern12") == 2);
  CHECK(edit_distance("ab", "ba") == 1);
  CHECK(edit_distance("ca", "abc") == 3);  // optimal string alignment: no edit of a swapped pair
}

TEST_CASE("did_you_mean suggests only near misses") {
  const std::vector<std::string> keys = {"budget", "seed", "objective", "space"};
  CHECK(did_you_mean("budgte", keys) == "budget");
  CHECK(did_you_mean("sed", keys) == "seed");
  CHECK(did_you_mean("objektive", keys) == "objective");
  CHECK(did_you_mean("temperature", keys).empty());
  CHECK(did_you_mean("x", {}).empty());
  CHECK(did_you_mean("", {"id", "sd", "value"}).empty());  // an empty key: "id" was two edits away
  // Short names: a suggestion that rewrites every character shares nothing with the word.
  CHECK(did_you_mean("id", {"x1", "x2"}).empty());
  CHECK(did_you_mean("m", {"n", "x"}) == "n");  // one letter for another may be a slip
  CHECK(did_you_mean("EI", {"ei", "ucb"}) == "ei");
  CHECK(did_you_mean("xx", {"x", "z"}) == "x");
  CHECK(did_you_mean("x3", {"x1", "y"}) == "x1");
}

TEST_CASE("did_you_mean completes an abbreviation that names one candidate only") {
  CHECK(did_you_mean("max", {"minimize", "maximize"}) == "maximize");
  CHECK(did_you_mean("obj", {"budget", "objective"}) == "objective");
  CHECK(did_you_mean("mat", {"matern12", "matern32", "se"}).empty());  // several
  CHECK(did_you_mean("ma", {"maximize"}).empty());                     // too short to say
}
