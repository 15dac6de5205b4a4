#include <catch2/catch.hpp>

#include "kernel_checks.hpp"
#include "gpbo/kernels/kernel_parser.hpp"
#include "gpbo/kernels/kernels.hpp"

using namespace gpbo;

namespace {
std::vector<std::string> names(const Kernel& k) {
  std::vector<std::string> out;
  for (const auto& h : k.hyperparameters()) out.push_back(h.name);
  return out;
}
}  // namespace

TEST_CASE("parser: automatic amplitudes per top-level term, precedence, parentheses") {
  auto k = parse_kernel("matern52 * periodic + white", 2);
  CHECK(k->to_string() == "scale(matern52 * periodic) + white");
  CHECK(names(*k) == std::vector<std::string>{"k1.outputscale", "k1.k1.lengthscale[0]", "k1.k1.lengthscale[1]",
                                              "k1.k2.lengthscale", "k1.k2.period", "k2.noise_variance"});
  auto single = parse_kernel("matern52", 3);
  REQUIRE(dynamic_cast<ScaleKernel*>(single.get()));
  CHECK(single->num_hyperparameters() == 4u);
  CHECK(parse_kernel("rbf + linear * se(iso)", 2)->to_string() == "scale(se) + linear * se(iso)");
  CHECK(parse_kernel("(se + rq) * periodic[1]", 2)->to_string() == "scale((se + rq) * periodic[1])");
  CHECK(parse_kernel(" constant+matern12 [ 0 ] ", 2)->to_string() == "constant + scale(matern12[0])");
  CHECK(parse_kernel("scale(se) + unscaled(matern32)", 2)->to_string() == "unscaled(scale(se) + matern32)");
  CHECK(parse_kernel("unscaled(se)", 2)->num_hyperparameters() == 2u);
  CHECK(parse_kernel("linear(offset)[0,1]", 3)->num_hyperparameters() == 2u);
  auto m = parse_kernel("matern52(iso)[0,2]", 3);
  CHECK(names(*m) == std::vector<std::string>{"outputscale", "lengthscale"});
}

TEST_CASE("parser: to_string parses back to an equivalent kernel") {
  auto rng = make_rng(41);
  const Eigen::MatrixXd X = gpbo::test::random_matrix(rng, 6, 3);
  const std::vector<std::string> texts = {"matern52 * periodic + white", "se", "unscaled(se)", "rq(iso)[1] + linear(offset)",
                                          "(matern12 + matern32[0,1]) * rbf + constant * se", "scale(scale(se))",
                                          "unscaled(se * (periodic + white))", "matern52[0,2;1] + se[1;0]",
                                          "(se * periodic) * matern12", "se * (periodic * matern12)",
                                          // nested sums and a single length-scale group keep their structure
                                          "unscaled(se + (white + white))", "scale((se + white) + white)", "se[0,1;]",
                                          "matern52[2;] * se[0,1]"};
  for (const auto& t : texts) {
    INFO(t);
    auto a = parse_kernel(t, 3);
    auto b = parse_kernel(a->to_string(), 3);
    CHECK(a->to_string() == b->to_string());
    CHECK(names(*a) == names(*b));
    gpbo::test::perturb(*a, rng);
    b->set_log_params(a->log_params());
    CHECK(gpbo::test::max_abs(a->gram(X) - b->gram(X)) == 0.0);
  }
  // Kernels built in C++ without amplitudes print with unscaled(...).
  SumKernel bare(std::make_unique<SquaredExponentialKernel>(3), std::make_unique<WhiteKernel>(3));
  CHECK(bare.to_string() == "unscaled(se + white)");
  CHECK(parse_kernel(bare.to_string(), 3)->num_hyperparameters() == bare.num_hyperparameters());
}

TEST_CASE("parser: errors name the token, its position and the known names") {
  // Contradictory or repeated options, and repeated columns, name the token that repeats.
  CHECK_THROWS_WITH(parse_kernel("se(ard,iso)", 2), Catch::Contains("'iso' after 'ard' in the options of se: choose one") &&
                                                       Catch::Contains("position 7"));
  CHECK_THROWS_WITH(parse_kernel("se(iso,iso)", 2), Catch::Contains("an option is given once"));
  // unscaled() of one factor used to be dropped silently: the product got an amplitude anyway.
  CHECK_THROWS_WITH(parse_kernel("unscaled(se) * rq", 2),
                    Catch::Contains("write unscaled(a * b), not unscaled(a) * b") && Catch::Contains("position 0"));
  CHECK_THROWS_WITH(parse_kernel("scale(unscaled(se)) + white", 2),
                    Catch::Contains("unscaled(...) applies to a top-level term only") && Catch::Contains("position 6"));
  CHECK(parse_kernel("unscaled(se * rq)", 2)->to_string() == "unscaled(se * rq)");
  CHECK_THROWS_WITH(parse_kernel("se[0,0]", 2), Catch::Contains("active dimension 0 of se is listed twice") &&
                                                   Catch::Contains("position 5"));
  CHECK_THROWS_WITH(parse_kernel("matern53 + white", 2),
                    Catch::Contains("unknown kernel 'matern53'") && Catch::Contains("did you mean 'matern52'?") &&
                        Catch::Contains("position 0") && Catch::Contains("periodic"));
  CHECK_THROWS_WITH(parse_kernel("se + perodic", 2), Catch::Contains("did you mean 'periodic'?") && Catch::Contains("position 5"));
  CHECK_THROWS_WITH(parse_kernel("MATERN52", 1), Catch::Contains("did you mean 'matern52'? Known kernels: "));
  // A swapped pair of digits is one edit: "matern25" means Matérn 5/2, not 1/2.
  CHECK_THROWS_WITH(parse_kernel("matern25", 1), Catch::Contains("did you mean 'matern52'?"));
  CHECK_THROWS_WITH(parse_kernel("banana", 1), Catch::Contains("unknown kernel 'banana'; known kernels: "));
  CHECK_THROWS_WITH(parse_kernel("se + banana", 2), Catch::Contains("unknown kernel 'banana'") && !Catch::Contains("did you mean"));
  CHECK_THROWS_WITH(parse_kernel("se +", 2), Catch::Contains("expected a kernel name or '('") && Catch::Contains("position 4"));
  CHECK_THROWS_WITH(parse_kernel("(se + white", 2), Catch::Contains("expected ')'") && Catch::Contains("position 0"));
  CHECK_THROWS_WITH(parse_kernel("se white", 2), Catch::Contains("unexpected 'white'") && Catch::Contains("position 3"));
  CHECK_THROWS_WITH(parse_kernel("matern52[0,5]", 3), Catch::Contains("active dimension 5") && Catch::Contains("[0, 3)") &&
                                                          Catch::Contains("position 11"));
  CHECK_THROWS_WITH(parse_kernel("se(offset)", 2), Catch::Contains("'offset' is not an option of se") && Catch::Contains("iso, ard"));
  CHECK_THROWS_WITH(parse_kernel("white(iso)", 2), Catch::Contains("takes none"));
  CHECK_THROWS_WITH(parse_kernel("se[0,0]", 2), Catch::Contains("listed twice"));
  CHECK(parse_kernel("constant[1]", 2)->to_string() == "constant[1]");  // accepted, ignored by the value
  CHECK_THROWS_WITH(parse_kernel("se(iso)[0;1]", 2), Catch::Contains("need ARD length scales, not 'iso'"));
  CHECK_THROWS_WITH(parse_kernel("periodic[0;1]", 2), Catch::Contains("no length scales to group"));
  CHECK_THROWS_WITH(parse_kernel("se[0;;1]", 2), Catch::Contains("expected a column index") && Catch::Contains("position 5"));
  CHECK_THROWS_WITH(parse_kernel("se[0;1,0]", 2), Catch::Contains("listed twice"));
  CHECK_THROWS_WITH(parse_kernel("se - white", 2), Catch::Contains("unexpected character '-' at position 3"));
  // A non-ASCII character whole (its first byte alone was invalid UTF-8), and the way to a column so named.
  CHECK_THROWS_WITH(parse_kernel("matérn52", 2), Catch::Contains("unexpected character 'é' at position 3 (kernel names are ASCII;"));
  CHECK_THROWS_WITH(parse_kernel("se\xC3", 2), Catch::Contains("unexpected character '\xEF\xBF\xBD' at position 2"));
  // Leading zeros name the same column (12 digits were refused as outside the range).
  CHECK(parse_kernel("se[000000000001]", 2)->to_string() == "scale(se[1])");
  CHECK_THROWS_WITH(parse_kernel("se[99999999999999999999999]", 2), Catch::Contains("active dimension 99999999999999999999999 of se is outside [0, 2)"));
  CHECK_THROWS_WITH(parse_kernel("   ", 2), Catch::Contains("empty"));
}

TEST_CASE("parser: deep nesting is an error, not a stack overflow; huge strings are quoted in part") {
  const auto nested = [](int depth, const std::string& open, const std::string& inner) {
    std::string t;
    for (int i = 0; i < depth; ++i) t += open;
    t += inner;
    for (int i = 0; i < depth; ++i) t += ")";
    return t;
  };
  // 100 levels are allowed (the leaf counted as one more: 99 were), so to_string() of a kernel
  // JSON nested 100 deep parses back.
  CHECK(parse_kernel(nested(100, "(", "se"), 2)->to_string() == "scale(se)");
  CHECK(parse_kernel(nested(100, "scale(", "se"), 2)->to_string() == nested(100, "scale(", "se"));
  CHECK_THROWS_WITH(parse_kernel(nested(101, "(", "se"), 2), Catch::Contains("nested more than 100 levels deep (at position 100)"));
  CHECK_THROWS_WITH(parse_kernel(nested(100000, "(", "se"), 2),
                    Catch::Contains("nested more than 100 levels deep") && Catch::Contains("...\": "));
  CHECK_THROWS_WITH(parse_kernel(nested(5000, "scale(", "se"), 2), Catch::Contains("nested more than 100 levels deep"));
  // A single group is one length scale, in the string form too (it came back as ARD).
  auto one = parse_kernel("se[0,1;]", 3);
  CHECK(names(*one) == std::vector<std::string>{"outputscale", "lengthscale[0]"});
  CHECK(one->to_string() == "scale(se[0,1;])");
  CHECK(names(*parse_kernel("se[0,1]", 3)).size() == 3);
}

TEST_CASE("parser: hyperparameters of nested scales are listed in linear time") {
  // Each scale(...) asked its base for the full list once per hyperparameter: ten levels took 4 s.
  std::string t = "se";
  for (int i = 0; i < 40; ++i) t = "scale(" + t + ")";
  const auto k = parse_kernel(t, 2);
  CHECK(k->hyperparameters().size() == 42);  // 40 outputscales, two ARD length scales
}

TEST_CASE("parser: active dimensions by column name, quoted where needed, and back") {
  const std::vector<std::string> columns = {"x1", "temp (C)", "2019", "t"};
  const std::vector<std::pair<std::string, std::string>> same = {
      {"matern52[x1, t] + periodic[\"temp (C)\"]", "matern52[0,3] + periodic[1]"},
      {"se[x1;\"2019\",t]", "se[0;2,3]"},
      {"rq[2] * linear[x1]", "rq[2] * linear[0]"},  // an integer is an index, even where a column is named "2019"
      {"se[t;]", "se[3;]"}};
  for (const auto& [named, indexed] : same) {
    INFO(named);
    const auto a = parse_kernel(named, columns), b = parse_kernel(indexed, 4);
    CHECK(a->to_string() == b->to_string());
    // Written back with names, it parses to the same kernel again.
    const std::string text = kernel_string_with_names(*a, columns);
    CHECK(parse_kernel(text, columns)->to_string() == a->to_string());
  }
  CHECK(kernel_string_with_names(*parse_kernel("matern52[0,3] + se[1;2]", 4), columns) ==
        "scale(matern52[x1,t]) + scale(se[\"temp (C)\";\"2019\"])");
  CHECK(kernel_string_with_names(*parse_kernel("se", 4), columns) == "scale(se)");
  // A name holding a quote cannot be written quoted: it stays an index.
  CHECK(kernel_string_with_names(*parse_kernel("se[1]", 2), {"a", "b\"c"}) == "scale(se[1])");

  CHECK_THROWS_WITH(parse_kernel("se[x2]", columns),
                    Catch::Contains("no input column named 'x2' in the active dimensions of se (did you mean 'x1'?); the inputs "
                                    "are x1, temp (C), 2019, t (at position 3)"));
  CHECK_THROWS_WITH(parse_kernel("se[x1, x1]", columns), Catch::Contains("active dimension x1 of se is listed twice"));
  // A column named ";" is a column, not the group separator (se[a, ";"] was one shared length scale).
  const std::vector<std::string> semicolon{"a", ";"};
  auto two = parse_kernel("se[a, \";\"]", semicolon);
  CHECK(two->to_string() == "scale(se[0,1])");
  CHECK(kernel_string_with_names(*two, semicolon) == "scale(se[a,\";\"])");
  CHECK(parse_kernel(kernel_string_with_names(*two, semicolon), semicolon)->to_string() == two->to_string());
  CHECK(parse_kernel("periodic[a, \";\"]", semicolon)->to_string() == "scale(periodic[0,1])");
  CHECK_THROWS_WITH(parse_kernel("se[\"t]", columns), Catch::Contains("the quote at position 3 is not closed"));
  CHECK_THROWS_WITH(parse_kernel("se[4]", columns), Catch::Contains("active dimension 4 of se is outside [0, 4)"));
  CHECK_THROWS_WITH(parse_kernel("se[x]", 2),
                    Catch::Contains("'x' in the active dimensions of se: columns are given by 0-based index here"));
  CHECK_THROWS_WITH(parse_kernel("\"t\"", columns), Catch::Contains("expected a kernel name or '('"));
  CHECK_THROWS_WITH(parse_kernel("se", std::vector<std::string>{}), Catch::Contains("input dimension must be at least 1"));
}
