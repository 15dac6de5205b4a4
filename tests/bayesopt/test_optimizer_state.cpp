// The optimizer's options and its saved state: validation, JSON, save/load continuing exactly,
// and states saved by earlier versions.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "gpbo/core/durable_file.hpp"
#include "gpbo/bayesopt/optimizer.hpp"
#include "gpbo/bayesopt/optimizer_state.hpp"
#include "gpbo/bayesopt/test_functions.hpp"
#include "optimizer_test_util.hpp"
#include "../temp_path.hpp"

using namespace gpbo::bo;
using namespace optimizer_test;

TEST_CASE("optimizer: options set in C++ are validated like options read from JSON") {
  const Space space = hartmann3().space();
  auto error_of = [&](auto change) {
    OptimizerOptions o;
    change(o);
    try {
      Optimizer opt(space, o);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  CHECK(error_of([](OptimizerOptions&) {}) == "(no error)");
  CHECK(error_of([](OptimizerOptions& o) { o.surrogate.mcmc_samples = 0; }) ==
        "OptimizerOptions: surrogate.mcmc_samples must be >= 1, got 0");
  CHECK(error_of([](OptimizerOptions& o) { o.surrogate.restarts = -1; }) ==
        "OptimizerOptions: surrogate.restarts must be >= 0, got -1");
  // Accepted before: a subset of one point made every model-based suggestion a random one, and
  // escape.every = 0 saved a state whose reader refused it.
  CHECK(error_of([](OptimizerOptions& o) { o.surrogate.restart_subset = 1; }) ==
        "OptimizerOptions: surrogate.restart_subset must be 0 (never) or >= 2, got 1");
  CHECK(error_of([](OptimizerOptions& o) { o.escape.every = 0; }) ==
        "OptimizerOptions: escape.every must be >= 1 (escape.enabled = false turns escapes off), got 0");
  CHECK(error_of([](OptimizerOptions& o) { o.search.thompson_candidates = 0; }).find("search.thompson_candidates") !=
        std::string::npos);
  CHECK(error_of([](OptimizerOptions& o) {
          o.surrogate.noise = NoiseMode::Fixed;
          o.surrogate.noise_sd = -1;
        }).find("surrogate.noise_sd must be > 0") != std::string::npos);
  // A standard deviation whose variance overflows: every model-based suggestion used to fall
  // back to a random point, with only last_warning() to tell.
  CHECK(error_of([](OptimizerOptions& o) {
          o.surrogate.noise = NoiseMode::Fixed;
          o.surrogate.noise_sd = 1e300;
        }).find("a finite variance") != std::string::npos);
  CHECK(error_of([](OptimizerOptions& o) { o.ucb_delta = 0; }).find("ucb_delta must be in (0, 1)") != std::string::npos);
  CHECK(error_of([](OptimizerOptions& o) { o.stop.target = std::nan(""); }).find("stop.target must be finite") !=
        std::string::npos);
  CHECK(error_of([](OptimizerOptions& o) { o.stop.max_seconds = -1; }).find("stop.max_seconds") != std::string::npos);
  for (const char* preset : {"default", "fast", "mcmc"}) CHECK_NOTHROW(OptimizerOptions::preset(preset).validate());
}

TEST_CASE("optimizer: save and load continue with exactly the same suggestions") {
  const TestFunction f = hartmann3();
  Optimizer a(f.space(), small_options(5));
  for (int i = 0; i < 14; ++i) {
    const Suggestion s = a.ask();
    if (i == 3) a.tell_failure(s.id, "timeout");
    else if (i == 5) a.tell(s.id, 1e30);  // a penalty value: modeled as a failure
    else if (i != 12) a.tell(s.id, evaluate(f, s.point));  // 12 stays pending
  }
  const nlohmann::json state = optimizer_to_json(a);
  const auto modeled = state["surrogate_ids"].get<std::vector<std::uint64_t>>();
  CHECK(std::find(modeled.begin(), modeled.end(), 5) == modeled.end());  // the penalty: not in the GP
  CHECK(std::find(modeled.begin(), modeled.end(), 4) != modeled.end());
  Optimizer b = optimizer_from_json(nlohmann::json::parse(state.dump()));
  CHECK(optimizer_to_json(b)["trials"] == state["trials"]);
  CHECK(b.pending() == a.pending());
  for (int i = 0; i < 4; ++i) {
    const Suggestion sa = a.ask(), sb = b.ask();
    CHECK(sa.id == sb.id);
    CHECK(same_point(sa.point, sb.point));
    const double v = evaluate(f, sa.point);
    a.tell(sa.id, v);
    b.tell(sb.id, v);
  }
}

TEST_CASE("optimizer: a copy suggests what the original would, and the two are independent") {
  const std::string preset = GENERATE("default", "fast", "mcmc");
  INFO(preset);
  const TestFunction f = hartmann3();
  OptimizerOptions o = OptimizerOptions::preset(preset);
  o.seed = 8;
  o.search.candidates = 300;
  o.surrogate.mcmc_samples = 4;
  Optimizer a(f.space(), o);
  for (int i = 0; i < 13; ++i) {
    const Suggestion s = a.ask();
    a.tell(s.id, evaluate(f, s.point));
  }
  (void)a.ask();  // one pending point
  Optimizer b = a;
  Optimizer c(f.space(), small_options(1));
  c = b;
  CHECK(optimizer_to_json(b)["surrogate"] == optimizer_to_json(a)["surrogate"]);
  for (int i = 0; i < 3; ++i) {
    const Suggestion sa = a.ask(), sb = b.ask(), sc = c.ask();
    CHECK(sa.id == sb.id);
    CHECK(sb.id == sc.id);
    CHECK(same_point(sa.point, sb.point));
    CHECK(same_point(sb.point, sc.point));
    a.tell(sa.id, evaluate(f, sa.point));
    b.tell(sb.id, evaluate(f, sb.point));
    c.tell(sc.id, evaluate(f, sc.point));
  }
  // Telling one leaves the others alone.
  const Suggestion extra = b.ask();
  b.tell(extra.id, -100.0);
  CHECK(b.history().size() == a.history().size() + 1);
  CHECK(b.best()->value == -100.0);
  CHECK(a.best()->value > -4.0);
  CHECK(c.history().size() == a.history().size());
  CHECK(same_point(a.ask().point, c.ask().point));
}

TEST_CASE("optimizer: the fast preset continues exactly when saved between two refits") {
  // Between refits the fast preset appends rows to its Cholesky factor; a load that factorized
  // all rows at once differed in the last bits, and so did the suggestions (by 1e-7 on Branin).
  const TestFunction f = branin();
  OptimizerOptions o = OptimizerOptions::preset_fast();
  o.seed = 1;
  o.search.candidates = 500;
  for (int saved_after : {12, 13, 14}) {  // 10 design points, then refits at 10 and 15
    Optimizer a(f.space(), o);
    for (int i = 0; i < saved_after; ++i) {
      const Suggestion s = a.ask();
      a.tell(s.id, evaluate(f, s.point));
    }
    Optimizer b = optimizer_from_json(nlohmann::json::parse(optimizer_to_json(a).dump()));
    for (int i = 0; i < 5; ++i) {
      const Suggestion sa = a.ask(), sb = b.ask();
      INFO("saved after " << saved_after << " tells, suggestion " << i);
      for (const char* x : {"x0", "x1"}) CHECK(std::get<double>(sa.point.at(x)) == std::get<double>(sb.point.at(x)));
      const double v = evaluate(f, sa.point);
      a.tell(sa.id, v);
      b.tell(sb.id, v);
    }
  }
}

TEST_CASE("optimizer: save and load keep the parameter order of a space not sorted by name") {
  Space space;  // JSON objects come back sorted by key; the encodings follow this order
  space.add(Parameter::real("lr", 1e-5, 1e-1, Scale::Log))
      .add(Parameter::integer("layers", 1, 8))
      .add(Parameter::categorical("act", {std::string("relu"), std::string("tanh")}));
  auto loss = [](const Point& p) {
    return std::pow(std::log10(std::get<double>(p.at("lr"))) + 3, 2) +
           0.1 * static_cast<double>(std::get<std::int64_t>(p.at("layers"))) +
           (std::get<std::string>(p.at("act")) == "relu" ? 0.0 : 0.5);
  };
  Optimizer a(space, small_options(7));
  for (int i = 0; i < 12; ++i) {
    const Suggestion s = a.ask();
    a.tell(s.id, loss(s.point));
  }
  Optimizer b = optimizer_from_json(nlohmann::json::parse(optimizer_to_json(a).dump()));
  REQUIRE(b.space().parameters().size() == 3);
  CHECK(b.space().parameters()[0].name == "lr");
  CHECK(b.space().parameters()[2].name == "act");
  for (const auto& t : b.history()) CHECK(b.space().encode(t.point).isApprox(t.u));
  for (int i = 0; i < 3; ++i) {
    const Suggestion sa = a.ask(), sb = b.ask();
    CHECK(same_point(sa.point, sb.point));
    a.tell(sa.id, loss(sa.point));
    b.tell(sb.id, loss(sb.point));
  }
}

TEST_CASE("optimizer: enqueued points are suggested with the values given, also after save and load") {
  // Through the unit cube 3.14159 in [-5, 10] came back as 3.1415900000000008.
  Optimizer opt(branin().space(), small_options(2));
  opt.enqueue({{"x0", 3.14159}, {"x1", 2.275}});
  opt.enqueue({{"x0", 0.1}, {"x1", 0.3}});
  CHECK(std::get<double>(opt.ask().point.at("x0")) == 3.14159);
  const nlohmann::json state = optimizer_to_json(opt);
  Optimizer back = optimizer_from_json(state);
  const Suggestion s = back.ask();
  CHECK(std::get<double>(s.point.at("x0")) == 0.1);
  CHECK(std::get<double>(s.point.at("x1")) == 0.3);
  // A state saved before the values were kept decodes the encoded point (close, not exact).
  nlohmann::json old = state;
  old.erase("queue_points");
  CHECK(std::get<double>(optimizer_from_json(old).ask().point.at("x0")) == Approx(0.1).epsilon(1e-12));
  nlohmann::json damaged = state;
  damaged["queue_points"] = nlohmann::json::array();
  CHECK_THROWS_WITH(optimizer_from_json(damaged), Catch::Contains("/queue_points: expected an array of 1 points"));
  // A queued point outside the space is the state's error, as a trial's is (it was a bare SpaceError).
  nlohmann::json outside = state;
  outside["queue_points"][0]["x0"] = 99.0;
  CHECK_THROWS_MATCHES(optimizer_from_json(outside), StateError,
                       Catch::Message("/queue_points/0: parameter 'x0': value 99 is outside [-5, 10]"));
}

TEST_CASE("optimizer: a state saved before the margin existed continues without one") {
  auto o = small_options(4);
  o.acquisition = AcquisitionKind::LogPI;
  Optimizer opt(branin().space(), o);
  for (int i = 0; i < 3; ++i) opt.tell(opt.ask().id, 1.0 + i);
  nlohmann::json state = optimizer_to_json(opt);
  CHECK_FALSE(optimizer_from_json(state).options().xi);
  state["options"].erase("xi");
  CHECK(optimizer_from_json(state).options().improvement_margin() == 0.0);
}

TEST_CASE("optimizer: escape.escalate_after in JSON, and states saved before it keep escaping every other time") {
  CHECK(options_from_json(nlohmann::json::parse(R"({"escape": {"escalate_after": 5}})")).escape.escalate_after == 5.0);
  CHECK(OptimizerOptions{}.escape.escalate_after == 3.0);
  CHECK_THROWS_WITH(options_from_json(nlohmann::json::parse(R"({"escape": {"escalate_after": -1}})")),
                    "/options/escape/escalate_after: expected a number >= 0, got -1");
  CHECK_THROWS_WITH(options_from_json(nlohmann::json::parse(R"({"escape": {"separation": 0}})")),
                    "/options/escape/separation: expected a number > 0, got 0");
  CHECK_THROWS_WITH(options_from_json(nlohmann::json::parse(R"({"escape": {"box_halfwidth": -0.5}})")),
                    "/options/escape/box_halfwidth: expected a number > 0, got -0.5");
  CHECK_THROWS_WITH(options_from_json(nlohmann::json::parse(R"({"escape": {"min_improvement": "1"}})")),
                    "/options/escape/min_improvement: expected a number");
  OptimizerOptions o;
  o.escape.escalate_after = std::nan("");
  CHECK_THROWS_WITH(o.validate(), Catch::Contains("escape.escalate_after must be >= 0 (0: never)"));
  Optimizer opt(branin().space(), small_options(4));
  for (int i = 0; i < 3; ++i) opt.tell(opt.ask().id, 1.0 + i);
  nlohmann::json state = optimizer_to_json(opt);
  CHECK(optimizer_from_json(state).options().escape.escalate_after == 3.0);
  state["options"]["escape"].erase("escalate_after");
  CHECK(optimizer_from_json(state).options().escape.escalate_after == 0.0);
}

TEST_CASE("optimizer: categorical_kernel in JSON, and states saved before it continue one-hot") {
  CHECK(options_to_json(OptimizerOptions{})["categorical_kernel"] == "overlap");
  CHECK(options_from_json(nlohmann::json::parse(R"({"categorical_kernel": "one_hot"})")).surrogate.categorical_kernel ==
        CategoricalKernel::OneHot);
  CHECK_THROWS_WITH(options_from_json(nlohmann::json::parse(R"({"categorical_kernel": "hamming"})")),
                    "/options/categorical_kernel: expected \"overlap\" or \"one_hot\"");
  auto o = small_options(4);
  Optimizer opt(categorical_styblinski_tang_space(), o);
  for (int i = 0; i < 14; ++i) {
    const Suggestion s = opt.ask();
    opt.tell(s.id, categorical_styblinski_tang(s.point));
  }
  nlohmann::json state = optimizer_to_json(opt);
  CHECK(optimizer_from_json(state).options().surrogate.categorical_kernel == CategoricalKernel::Overlap);
  state["options"].erase("categorical_kernel");
  // The old kernel's hyperparameters do not fit the new one: such a state must say so, not load wrong.
  CHECK_THROWS_WITH(optimizer_from_json(state), "/surrogate/params: expected the 36 free hyperparameters of the model, got 6");
}

TEST_CASE("optimizer: short_range in JSON, and states saved before it continue without the term") {
  CHECK(options_to_json(OptimizerOptions{})["short_range"] == "auto");
  const auto parse = [](const char* text) { return options_from_json(nlohmann::json::parse(text)).surrogate.short_range; };
  CHECK(parse(R"({"short_range": true})") == ShortRange::On);
  CHECK(parse(R"({"short_range": false})") == ShortRange::Off);
  CHECK(parse(R"({"short_range": "auto"})") == ShortRange::Auto);
  CHECK_THROWS_WITH(parse(R"({"short_range": "on"})"), "/options/short_range: expected \"auto\", true or false");
  // Auto is on, except for the acquisitions that expect noise: the fitted kernel says which.
  const auto hyperparameters = [](AcquisitionKind acquisition) {
    OptimizerOptions o = small_options(2);
    o.acquisition = acquisition;
    Optimizer opt(branin().space(), o);
    for (int i = 0; i < 12; ++i) {
      const Suggestion s = opt.ask();
      opt.tell(s.id, evaluate(branin(), s.point));
    }
    return optimizer_to_json(opt)["surrogate"]["params"].size();
  };
  CHECK(hyperparameters(AcquisitionKind::LogEI) == hyperparameters(AcquisitionKind::LogNEI) + 2);
  CHECK(hyperparameters(AcquisitionKind::NoisyEI) == hyperparameters(AcquisitionKind::LogNEI));
  // A state written before the term existed has no key: it loads without the term and continues
  // exactly as it would have.
  OptimizerOptions o = small_options(5);
  o.surrogate.short_range = ShortRange::Off;
  Optimizer original(branin().space(), o);
  for (int i = 0; i < 12; ++i) {
    const Suggestion s = original.ask();
    original.tell(s.id, evaluate(branin(), s.point));
  }
  nlohmann::json state = optimizer_to_json(original);
  state["options"].erase("short_range");
  Optimizer reloaded = optimizer_from_json(state);
  CHECK(reloaded.options().surrogate.short_range == ShortRange::Off);
  for (int i = 0; i < 3; ++i) {
    const Suggestion a = original.ask(), b = reloaded.ask();
    CHECK(a.point == b.point);
    original.tell(a.id, evaluate(branin(), a.point));
    reloaded.tell(b.id, evaluate(branin(), b.point));
  }
}

TEST_CASE("optimizer state: a damaged trial names its path once, and the value found") {
  // Before: "/trials/1/point: /trials/1/point: parameter ..." and a status error without the value.
  Optimizer opt(branin().space(), small_options(3));
  for (int i = 0; i < 2; ++i) opt.tell(opt.ask().id, 1.0 + i);
  const nlohmann::json saved = optimizer_to_json(opt);
  nlohmann::json state = saved;
  state["trials"][1]["point"]["x0"] = 1e6;
  CHECK_THROWS_WITH(optimizer_from_json(state), "/trials/1/point: parameter 'x0': value 1e+06 is outside [-5, 10]");
  state = saved;
  state["trials"][0]["status"] = "weird";
  CHECK_THROWS_WITH(optimizer_from_json(state), "/trials/0/status: expected \"ok\", \"failed\", \"pending\" or \"abandoned\", got \"weird\"");
}

TEST_CASE("optimizer state: edited counters, times and keys are refused with their path") {
  Optimizer opt(branin().space(), small_options(3));
  for (int i = 0; i < 12; ++i) {
    const Suggestion s = opt.ask();
    opt.tell(s.id, evaluate(branin(), s.point));
  }
  const nlohmann::json saved = optimizer_to_json(opt);
  CHECK_NOTHROW(optimizer_from_json(saved));
  auto error_of = [&](auto edit) {
    nlohmann::json state = saved;
    edit(state);
    try {
      (void)optimizer_from_json(state);
    } catch (const std::exception& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  CHECK(error_of([](nlohmann::json& s) { s["design_cursor"] = 1000; }) ==
        "/design_cursor: expected a count of at most the 10 rows of /design");
  CHECK(error_of([](nlohmann::json& s) { s["elapsed_s"] = -5; }) == "/elapsed_s: expected seconds >= 0");
  CHECK(error_of([](nlohmann::json& s) { s["extra"] = 1; }).rfind("/extra: unknown key \"extra\"", 0) == 0);
  // Inside too (a misspelt key there loaded silently).
  CHECK(error_of([](nlohmann::json& s) { s["trials"][3]["noise_sdd"] = 0.1; })
            .rfind("/trials/3/noise_sdd: unknown key \"noise_sdd\" (did you mean \"noise_sd\"?)", 0) == 0);
  CHECK(error_of([](nlohmann::json& s) { s["surrogate"]["extra"] = 1; }).rfind("/surrogate/extra: unknown key", 0) == 0);
  CHECK(error_of([](nlohmann::json& s) { s["surrogate"]["transform"]["lambdaa"] = 1; })
            .rfind("/surrogate/transform/lambdaa: unknown key \"lambdaa\" (did you mean \"lambda\"?)", 0) == 0);
  CHECK(error_of([](nlohmann::json& s) { s["options"]["refit_every"] = 0; }) ==
        "/options/refit_every: expected an integer >= 1, got 0");
  const auto size = saved["surrogate"]["size"].get<std::uint64_t>();  // the GP's rows at the last ask
  CHECK(error_of([&](nlohmann::json& s) { s["surrogate"]["size_at_fit"] = size + 1; }) ==
        "/surrogate/size_at_fit: expected a count of at most /surrogate/size (" + std::to_string(size) + ")");
  // Shrunk counts were accepted and changed the next suggestion (fewer rows, or rows appended
  // to the factor instead of fitted, which only the fast preset does).
  CHECK(error_of([&](nlohmann::json& s) { s["surrogate"]["size"] = s["surrogate"]["size_at_fit"] = size - 1; }) ==
        "/surrogate/size: expected " + std::to_string(size) + " (the trials in /surrogate_ids), got " + std::to_string(size - 1));
  CHECK(error_of([&](nlohmann::json& s) { s["surrogate"]["size_at_fit"] = size - 1; }) ==
        "/surrogate/size_at_fit: expected " + std::to_string(size) +
            " (/surrogate/size: every suggestion refits outside the fast preset), got " + std::to_string(size - 1));
  const auto n_params = saved["surrogate"]["params"].size();
  CHECK(error_of([&](nlohmann::json& s) { s["surrogate"]["params"].erase(0); }) ==
        "/surrogate/params: expected the " + std::to_string(n_params) + " free hyperparameters of the model, got " +
            std::to_string(n_params - 1));
  // Posterior samples are of the model in use (here the noise-free one, one hyperparameter fewer).
  REQUIRE(saved["surrogate"]["noiseless"] == true);
  const nlohmann::json active = saved["surrogate"]["noiseless_params"];
  CHECK(error_of([&](nlohmann::json& s) { s["surrogate"]["samples"] = {active, {0.5}}; }) ==
        "/surrogate/samples/1: expected the " + std::to_string(active.size()) + " free hyperparameters of the noise-free model, got 1");
  CHECK(error_of([&](nlohmann::json& s) {
          s.erase("surrogate_ids");  // older states: the model holds the first values told
          s["surrogate"]["size"] = 13;
          s["surrogate"]["size_at_fit"] = 13;
        }) == "/surrogate/size: expected at most 12 (the trials told with a value), got 13");
  const nlohmann::json adaptation = {{"stepsize", 0.4}, {"inverse_metric", {0.5, 2.0}}, {"metric_size", 10}};
  CHECK(error_of([&](nlohmann::json& s) { s["surrogate"]["mcmc_adaptation"] = adaptation; }) == "(no error)");
  CHECK(error_of([&](nlohmann::json& s) {
          s["surrogate"]["mcmc_adaptation"] = adaptation;
          s["surrogate"]["mcmc_adaptation"]["step"] = 1;
        }).rfind("/surrogate/mcmc_adaptation/step: unknown key", 0) == 0);
  CHECK(error_of([&](nlohmann::json& s) {
          s["surrogate"]["mcmc_adaptation"] = adaptation;
          s["surrogate"]["mcmc_adaptation"]["inverse_metric"][1] = -2.0;
        }) == "/surrogate/mcmc_adaptation/inverse_metric: expected a non-empty array of positive finite numbers");
  CHECK(error_of([&](nlohmann::json& s) {
          s["surrogate"]["mcmc_adaptation"] = adaptation;
          s["surrogate"]["mcmc_adaptation"]["stepsize"] = 0;
        }) == "/surrogate/mcmc_adaptation/stepsize: expected a number > 0, got 0");
}

TEST_CASE("optimizer state: the fast preset's rows appended since its last refit load, and no fewer refitted rows") {
  OptimizerOptions options = small_options(4);
  options.surrogate.mode = HyperMode::Fast;
  options.surrogate.refit_every = 4;
  Optimizer opt(branin().space(), options);
  std::size_t appended = 0;
  for (int i = 0; i < 16; ++i) {
    const Suggestion s = opt.ask();
    opt.tell(s.id, evaluate(branin(), s.point));
    const nlohmann::json state = optimizer_to_json(opt);
    const auto& model = state["surrogate"];
    if (!model["fitted"].get<bool>()) continue;
    const auto size = model["size"].get<std::size_t>(), at_fit = model["size_at_fit"].get<std::size_t>();
    CHECK(size - at_fit <= 3);
    appended = std::max(appended, size - at_fit);
    CHECK_NOTHROW(optimizer_from_json(state));
    nlohmann::json shrunk = state;
    shrunk["surrogate"]["size_at_fit"] = size - 4;
    CHECK_THROWS_WITH(optimizer_from_json(shrunk), "/surrogate/size_at_fit: expected at least " + std::to_string(size - 3) +
                                                       " (the fast preset refits every 4 values), got " + std::to_string(size - 4));
  }
  CHECK(appended == 3);  // the case the bound allows does occur
}

TEST_CASE("optimizer state: a file that is no optimizer state says so with file and JSON path") {
  // Before: "g.json:: not a gpbo optimizer state ...".
  const std::string path = gpbo::test::temp_path("not_a_state.json");
  std::ofstream(path) << "{}";
  CHECK_THROWS_WITH(load_optimizer(path), path + ": /format: expected \"gpbo.bo_state\" (not a gpbo optimizer state)");
  CHECK_THROWS_WITH(load_optimizer("/tmp"), "cannot read /tmp: it is a directory");
  CHECK_THROWS_AS(load_optimizer("/nonexistent/state.json"), gpbo::FileError);
  std::remove(path.c_str());
}

TEST_CASE("optimizer state: every option that changes suggestions is saved (fit_restart_subset, fit_threads)") {
  OptimizerOptions o;
  o.surrogate.restart_subset = 6;
  o.surrogate.threads = 2;
  const auto j = options_to_json(o);
  const OptimizerOptions back = options_from_json(j);
  CHECK(back.surrogate.restart_subset == 6);
  CHECK(back.surrogate.threads == 2);
  // States saved before these keys existed keep the defaults.
  auto old = j;
  old.erase("fit_restart_subset");
  old.erase("fit_threads");
  CHECK(options_from_json(old).surrogate.restart_subset == OptimizerOptions{}.surrogate.restart_subset);
}

TEST_CASE("optimizer state: a real range narrow beside its values, and integer bounds up to 2^53, load back") {
  Space space;
  space.add(Parameter::real("f", 2.4e9 - 100, 2.4e9 + 100))
      .add(Parameter::real("g", 1.0, 1.0 + 1e-7, Scale::Log))
      .add(Parameter::integer("n", -(std::int64_t{1} << 53), std::int64_t{1} << 53));
  Optimizer a(space, small_options(3));
  for (int i = 0; i < 5; ++i) {
    const Suggestion s = a.ask();
    a.tell(s.id, std::get<double>(s.point.at("f")) - 2.4e9 + std::get<double>(s.point.at("g")));
  }
  Optimizer b = optimizer_from_json(nlohmann::json::parse(optimizer_to_json(a).dump()));
  CHECK(b.evaluations() == 5);
  CHECK(same_point(a.ask().point, b.ask().point));
}
