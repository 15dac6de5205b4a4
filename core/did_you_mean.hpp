#pragma once
// "Did you mean ...?" for misspelled names in configs, kernel strings and JSON keys.

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace gpbo {

/// Edit distance with adjacent transpositions (optimal string alignment): inserting, deleting or
/// substituting one character, or swapping two neighbours, each counts 1 ("matern25" is one edit
/// from "matern52", two from "matern12").
std::size_t edit_distance(const std::string& a, const std::string& b);

/// The closest of `candidates` to `word` by edit_distance, or "" when none is close (more than
/// max(2, |word| / 3) edits away, or, for a word of 2+ characters, as many edits as the longer has
/// characters, case aside); failing that, the one candidate that `word` (3 characters or
/// more) abbreviates ("max" -> "maximize"; nothing when it abbreviates several).
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);

/// The first key of the JSON object `obj` that is not in `known`, with its message:
/// `unknown key "KEY"`, and ` (did you mean "X"?)` when one of `known` is close. Nothing when
/// every key is known (or `obj` is no object).
std::optional<std::pair<std::string, std::string>> unknown_key(const nlohmann::json& obj,
                                                               const std::vector<std::string>& known);

}  // namespace gpbo
